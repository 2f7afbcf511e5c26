"""Reads for the progress pages: instruments and answer scales, a person's measurements and progress, their PIIS
to end, the attestation of attendance."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from planner.attendance.figures import Mark as MarkFact, participant_figures, participants, slots_by_module
from planner.attendance.rules import ATTENDED, ON_ROLL
from planner.attendance.tables import Mark
from planner.enrolment.tables import Enrolment
from planner.modules.tables import Session
from planner.orgs.tables import Organisation
from planner.piis.chart import chart
from planner.piis.rules.instruments import SINGLE, label
from planner.piis.rules.measures import progress_in_year, reached_unpaid_work, series
from planner.piis.rules.progress import MATRIX, SOCIO_PRO, dimension_means
from planner.piis.tables import AnswerScale, Instrument, Measurement, Outcome, Piis
from planner.volunteering import queries as volunteering

# -- instruments ------------------------------------------------------------------------------------------------


def _instrument(row: dict, scale: dict | None, language: str) -> dict:
    domains = json.loads(row["domains"])
    levels = json.loads(scale["levels"]) if scale else json.loads(row["levels"])
    return {"id": row["id"], "code": row["code"], "organisation": row["organisation"],
            "builtin": row["organisation"] is None, "name": label(json.loads(row["names"]), language),
            "kind": row["scale"], "low": row["low"], "high": row["high"], "progress_rule": row["progress_rule"],
            "domains": [{"code": d["code"], "name": label(d["names"], language), "dimension": d.get("dimension", "")}
                        for d in domains] or [{"code": SINGLE, "name": "", "dimension": ""}],
            "levels": [{"level": lv["level"], "name": label(lv["names"], language)} for lv in levels],
            "scale": scale and {"id": scale["id"], "name": label(json.loads(scale["names"]), language)}}


async def instruments_for(organisation_id: int, language: str) -> list[dict]:
    """The instruments a CPAS may use: the built-in ones, then its own, by name."""
    rows = await Instrument.select().where(Instrument.organisation.is_null()
                                           | (Instrument.organisation == organisation_id))
    scales = {s["id"]: s for s in await AnswerScale.select().where(
        AnswerScale.id.is_in([r["answer_scale"] for r in rows if r["answer_scale"]] or [0]))}
    found = [_instrument(r, scales.get(r["answer_scale"]), language) for r in rows]
    return sorted(found, key=lambda i: (not i["builtin"], i["name"].casefold()))


async def instrument_for(organisation_id: int, instrument_id: int | None, language: str) -> dict | None:
    """One instrument the CPAS may use, or None (another CPAS's own instrument is not one)."""
    row = await Instrument.select().where(Instrument.id == (instrument_id or 0)).first()
    if row is None or row["organisation"] not in (None, organisation_id):
        return None
    scale = await AnswerScale.select().where(AnswerScale.id == (row["answer_scale"] or 0)).first()
    return _instrument(row, scale, language)


async def scales_for(organisation_id: int, language: str) -> list[dict]:
    """The answer scales a CPAS may pick: the built-in ones and its own, with their levels' labels."""
    rows = await AnswerScale.select().where(AnswerScale.organisation.is_null()
                                            | (AnswerScale.organisation == organisation_id)).order_by(AnswerScale.id)
    return [{"id": s["id"], "organisation": s["organisation"], "name": label(json.loads(s["names"]), language),
             "low": s["low"], "high": s["high"],
             "levels": [label(lv["names"], language) for lv in json.loads(s["levels"])]} for s in rows]


# -- a person's measurements and progress -------------------------------------------------------------------------

async def measurements_of(person_id: int, instrument_id: int | None = None) -> list[dict]:
    query = Measurement.select(Measurement.id, Measurement.instrument, Measurement.measured_on, Measurement.context,
                               Measurement.scores).where(Measurement.beneficiary == person_id)
    if instrument_id is not None:
        query = query.where(Measurement.instrument == instrument_id)
    return [{**m, "scores": json.loads(m["scores"])} for m in await query.order_by(Measurement.measured_on)
            .order_by(Measurement.id)]


def _scale_bounds(instrument: dict) -> tuple[int, int]:
    """What one measurement's figure ranges over: a level, a matrix's sum over its domains, a mean."""
    if instrument["kind"] == MATRIX:
        n = len(instrument["domains"])
        return instrument["low"] * n, instrument["high"] * n
    return instrument["low"], instrument["high"]


async def person_progress(organisation_id: int, person_id: int, year: int, language: str) -> list[dict]:
    """Per instrument the person was measured with: its measurements (oldest first), the chart of their
    figures, and §4.3's progress in `year` (flags, primary category)."""
    rows = await measurements_of(person_id)
    volunteered = bool(await volunteering.started_in_year([person_id], year))  # §4.3 E2c
    referred = bool(await referred_in_year([person_id], year))  # §4.3 E2a
    result = []
    for instrument_id in dict.fromkeys(m["instrument"] for m in rows):
        instrument = await instrument_for(organisation_id, instrument_id, language)
        if instrument is None:
            continue
        points = series([(m["id"], m["measured_on"], m["context"], m["scores"]) for m in rows
                         if m["instrument"] == instrument_id], instrument["kind"])
        low, high = _scale_bounds(instrument)
        dimensions = {d["code"]: d["dimension"] for d in instrument["domains"] if d["dimension"]}
        means = [dict(dimension_means(p.scores, dimensions)) for p in points]  # §5.3: a questionnaire's dimensions
        result.append({"instrument": instrument, "points": points, "means": means,
                       "dimensions": list(dict.fromkeys(dimensions.values())), "chart": chart([p.value for p in points], low, high),
                       "progress": progress_in_year(points, year, instrument["kind"], instrument["progress_rule"],
                                                    instrument["code"] if instrument["builtin"] else "",
                                                    referred_to_isp=referred, volunteering_started=volunteered)})
    return result


async def person_piis(person_id: int) -> list[dict]:
    """The person's signed and ended PIIS, newest first, with the outcome of an ended one."""
    rows = await Piis.select(Piis.id, Piis.status, Piis.starts_on, Piis.ends_on, Piis.signed_on, Piis.version).where(
        (Piis.beneficiary == person_id) & Piis.status.is_in(["signed", "ended"])).order_by(Piis.id, ascending=False)
    outcomes = {o["piis"]: o for o in await Outcome.select().where(Outcome.piis.is_in([r["id"] for r in rows] or [0]))}
    return [{**r, "outcome": outcomes.get(r["id"])} for r in rows]


async def referred_in_year(person_ids: Iterable[int], year: int) -> set[int]:
    """Those of these people whose trajectory ended in `year` on a socio-professional path (an Outcome flag
    SOCIO_PRO): §4.3 E2a's "referral to a socio-professional programme", which the app records there."""
    rows = await Outcome.select(Outcome.piis.beneficiary.as_alias("person"), Outcome.flags).where(
        Outcome.piis.beneficiary.is_in(list(person_ids) or [0]) & (Outcome.ended_on >= dt.date(year, 1, 1))
        & (Outcome.ended_on <= dt.date(year, 12, 31)))
    return {r["person"] for r in rows if SOCIO_PRO in (r["flags"] or "").split(",")}


async def ladder_counts(organisation_id: int, year: int, person_ids: Iterable[int]) -> tuple[int, int]:
    """§6.4 / E2 for these people on the participation ladder in `year`: (progressed, reached level 4 or more)."""
    ladder = await Instrument.select(Instrument.id).where(
        Instrument.organisation.is_null() & (Instrument.code == "participation_ladder")).first()
    if ladder is None:
        return 0, 0
    rows = await Measurement.select(Measurement.id, Measurement.beneficiary, Measurement.measured_on,
                                    Measurement.context, Measurement.scores).where(
        (Measurement.organisation == organisation_id) & (Measurement.instrument == ladder["id"])
        & Measurement.beneficiary.is_in(list(person_ids) or [0]))
    by_person: dict[int, list] = {}
    for m in rows:
        by_person.setdefault(m["beneficiary"], []).append(
            (m["id"], m["measured_on"], m["context"], json.loads(m["scores"])))
    progressed = reached = 0
    for measured in by_person.values():
        points = series(measured, "ordinal")
        if progress_in_year(points, year, "ordinal", "sum", "participation_ladder").progressed:
            progressed += 1
            reached += reached_unpaid_work(points, year)
    return progressed, reached


# -- the attestation of attendance --------------------------------------------------------------------------------

async def cpas_of(organisation_id: int) -> dict:
    """The CPAS's row, whose name and address sign an attestation."""
    return await Organisation.select().where(Organisation.id == organisation_id).first()


async def attestation(person_id: int, first: dt.date, last: dt.date, now: dt.datetime) -> dict:
    """The modules a person took part in from `first` to `last`: per module its title, the sessions attended and
    the hours there (attendance/figures.py, as every figure of the app), and the totals. Sessions after `now`
    are not counted."""
    enrolments = await Enrolment.select(Enrolment.module, Enrolment.beneficiary, Enrolment.start_date,
                                        Enrolment.end_date, Enrolment.module.title, Enrolment.module.code).where(
        (Enrolment.beneficiary == person_id) & Enrolment.status.is_in(list(ON_ROLL)))
    module_ids = sorted({e["module"] for e in enrolments})
    sessions = await Session.select(Session.id, Session.module, Session.day, Session.starts_at, Session.ends_at,
                                    Session.status).where(
        Session.module.is_in(module_ids or [0]) & (Session.day >= first) & (Session.day <= last)
    ).order_by(Session.day).order_by(Session.starts_at)
    slots = slots_by_module(sessions)
    marks = await Mark.select(Mark.session, Mark.status, Mark.arrived_at, Mark.left_at, Mark.reason).where(
        (Mark.beneficiary == person_id) & Mark.session.is_in([s["id"] for s in sessions] or [0]))
    facts = {person_id: [MarkFact(m["session"], m["status"], m["arrived_at"], m["left_at"], m["reason"])
                         for m in marks]}
    titles = {e["module"]: (e["module.code"], e["module.title"]) for e in enrolments}
    rows = []
    for e, participant in participants(enrolments, facts):
        module_slots = slots.get(e["module"], [])
        figures = participant_figures(module_slots, participant, now)
        attended = figures.present + figures.late + figures.left_early
        if not attended:
            continue
        days = [s.day for s in module_slots if any(m.session == s.id and m.status in ATTENDED
                                                   for m in participant.marks)]
        rows.append({"code": titles[e["module"]][0], "title": titles[e["module"]][1], "attended": attended,
                     "hours": figures.hours_attended, "first": min(days), "last": max(days)})
    rows.sort(key=lambda r: (r["first"], r["title"]))
    return {"rows": rows, "attended": sum(r["attended"] for r in rows),
            "hours": round(sum(r["hours"] for r in rows), 2)}
