"""The roll of a session on a tablet: one tap a person, each tap saved at once; everyone present, the
rest absent (and their undo), a remark per person, close and reopen. Every action may come late from the
tablet's queue (offline). Over 300 lines: the queue's answers (STORED/REFUSED) and the checks every
action shares live here once, private to this screen."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import get, post
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template
from litestar.utils.scope.state import ScopeState

from planner.attendance import actions, queries
from planner.attendance.access import ROLL_TAKERS, get_roll_for_user
from planner.attendance.labels import mark_label
from planner.attendance.rules import (
    EXCUSE_REASONS, STATUSES, Tap, clean_remark, roll_not_open, roll_opens_on, tap_problems, tap_time_problems,
)
from planner.auth.access import COORDINATORS
from planner.i18n import format_date, format_time, wall_clock_now
from planner.i18n import gettext as _
from planner.i18n import ngettext
from planner.names import display_name
from planner.web import error_page, flash, form_id, form_int, form_time, page, redirect, text



def _context(session: dict, module: dict, manage: bool, people: list[dict], **extra) -> dict:
    counts = {status: sum(1 for p in people if p["mark"] and p["mark"]["status"] == status) for status in STATUSES}
    return {"session": session, "module": module, "manage": manage, "people": people, "counts": counts,
            "unmarked": sum(1 for p in people if not p["mark"] or not p["mark"]["status"]),
            "statuses": STATUSES, "reasons": EXCUSE_REASONS, "errors": {}, "failed": None, "typed": {},
            "saved": False, **extra}


async def _roll_page(request: HTMXRequest, session_id: int, status_code: int = 200, **extra) -> Template:
    session, module, manage, _person = await get_roll_for_user(request.user, session_id)
    people = await queries.roll_people(session)
    return page(request, "attendance/roll.html", _context(session, module, manage, people,
                                                          trial=await queries.trial_candidates(session, people),
                                                          too_early=_too_early(request, session),
                                                          bulk_done=_bulk_done(request, session_id), **extra),
                block="roll", status_code=status_code)


def _too_early(request: HTMXRequest, session: dict) -> str:
    """The translated refusal of a tap on a later session's roll (rules.roll_not_open), "" when it may be taken."""
    days_ahead = request.app.state.settings.roll_days_ahead
    if not roll_not_open(session["day"], wall_clock_now().date(), days_ahead):
        return ""
    return _("This session is on %(day)s: its roll can be taken from %(opens)s.",
             day=format_date(session["day"], "full"), opens=format_date(roll_opens_on(session["day"], days_ahead), "full"))


async def _early_refusal(request: HTMXRequest, session: dict, client_id: str) -> Response | None:
    """409 for a tap or a bulk action on a roll not open yet: the message for htmx and the queue (which drops
    the action: it can never be applied), the roll with its warning for a plain form. None when open."""
    message = _too_early(request, session)
    if not message:
        return None
    if request.htmx or _queued(request):
        return _answer(client_id, Response(content=message, status_code=409, media_type="text/plain"), stored=False)
    return await _roll_page(request, session["id"], status_code=409)


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
                             status_code=status_code, media_type="text/html")


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
    session, _module, manage, person = await get_roll_for_user(request.user, session_id, person_id)
    if person is None:
        return _refused(request, client_id, NotFoundException())
    if session["roll_closed_at"] and not manage:
        return _refused(request, client_id, PermissionDeniedException())
    if early := await _early_refusal(request, session, client_id):
        return early
    received = dt.datetime.now(dt.timezone.utc)
    walk_in = not person["on_roll"]
    status = text(form, "status")
    if text(form, "default_time") and status in ("late", "left_early"):
        # The row's "Late" / "Left early" button without JavaScript: now, on the wall clock. roll.js sends the
        # tablet's own time instead, which stays right when the tap waits offline.
        field = "arrived_at" if status == "late" else "left_at"
        form = {**{k: v for k, v in form.items()}, field: text(form, field) or wall_clock_now().strftime("%H:%M")}
    the_tap = Tap(client_id=client_id, person_id=person_id, status=status,
                  device_time=_device_time(text(form, "device_time"), received), received_at=received,
                  reason=text(form, "reason") if status == "excused" else "",
                  arrived_at=form_time(text(form, "arrived_at")) if status == "late" else None,
                  left_at=form_time(text(form, "left_at")) if status == "left_early" else None)
    problems = {k: _(v) for k, v in tap_problems(the_tap).items()}
    if not text(form, "default_time"):  # a typed time; the button's own time is the moment of the tap
        times = {"start": format_time(session["starts_at"]), "end": format_time(session["ends_at"])}
        problems = {**{k: _(v, **times) for k, v in tap_time_problems(
            the_tap, session["starts_at"], session["ends_at"]).items()}, **problems}
    if problems:
        # The mark stays as it was; the facilitator sees why where they typed, with what they typed.
        typed = {"status": status if status in STATUSES else "", "reason": the_tap.reason,
                 "arrived_at": text(form, "arrived_at", 5), "left_at": text(form, "left_at", 5)}
        if not (request.htmx or _queued(request)):
            return await _roll_page(request, session_id, status_code=422, errors=problems, failed=person_id,
                                    typed=typed)
        person["mark"] = await queries.current_mark(session_id, person_id) if person["marked"] else None
        return _answer(client_id, _row(request, {
            "session": session, "manage": manage, "person": person, "too_early": "", "statuses": STATUSES,
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
        "session": session, "manage": manage, "person": person, "too_early": "", "statuses": STATUSES, "reasons": EXCUSE_REASONS,
        "errors": {}, "failed": None, "typed": {}, "saved": True}))


