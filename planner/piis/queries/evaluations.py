"""Reads for the PIIS pages: the due list (and its counts without names), an evaluation with the register's
evidence since the last one, the CPAS's cadence, the evaluations a social worker's calendar shows.

A few queries per page, never one per session or per person: the due list of a CPAS with 5,000 PIIS and the
evaluation screen of two years of marks stay under 100 ms (bench/piis.py)."""

from __future__ import annotations

import datetime as dt
import json

from piccolo.query.functions.aggregate import Max

from planner.attendance.figures import Mark as MarkFact
from planner.attendance.figures import Participant, slots_by_module
from planner.attendance.tables import Mark
from planner.modules.tables import Session
from planner.people.tables import Beneficiary
from planner.piis.law import law_on
from planner.piis.rules import (
    DUE_WITHIN_DAYS, LATE, MANDATORY, YEARLY, Done, cadence_of, check_year, days_left, due_state,
    ending_soon, evidence_since, obligation, silent_too_long,
)
from planner.piis.tables import Evaluation, Piis, PiisCommitment, PiisFile, PiisObjective, PiisPolicy
from planner.volunteering import queries as volunteering

GROUPS = ("late", "needs_piis", "due", "ending", "silent")  # the due list's groups, most urgent first
PERSON = (Piis.beneficiary.first_name, Piis.beneficiary.last_name, Piis.beneficiary.file_reference)


def _person(row: dict, prefix: str = "beneficiary.") -> dict:
    return {"first_name": row[f"{prefix}first_name"], "last_name": row[f"{prefix}last_name"],
            "file_reference": row[f"{prefix}file_reference"]}


def _scope(table, organisations: set[int], worker: int | None):
    where = table.organisation.is_in(sorted(organisations) or [0])
    return where & (table.social_worker == worker) if worker is not None else where


def _date(value) -> dt.date:
    # SQLite gives an aggregate of a date column back as text (no column type to convert it with)
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


async def due_items(organisations: set[int], worker: int | None, today: dt.date) -> dict[str, list[dict]]:
    """The due list of a social worker (`worker`) or of every worker of these CPAS (None): GROUPS → items, each
    sorted by urgency. Items: {kind, piis or person id, evaluation id, day, days, number, person: names and file
    reference}. Four queries whatever the number of files."""
    groups: dict[str, list[dict]] = {g: [] for g in GROUPS}
    horizon = today + dt.timedelta(days=DUE_WITHIN_DAYS)
    open_ = Evaluation.select(
        Evaluation.id, Evaluation.piis, Evaluation.number, Evaluation.planned_on, Evaluation.kind,
        *(getattr(Evaluation.piis.beneficiary, c) for c in ("first_name", "last_name", "file_reference")),
    ).where(Evaluation.piis.organisation.is_in(sorted(organisations) or [0]) & (Evaluation.piis.status == "signed")
            & Evaluation.held_on.is_null() & (Evaluation.planned_on <= horizon))
    if worker is not None:
        open_ = open_.where(Evaluation.piis.social_worker == worker)
    open_ = await open_
    for e in open_:
        state = due_state(e["planned_on"], today)
        item = {"piis": e["piis"], "evaluation": e["id"], "number": e["number"], "day": e["planned_on"],
                "kind": e["kind"], "days": abs((e["planned_on"] - today).days),
                "person": _person(e, "piis.beneficiary.")}
        groups["late" if state == LATE else "due"].append(item)
    running = await Piis.select(Piis.id, Piis.signed_on, Piis.ends_on, *PERSON).where(
        _scope(Piis, organisations, worker) & (Piis.status == "signed"))
    last_held = {r["piis"]: _date(r["last"]) for r in await Evaluation.select(
        Evaluation.piis, Max(Evaluation.held_on, alias="last")).where(
        Evaluation.piis.is_in(Piis.select(Piis.id).where(_scope(Piis, organisations, worker)
                                                         & (Piis.status == "signed")))
        & Evaluation.held_on.is_not_null()).group_by(Evaluation.piis)}
    for p in running:
        if p["ends_on"] is not None and ending_soon(p["ends_on"], today):
            groups["ending"].append({"piis": p["id"], "day": p["ends_on"], "days": (p["ends_on"] - today).days,
                                     "person": _person(p)})
        last = last_held.get(p["id"])
        if p["signed_on"] is not None and silent_too_long(last, p["signed_on"], today):
            since = last or p["signed_on"]
            groups["silent"].append({"piis": p["id"], "day": since, "days": (today - since).days,
                                     "held": last is not None, "person": _person(p)})
    groups["needs_piis"] = await _needing_a_piis(organisations, worker, today)
    groups["late"].sort(key=lambda i: (i["day"], i["number"]))
    groups["due"].sort(key=lambda i: (i["day"], i["number"]))
    groups["ending"].sort(key=lambda i: i["day"])
    groups["silent"].sort(key=lambda i: i["day"])
    return groups


