"""/people/{id}/piis, the person's PIIS page (issue 15): their PIIS file (PIIS-01..05) with the obligation it
gives, its form, their bilans and their PIIS. Social workers of the person's CPAS only (404 otherwise)."""

from __future__ import annotations

import datetime as dt

from litestar import get, post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import gettext as _
from planner.piis import actions, queries
from planner.piis.access import SOCIAL_WORKERS, get_person_for_worker
from planner.piis.actions import FileInput
from planner.piis.rules import EXEMPT, EXEMPTION_REASONS, MANDATORY, days_left, obligation
from planner.piis.routes.common import (
    EXEMPTION_NAMES, ORIENTATION_NAMES, STATUS_NAMES, law_for, name_of, plain_text,
)
from planner.web import flash, form_date, form_version, page, redirect, text

TEMPLATE = "piis/person.html"


def obligation_sentence(person: dict, file: dict | None, today: dt.date) -> tuple[str, str]:
    """(kind, sentence): what the person's file means today, in plain words (PIIS-01..05, PIIS-10)."""
    file = file or {}
    ri_on = file.get("ri_granted_on")
    found = obligation(person["status"], ri_on, file.get("previous_ri_ended_on"),
                       bool(file.get("part_time_top_up")), file.get("exemption") or "", person["birth_date"],
                       law_for(ri_on or today))
    if found.kind == MANDATORY:
        left = days_left(found.deadline, today)
        day = i18n.format_date(found.deadline, "long")
        if left < 0:
            return found.kind, i18n.ngettext("A PIIS was needed by %(day)s: %(num)s day late.",
                                         "A PIIS was needed by %(day)s: %(num)s days late.", -left, day=day)
        return found.kind, i18n.ngettext("A PIIS is needed by %(day)s: %(num)s day left.",
                                         "A PIIS is needed by %(day)s: %(num)s days left.", left, day=day)
    if found.kind == EXEMPT:
        return found.kind, _("No PIIS: the person is exempt (%(reason)s).",
                             reason=name_of(EXEMPTION_NAMES, file.get("exemption")).lower())
    if found.rule == "PIIS-04":
        return found.kind, _("A PIIS is optional: part-time work with an RI top-up. The CPAS may still ask for one.")
    return found.kind, _("A PIIS is optional. It becomes binding when the person or the CPAS asks for one.")


async def _context(request: HTMXRequest, person: dict, **extra) -> dict:
    file = await queries.piis_file(person["id"])
    kind, sentence = obligation_sentence(person, file, i18n.today())
    return {"person": person, "file": file, "obligation_kind": kind, "obligation": sentence,
            "file_reference": await queries.file_reference(person["id"]),
            "bilans": await queries.bilans(person["id"]), "contracts": await queries.contracts(person["id"]),
            "status_name": lambda s: name_of(STATUS_NAMES, s),
            "orientation_name": lambda o: name_of(ORIENTATION_NAMES, o),
            "exemptions": [(c, name_of(EXEMPTION_NAMES, c)) for c in ("", *EXEMPTION_REASONS)],
            "errors": {}, "values": {}, **extra}


@get("/people/{person_id:int}/piis", guards=[SOCIAL_WORKERS])
async def person_piis(request: HTMXRequest, person_id: FromPath[int]) -> Template:
    person = await get_person_for_worker(request.user, person_id)
    return page(request, TEMPLATE, await _context(request, person))


@post("/people/{person_id:int}/piis/file", guards=[SOCIAL_WORKERS], status_code=200)
async def save_file(request: HTMXRequest, person_id: FromPath[int]) -> Response | Template:
    person = await get_person_for_worker(request.user, person_id)
    form = await request.form()
    errors: dict[str, str] = {}
    file = await queries.piis_file(person_id)
    version = form_version(form, errors) if file else None
    days = {}
    for name in ("ri_granted_on", "previous_ri_ended_on"):
        typed = text(form, name, 40)
        days[name] = form_date(typed) if typed else None
        if typed and days[name] is None:
            errors[name] = _("Give a real date (day, month and year).")
    exemption = text(form, "exemption", 20)
    note = plain_text(form, "exemption_note", errors)
    if exemption not in ("", *EXEMPTION_REASONS):
        errors["exemption"] = _("Choose from the list.")
    elif exemption and not note:
        errors["exemption_note"] = _("Say why the person is exempt: the reason is recorded.")
    if days["ri_granted_on"] and days["previous_ri_ended_on"] and days["previous_ri_ended_on"] > days["ri_granted_on"]:
        errors["previous_ri_ended_on"] = _("The last RI before ended after this decision: check the dates.")
    if not errors:
        data = FileInput(ri_granted_on=days["ri_granted_on"], previous_ri_ended_on=days["previous_ri_ended_on"],
                         part_time_top_up=form.get("part_time_top_up") == "1", exemption=exemption,
                         exemption_note=note, social_worker=(file or {}).get("social_worker") or request.user.id)
        saved = await actions.save_file(person["organisation"], person_id, version, data, request.user.id)
        if saved.id is None:
            errors["form"] = _("Someone changed this while you were editing it: look at it again before saving.")
    if errors:
        values = {k: text(form, k, 40) for k in ("ri_granted_on", "previous_ri_ended_on")}
        values.update(exemption=exemption, exemption_note=note, part_time_top_up=form.get("part_time_top_up") == "1")
        return page(request, TEMPLATE, await _context(request, person, errors=errors, values=values),
                    block="file", status_code=422)
    flash(request, _("The PIIS file has been saved."))
    return redirect(request, f"/people/{person_id}/piis")
