"""The facilitator's day and the roll of a session: one tap a person, each tap saved at once."""

from __future__ import annotations

import datetime as dt
import secrets

from litestar import Router, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner.attendance import actions
from planner.attendance.figures import unrecorded_rolls, wall_clock_now
from planner.attendance.rules import ATTENDED, EXCUSE_REASONS, STATUSES, Tap, tap_problems
from planner.attendance.tables import Mark
from planner.auth.access import requires
from planner.auth.rules import Role
from planner.db import fetch
from planner.enrolment.tables import Enrolment
from planner.i18n import gettext as _
from planner.modules.access import can_manage
from planner.modules.tables import Module, ModuleFacilitator, Session
from planner.names import list_name, person_sort_key
from planner.web import flash, form_id, form_int, form_time, page, redirect, text

ROLL_TAKERS = requires(Role.FACILITATOR, Role.PARTNER_FACILITATOR, Role.COORDINATOR)
COORDINATORS = requires(Role.COORDINATOR)


@get("/today", guards=[ROLL_TAKERS])
async def today(request: HTMXRequest) -> Template:
    """The sessions this person leads today and in the rest of the week; for a coordinator, today's rolls of their
    CPAS live and, on the whole page, the rolls of their modules still not recorded."""
    now = wall_clock_now()
    day = now.date()
    led = [r["module"] for r in await ModuleFacilitator.select(ModuleFacilitator.module).where(
        ModuleFacilitator.user == request.user.id)]
    sessions = await Session.select(
        Session.id, Session.day, Session.starts_at, Session.ends_at, Session.status, Session.roll_closed_at,
        Session.room.name, Session.module.title, Session.module.code,
    ).where(Session.module.is_in(led or [0]) & (Session.day >= day) & (Session.day <= day + dt.timedelta(days=6))
            ).order_by(Session.day).order_by(Session.starts_at)
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
    modules = await Module.select(Module.id, Module.title, Module.code).where(
        Module.organisation.is_in(list(coordinated)) | Module.cluster.is_in(list(coordinated))).order_by(Module.title)
    counts = await unrecorded_rolls([m["id"] for m in modules], now)
    return [{**m, "count": counts[m["id"]]} for m in modules if m["id"] in counts]


async def _live(request: HTMXRequest, day: dt.date) -> list[dict]:
    """For coordinators: today's sessions of their CPAS with the marks so far (the page polls every 5 s)."""
    coordinated = request.user.organisations(Role.COORDINATOR)
    if not coordinated:
        return []
    modules = [m["id"] for m in await Module.select(Module.id).where(
        Module.organisation.is_in(list(coordinated)) | Module.cluster.is_in(list(coordinated)))]
    sessions = await Session.select(Session.id, Session.module, Session.starts_at, Session.status, Session.roll_closed_at,
                                    Session.module.title, Session.module.code).where(
        Session.module.is_in(modules or [0]) & (Session.day == day)).order_by(Session.starts_at)
    marks = await Mark.select(Mark.session, Mark.status).where(Mark.session.is_in([s["id"] for s in sessions] or [0]))
    enrolled = await Enrolment.select(Enrolment.module, Enrolment.start_date, Enrolment.end_date).where(
        Enrolment.module.is_in(modules or [0]) & Enrolment.status.is_in(["enrolled", "ended"]))
    for s in sessions:
        s["here"] = sum(1 for m in marks if m["session"] == s["id"] and m["status"] in ATTENDED)
        s["marked"] = sum(1 for m in marks if m["session"] == s["id"] and m["status"])
        s["expected"] = sum(1 for e in enrolled if e["module"] == s["module"]
                            and (e["start_date"] is None or e["start_date"] <= day)
                            and (e["end_date"] is None or e["end_date"] >= day))
    return sessions


# Session, module and "does this person lead it" in one query. A tap adds the tapped person's row
# to the same query (TAPPED_PERSON): on the roll that day, already marked (an earlier walk-in), or
# allowed to come for a trial (proposed or waitlisted); so a tap never loads the whole roster.
ROLL_ACCESS = (
    'SELECT s.id, s.module, s.day, s.starts_at, s.ends_at, s.status, s.roll_closed_at, s.guests, '
    'm.organisation, m.cluster, m.title, m.code, '
    'EXISTS (SELECT 1 FROM module_facilitator f WHERE f.module = s.module AND f."user" = {}) AS leads%s '
    'FROM module_session s JOIN module m ON m.id = s.module%s WHERE s.id = {}')