async def _needing_a_piis(organisations: set[int], worker: int | None, today: dt.date) -> list[dict]:
    """PIIS-01/-10: the people of these files whose RI decision makes a PIIS mandatory and who have none signed
    since that decision, with the days left (negative once late), fewest first."""
    files = await PiisFile.select(
        PiisFile.beneficiary, PiisFile.ri_granted_on, PiisFile.previous_ri_ended_on, PiisFile.part_time_top_up,
        PiisFile.exemption, PiisFile.beneficiary.status, PiisFile.beneficiary.birth_date,
        PiisFile.beneficiary.first_name, PiisFile.beneficiary.last_name, PiisFile.beneficiary.file_reference,
    ).where(_scope(PiisFile, organisations, worker) & PiisFile.ri_granted_on.is_not_null()
            & (PiisFile.exemption == "") & (PiisFile.beneficiary.status == "ri")
            # someone with a running PIIS needs no other: most files of a CPAS, left out in the database
            & PiisFile.beneficiary.not_in(Piis.select(Piis.beneficiary).where(
                Piis.organisation.is_in(sorted(organisations) or [0]) & (Piis.status == "signed"))))
    if not files:
        return []
    signed = await Piis.select(Piis.beneficiary, Piis.signed_on).where(
        Piis.beneficiary.is_in([f["beneficiary"] for f in files]) & Piis.status.is_in(["signed", "ended"]))
    latest: dict[int, dt.date] = {}
    for s in signed:
        if s["signed_on"] is not None:
            latest[s["beneficiary"]] = max(latest.get(s["beneficiary"], s["signed_on"]), s["signed_on"])
    items = []
    for f in files:
        granted = f["ri_granted_on"]
        if granted > today or latest.get(f["beneficiary"], dt.date.min) >= granted:
            continue
        found = obligation("ri", granted, f["previous_ri_ended_on"], f["part_time_top_up"], f["exemption"],
                           f["beneficiary.birth_date"], law_on(max(granted, dt.date(2016, 11, 1))))
        if found.kind == MANDATORY and found.deadline is not None:
            items.append({"person_id": f["beneficiary"], "day": found.deadline,
                          "days": days_left(found.deadline, today), "person": _person(f)})
    return sorted(items, key=lambda i: i["days"])


async def due_counts(organisation: int, today: dt.date) -> dict[str, int]:
    """The due list of the whole CPAS as numbers only (no names): what a coordinator may see."""
    groups = await due_items({organisation}, None, today)
    return {g: len(items) for g, items in groups.items()}


async def cadence(organisation: int) -> str:
    """The CPAS's evaluation cadence (PIIS-31), yearly when it never chose."""
    row = await PiisPolicy.select(PiisPolicy.cadence).where(PiisPolicy.organisation == organisation).first()
    return row["cadence"] if row else YEARLY


# -- the evaluation screen ---------------------------------------------------------------------------------------

