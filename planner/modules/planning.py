"""The planning view: a week or a month of every visible session, filterable by ids only."""

from __future__ import annotations

import calendar
import datetime as dt

from litestar import Router, get
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from planner import i18n
from planner.auth.access import requires
from planner.auth.rules import Role
from planner.auth.tables import User
from planner.i18n import format_time
from planner.modules.access import STAFF_ROLES, visible_module_ids
from planner.modules.tables import Module, ModuleFacilitator, ModulePartner, Session
from planner.names import person_sort_key
from planner.orgs.access import name_of
from planner.orgs.tables import Organisation, Room
from planner.web import form_date, page, parse_id

VIEWERS = requires(*STAFF_ROLES, Role.PARTNER_FACILITATOR)


def period(view: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week, or of the whole weeks that cover the month."""
    if view == "month":
        first = day.replace(day=1)
        last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        return first - dt.timedelta(days=first.weekday()), last + dt.timedelta(days=6 - last.weekday())
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def shift(view: str, day: dt.date, step: int) -> dt.date:
    if view == "month":
        month = day.month - 1 + step
        return dt.date(day.year + month // 12, month % 12 + 1, 1)
    return day + dt.timedelta(weeks=step)


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
    view = view if view in ("week", "month") else "week"
    anchor = form_date(day) or i18n.today()
    first, last = period(view, anchor)
    visible = await visible_module_ids(request.user)
    filters = {"module": _id(module), "room": _id(room), "facilitator": _id(facilitator), "partner": _id(partner)}
    modules = set(visible)
    if filters["module"]:
        modules &= {filters["module"]}
    if filters["facilitator"]:
        modules &= {r["module"] for r in await ModuleFacilitator.select(ModuleFacilitator.module).where(
            ModuleFacilitator.user == filters["facilitator"])}
    if filters["partner"]:
        modules &= {r["module"] for r in await ModulePartner.select(ModulePartner.module).where(
            ModulePartner.partner == filters["partner"])}
    # No joins: titles and room names come from the filter lists, and labels are built here once,
    # because a busy month holds thousands of sessions (bench/planning.py).
    query = Session.select(Session.module, Session.day, Session.starts_at, Session.status, Session.room).where(
        (Session.day >= first) & (Session.day <= last) & Session.module.is_in(sorted(modules) or [0]))
    if filters["room"]:
        query = query.where(Session.room == filters["room"])
    sessions = await query.order_by(Session.day).order_by(Session.starts_at)
    choices = await _filter_choices(visible)
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


async def _filter_choices(visible: list[int]) -> dict:
    modules = await Module.select(Module.id, Module.title, Module.code, Module.organisation).where(
        Module.id.is_in(visible)).order_by(Module.title)
    orgs = {m["organisation"] for m in modules}
    rooms = await Room.select(Room.id, Room.name, Room.site.name).where(
        Room.organisation.is_in(sorted(orgs) or [0])).order_by(Room.name)
    team = await ModuleFacilitator.select(ModuleFacilitator.user).where(ModuleFacilitator.module.is_in(visible))
    users = await User.select(User.id, User.full_name).where(
        User.id.is_in(sorted({t["user"] for t in team}) or [0])).order_by(User.id)
    users.sort(key=lambda u: person_sort_key(u["full_name"], ""))  # as every list of people (planner/names.py)
    links = await ModulePartner.select(ModulePartner.partner).where(ModulePartner.module.is_in(visible))
    partners = await Organisation.select().where(Organisation.id.is_in(sorted({p["partner"] for p in links}) or [0]))
    return {"module_choices": modules, "room_choices": rooms, "facilitator_choices": users,
            "partner_choices": sorted(({"id": p["id"], "name": name_of(p)} for p in partners),
                                      key=lambda p: p["name"].lower())}


router = Router(path="/", route_handlers=[planning])
