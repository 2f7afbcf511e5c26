"""Attendance figures of a module, per participant, and the rolls still to record: the queries around the pure rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from litestar import Router, get
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from planner.attendance.rules import (
    BRUSSELS, Participant, SessionSlot, module_figures, participant_figures, unexcused_streak, unrecorded_sessions,
)
from planner.attendance.rules import Mark as MarkFact
from planner.attendance.tables import Mark
from planner.auth.access import requires
from planner.auth.rules import Role
from planner.enrolment.tables import Enrolment
from planner.modules.access import STAFF_ROLES, can_manage, get_module_for_user, is_facilitator
from planner.modules.tables import Session
from planner.names import list_name, person_sort_key
from planner.people.access import file_organisations
from planner.web import page

VIEWERS = requires(*STAFF_ROLES, Role.PARTNER_FACILITATOR)
ON_ROLL = ("enrolled", "ended")


def wall_clock_now() -> dt.datetime:
    """Now on the Brussels wall clock (naive), the clock sessions are planned on, whatever the server's zone."""
    return dt.datetime.now(BRUSSELS).replace(tzinfo=None)


async def _slots(module_ids: Sequence[int], until: dt.date) -> dict[int, list[SessionSlot]]:
    """module id -> its sessions up to `until` (cancelled ones included), in the order they take place."""
    rows = await Session.select(Session.id, Session.module, Session.day, Session.starts_at, Session.ends_at,
                                Session.status).where(Session.module.is_in(list(module_ids) or [0])
                                                      & (Session.day <= until)
                                                      ).order_by(Session.day).order_by(Session.starts_at)
    slots: dict[int, list[SessionSlot]] = {}
    for s in rows:
        slots.setdefault(s["module"], []).append(
            SessionSlot(s["id"], s["day"], s["starts_at"], s["ends_at"], held=s["status"] != "cancelled"))
    return slots


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


def _participants(enrolments: Sequence[dict], marks: dict[int, list[MarkFact]]) -> list[tuple[dict, Participant]]:
    """One participant per person and module, whatever their number of enrolments (ended, then enrolled
    again): (their latest enrolment, the participant with every period)."""
    periods: dict[tuple[int, int], list[dict]] = {}
    for e in sorted(enrolments, key=lambda e: e["start_date"] or dt.date.min):
        periods.setdefault((e.get("module", 0), e["beneficiary"]), []).append(e)
    return [(rows[-1], Participant(rows[0]["start_date"] or dt.date.min, rows[0]["end_date"],
                                   tuple(marks.get(rows[0]["beneficiary"], ())),
                                   tuple((r["start_date"] or dt.date.min, r["end_date"]) for r in rows[1:])))
            for rows in periods.values()]


async def unrecorded_rolls(module_ids: Sequence[int], now: dt.datetime) -> dict[int, int]:
    """module id -> how many of its sessions that have started by `now` (Brussels wall-clock) wait for a mark
    for someone enrolled (rules.unrecorded_sessions); modules with none are left out."""
    slots = await _slots(module_ids, now.date())
    session_ids = [s.id for module in slots.values() for s in module if s.held and s.has_started(now)]
    marks = await _marks(session_ids, details=False)
    enrolments = await Enrolment.select(Enrolment.module, Enrolment.beneficiary, Enrolment.start_date,
                                        Enrolment.end_date).where(
        Enrolment.module.is_in(list(slots) or [0]) & Enrolment.status.is_in(list(ON_ROLL)))
    people: dict[int, list[Participant]] = {}
    for e, participant in _participants(enrolments, marks):
        people.setdefault(e["module"], []).append(participant)
    counts = {module: len(unrecorded_sessions(slots[module], people.get(module, []), now)) for module in slots}
    return {module: n for module, n in counts.items() if n}


@get("/modules/{module_id:int}/attendance", guards=[VIEWERS])
async def attendance_figures(request: HTMXRequest, module_id: FromPath[int]) -> Template:
    """Per person: expected sessions (held, started, while enrolled), each mark, not recorded, hours, rate over the
    recorded sessions; and the sessions whose roll still waits for a mark, to chase."""
    module = await get_module_for_user(request.user, module_id)
    sees_everyone = can_manage(request.user, module) or await is_facilitator(request.user, module_id)
    now = wall_clock_now()
    slots = (await _slots([module_id], now.date())).get(module_id, [])
    enrolments = await Enrolment.select(
        Enrolment.beneficiary, Enrolment.organisation, Enrolment.start_date, Enrolment.end_date,
        Enrolment.beneficiary.first_name, Enrolment.beneficiary.last_name,
    ).where((Enrolment.module == module_id) & Enrolment.status.is_in(list(ON_ROLL)))
    own = set(file_organisations(request.user))
    visible = [e for e in enrolments if sees_everyone or e["organisation"] in own]
    marks = await _marks([s.id for s in slots])
    rows = []
    for e, participant in sorted(_participants(visible, marks), key=lambda p: person_sort_key(
            p[0]["beneficiary.last_name"], p[0]["beneficiary.first_name"])):
        rows.append({"name": list_name(e["beneficiary.first_name"], e["beneficiary.last_name"]),
                     "figures": participant_figures(slots, participant, now),
                     "streak": unexcused_streak(slots, participant.marks), "participant": participant})
    started = [s for s in slots if s.has_started(now)]
    return page(request, "attendance/figures.html", {
        "module": module, "rows": rows, "total": module_figures([r["figures"] for r in rows]),
        "unrecorded": unrecorded_sessions(slots, [r["participant"] for r in rows], now),
        "can_take_roll": sees_everyone,  # the roll opens to whoever leads or coordinates the module
        "held": sum(1 for s in started if s.held), "cancelled": sum(1 for s in started if not s.held)})


router = Router(path="/", route_handlers=[attendance_figures])