async def evaluation_page(evaluation: dict, piis: dict, now: dt.datetime) -> dict:
    """What the evaluation screen shows: the person, the PIIS's objectives and evaluations, the evidence of each
    commitment since the previous evaluation held (or the signature) up to this one (held: its day; else now),
    and PIIS-30's findings for the year of this evaluation. `now` is Brussels wall-clock (naive)."""
    person = await Beneficiary.select(Beneficiary.id, Beneficiary.first_name, Beneficiary.last_name,
                                      Beneficiary.file_reference).where(Beneficiary.id == piis["beneficiary"]).first()
    objectives = await PiisObjective.select(PiisObjective.id, PiisObjective.title).where(
        PiisObjective.piis == piis["id"]).order_by(PiisObjective.position)
    evaluations = await Evaluation.select(
        Evaluation.id, Evaluation.number, Evaluation.planned_on, Evaluation.held_on, Evaluation.kind,
    ).where(Evaluation.piis == piis["id"]).order_by(Evaluation.number)
    before = [e["held_on"] for e in evaluations if e["held_on"] is not None and e["number"] < evaluation["number"]]
    signed_on = piis["signed_on"] or piis["starts_on"] or dt.date.min
    since = max(before) if before else signed_on - dt.timedelta(days=1)
    until = (dt.datetime.combine(evaluation["held_on"], dt.time(23, 59)) if evaluation["held_on"] is not None
             else now)
    law = law_on(max(signed_on, dt.date(2016, 11, 1)))
    year = (evaluation["held_on"] or evaluation["planned_on"]).year
    done = [Done(e["held_on"], e["kind"]) for e in evaluations if e["held_on"] is not None]
    findings = []
    if piis["starts_on"] and piis["ends_on"]:
        findings = check_year(done, cadence_of(YEARLY, law), year, max(piis["starts_on"], signed_on), piis["ends_on"])
    return {"person": person, "objectives": objectives, "evaluations": evaluations, "since": since,
            "until": until, "evidence": await commitment_evidence(piis, since, until), "findings": findings,
            "year": year, "statuses": json.loads(evaluation["objectives"] or "{}")}


async def commitment_evidence(piis: dict, since: dt.date, until: dt.datetime) -> list[dict]:
    """For each module written into the PIIS: {code, title, evidence, hours} over its sessions after `since` up
    to `until`; `hours` is a volunteering placement's {pending, approved, declined} minutes recorded for those
    days (issue 17), None for a module. Four queries: the commitments with their module, the sessions, the
    person's marks, the hours."""
    commitments = await PiisCommitment.select(
        PiisCommitment.enrolment, PiisCommitment.enrolment.module, PiisCommitment.enrolment.start_date,
        PiisCommitment.enrolment.end_date, PiisCommitment.enrolment.module.code,
        PiisCommitment.enrolment.module.title,
    ).where(PiisCommitment.piis == piis["id"]).order_by(PiisCommitment.id)
    modules = sorted({c["enrolment.module"] for c in commitments})
    if not modules:
        return []
    sessions = await Session.select(Session.id, Session.module, Session.day, Session.starts_at, Session.ends_at,
                                    Session.status).where(
        Session.module.is_in(modules) & (Session.day > since) & (Session.day <= until.date())
    ).order_by(Session.day).order_by(Session.starts_at)
    slots = slots_by_module(sessions)
    marks = await Mark.select(Mark.session, Mark.status, Mark.arrived_at, Mark.left_at, Mark.reason).where(
        (Mark.beneficiary == piis["beneficiary"]) & Mark.session.is_in([s["id"] for s in sessions] or [0]))
    facts = tuple(MarkFact(m["session"], m["status"], m["arrived_at"], m["left_at"], m["reason"]) for m in marks)
    hours = await volunteering.hours_by_module(piis["beneficiary"], modules, since, until.date())
    found = []
    for c in commitments:
        participant = Participant(c["enrolment.start_date"] or dt.date.min, c["enrolment.end_date"], facts)
        found.append({"enrolment": c["enrolment"], "code": c["enrolment.module.code"],
                      "title": c["enrolment.module.title"],
                      "evidence": evidence_since(slots.get(c["enrolment.module"], []), participant, since, until),
                      "hours": hours.get(c["enrolment.module"])})
    return found


# -- the social worker's calendar (read by planner/invites for the staff feed) ------------------------------------

async def calendar_evaluations(user_id: int) -> list[dict]:
    """The evaluations of the running PIIS this person follows, as their calendar shows them: {id, number, day,
    sequence, held, file_reference}; never the person's name (a calendar is read on phones and shared screens)."""
    rows = await Evaluation.select(
        Evaluation.id, Evaluation.number, Evaluation.planned_on, Evaluation.held_on, Evaluation.sequence,
        Evaluation.piis.beneficiary.file_reference,
    ).where((Evaluation.piis.social_worker == user_id) & (Evaluation.piis.status == "signed")).order_by(Evaluation.id)
    return [{"id": r["id"], "number": r["number"], "day": r["held_on"] or r["planned_on"],
             "held": r["held_on"] is not None, "sequence": r["sequence"],
             "file_reference": r["piis.beneficiary.file_reference"]} for r in rows]


async def objective_ids(piis_id: int) -> list[int]:
    return [o["id"] for o in await PiisObjective.select(PiisObjective.id).where(PiisObjective.piis == piis_id)]