TAPPED_PERSON = (
    ", b.first_name, b.last_name, "
    "EXISTS (SELECT 1 FROM enrolment e WHERE e.module = s.module AND e.beneficiary = b.id "
    "AND e.status IN ('enrolled', 'ended') AND (e.start_date IS NULL OR e.start_date <= s.day) "
    "AND (e.end_date IS NULL OR e.end_date >= s.day)) AS on_roll, "
    "EXISTS (SELECT 1 FROM mark k WHERE k.session = s.id AND k.beneficiary = b.id) AS marked, "
    "EXISTS (SELECT 1 FROM enrolment e WHERE e.module = s.module AND e.beneficiary = b.id "
    "AND e.status IN ('proposed', 'waitlisted')) AS trial",
    " LEFT JOIN beneficiary b ON b.id = {}")
SESSION_KEYS = ("id", "module", "day", "starts_at", "ends_at", "status", "roll_closed_at", "guests")


async def get_session_for_roll(request: HTMXRequest, session_id: int, person_id: int | None = None,
                               ) -> tuple[dict, dict, bool, dict | None]:
    """A session whose roll this person may take: they lead the module, or coordinate it. Else 404.
    With person_id, also that person's row (None when they may not be on this roll)."""
    if person_id is None:
        rows = await fetch(ROLL_ACCESS % ("", ""), request.user.id, session_id)
    else:
        rows = await fetch(ROLL_ACCESS % TAPPED_PERSON, request.user.id, person_id, session_id)
    if not rows:
        raise NotFoundException()
    row = rows[0]
    module = {"id": row["module"], "organisation": row["organisation"], "cluster": row["cluster"],
              "title": row["title"], "code": row["code"]}
    manage = can_manage(request.user, module)
    if not manage and not row["leads"]:
        raise NotFoundException()
    person = None
    if person_id is not None and row["first_name"] is not None and (row["on_roll"] or row["marked"] or row["trial"]):
        person = {"id": person_id, "first_name": row["first_name"], "last_name": row["last_name"],
                  "on_roll": bool(row["on_roll"]), "marked": bool(row["marked"])}
    return {k: row[k] for k in SESSION_KEYS}, module, manage, person


async def _people(session: dict) -> list[dict]:
    """Only those enrolled on that day, plus walk-ins who already have a mark."""
    day = session["day"]
    enrolled = await Enrolment.select(
        Enrolment.beneficiary, Enrolment.beneficiary.first_name, Enrolment.beneficiary.last_name,
        Enrolment.start_date, Enrolment.end_date,
    ).where((Enrolment.module == session["module"]) & Enrolment.status.is_in(["enrolled", "ended"]))
    marks = {m["beneficiary"]: m for m in await Mark.select(
        Mark.beneficiary, Mark.status, Mark.reason, Mark.arrived_at, Mark.left_at, Mark.walk_in,
        Mark.beneficiary.first_name, Mark.beneficiary.last_name).where(Mark.session == session["id"])}
    people = []
    for e in enrolled:
        if (e["start_date"] is None or e["start_date"] <= day) and (e["end_date"] is None or e["end_date"] >= day):
            people.append({"id": e["beneficiary"], "first_name": e["beneficiary.first_name"],
                           "last_name": e["beneficiary.last_name"], "mark": marks.pop(e["beneficiary"], None)})
    for person_id, m in marks.items():
        people.append({"id": person_id, "first_name": m["beneficiary.first_name"],
                       "last_name": m["beneficiary.last_name"], "mark": m})
    return sorted(people, key=lambda p: person_sort_key(p["last_name"], p["first_name"]))


async def _trial_candidates(session: dict, people: list[dict]) -> list[dict]:
    """People proposed or waiting for this module may come for a trial session (walk-in); nobody else,
    so a facilitator never browses the CPAS's files."""
    rows = await Enrolment.select(Enrolment.beneficiary, Enrolment.beneficiary.first_name,
                                  Enrolment.beneficiary.last_name).where(
        (Enrolment.module == session["module"]) & Enrolment.status.is_in(["proposed", "waitlisted"]))
    on_roll = {p["id"] for p in people}
    return [{"id": r["beneficiary"], "name": list_name(r["beneficiary.first_name"], r["beneficiary.last_name"])}
            for r in sorted(rows, key=lambda r: person_sort_key(r["beneficiary.last_name"],
                                                                r["beneficiary.first_name"]))
            if r["beneficiary"] not in on_roll]


def _context(session: dict, module: dict, manage: bool, people: list[dict], **extra) -> dict:
    counts = {status: sum(1 for p in people if p["mark"] and p["mark"]["status"] == status) for status in STATUSES}
    return {"session": session, "module": module, "manage": manage, "people": people, "counts": counts,
            "unmarked": sum(1 for p in people if not p["mark"] or not p["mark"]["status"]),
            "statuses": STATUSES, "reasons": EXCUSE_REASONS, "errors": {}, "saved": False, **extra}


