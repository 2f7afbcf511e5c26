"""The facilitator's day and the roll of a session: one tap a person, each tap saved at once."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Router, get, post
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template
from litestar.utils.scope.state import ScopeState

from planner.attendance import actions
from planner.attendance.figures import unrecorded_rolls, wall_clock_now
from planner.attendance.labels import mark_label
from planner.attendance.rules import ATTENDED, EXCUSE_REASONS, STATUSES, Tap, tap_problems
from planner.attendance.tables import Mark
from planner.auth.access import requires
from planner.auth.rules import Role
from planner.db import fetch
from planner.enrolment.tables import Enrolment
from planner.i18n import gettext as _
from planner.i18n import ngettext
from planner.modules.access import can_manage
from planner.modules.tables import Module, ModuleFacilitator, Session
from planner.names import display_name, list_name, person_sort_key
from planner.web import error_page, flash, form_id, form_int, form_time, page, redirect, text

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
            "statuses": STATUSES, "reasons": EXCUSE_REASONS, "errors": {}, "failed": None, "typed": {},
            "saved": False, **extra}


async def _roll_page(request: HTMXRequest, session_id: int, status_code: int = 200, **extra) -> Template:
    session, module, manage, _person = await get_session_for_roll(request, session_id)
    people = await _people(session)
    return page(request, "attendance/roll.html", _context(session, module, manage, people,
                                                          trial=await _trial_candidates(session, people), **extra),
                block="roll", status_code=status_code)


@get("/roll/{session_id:int}", guards=[ROLL_TAKERS])
async def roll(request: HTMXRequest, session_id: FromPath[int]) -> Template:
    return await _roll_page(request, session_id)


@get("/roll/csrf-token", guards=[ROLL_TAKERS], cache_control=CacheControlHeader(no_store=True))
async def csrf_token(request: HTMXRequest) -> dict:
    """A fresh CSRF token (and, if the browser lost it, its cookie) for the tablet's waiting taps: the page
    they were tapped on may come from the offline cache, with a token whose cookie is gone."""
    return {"token": ScopeState.from_scope(request.scope).csrf_token}


# ---- answers the tablet's queue can tell apart ----------------------------------------------------------
# roll.js sends every roll action it queued with QUEUED; it drops an action from its queue only when the
# answer names that action's client id in STORED (applied, or a replay of one applied) or REFUSED (can
# never be applied: a missing reason, a closed roll). Any other answer (a CSRF refusal, a sign-in
# needed, a busy database, a proxy's error page) leaves it waiting.
QUEUED = "x-planner-queue"
STORED = "X-Roll-Stored"
REFUSED = "X-Roll-Refused"
MAX_GUESTS = 999


def _queued(request: HTMXRequest) -> bool:
    return request.headers.get(QUEUED) == "1"


def _answer(client_id: str, response: Response, stored: bool = True) -> Response:
    response.headers[STORED if stored else REFUSED] = client_id
    return response


def _row(request: HTMXRequest, context: dict, status_code: int = 200) -> Template:
    """The tapped person's row alone: for htmx, and for the tablet's queue even without HX-Request."""
    if request.htmx:
        return page(request, "attendance/roll.html", context, block="person", status_code=status_code)
    return HTMXBlockTemplate(template_name="attendance/roll.html", block_name="person", context=context,
                             status_code=status_code, media_type="text/html; charset=utf-8")


def _refused(request: HTMXRequest, client_id: str, exc: Exception) -> Response:
    """A roll action that can never be applied: the error page, marked for the queue."""
    return _answer(client_id, error_page(request, exc), stored=False)


def _device_time(value: str, received: dt.datetime) -> dt.datetime:
    """When the tablet says it was tapped (aware), within bounds; the arrival time when it says nothing usable."""
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            return received
        parsed = parsed.astimezone(dt.timezone.utc)  # year 1 at +14:00 would not fit: OverflowError
    except (ValueError, OverflowError):
        return received
    # A tablet clock far in the future would win every later correction: trust it only within minutes.
    # One far in the past is as wrong; a tablet does not stay offline for a year.
    return min(max(parsed, received - dt.timedelta(days=366)), received + dt.timedelta(minutes=5))


CLIENT_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def _client_id(form) -> str:
    """The tablet's id of this action (a UUID from roll.js); a plain form has none and gets a random one.
    Anything else (NUL bytes, markup, 10,000 characters) is not an id we made: a random one as well."""
    value = str(form.get("client_id", "") or "")
    return value if CLIENT_ID.fullmatch(value) else secrets.token_hex(16)


@post("/roll/{session_id:int}/taps", guards=[ROLL_TAKERS], status_code=200)
async def tap(request: HTMXRequest, session_id: FromPath[int]) -> Response | Template:
    """One tap: 200 with the person's row (htmx, or the tablet's queue), 303 back to the roll for a plain
    form; a tap that breaks a rule answers 422 with the row, its "Other" panel open on the message."""
    form = await request.form()
    client_id = _client_id(form)
    person_id = form_id(form, "person")  # 0 when not an id: nobody, a 404 below
    session, _module, manage, person = await get_session_for_roll(request, session_id, person_id)
    if person is None:
        return _refused(request, client_id, NotFoundException())
    if session["roll_closed_at"] and not manage:
        return _refused(request, client_id, PermissionDeniedException())
    received = dt.datetime.now(dt.timezone.utc)
    walk_in = not person["on_roll"]
    status = text(form, "status")
    the_tap = Tap(client_id=client_id, person_id=person_id, status=status,
                  device_time=_device_time(text(form, "device_time"), received), received_at=received,
                  reason=text(form, "reason") if status == "excused" else "",
                  arrived_at=form_time(text(form, "arrived_at")) if status == "late" else None,
                  left_at=form_time(text(form, "left_at")) if status == "left_early" else None)
    problems = {k: _(v) for k, v in tap_problems(the_tap).items()}
    if problems:
        # The mark stays as it was; the facilitator sees why where they typed, with what they typed.
        typed = {"status": status if status in STATUSES else "", "reason": the_tap.reason,
                 "arrived_at": text(form, "arrived_at", 5), "left_at": text(form, "left_at", 5)}
        if not (request.htmx or _queued(request)):
            return await _roll_page(request, session_id, status_code=422, errors=problems, failed=person_id,
                                    typed=typed)
        person["mark"] = await actions.current_mark(session_id, person_id) if person["marked"] else None
        return _answer(client_id, _row(request, {
            "session": session, "manage": manage, "person": person, "statuses": STATUSES,
            "reasons": EXCUSE_REASONS, "errors": problems, "failed": person_id, "typed": typed, "saved": False,
        }, status_code=422), stored=False)
    person["mark"] = await actions.record_tap(session_id, the_tap, request.user.id,
                                              request.headers.get("x-device", "browser"), walk_in=walk_in)
    if not (request.htmx or _queued(request)):
        mark = mark_label(person["mark"]["status"]) if person["mark"] else _("not marked")
        flash(request, _("%(name)s: %(mark)s, saved.", name=display_name(person["first_name"], person["last_name"]),
                         mark=mark))
        return redirect(request, f"/roll/{session_id}")
    return _answer(client_id, _row(request, {
        "session": session, "manage": manage, "person": person, "statuses": STATUSES, "reasons": EXCUSE_REASONS,
        "errors": {}, "failed": None, "typed": {}, "saved": True}))


async def _bulk(request: HTMXRequest, session_id: int, status: str, action: str) -> Response:
    """Everyone present / the rest absent: those not marked yet get the status; taps already made stay."""
    form = await request.form()
    client_id = _client_id(form)
    session, _module, manage, _person = await get_session_for_roll(request, session_id)
    if session["roll_closed_at"] and not manage:
        return _refused(request, client_id, PermissionDeniedException())
    received = dt.datetime.now(dt.timezone.utc)
    unmarked = [p["id"] for p in await _people(session) if not (p["mark"] and p["mark"]["status"])]
    await actions.mark_all(session_id, unmarked, status, action, client_id, request.user.id,
                           request.headers.get("x-device", "browser"),
                           _device_time(text(form, "device_time"), received), received)
    if _queued(request):
        return _answer(client_id, Response(content=b"", status_code=204))
    flash(request, ngettext("%(num)s person marked.", "%(num)s people marked.", len(unmarked)))
    return redirect(request, f"/roll/{session_id}")


@post("/roll/{session_id:int}/everyone-present", guards=[ROLL_TAKERS], status_code=200)
async def everyone_present(request: HTMXRequest, session_id: FromPath[int]) -> Response:
    return await _bulk(request, session_id, "present", "everyone_present")


@post("/roll/{session_id:int}/rest-absent", guards=[ROLL_TAKERS], status_code=200)
async def rest_absent(request: HTMXRequest, session_id: FromPath[int]) -> Response:
    return await _bulk(request, session_id, "unexcused", "rest_absent")


@post("/roll/{session_id:int}/close", guards=[ROLL_TAKERS], status_code=200)
async def close(request: HTMXRequest, session_id: FromPath[int]) -> Response | Template:
    """Close the roll, with the number of participants who are not CPAS service users (0..999, or left
    as it was when empty); a wrong number answers 422 with the roll and the message at the field."""
    form = await request.form()
    client_id = _client_id(form)
    session, _module, manage, _person = await get_session_for_roll(request, session_id)
    problem: dict[str, str] = {}
    guests = form_int(form, "guests", 0, MAX_GUESTS, problem)  # None when left empty: as it was
    if problem:
        if _queued(request):
            return _answer(client_id, Response(content=problem, status_code=422), stored=False)
        return await _roll_page(request, session_id, status_code=422, errors=problem)
    if not (session["roll_closed_at"] and not manage):  # closing a closed roll again changes nothing
        await actions.close_roll(session_id, request.user.id, client_id, guests)
    if _queued(request):
        return _answer(client_id, Response(content=b"", status_code=204))
    flash(request, _("The roll is closed."))
    return redirect(request, "/today")


@post("/roll/{session_id:int}/reopen", guards=[COORDINATORS], status_code=200)
async def reopen(request: HTMXRequest, session_id: FromPath[int]) -> Response:
    form = await request.form()
    client_id = _client_id(form)
    _session, _module, manage, _person = await get_session_for_roll(request, session_id)
    if not manage:
        return _refused(request, client_id, PermissionDeniedException())
    await actions.reopen_roll(session_id, request.user.id, client_id)
    if _queued(request):
        return _answer(client_id, Response(content=b"", status_code=204))
    flash(request, _("The roll is open again."))
    return redirect(request, f"/roll/{session_id}")


router = Router(path="/", route_handlers=[today, roll, csrf_token, tap, everyone_present, rest_absent, close, reopen])
