"""Printable attendance sheets (A4) for signatures, in the CPAS's language: the evidence inspectors ask for."""

from __future__ import annotations

import datetime as dt

from litestar import get
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from planner import i18n
from planner.attendance import queries
from planner.attendance.access import ROLL_TAKERS, get_module_for_roll_taker, get_roll_for_user
from planner.orgs.access import name_of
from planner.orgs.rules import REGION_LANGUAGE
from planner.web import form_date, page


async def _in_cpas_language(module: dict) -> dict:
    organiser = await queries.organiser_of(module)
    i18n.set_language(REGION_LANGUAGE.get(organiser["region"], "fr"))
    return {"organiser": name_of(organiser), "address": f'{organiser["street"]}, {organiser["postcode"]} {organiser["city"]}'}


@get("/roll/{session_id:int}/sheet", guards=[ROLL_TAKERS])
async def session_sheet(request: HTMXRequest, session_id: FromPath[int]) -> Template:
    session, module, _manage, _ = await get_roll_for_user(request.user, session_id)
    people = await queries.roll_people(session)
    return page(request, "attendance/sheet.html", {"session": session, "module": module, "people": people,
                                                  **await _in_cpas_language(module)})


@get("/modules/{module_id:int}/sheet", guards=[ROLL_TAKERS])
async def month_sheet(request: HTMXRequest, module_id: FromPath[int], month: FromQuery[str] = "") -> Template:
    module = await get_module_for_roll_taker(request.user, module_id)
    this_month = i18n.wall_clock_now().date().replace(day=1)
    first = form_date(f"{month}-01") or this_month
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    sessions, rows = await queries.month_sheet(module_id, first, last)
    return page(request, "attendance/month_sheet.html", {
        "module": module, "sessions": sessions, "rows": rows, "month": first, **await _in_cpas_language(module)})