async def _bulk(request: HTMXRequest, session_id: int, status: str, action: str) -> Response:
    """Everyone present / the rest absent: those not marked yet get the status; taps already made stay."""
    form = await request.form()
    client_id = _client_id(form)
    session, _module, manage, _person = await get_roll_for_user(request.user, session_id)
    if session["roll_closed_at"] and not manage:
        return _refused(request, client_id, PermissionDeniedException())
    if early := await _early_refusal(request, session, client_id):
        return early
    received = dt.datetime.now(dt.timezone.utc)
    unmarked = [p["id"] for p in await queries.roll_people(session) if not (p["mark"] and p["mark"]["status"])]
    await actions.mark_all(session_id, unmarked, status, action, client_id, request.user.id,
                           request.headers.get("x-device", "browser"),
                           _device_time(text(form, "device_time"), received), received)
    if _queued(request):
        return _answer(client_id, Response(content=b"", status_code=204))
    if unmarked:
        # Without JavaScript: the roll shows the count and an undo button (a form naming this action) once.
        request.set_session({**request.session, UNDO: {"session": session_id, "of": client_id,
                                                       "count": len(unmarked), "status": status}})
    else:
        flash(request, _("Everyone already has a mark."))
    return redirect(request, f"/roll/{session_id}")


UNDO = "roll_undo"  # the session's key for the last bulk action of a plain form, until the roll shows it


def _bulk_done(request: HTMXRequest, session_id: int) -> dict | None:
    """The last bulk action of a plain form on this roll, taken from the session once: {"of": its client id,
    "message": "3 people marked absent."}; None when there is none (or it was on another roll)."""
    if request.htmx or not request.scope.get("session") or UNDO not in request.session:
        return None
    done = request.session[UNDO]
    request.set_session({k: v for k, v in request.session.items() if k != UNDO})
    if not isinstance(done, dict) or done.get("session") != session_id:
        return None
    count = int(done.get("count") or 0)
    if done.get("status") == "present":
        message = ngettext("%(num)s person marked present.", "%(num)s people marked present.", count)
    else:
        message = ngettext("%(num)s person marked absent.", "%(num)s people marked absent.", count)
    return {"of": str(done.get("of", "")), "message": message}


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
    session, _module, manage, _person = await get_roll_for_user(request.user, session_id)
    problem: dict[str, str] = {}
    guests = form_int(form, "guests", 0, MAX_GUESTS, problem)  # None when left empty: as it was
    if problem:
        if _queued(request):
            return _answer(client_id, Response(content=problem, status_code=422), stored=False)
        return await _roll_page(request, session_id, status_code=422, errors=problem)
    if early := await _early_refusal(request, session, client_id):
        return early
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
    _session, _module, manage, _person = await get_roll_for_user(request.user, session_id)
    if not manage:
        return _refused(request, client_id, PermissionDeniedException())
    await actions.reopen_roll(session_id, request.user.id, client_id)
    if _queued(request):
        return _answer(client_id, Response(content=b"", status_code=204))
    flash(request, _("The roll is open again."))
    return redirect(request, f"/roll/{session_id}")



@post("/roll/{session_id:int}/undo", guards=[ROLL_TAKERS], status_code=200)
async def undo(request: HTMXRequest, session_id: FromPath[int]) -> Response:
    """Undo "everyone present" / "the rest absent" (form field `of`: that action's client id): the people
    it marked and nobody tapped since are not marked again. 404 when `of` is no such action of this roll."""
    form = await request.form()
    client_id = _client_id(form)
    session, _module, manage, _person = await get_roll_for_user(request.user, session_id)
    if session["roll_closed_at"] and not manage:
        return _refused(request, client_id, PermissionDeniedException())
    of = str(form.get("of", "") or "")
    received = dt.datetime.now(dt.timezone.utc)
    cleared = None
    if CLIENT_ID.fullmatch(of):
        cleared = await actions.undo_bulk(session_id, of, client_id, request.user.id,
                                          request.headers.get("x-device", "browser"),
                                          _device_time(text(form, "device_time"), received), received)
    if cleared is None:
        return _refused(request, client_id, NotFoundException())
    if _queued(request):
        return _answer(client_id, Response(content=b"", status_code=204))
    flash(request, ngettext("%(num)s mark undone.", "%(num)s marks undone.", cleared))
    return redirect(request, f"/roll/{session_id}")


@post("/roll/{session_id:int}/remarks", guards=[ROLL_TAKERS], status_code=200)
async def remark(request: HTMXRequest, session_id: FromPath[int]) -> Response:
    """A free remark on one person of the roll (at most 500 characters; empty clears it); the remark
    typed last wins. 204 for the tablet's queue, 303 back to the roll for a plain form."""
    form = await request.form()
    client_id = _client_id(form)
    person_id = form_id(form, "person")
    session, _module, manage, person = await get_roll_for_user(request.user, session_id, person_id)
    if person is None:
        return _refused(request, client_id, NotFoundException())
    if session["roll_closed_at"] and not manage:
        return _refused(request, client_id, PermissionDeniedException())
    received = dt.datetime.now(dt.timezone.utc)
    await actions.save_remark(session_id, person_id, clean_remark(str(form.get("remark", "") or "")), request.user.id,
                              _device_time(text(form, "device_time"), received), received)
    if _queued(request):
        return _answer(client_id, Response(content=b"", status_code=204))
    flash(request, _("%(name)s: remark saved.", name=display_name(person["first_name"], person["last_name"])))
    return redirect(request, f"/roll/{session_id}")
