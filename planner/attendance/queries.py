"""Reads for the attendance pages: the day's sessions, a roll's people, the figures and the sheets.

Rows are dicts as Piccolo returns them; days and times are Brussels wall-clock (naive), as sessions are
planned."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from planner.attendance.figures import (
    Mark as MarkFact, SessionSlot, module_figures, participant_figures, participants, unexcused_streak,
    slots_by_module, unrecorded_sessions, wall_clock,
)
from planner.attendance.rules import ATTENDED, ON_ROLL, STATUSES
from planner.attendance.tables import Mark, MarkRemark
from planner.db import fetch
from planner.enrolment.tables import Enrolment
from planner.modules.tables import Module, ModuleFacilitator, Session
from planner.names import list_name, person_sort_key
from planner.orgs.tables import Organisation

TRIAL = ("proposed", "waitlisted")  # may come for a trial session, as a walk-in


def _enrolled_on(e: dict, day: dt.date) -> bool:
    return (e["start_date"] is None or e["start_date"] <= day) and (e["end_date"] is None or e["end_date"] >= day)


# -- the day ----------------------------------------------------------------------------------------------------

async def led_sessions(user_id: int, first: dt.date, last: dt.date) -> list[dict]:
    """The sessions of the modules this person leads from `first` to `last` (both included), in the order
    they take place, with their module (id), its title and code, and their room's name."""
    led = [r["module"] for r in await ModuleFacilitator.select(ModuleFacilitator.module).where(
        ModuleFacilitator.user == user_id)]
    return await Session.select(
        Session.id, Session.module, Session.day, Session.starts_at, Session.ends_at, Session.status, Session.roll_closed_at,
        Session.room.name, Session.module.title, Session.module.code,
    ).where(Session.module.is_in(led or [0]) & (Session.day >= first) & (Session.day <= last)
            ).order_by(Session.day).order_by(Session.starts_at)


def _modules_of(organisations: set[int]):
    return Module.organisation.is_in(list(organisations)) | Module.cluster.is_in(list(organisations))


async def live_rolls(organisations: set[int], day: dt.date) -> list[dict]:
    """Sessions on `day` of the modules these CPAS organise or share, each with here (attended), marked
    and expected (on the roll that day) counts."""
    modules = [m["id"] for m in await Module.select(Module.id).where(_modules_of(organisations))]
    sessions = await Session.select(Session.id, Session.module, Session.starts_at, Session.status, Session.roll_closed_at,
                                    Session.module.title, Session.module.code).where(
        Session.module.is_in(modules or [0]) & (Session.day == day)).order_by(Session.starts_at)
    marks = await Mark.select(Mark.session, Mark.status).where(Mark.session.is_in([s["id"] for s in sessions] or [0]))
    enrolled = await Enrolment.select(Enrolment.module, Enrolment.start_date, Enrolment.end_date).where(
        Enrolment.module.is_in(modules or [0]) & Enrolment.status.is_in(list(ON_ROLL)))
    for s in sessions:
        s["here"] = sum(1 for m in marks if m["session"] == s["id"] and m["status"] in ATTENDED)
        s["marked"] = sum(1 for m in marks if m["session"] == s["id"] and m["status"])
        s["expected"] = sum(1 for e in enrolled if e["module"] == s["module"] and _enrolled_on(e, day))
    return sessions


async def modules_with_unrecorded_rolls(organisations: set[int], now: dt.datetime) -> list[dict]:
    """The modules of these CPAS (id, title, code) by title, each with count: its rolls not recorded by `now`."""
    modules = await Module.select(Module.id, Module.title, Module.code).where(
        _modules_of(organisations)).order_by(Module.title)
    counts = await unrecorded_rolls([m["id"] for m in modules], now)
    return [{**m, "count": counts[m["id"]]} for m in modules if m["id"] in counts]


