"""The planning view: a week or a month of every visible session, filterable by ids only."""

from __future__ import annotations

import datetime as dt

from litestar import get
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from planner import i18n
from planner.i18n import format_time
from planner.modules import queries
from planner.modules.access import VIEWERS, visible_module_ids
from planner.modules.rules.planning import VIEWS, period, shift
from planner.web import form_date, page, parse_id


def _id(value: str | None) -> int | None:
    """A filter's id; empty is no filter, anything that is no id is a 404 like a path's."""
    if not value:
        return None
    if (number := parse_id(value)) is None:
        raise NotFoundException()
    return number


@get("/planning", guards=[VIEWERS])
async def planning(request: HTMXRequest, view: FromQuery[str] = "week", day: FromQuery[str] = "",
                   module: FromQuery[str] = "", room: FromQuery[str] = "", facilitator: FromQuery[str] = "",
                   partner: FromQuery[str] = "") -> Template:
    view = view if view in VIEWS else "week"
    anchor = form_date(day) or i18n.today()
    first, last = period(view, anchor)
    visible = await visible_module_ids(request.user)
    filters = {"module": _id(module), "room": _id(room), "facilitator": _id(facilitator), "partner": _id(partner)}
    sessions = await queries.planning_sessions(visible, filters, first, last)
    choices = await queries.filter_choices(visible)
    # Labels are built here once from the filter lists (no joins): a busy month holds thousands of sessions.
    titles = {m["id"]: m["code"] or m["title"] for m in choices["module_choices"]}
    rooms = {r["id"]: " · " + r["name"] for r in choices["room_choices"]}
    by_day: dict[dt.date, list[tuple]] = {}
    for s in sessions:
        label = f"{format_time(s['starts_at'])} {titles.get(s['module'], '')}{rooms.get(s['room'], '')}"
        by_day.setdefault(s["day"], []).append((s["module"], label, s["status"] == "cancelled"))
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return page(request, "modules/planning.html", {
        "view": view, "anchor": anchor, "days": days, "weeks": [days[i:i + 7] for i in range(0, len(days), 7)],
        "by_day": by_day, "filters": filters, "today": i18n.today(),
        "previous": shift(view, anchor, -1), "next": shift(view, anchor, 1), **choices,
    }, block="calendar")
