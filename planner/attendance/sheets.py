"""Printable attendance sheets (A4) for signatures, in the CPAS's language: the evidence inspectors ask for."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from litestar import Router, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from planner import i18n
from planner.attendance.figures import wall_clock_now
from planner.attendance.routes import ROLL_TAKERS, _people, get_session_for_roll
from planner.attendance.tables import Mark
from planner.enrolment.tables import Enrolment
from planner.modules.access import can_manage, get_module_for_user, is_facilitator
from planner.modules.tables import Session
from planner.names import list_name, person_sort_key
from planner.orgs.access import name_of
from planner.orgs.rules import REGION_LANGUAGE
from planner.orgs.tables import Organisation
from planner.web import form_date, page



async def _in_cpas_language(module: dict) -> dict:
    organiser = await Organisation.select().where(Organisation.id == module["organisation"]).first()
    i18n.set_language(REGION_LANGUAGE.get(organiser["region"], "fr"))
    return {"organiser": name_of(organiser), "address": f'{organiser["street"]}, {organiser["postcode"]} {organiser["city"]}'}


@get("/roll/{session_id:int}/sheet", guards=[ROLL_TAKERS])
async def session_sheet(request: HTMXRequest, session_id: FromPath[int]) -> Template:
    session, module, _manage, _ = await get_session_for_roll(request, session_id)
    people = await _people(session)
    return page(request, "attendance/sheet.html", {"session": session, "module": module, "people": people,
                                                  **await _in_cpas_language(module)})


@get("/modules/{module_id:int}/sheet", guards=[ROLL_TAKERS])
async def month_sheet(request: HTMXRequest, module_id: FromPath[int], month: FromQuery[str] = "") -> Template:
    module = await get_module_for_user(request.user, module_id)
    if not can_manage(request.user, module) and not await is_facilitator(request.user, module_id):
        raise NotFoundException()
    this_month = wall_clock_now().date().replace(day=1)
    first = form_date(f"{month}-01") or this_month
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    sessions = await Session.select(Session.id, Session.day, Session.starts_at, Session.status).where(
        (Session.module == module_id) & (Session.day >= first) & (Session.day <= last)
    ).order_by(Session.day).order_by(Session.starts_at)
    # one column per session: a day with two sessions has two columns, told apart by their start
    per_day = Counter(s["day"] for s in sessions)
    for s in sessions:
        s["shared_day"] = per_day[s["day"]] > 1
    enrolments = await Enrolment.select(
        Enrolment.beneficiary, Enrolment.start_date, Enrolment.end_date, Enrolment.beneficiary.first_name,
        Enrolment.beneficiary.last_name).where((Enrolment.module == module_id)
                                               & Enrolment.status.is_in(["enrolled", "ended"]))
    marks = {(m["session"], m["beneficiary"]): m["status"] for m in await Mark.select(
        Mark.session, Mark.beneficiary, Mark.status).where(Mark.session.is_in([s["id"] for s in sessions] or [0]))}
    periods: dict[int, list[dict]] = {}  # one row a person, enrolled again after an end included
    for e in enrolments:
        if not ((e["start_date"] or first) > last or (e["end_date"] and e["end_date"] < first)):
            periods.setdefault(e["beneficiary"], []).append(e)

    def enrolled(person: list[dict], day: dt.date) -> bool:
        return any((e["start_date"] is None or e["start_date"] <= day)
                   and (e["end_date"] is None or e["end_date"] >= day) for e in person)

    rows = []
    for person in sorted(periods.values(), key=lambda p: person_sort_key(p[0]["beneficiary.last_name"],
                                                                         p[0]["beneficiary.first_name"])):
        e = person[0]
        cells = [marks.get((s["id"], e["beneficiary"]), "") if enrolled(person, s["day"]) else None for s in sessions]
        rows.append({"name": list_name(e["beneficiary.first_name"], e["beneficiary.last_name"]), "cells": cells})
    return page(request, "attendance/month_sheet.html", {
        "module": module, "sessions": sessions, "rows": rows, "month": first, **await _in_cpas_language(module)})


router = Router(path="/", route_handlers=[session_sheet, month_sheet])
