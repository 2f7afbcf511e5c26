"""/piis/evaluations/<id>: one planned evaluation of a PIIS — what was said once it is held (PIIS-34), moving it
(the later ones follow), and the register's evidence since the previous one. Social workers of the person's CPAS
only; every opening is logged. The app flags unexcused absences for a conversation, never for a sanction
(PIIS-40..42)."""

from __future__ import annotations

import datetime as dt

from litestar import get, post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import gettext as _
from planner.piis import actions, queries
from planner.piis.access import SOCIAL_WORKERS, get_evaluation_for_worker
from planner.piis.actions import EvaluationInput
from planner.piis.actions.evaluations import OBJECTIVE_STATUSES
from planner.piis.routes.common import KIND_LABELS, OBJECTIVE_LABELS, finding_message
from planner.piis.rules import KINDS
from planner.web import flash, form_date, form_version, page, redirect, text

TEMPLATE = "piis/evaluation.html"
MAX_TEXT = 5000  # characters in each text of the record: a page of notes; more belongs in the social file
TEXTS = ("done", "agreements", "person_words")


async def _context(request: HTMXRequest, evaluation: dict, piis: dict, **extra) -> dict:
    found = await queries.evaluation_page(evaluation, piis, i18n.wall_clock_now())
    return {"evaluation": evaluation, "piis": piis, **found, "kind_labels": KIND_LABELS,
            "objective_labels": OBJECTIVE_LABELS, "finding_message": finding_message,
            "one_day": dt.timedelta(days=1), "today_value": i18n.today(),
            "errors": {}, "values": {}, "move_errors": {}, "move_value": "", **extra}


@get("/piis/evaluations/{evaluation_id:int}", guards=[SOCIAL_WORKERS])
async def evaluation(request: HTMXRequest, evaluation_id: FromPath[int]) -> Template:
    row, piis = await get_evaluation_for_worker(request.user, evaluation_id)
    await actions.log_opening(piis["organisation"], request.user.id, "piis", piis["id"], piis["beneficiary"])
    return page(request, TEMPLATE, await _context(request, row, piis))


@post("/piis/evaluations/{evaluation_id:int}", guards=[SOCIAL_WORKERS], status_code=200)
async def record(request: HTMXRequest, evaluation_id: FromPath[int]) -> Response | Template:
    row, piis = await get_evaluation_for_worker(request.user, evaluation_id)
    form = await request.form()
    errors: dict[str, str] = {}
    version = form_version(form, errors)
    typed_day = text(form, "held_on", 40)
    held_on = form_date(typed_day)
    if held_on is None:
        errors["held_on"] = _("Give the day of the evaluation, as day, month and year.")
    elif held_on > i18n.today():
        errors["held_on"] = _("An evaluation is recorded once it took place: give today or an earlier day.")
    elif piis["signed_on"] and held_on < piis["signed_on"]:
        errors["held_on"] = _("This day is before the PIIS was signed (%(day)s).",
                              day=i18n.format_date(piis["signed_on"]))
    kind = text(form, "kind", 20)
    if kind not in KINDS:
        errors["kind"] = _("Choose an interview or another form.")
    values = {name: str(form.get(name, "") or "").replace("\x00", "").strip() for name in TEXTS}
    for name in TEXTS:
        if len(values[name]) > MAX_TEXT:
            errors[name] = i18n.ngettext("At most %(num)s character.", "At most %(num)s characters.", MAX_TEXT)
    objectives = await queries.objective_ids(piis["id"])
    statuses = tuple((o, form.get(f"objective-{o}")) for o in objectives
                     if form.get(f"objective-{o}") in OBJECTIVE_STATUSES)
    heard = form.get("heard_before_sanction") == "1"
    # what was typed, shown again when nothing is saved
    kept = {**values, "held_on": typed_day, "kind": kind, "heard": heard, "statuses": {str(o): s for o, s in statuses}}
    if errors:
        return page(request, TEMPLATE, await _context(request, row, piis, errors=errors, values=kept),
                    block="record", status_code=422)
    saved = await actions.record_evaluation(evaluation_id, version, EvaluationInput(
        held_on, kind, values["done"], values["agreements"], values["person_words"], statuses, heard), request.user.id)
    if saved.id is None:
        errors["version"] = finding_message(saved.findings[0])
        row, piis = await get_evaluation_for_worker(request.user, evaluation_id)
        return page(request, TEMPLATE, await _context(request, row, piis, errors=errors, values=kept),
                    block="record", status_code=409)
    flash(request, _("The evaluation has been saved."))
    return redirect(request, f"/piis/evaluations/{evaluation_id}")


@post("/piis/evaluations/{evaluation_id:int}/move", guards=[SOCIAL_WORKERS], status_code=200)
async def move(request: HTMXRequest, evaluation_id: FromPath[int]) -> Response | Template:
    row, piis = await get_evaluation_for_worker(request.user, evaluation_id)
    form = await request.form()
    typed = text(form, "day", 40)
    day = form_date(typed)
    error = ""
    if row["held_on"] is not None:
        error = _("This evaluation took place: it no longer moves.")
    elif day is None:
        error = _("Give the new day, as day, month and year.")
    elif piis["signed_on"] and day < piis["signed_on"]:
        error = _("This day is before the PIIS was signed (%(day)s).", day=i18n.format_date(piis["signed_on"]))
    elif piis["ends_on"] and day > piis["ends_on"]:
        error = _("This day is after the PIIS ends (%(day)s).", day=i18n.format_date(piis["ends_on"]))
    if not error and (await actions.move_evaluation(evaluation_id, day)).id is None:
        error = _("This evaluation took place: it no longer moves.")
    if error:
        context = await _context(request, row, piis, move_errors={"day": error}, move_value=typed)
        return page(request, TEMPLATE, context, block="move", status_code=422)
    flash(request, _("The evaluation has been moved; the later ones follow at the same distance."))
    return redirect(request, f"/piis/evaluations/{evaluation_id}")