# Hand-written (ARCHITECTURE.md, "where a bench shows it pays"): the desk's count. bench/desk.py, 60 modules over
# two years (6,360 sessions, 250,000 marks): counting in Python over every session, mark and enrolment read took
# 3,081 ms median on SQLite, this count 330 ms (load average 12: compare the ratio).
# The same rows as unrecorded_rolls(): held sessions of these CPAS's (or clusters') modules started by now, where
# someone on the roll that day (an enrolment ON_ROLL whose period holds the day) has no mark with a STATUS.
UNRECORDED_SQL = """
SELECT COUNT(*) AS n FROM module_session s JOIN module m ON m.id = s.module
WHERE (m.organisation IN ({orgs}) OR m.cluster IN ({orgs})) AND s.status <> 'cancelled'
  AND (s.day < {{}} OR (s.day = {{}} AND s.starts_at <= {{}}))
  AND EXISTS (SELECT 1 FROM enrolment e
              WHERE e.module = s.module AND e.status IN ({on_roll})
                AND (e.start_date IS NULL OR e.start_date <= s.day) AND (e.end_date IS NULL OR e.end_date >= s.day)
                AND NOT EXISTS (SELECT 1 FROM mark k WHERE k.session = s.id AND k.beneficiary = e.beneficiary
                                AND k.status IN ({statuses})))"""


async def count_unrecorded_rolls(organisations: set[int], now: dt.datetime) -> int:
    """How many rolls of these CPAS's modules wait by `now` (Brussels wall-clock, or aware): the sum of
    modules_with_unrecorded_rolls()'s counts, counted by the database."""
    if not organisations:
        return 0
    clock = wall_clock(now)
    orgs = sorted(organisations)
    sql = UNRECORDED_SQL.format(orgs=", ".join("{}" for _ in orgs), on_roll=", ".join("{}" for _ in ON_ROLL),
                                statuses=", ".join("{}" for _ in STATUSES))
    # placeholders in the order they stand: the CPAS twice, the clock, the enrolment statuses, the mark statuses
    rows = await fetch(sql, *orgs, *orgs, clock.date(), clock.date(), clock.time(), *ON_ROLL, *STATUSES)
    return int(rows[0]["n"])


# -- a roll -----------------------------------------------------------------------------------------------------

async def roll_people(session: dict) -> list[dict]:
    """Only those enrolled on that day, plus walk-ins who already have a mark, in reader order: each
    {id, first_name, last_name, mark} where mark is None or {beneficiary, status, reason, arrived_at,
    left_at, walk_in, ...}."""
    day = session["day"]
    enrolled = await Enrolment.select(
        Enrolment.beneficiary, Enrolment.beneficiary.first_name, Enrolment.beneficiary.last_name,
        Enrolment.start_date, Enrolment.end_date,
    ).where((Enrolment.module == session["module"]) & Enrolment.status.is_in(list(ON_ROLL)))
    marks = {m["beneficiary"]: m for m in await Mark.select(
        Mark.beneficiary, Mark.status, Mark.reason, Mark.arrived_at, Mark.left_at, Mark.walk_in,
        Mark.beneficiary.first_name, Mark.beneficiary.last_name).where(Mark.session == session["id"])}
    people = []
    for e in enrolled:
        if _enrolled_on(e, day):
            people.append({"id": e["beneficiary"], "first_name": e["beneficiary.first_name"],
                           "last_name": e["beneficiary.last_name"], "mark": marks.pop(e["beneficiary"], None)})
    for person_id, m in marks.items():
        people.append({"id": person_id, "first_name": m["beneficiary.first_name"],
                       "last_name": m["beneficiary.last_name"], "mark": m})
    remarks = await session_remarks(session["id"])
    for person in people:
        person["remark"] = remarks.get(person["id"], "")  # the facilitator's remark, "" when none
    return sorted(people, key=lambda p: person_sort_key(p["last_name"], p["first_name"]))