@get("/roll/{session_id:int}", guards=[ROLL_TAKERS])
async def roll(request: HTMXRequest, session_id: FromPath[int]) -> Template:
    session, module, manage, _ = await get_session_for_roll(request, session_id)
    people = await _people(session)
    return page(request, "attendance/roll.html", _context(session, module, manage, people,
                                                          trial=await _trial_candidates(session, people)),
                block="roll")


def _device_time(value: str, received: dt.datetime) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return received
    # A tablet clock far in the future would win every later correction: trust it only within minutes.
    return min(parsed if parsed.tzinfo else received, received + dt.timedelta(minutes=5))


@post("/roll/{session_id:int}/taps", guards=[ROLL_TAKERS], status_code=200)
async def tap(request: HTMXRequest, session_id: FromPath[int]) -> Response | Template:
    form = await request.form()
    person_id = form_id(form, "person")
    session, _module, manage, person = await get_session_for_roll(request, session_id, person_id)
    if session["roll_closed_at"] and not manage:
        raise PermissionDeniedException()
    if person is None:
        raise NotFoundException()
    received = dt.datetime.now(dt.timezone.utc)
    walk_in = not person["on_roll"]
    status = text(form, "status")
    the_tap = Tap(client_id=text(form, "client_id", 64) or secrets.token_hex(16), person_id=person_id, status=status,
                  device_time=_device_time(text(form, "device_time"), received), received_at=received,
                  reason=text(form, "reason") if status == "excused" else "",
                  arrived_at=form_time(text(form, "arrived_at")) if status == "late" else None,
                  left_at=form_time(text(form, "left_at")) if status == "left_early" else None)
    problems = {k: _(v) for k, v in tap_problems(the_tap).items()}
    if not problems:
        person["mark"] = await actions.record_tap(session_id, the_tap, request.user.id,
                                                  request.headers.get("x-device", "browser"), walk_in=walk_in)
    else:
        person["mark"] = await actions.current_mark(session_id, person_id) if person["marked"] else None
    if walk_in and not request.htmx:
        return redirect(request, f"/roll/{session_id}")
    return page(request, "attendance/roll.html", {
        "session": session, "manage": manage, "person": person, "statuses": STATUSES, "reasons": EXCUSE_REASONS,
        "errors": problems, "saved": not problems}, block="person", status_code=422 if problems else 200)


async def _bulk(request: HTMXRequest, session_id: int, status: str, only_unmarked: bool) -> Response:
    session, module, manage, _ = await get_session_for_roll(request, session_id)
    if session["roll_closed_at"] and not manage:
        raise PermissionDeniedException()
    received = dt.datetime.now(dt.timezone.utc)
    for person in await _people(session):
        if only_unmarked and person["mark"] and person["mark"]["status"]:
            continue
        await actions.record_tap(session_id, Tap(secrets.token_hex(16), person["id"], status, received, received),
                                 request.user.id, request.headers.get("x-device", "browser"))
    return redirect(request, f"/roll/{session_id}")


@post("/roll/{session_id:int}/everyone-present", guards=[ROLL_TAKERS], status_code=200)
async def everyone_present(request: HTMXRequest, session_id: FromPath[int]) -> Response:
    return await _bulk(request, session_id, "present", only_unmarked=True)


@post("/roll/{session_id:int}/rest-absent", guards=[ROLL_TAKERS], status_code=200)
async def rest_absent(request: HTMXRequest, session_id: FromPath[int]) -> Response:
    return await _bulk(request, session_id, "unexcused", only_unmarked=True)


@post("/roll/{session_id:int}/close", guards=[ROLL_TAKERS], status_code=200)
async def close(request: HTMXRequest, session_id: FromPath[int]) -> Response:
    session, module, manage, _person = await get_session_for_roll(request, session_id)
    form = await request.form()
    guests = form_int(form, "guests", 0, 999, {})
    if guests is not None:
        await actions.set_guests(session_id, guests)
    await actions.close_roll(session_id, request.user.id)
    flash(request, _("The roll is closed."))
    return redirect(request, "/today")


@post("/roll/{session_id:int}/reopen", guards=[COORDINATORS], status_code=200)
async def reopen(request: HTMXRequest, session_id: FromPath[int]) -> Response:
    session, module, manage, _person = await get_session_for_roll(request, session_id)
    if not manage:
        raise PermissionDeniedException()
    await actions.reopen_roll(session_id)
    flash(request, _("The roll is open again."))
    return redirect(request, f"/roll/{session_id}")


router = Router(path="/", route_handlers=[today, roll, tap, everyone_present, rest_absent, close, reopen])
