"""Attendance figures of a module, per participant: the queries around the pure rules."""

from __future__ import annotations

import datetime as dt

from litestar import Router, get
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from planner.attendance.rules import Mark as MarkFact
from planner.attendance.rules import SessionSlot, module_figures, participant_figures, unexcused_streak
from planner.attendance.tables import Mark
from planner.auth.access import requires
from planner.auth.rules import Role
from planner.enrolment.tables import Enrolment
from planner.modules.access import STAFF_ROLES, can_manage, get_module_for_user, is_facilitator
from planner.modules.tables import Session
from planner.people.access import file_organisations
from planner.web import page

VIEWERS = requires(*STAFF_ROLES, Role.PARTNER_FACILITATOR)


@get("/modules/{module_id:int}/attendance", guards=[VIEWERS])
async def attendance_figures(request: HTMXRequest, module_id: FromPath[int]) -> Template:
    module = await get_module_for_user(request.user, module_id)
    sees_everyone = can_manage(request.user, module) or await is_facilitator(request.user, module_id)
    today = dt.date.today()
    sessions = await Session.select(Session.id, Session.day, Session.starts_at, Session.ends_at, Session.status).where(
        Session.module == module_id)
    # Only sessions that took place count: future sessions are not absences yet.
    slots = [SessionSlot(s["day"], s["starts_at"], s["ends_at"], held=s["status"] != "cancelled")
             for s in sessions if s["day"] <= today]
    day_of = {s["id"]: s["day"] for s in sessions}
    enrolments = await Enrolment.select(
        Enrolment.beneficiary, Enrolment.organisation, Enrolment.start_date, Enrolment.end_date,
        Enrolment.beneficiary.first_name, Enrolment.beneficiary.last_name,
    ).where((Enrolment.module == module_id) & Enrolment.status.is_in(["enrolled", "ended"]))
    own = set(file_organisations(request.user))
    visible = [e for e in enrolments if sees_everyone or e["organisation"] in own]
    marks: dict[int, list[MarkFact]] = {}
    for m in await Mark.select(Mark.session, Mark.beneficiary, Mark.status, Mark.arrived_at, Mark.left_at,
                               Mark.reason).where(Mark.session.is_in(list(day_of) or [0])):
        marks.setdefault(m["beneficiary"], []).append(
            MarkFact(day_of[m["session"]], m["status"], m["arrived_at"], m["left_at"], m["reason"]))
    rows = []
    for e in sorted(visible, key=lambda e: (e["beneficiary.last_name"].lower(), e["beneficiary.first_name"].lower())):
        own_marks = marks.get(e["beneficiary"], [])
        rows.append({"name": f'{e["beneficiary.last_name"]}, {e["beneficiary.first_name"]}',
                     "figures": participant_figures(slots, own_marks, e["start_date"] or dt.date.min, e["end_date"]),
                     "streak": unexcused_streak(sorted(own_marks, key=lambda m: m.day))})
    return page(request, "attendance/figures.html", {
        "module": module, "rows": rows, "total": module_figures([r["figures"] for r in rows]),
        "held": sum(1 for s in slots if s.held), "cancelled": sum(1 for s in slots if not s.held)})


router = Router(path="/", route_handlers=[attendance_figures])
