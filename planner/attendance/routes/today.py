"""Today: the sessions a facilitator leads today and this week; for a coordinator, their CPAS's rolls live and
the rolls still not recorded."""

from __future__ import annotations

import datetime as dt

from litestar import get
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from planner.attendance import queries
from planner.attendance.access import ROLL_TAKERS
from planner.auth.rules import Role
from planner.i18n import wall_clock_now
from planner.web import page


@get("/today", guards=[ROLL_TAKERS])
async def today(request: HTMXRequest) -> Template:
    """The sessions this person leads today and in the rest of the week; for a coordinator, today's rolls of their
    CPAS live and, on the whole page, the rolls of their modules still not recorded."""
    now = wall_clock_now()
    day = now.date()
    sessions = await queries.led_sessions(request.user.id, day, day + dt.timedelta(days=6))
    return page(request, "attendance/today.html", {
        "today_sessions": [s for s in sessions if s["day"] == day],
        "week_sessions": [s for s in sessions if s["day"] != day], "day": day,
        "live": await _live(request, day), "unrecorded": await _unrecorded(request, now)}, block="live")


async def _unrecorded(request: HTMXRequest, now: dt.datetime) -> list[dict] | None:
    """The coordinator's modules with rolls not recorded and how many; None for others, and for the live
    block's polling, which does not show them."""
    coordinated = request.user.organisations(Role.COORDINATOR)
    if not coordinated or (request.htmx and not request.htmx.history_restore_request):
        return None
    return await queries.modules_with_unrecorded_rolls(coordinated, now)


async def _live(request: HTMXRequest, day: dt.date) -> list[dict]:
    """For coordinators: today's sessions of their CPAS with the marks so far (the page polls every 5 s)."""
    coordinated = request.user.organisations(Role.COORDINATOR)
    if not coordinated:
        return []
    return await queries.live_rolls(coordinated, day)