async def session_remarks(session_id: int) -> dict[int, str]:
    """person id -> the facilitator's remark on them in that session (those with none left out)."""
    rows = await MarkRemark.select(MarkRemark.beneficiary, MarkRemark.remark).where(MarkRemark.session == session_id)
    return {r["beneficiary"]: r["remark"] for r in rows if r["remark"]}


async def trial_candidates(session: dict, people: list[dict]) -> list[dict]:
    """People proposed or waiting for this module may come for a trial session (walk-in); nobody else,
    so a facilitator never browses the CPAS's files. Each {id, name}, in reader order, those in `people` left out."""
    rows = await Enrolment.select(Enrolment.beneficiary, Enrolment.beneficiary.first_name,
                                  Enrolment.beneficiary.last_name).where(
        (Enrolment.module == session["module"]) & Enrolment.status.is_in(list(TRIAL)))
    on_roll = {p["id"] for p in people}
    return [{"id": r["beneficiary"], "name": list_name(r["beneficiary.first_name"], r["beneficiary.last_name"])}
            for r in sorted(rows, key=lambda r: person_sort_key(r["beneficiary.last_name"],
                                                                r["beneficiary.first_name"]))
            if r["beneficiary"] not in on_roll]


async def current_mark(session_id: int, person_id: int) -> dict | None:
    """The person's mark in that session (status, reason, arrived_at, left_at), None when they have none."""
    return await Mark.select(Mark.status, Mark.reason, Mark.arrived_at, Mark.left_at).where(
        (Mark.session == session_id) & (Mark.beneficiary == person_id)).first()


# -- figures ----------------------------------------------------------------------------------------------------

async def _slots(module_ids: Sequence[int], until: dt.date) -> dict[int, list[SessionSlot]]:
    """module id -> its sessions up to `until` (cancelled ones included), in the order they take place."""
    rows = await Session.select(Session.id, Session.module, Session.day, Session.starts_at, Session.ends_at,
                                Session.status).where(Session.module.is_in(list(module_ids) or [0])
                                                      & (Session.day <= until)
                                                      ).order_by(Session.day).order_by(Session.starts_at)
    return slots_by_module(rows)


async def _marks(session_ids: Sequence[int], details: bool = True) -> dict[int, list[MarkFact]]:
    """beneficiary id -> their marks in these sessions; without details, only the recorded ones' statuses."""
    columns = [Mark.session, Mark.beneficiary, Mark.status]
    if details:
        columns += [Mark.arrived_at, Mark.left_at, Mark.reason]
    query = Mark.select(*columns).where(Mark.session.is_in(list(session_ids) or [0]))
    if not details:
        query = query.where(Mark.status != "")
    marks: dict[int, list[MarkFact]] = {}
    for m in await query:
        marks.setdefault(m["beneficiary"], []).append(
            MarkFact(m["session"], m["status"], m.get("arrived_at"), m.get("left_at"), m.get("reason", "")))
    return marks


async def unrecorded_rolls(module_ids: Sequence[int], now: dt.datetime) -> dict[int, int]:
    """module id -> how many of its sessions that have started by `now` (Brussels wall-clock) wait for a mark
    for someone enrolled (figures.unrecorded_sessions); modules with none are left out."""
    slots = await _slots(module_ids, now.date())
    session_ids = [s.id for module in slots.values() for s in module if s.held and s.has_started(now)]
    marks = await _marks(session_ids, details=False)
    enrolments = await Enrolment.select(Enrolment.module, Enrolment.beneficiary, Enrolment.start_date,
                                        Enrolment.end_date).where(
        Enrolment.module.is_in(list(slots) or [0]) & Enrolment.status.is_in(list(ON_ROLL)))
    people: dict[int, list] = {}
    for e, participant in participants(enrolments, marks):
        people.setdefault(e["module"], []).append(participant)
    counts = {module: len(unrecorded_sessions(slots[module], people.get(module, []), now)) for module in slots}
    return {module: n for module, n in counts.items() if n}


