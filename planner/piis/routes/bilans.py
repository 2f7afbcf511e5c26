"""The bilan social (PIIS-11, PIIS-13): written by the signed-in social worker with the person, the ZRM's
13 domains offered by default; each opening of one is written to the access log."""

from __future__ import annotations

from litestar import get, post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import gettext as _
from planner.piis import actions, queries
from planner.piis.access import SOCIAL_WORKERS, get_bilan_for_worker, get_person_for_worker
from planner.piis.actions import BilanInput
from planner.piis.domains import bilan_domains, domain_name
from planner.piis.routes.common import plain_text, required_date
from planner.piis.tables import BilanSocial
from planner.web import flash, max_length, page, redirect

TEMPLATE = "piis/bilan_form.html"
TEXTS = ("needs", "obstacles", "strengths", "own_goals")


def _domains(language: str) -> list[dict]:
    return [{"code": d["code"], "name": d.get(language, d["en"])} for d in bilan_domains()]


@get("/people/{person_id:int}/bilans/new", guards=[SOCIAL_WORKERS])
async def new_bilan(request: HTMXRequest, person_id: FromPath[int]) -> Template:
    person = await get_person_for_worker(request.user, person_id)
    return page(request, TEMPLATE, {"person": person, "domains": _domains(i18n.current_language()),
                                    "values": {"day": i18n.today().isoformat(), "domains": {}}, "errors": {},
                                    "file_reference": await queries.file_reference(person_id)})


@post("/people/{person_id:int}/bilans/new", guards=[SOCIAL_WORKERS], status_code=200)
async def create_bilan(request: HTMXRequest, person_id: FromPath[int]) -> Response | Template:
    person = await get_person_for_worker(request.user, person_id)
    form = await request.form()
    errors: dict[str, str] = {}
    day = required_date(form, "day", errors)
    values = {name: plain_text(form, name, errors) for name in TEXTS}
    values["investigation_reference"] = plain_text(form, "investigation_reference", errors,
                                                   max_length(BilanSocial.investigation_reference))
    codes = {d["code"] for d in bilan_domains()}
    chosen = [c for c in form.getall("domain", []) if c in codes]
    notes = {c: plain_text(form, f"note_{c}", errors, key=f"note_{c}") for c in codes}
    values["domains"] = {c: {"checked": c in chosen, "note": notes[c]} for c in codes}
    values["day"] = str(form.get("day", "") or "")[:40]
    if day and day > i18n.today():
        errors["day"] = _("A bilan social is dated on the day it was written, not later.")
    if not chosen:
        errors["domains"] = _("Tick at least one domain you talked about.")
    if errors:
        return page(request, TEMPLATE, {"person": person, "domains": _domains(i18n.current_language()),
                                        "values": values, "errors": errors,
                                        "file_reference": await queries.file_reference(person_id)},
                    block="bilan", status_code=422)
    data = BilanInput(day=day, domains=tuple((c, notes[c]) for c in (d["code"] for d in bilan_domains())
                                             if c in chosen),
                      investigation_reference=values["investigation_reference"],
                      **{name: values[name] for name in TEXTS})
    bilan_id = await actions.record_bilan(person["organisation"], person_id, data, request.user.id)
    flash(request, _("The bilan social has been saved."))
    return redirect(request, f"/bilans/{bilan_id}")


@get("/bilans/{bilan_id:int}", guards=[SOCIAL_WORKERS])
async def show_bilan(request: HTMXRequest, bilan_id: FromPath[int]) -> Template:
    row = await get_bilan_for_worker(request.user, bilan_id)
    await actions.log_opening(row["organisation"], request.user.id, "bilan", bilan_id, row["beneficiary"])
    bilan = await queries.bilan(bilan_id)
    language = i18n.current_language()
    for d in bilan["domains"]:
        d["name"] = domain_name(d["code"], language)
    return page(request, "piis/bilan.html", {"bilan": bilan, "person_id": row["beneficiary"],
                                             "file_reference": await queries.file_reference(row["beneficiary"])})
