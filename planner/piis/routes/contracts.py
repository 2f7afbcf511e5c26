"""The PIIS from draft to signature and its amendments (PIIS-20..25, PIIS-32, PIIS-33): one page per PIIS with
its form (a draft or proposed one is edited, a signed one amended by agreement), proposing, signing and the
history of its versions. Every opening of a PIIS is written to the access log."""

from __future__ import annotations

import datetime as dt
import json

from litestar import get, post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import gettext as _
from planner.piis import actions, queries
from planner.volunteering import queries as volunteering
from planner.piis.access import SOCIAL_WORKERS, get_person_for_worker, get_piis_for_worker
from planner.piis.rules import (
    BLOCK, FIRST_GRANT, NONE, ORIENTATIONS, SUBSIDY_STATUSES, blocks, changes, check_subsidy, subsidy_ends,
    subsidy_starts,
)
from planner.piis.routes.common import (
    FIELD_NAMES, KIND_NAMES, ORIENTATION_NAMES, STATUS_NAMES, SUBSIDY_NAMES, TYPE_NAMES, finding_message, law_for,
    name_of, place_findings, plain_text, read_piis, required_date, type_choices, values_of,
)
from planner.web import flash, form_version, page, redirect, text

TEMPLATE = "piis/piis.html"
BLANK_ROWS = 1  # an empty objective row under the typed ones: "add a row" adds one more


def _field_name(what: str) -> str:
    """rules.changes' "objective 2: person_steps" in plain words."""
    head, _sep, field = what.partition(": ")
    if head.startswith("objective "):
        number = head.split(" ", 1)[1]
        return _("Objective %(n)s", n=number) + (f": {_(FIELD_NAMES[field])}" if field in FIELD_NAMES else "")
    return _(FIELD_NAMES[what]) if what in FIELD_NAMES else what