async def module_attendance(module_id: int, organisations: set[int] | None, now: dt.datetime) -> dict:
    """The figures page of a module by `now`: rows (name, figures, streak, participant) in reader order, total,
    unrecorded (sessions to chase), held and cancelled (started sessions). organisations: only the people whose
    file these CPAS hold; None: everyone."""
    slots = (await _slots([module_id], now.date())).get(module_id, [])
    enrolments = await Enrolment.select(
        Enrolment.beneficiary, Enrolment.organisation, Enrolment.start_date, Enrolment.end_date,
        Enrolment.beneficiary.first_name, Enrolment.beneficiary.last_name,
    ).where((Enrolment.module == module_id) & Enrolment.status.is_in(list(ON_ROLL)))
    visible = [e for e in enrolments if organisations is None or e["organisation"] in organisations]
    marks = await _marks([s.id for s in slots])
    rows = []
    for e, participant in sorted(participants(visible, marks), key=lambda p: person_sort_key(
            p[0]["beneficiary.last_name"], p[0]["beneficiary.first_name"])):
        rows.append({"name": list_name(e["beneficiary.first_name"], e["beneficiary.last_name"]),
                     "figures": participant_figures(slots, participant, now),
                     "streak": unexcused_streak(slots, participant.marks), "participant": participant})
    started = [s for s in slots if s.has_started(now)]
    return {"rows": rows, "total": module_figures([r["figures"] for r in rows]),
            "unrecorded": unrecorded_sessions(slots, [r["participant"] for r in rows], now),
            "held": sum(1 for s in started if s.held), "cancelled": sum(1 for s in started if not s.held)}


# -- sheets -----------------------------------------------------------------------------------------------------

async def organiser_of(module: dict) -> dict:
    """The organising CPAS's row (Organisation, every column) of a module row."""
    return await Organisation.select().where(Organisation.id == module["organisation"]).first()


async def month_sheet(module_id: int, first: dt.date, last: dt.date) -> tuple[list[dict], list[dict]]:
    """(sessions, rows) of the monthly sheet from `first` to `last`: one column a session (shared_day: another
    session the same day, told apart by its start), one row a person enrolled at some point, in reader order,
    each {name, cells}: a cell is the mark's status ("" when none) or None when not enrolled that day."""
    sessions = await Session.select(Session.id, Session.day, Session.starts_at, Session.status).where(
        (Session.module == module_id) & (Session.day >= first) & (Session.day <= last)
    ).order_by(Session.day).order_by(Session.starts_at)
    per_day = Counter(s["day"] for s in sessions)
    for s in sessions:
        s["shared_day"] = per_day[s["day"]] > 1
    enrolments = await Enrolment.select(
        Enrolment.beneficiary, Enrolment.start_date, Enrolment.end_date, Enrolment.beneficiary.first_name,
        Enrolment.beneficiary.last_name).where((Enrolment.module == module_id)
                                               & Enrolment.status.is_in(list(ON_ROLL)))
    marks = {(m["session"], m["beneficiary"]): m["status"] for m in await Mark.select(
        Mark.session, Mark.beneficiary, Mark.status).where(Mark.session.is_in([s["id"] for s in sessions] or [0]))}
    periods: dict[int, list[dict]] = {}  # one row a person, enrolled again after an end included
    for e in enrolments:
        if not ((e["start_date"] or first) > last or (e["end_date"] and e["end_date"] < first)):
            periods.setdefault(e["beneficiary"], []).append(e)
    rows = []
    for person in sorted(periods.values(), key=lambda p: person_sort_key(p[0]["beneficiary.last_name"],
                                                                         p[0]["beneficiary.first_name"])):
        e = person[0]
        cells = [marks.get((s["id"], e["beneficiary"]), "") if any(_enrolled_on(p, s["day"]) for p in person)
                 else None for s in sessions]
        rows.append({"name": list_name(e["beneficiary.first_name"], e["beneficiary.last_name"]), "cells": cells})
    return sessions, rows
