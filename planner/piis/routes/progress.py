"""A person's progress (§4.3, §5): /people/<id>/measurements/new (a measurement, the earlier answers beside
today's), /people/<id>/progress (per instrument: the chart, the same figures as a table, the year's progress;
their PIIS and how it ended) and /piis/<id>/end (the outcomes of a trajectory, E2). Social workers of the
person's CPAS only; every opening is written to the access log."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import gettext as _
from planner.names import display_name
from planner.piis import queries
from planner.piis.access import SOCIAL_WORKERS, get_person_for_worker, get_piis_for_worker
from planner.piis.actions import log_opening
from planner.piis.actions.measurements import end_piis, record_measurement
from planner.piis.rules import CONTEXTS, OUTCOMES, check_scores
from planner.piis.rules.measures import LADDER, NONE, check_outcome
from planner.piis.rules.progress import LADDER_UNPAID_WORK, VOLUNTEERING
from planner.piis.routes.common import (
    CONTEXT_LABELS, context_label, dimension_label, outcome_label, problem_text,
)
from planner.volunteering import queries as volunteering
from planner.web import (
    flash, form_date, form_version, page, parse_id, redirect, text, year_in_url,
)

MEASURE, PROGRESS = "piis/measurement.html", "piis/progress.html"
LOGGED_AS = "measurements"  # the access log's record kind: the person's measurements (record id: the person)


def _year(value: str) -> int:
    """The year asked for (?year=), this year when none; 404 for one outside web.url_year_range()."""
    return year_in_url(value, i18n.today().year)


async def _measure_context(request: HTMXRequest, person: dict, instrument_id: int | None, **extra) -> dict:
    language = i18n.current_language()
    instrument = await queries.instrument_for(person["organisation"], instrument_id, language)
    previous = (await queries.measurements_of(person["id"], instrument["id"]))[-1:] if instrument else []
    today = i18n.today()
    ladder = instrument is not None and instrument["builtin"] and instrument["code"] == LADDER
    return {"placement": await volunteering.placement_in(person["id"], today, today) if ladder else None,
            "unpaid_work": LADDER_UNPAID_WORK,  # §5.1: a running placement suggests the ladder's level 4
            "person": person, "name": display_name(person["first_name"], person["last_name"]),
            "instrument": instrument, "previous": previous[0] if previous else None,
            "instruments": await queries.instruments_for(person["organisation"], language),
            "contexts": [(c, context_label(c)) for c in CONTEXTS], "context_label": context_label,
            "errors": {}, "values": {"measured_on": i18n.today().isoformat(), "context": "interim"}, **extra}


@get("/people/{person_id:int}/measurements/new", guards=[SOCIAL_WORKERS])
async def new_measurement(request: HTMXRequest, person_id: FromPath[int]) -> Template:
    person = await get_person_for_worker(request.user, person_id)
    instrument = request.query_params.get("instrument", "")
    context = await _measure_context(request, person, parse_id(instrument))
    if instrument and context["instrument"] is None:
        raise NotFoundException()  # another CPAS's own instrument: not even its name
    await log_opening(person["organisation"], request.user.id, LOGGED_AS, person_id, person_id)
    return page(request, MEASURE, context, block="measure")


@post("/people/{person_id:int}/measurements/new", guards=[SOCIAL_WORKERS], status_code=200)
async def save_measurement(request: HTMXRequest, person_id: FromPath[int]) -> Response | Template:
    person = await get_person_for_worker(request.user, person_id)
    form = await request.form()
    context = await _measure_context(request, person, parse_id(text(form, "instrument")))
    instrument = context["instrument"]
    errors: dict[str, str] = {}
    if instrument is None:
        errors["instrument"] = _("Choose an instrument from the list.")
        return page(request, MEASURE, context | {"errors": errors}, block="measure", status_code=422)
    day = form_date(text(form, "measured_on"))
    if day is None:
        errors["measured_on"] = _("Give the date as a day, e.g. 31/12/2026.")
    elif day > i18n.today():
        errors["measured_on"] = _("The date is in the future.")
    measure_context = text(form, "context")
    if measure_context not in CONTEXT_LABELS:
        errors["context"] = _("Choose when this measurement is taken.")
    typed = {key[len("score-"):]: text(form, key, 20) for key in form.keys() if key.startswith("score-")}
    scores = {code: int(v) if v.isascii() and v.isdigit() and len(v) < 4 else -1 for code, v in typed.items()}
    domains = tuple(d["code"] for d in instrument["domains"])
    if any(code not in domains for code in scores):
        errors["scores"] = _("This form does not match the instrument: open it again.")
    for code in domains:
        if code not in scores:
            errors[f"score-{code}"] = _("Choose a level.")
        elif check_scores({code: scores[code]}, (code,), instrument["low"], instrument["high"]):
            errors[f"score-{code}"] = _("Choose one of the levels shown.")
    if errors:
        values = {"measured_on": text(form, "measured_on"), "context": measure_context, **{
            f"score-{k}": v for k, v in typed.items()}}
        return page(request, MEASURE, context | {"errors": errors, "values": values}, block="measure",
                    status_code=422)
    await record_measurement(person["organisation"], person_id, instrument["id"], day, measure_context, scores,
                             request.user.id)
    flash(request, _("The measurement has been saved."))
    return redirect(request, f"/people/{person_id}/progress")


async def _progress_context(request: HTMXRequest, person: dict, year: int, **extra) -> dict:
    language = i18n.current_language()
    piis = await queries.person_piis(person["id"])
    volunteered = set()  # the PIIS during which the person volunteered: their outcome "volunteering" comes pre-ticked
    for t in piis:
        if t["starts_on"] and await volunteering.placement_in(person["id"], t["starts_on"], t["ends_on"] or i18n.today()):
            volunteered.add(t["id"])
    return {"person": person, "name": display_name(person["first_name"], person["last_name"]), "year": year,
            "progress": await queries.person_progress(person["organisation"], person["id"], year, language),
            "instruments": await queries.instruments_for(person["organisation"], language),
            "piis": piis, "outcomes": OUTCOMES, "volunteered": volunteered, "dimension_label": dimension_label, "volunteering": VOLUNTEERING, "context_label": context_label,
            "outcome_label": outcome_label, "errors": {}, "values": {}, "today": i18n.today(), **extra}


@get("/people/{person_id:int}/progress", guards=[SOCIAL_WORKERS])
async def progress(request: HTMXRequest, person_id: FromPath[int]) -> Template:
    person = await get_person_for_worker(request.user, person_id)
    context = await _progress_context(request, person, _year(request.query_params.get("year", "")))
    await log_opening(person["organisation"], request.user.id, LOGGED_AS, person_id, person_id)
    return page(request, PROGRESS, context, block="progress")


@post("/piis/{piis_id:int}/end", guards=[SOCIAL_WORKERS], status_code=200)
async def end(request: HTMXRequest, piis_id: FromPath[int]) -> Response | Template:
    piis = await get_piis_for_worker(request.user, piis_id)
    person = await get_person_for_worker(request.user, piis["beneficiary"])
    form = await request.form()
    errors: dict[str, str] = {}
    version = form_version(form, errors)
    flags = [f for f in dict.fromkeys(form.getall("flags", [])) if isinstance(f, str)][:10]
    primary = text(form, "primary", 20) or NONE
    ended_on = form_date(text(form, "ended_on"))
    errors.update({field: problem_text(p) for field, p in check_outcome(flags, primary, ended_on,
                                                                        piis["starts_on"]).items()})
    if not errors:
        saved = await end_piis(piis_id, version, ended_on, flags, primary, request.user.id)
        if saved.id is None:
            errors["version"] = problem_text(saved.findings[0].message)
    if errors:
        values = {"piis": piis_id, "ended_on": text(form, "ended_on"), "flags": flags, "primary": primary}
        context = await _progress_context(request, person, i18n.today().year, errors=errors, values=values)
        return page(request, PROGRESS, context, block="piis", status_code=422)
    flash(request, _("The PIIS has ended; its outcome is recorded."))
    return redirect(request, f"/people/{person['id']}/progress?" + urlencode({"year": ended_on.year}))