def _shown(what: str, value, titles: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if what == "commitments":
        return ", ".join(titles.get(e, "?") for e in value) or "—"
    if what in ("starts_on", "ends_on"):
        return i18n.format_date(dt.date.fromisoformat(value))
    if what == "type_code":
        return name_of(TYPE_NAMES, value)
    if what == "orientation":
        return name_of(ORIENTATION_NAMES, value)
    return str(value)


async def history(versions: list[dict]) -> list[dict]:
    """Each version with its day, reason, author and what changed from the one before, in plain words."""
    ids = sorted({e for v in versions for e in json.loads(v["content"])["commitments"]})
    titles = await queries.module_titles(ids)
    result, before = [], None
    for v in versions:
        found = changes(before, v["content"]) if before else []
        result.append({**v, "changes": [(_field_name(w), _shown(w.split(": ")[-1] if ": " in w else w, a, titles),
                                         _shown(w.split(": ")[-1] if ": " in w else w, b, titles))
                                        for w, a, b in found]})
        before = v["content"]
    return list(reversed(result))


async def _context(request: HTMXRequest, person: dict, piis: dict | None, values: dict, **extra) -> dict:
    enrolments = await queries.person_enrolments(person["id"])
    typed_start = None
    try:
        typed_start = dt.date.fromisoformat(str(values.get("starts_on") or ""))
    except ValueError:
        pass
    start = typed_start if typed_start and 1900 < typed_start.year < 2200 else i18n.today()
    objectives = [*values.get("objectives", []), *[{"enrolments": []} for _n in range(BLANK_ROWS + extra.pop(
        "more_rows", 0))]]
    whole = await queries.contract(piis["id"]) if piis else None
    law = law_for(i18n.today())
    return {
        "person": person, "piis": piis, "whole": whole, "values": values, "objectives": objectives,
        "enrolments": enrolments, "file_reference": await queries.file_reference(person["id"]),
        "types": type_choices(start), "orientations": [(o, name_of(ORIENTATION_NAMES, o)) for o in ORIENTATIONS],
        "subsidies": [(s, name_of(SUBSIDY_NAMES, s)) for s in SUBSIDY_STATUSES],
        "status_name": lambda s: name_of(STATUS_NAMES, s), "kind_name": lambda k: name_of(KIND_NAMES, k),
        "type_name": lambda c: name_of(TYPE_NAMES, c), "orientation_name": lambda o: name_of(ORIENTATION_NAMES, o),
        "subsidy_name": lambda s: name_of(SUBSIDY_NAMES, s),
        "history": await history(whole["versions"]) if whole else [],
        "short_job_months": law.no_new_bilan_if_job_under_months, "reflection_days": law.reflection_days,
        "today": i18n.today().isoformat(), "errors": {}, "warnings": [], "sign_values": {}, **extra,
    }


def _own(enrolments: list[dict]) -> set[int]:
    return {e["id"] for e in enrolments}


@get("/people/{person_id:int}/piis/new", guards=[SOCIAL_WORKERS])
async def new_piis(request: HTMXRequest, person_id: FromPath[int]) -> Template:
    person = await get_person_for_worker(request.user, person_id)
    values = {"type_code": "11", "orientation": "social_activation", "subsidy_status": "none",
              "starts_on": i18n.today().isoformat(), "objectives": [
                  {"title": _("Volunteering at %(host)s", host=p["host_name"]), "person_steps": "", "cpas_steps": "",
                   "third_party": p["host_name"], "third_party_steps": "", "enrolments": [p["enrolment"]]}
                  for p in await volunteering.flagged_placements(person_id)]}  # VOL-05: placements meant for it
    return page(request, TEMPLATE, await _context(request, person, None, values))


async def _read(request: HTMXRequest, person: dict, form, piis_id: int | None = None) -> tuple:
    errors: dict[str, str] = {}
    data, values = read_piis(form, errors, _own(await queries.person_enrolments(person["id"])))
    if data is not None and data.subsidy_status != NONE:
        place_findings(await _subsidy_findings(person["id"], piis_id, data), errors)
    return data, values, errors


async def _subsidy_findings(beneficiary_id: int, piis_id: int | None, data) -> list:
    """SUB-PIIS-02 with the person's other signed PIIS: the months already granted, and for a prolongation the
    first grant it follows (running until the day before the new one starts at the latest)."""
    earlier = [p for p in await queries.subsidy_history(beneficiary_id) if p["id"] != piis_id]
    file = await queries.piis_file(beneficiary_id) or {}
    first = next((p for p in earlier if p["subsidy_status"] == FIRST_GRANT), None)
    first_until = None
    if first is not None and (start := subsidy_starts(first["signed_on"], file.get("ri_granted_on"))):
        first_until = subsidy_ends(start, first["subsidy_months"])
    law = law_for(data.starts_on)
    return check_subsidy(data.subsidy_status, data.subsidy_motivation, first_until, data.starts_on,
                         sum(p["subsidy_months"] for p in earlier), data.subsidy_months, law)


@post("/people/{person_id:int}/piis/new", guards=[SOCIAL_WORKERS], status_code=200)
async def create_piis(request: HTMXRequest, person_id: FromPath[int]) -> Response | Template:
    person = await get_person_for_worker(request.user, person_id)
    form = await request.form()
    data, values, errors = await _read(request, person, form)
    if text(form, "action", 20) == "add":  # one more objective row, nothing written
        errors.pop("objectives", None)
        return page(request, TEMPLATE, await _context(request, person, None, values, more_rows=1), block="edit")
    if data is not None and not errors:
        saved = await actions.create_piis(person["organisation"], person_id, data, request.user.id)
        if saved.id is not None:
            flash(request, _("The PIIS has been saved as a draft."))
            return redirect(request, f"/piis/{saved.id}")
        place_findings(saved.findings, errors)
    return page(request, TEMPLATE, await _context(request, person, None, values, errors=errors), block="edit",
                status_code=422)


async def show_context(request: HTMXRequest, piis: dict, **extra) -> dict:
    """The PIIS page's context for a PIIS as saved (the scan form's errors come back on it)."""
    person = await get_person_for_worker(request.user, piis["beneficiary"])
    whole = await queries.contract(piis["id"])
    return await _context(request, person, piis, values_of(piis, whole["objectives"]), **extra)


@get("/piis/{piis_id:int}", guards=[SOCIAL_WORKERS])
async def show_piis(request: HTMXRequest, piis_id: FromPath[int]) -> Template:
    piis = await get_piis_for_worker(request.user, piis_id)
    await actions.log_opening(piis["organisation"], request.user.id, "piis", piis_id, piis["beneficiary"])
    return page(request, TEMPLATE, await show_context(request, piis))


async def _save(request: HTMXRequest, piis_id: int, amending: bool) -> Response | Template:
    piis = await get_piis_for_worker(request.user, piis_id)
    person = await get_person_for_worker(request.user, piis["beneficiary"])
    form = await request.form()
    data, values, errors = await _read(request, person, form, piis_id)
    version = form_version(form, errors)
    if text(form, "action", 20) == "add":  # one more objective row, nothing written
        errors.pop("objectives", None)
        return page(request, TEMPLATE, await _context(request, person, piis, values, more_rows=1), block="edit")
    expected = ("signed",) if amending else ("draft", "proposed")
    if piis["status"] not in expected:
        errors["form"] = _("Someone changed this while you were editing it: look at it again before saving.")
        values["reason"] = text(form, "reason", 2000)  # what was typed is shown again, whichever form it was
    elif amending:
        values["reason"] = plain_text(form, "reason", errors)
        values["agreed_on"] = text(form, "agreed_on", 40)
        agreed_on = required_date(form, "agreed_on", errors)
        if not values["reason"] and "reason" not in errors:
            errors["reason"] = _("Say what was agreed and why.")
        if data is not None and not errors:
            saved = await actions.amend(piis_id, version, data, values["reason"], agreed_on, request.user.id)
            if saved.id is not None:
                flash(request, _("The amendment has been saved as a new version."))
                return redirect(request, f"/piis/{piis_id}")
            place_findings(saved.findings, errors)
    elif data is not None and not errors:
        saved = await actions.update_draft(piis_id, version, data)
        if saved.id is not None:
            flash(request, _("The PIIS has been saved."))
            return redirect(request, f"/piis/{piis_id}")
        place_findings(saved.findings, errors)
    return page(request, TEMPLATE, await _context(request, person, piis, values, errors=errors), block="edit",
                status_code=422)


@post("/piis/{piis_id:int}", guards=[SOCIAL_WORKERS], status_code=200)
async def edit_piis(request: HTMXRequest, piis_id: FromPath[int]) -> Response | Template:
    """A draft or proposed PIIS changed (a signed one changes only by amendment)."""
    return await _save(request, piis_id, amending=False)


@post("/piis/{piis_id:int}/amend", guards=[SOCIAL_WORKERS], status_code=200)
async def amend_piis(request: HTMXRequest, piis_id: FromPath[int]) -> Response | Template:
    """PIIS-32: a signed PIIS changed by agreement, at any time: a new version with its reason and day."""
    return await _save(request, piis_id, amending=True)


@post("/piis/{piis_id:int}/propose", guards=[SOCIAL_WORKERS], status_code=200)
async def propose_piis(request: HTMXRequest, piis_id: FromPath[int]) -> Response | Template:
    """PIIS-25: the day the PIIS was handed to the person; their days to reflect start then."""
    piis = await get_piis_for_worker(request.user, piis_id)
    form = await request.form()
    errors: dict[str, str] = {}
    version = form_version(form, errors)
    day = required_date(form, "proposed_on", errors)
    if not errors:
        saved = await actions.propose(piis_id, version, day)
        if saved.id is not None:
            flash(request, _("The PIIS is proposed: the person has %(days)s days to think it over before signing.",
                             days=law_for(day).reflection_days))
            return redirect(request, f"/piis/{piis_id}")
        place_findings(saved.findings, errors)
    return await _sign_page(request, piis, errors, {"proposed_on": text(form, "proposed_on", 40)})


SIGN_FIELDS = ("proposed_on", "signed_on")


async def _sign_page(request: HTMXRequest, piis: dict, errors: dict, sign_values: dict,
                     warnings: list[str] | None = None) -> Template:
    # A message for no field of the sign block (a stale version, the PIIS signed meanwhile in another tab) is
    # shown at its top under "sign": without it, the swapped block came back without any message, or empty.
    others = " ".join(message for key, message in errors.items() if key not in SIGN_FIELDS)
    errors = {**{k: v for k, v in errors.items() if k in SIGN_FIELDS}, **({"sign": others} if others else {})}
    return page(request, TEMPLATE, await show_context(request, piis, errors=errors, sign_values=sign_values,
                                                      warnings=warnings or []), block="sign", status_code=422)


@post("/piis/{piis_id:int}/sign", guards=[SOCIAL_WORKERS], status_code=200)
async def sign_piis(request: HTMXRequest, piis_id: FromPath[int]) -> Response | Template:
    """PIIS-25, -11, -12, -10, -20 checked on the signature day: a BLOCK refuses, a WARN asks the worker to
    tick that they read it. Signed, its evaluations are planned."""
    piis = await get_piis_for_worker(request.user, piis_id)
    form = await request.form()
    errors: dict[str, str] = {}
    version = form_version(form, errors)
    day = required_date(form, "signed_on", errors, )
    waived, go_on = form.get("waived") == "1", form.get("go_on") == "1"
    sign_values = {"signed_on": text(form, "signed_on", 40), "waived": waived}
    warnings: list[str] = []
    if day and piis["status"] != "proposed":
        errors["signed_on"] = _("Propose the PIIS to the person first: the days to reflect start then.")
    elif not errors:
        saved = await actions.sign(piis_id, version, day, waived, request.user.id, go_on=go_on)
        if saved.id is not None:
            flash(request, _("The PIIS is signed. Its evaluations are planned."))
            return redirect(request, f"/piis/{piis_id}")
        if blocks(saved.findings):
            errors["signed_on"] = " ".join(finding_message(f) for f in saved.findings if f.level == BLOCK)
        warnings = [finding_message(f) for f in saved.findings if f.level != BLOCK]
    return await _sign_page(request, piis, errors, sign_values, warnings)
