"""A module's sessions: generate the schedule from a recurrence, add, move, cancel and restore single sessions."""

from __future__ import annotations

import datetime as dt

from litestar import post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import current_language
from planner.i18n import gettext as _
from planner.modules import actions, queries
from planner.modules.access import COORDINATORS, get_managed_module, get_managed_session
from planner.modules.rules import Booking, find_conflicts, room_too_small
from planner.modules.rules.conflicts import group_conflicts
from planner.modules.rules.recurrence import (
    MAX_INTERVAL, Recurrence, day_off, earliest_single_day, plan_dates, recurrence_problems,
)
from planner.modules.tables import Session
from planner.web import (
    NO_SUCH_DATE, flash, form_date, form_int, form_text, form_time, page, parse_id, redirect, text, typed_no_date,
)


def _rule(form) -> tuple[Recurrence | None, dict[str, str], dict]:
    values = {k: text(form, k) for k in ("kind", "start", "end", "interval", "nth", "weekday", "starts_at", "ends_at",
                                         "room")}
    values["weekdays"] = [int(d) for d in form.getall("weekdays", []) if str(d) in ("0", "1", "2", "3", "4", "5", "6")]
    start, end = form_date(values["start"]), form_date(values["end"])
    starts_at, ends_at = form_time(values["starts_at"]), form_time(values["ends_at"])
    errors = {}
    if start is None:
        errors["start"] = _(NO_SUCH_DATE) if typed_no_date(values["start"]) else _("Give the first day.")
    if end is None:
        errors["end"] = _(NO_SUCH_DATE) if typed_no_date(values["end"]) else _("Give the last day.")
    if starts_at is None or ends_at is None:
        errors["starts_at"] = _("Give the start and end times.")
    interval = form_int(form, "interval", 1, MAX_INTERVAL, errors) or 1
    nth = form_int(form, "nth", -1, 4, errors) or 1
    weekday = form_int(form, "weekday", 0, 6, errors) or 0
    if errors:
        return None, errors, values
    rule = Recurrence(kind=values["kind"], start=start, end=end, starts_at=starts_at, ends_at=ends_at,
                      weekdays=tuple(values["weekdays"]),
                      interval=interval, nth=nth, weekday=weekday)
    return rule, {k: _(v) for k, v in recurrence_problems(rule).items()}, values


@post("/modules/{module_id:int}/schedule", guards=[COORDINATORS], status_code=200)
async def schedule(request: HTMXRequest, module_id: FromPath[int]) -> Response | Template:
    """Preview (dates, skipped days with their reason, conflicts) and, once confirmed, save."""
    module = await get_managed_module(request.user, module_id)
    form = await request.form()
    rule, errors, values = _rule(form)
    rooms = {r["id"]: r for r in await queries.rooms_of(module["organisation"])}
    room_id = parse_id(values["room"]) if parse_id(values["room"]) in rooms else None
    if values["room"] and room_id is None:  # an edited form: nothing is planned in another CPAS's room
        errors["room"] = _("Choose one of your CPAS's rooms.")
    if errors:
        return page(request, "modules/show.html",
                    await queries.module_page(request.user, module, schedule=values, errors=errors),
                    block="schedule", status_code=422)
    days, skipped = plan_dates(rule, await queries.region_of(module["organisation"]),
                               await queries.closures_of(module["organisation"]), current_language())
    team = await queries.team_of(module_id)
    planned = [Booking(None, module_id, d, rule.starts_at, rule.ends_at, room_id, frozenset(team)) for d in days]
    conflicts = find_conflicts(planned, await queries.bookings(rule.start, rule.end, {room_id} - {None}, team,
                                                               exclude_module=module_id))
    too_small = room_id is not None and room_too_small(rooms[room_id]["capacity"], module["capacity"])
    if text(form, "action") != "save" or (conflicts and form.get("accept_conflicts") != "1"):
        preview = {"days": days, "skipped": skipped, "conflicts": conflicts, "groups": group_conflicts(conflicts),
                   # saving was refused for want of the tick: the page says so next to the button
                   "tick_needed": text(form, "action") == "save" and bool(conflicts),
                   "titles": await queries.titles_of({c.other.module_id for c in conflicts}),
                   "users": await queries.names_of(team), "too_small": too_small, "room": rooms.get(room_id)}
        return page(request, "modules/show.html",
                    await queries.module_page(request.user, module, schedule=values, preview=preview),
                    block="schedule")
    created, deleted = await actions.save_schedule(module_id, rule, days, room_id)
    flash(request, _("%(created)s sessions added, %(deleted)s removed, %(skipped)s days skipped.",
                     created=created, deleted=deleted, skipped=len(skipped)))
    return redirect(request, f"/modules/{module_id}")


def _session_form(form) -> tuple[dt.date | None, dt.time | None, dt.time | None, str]:
    return (form_date(text(form, "day")), form_time(text(form, "starts_at")), form_time(text(form, "ends_at")),
            text(form, "room"))


def _times_message(form) -> str:
    """Why one session's day and times cannot be read: a typed day that does not exist, or what is missing."""
    if typed_no_date(text(form, "day")):
        return _(NO_SUCH_DATE)
    return _("Give a day, a start time and a later end time.")


async def _session_error(request: HTMXRequest, module: dict, message: str, added: dict | None = None,
                         moving: dict | None = None) -> Template:
    """The sessions block again with the message; what was typed ("add one session", or moving one
    session) is kept."""
    context = await queries.module_page(request.user, module, errors={"session": message}, added=added or {},
                                        moving=moving or {})
    return page(request, "modules/show.html", context, block="sessions", status_code=422)


async def _room_or_none(module: dict, value: str) -> int | None:
    rooms = {r["id"] for r in await queries.rooms_of(module["organisation"])}
    return parse_id(value) if parse_id(value) in rooms else None


@post("/modules/{module_id:int}/sessions", guards=[COORDINATORS], status_code=200)
async def add_session(request: HTMXRequest, module_id: FromPath[int]) -> Response | Template:
    module = await get_managed_module(request.user, module_id)
    form = await request.form()
    day, starts_at, ends_at, room = _session_form(form)
    if day is None or starts_at is None or ends_at is None or ends_at <= starts_at:
        typed = {k: text(form, k) for k in ("day", "starts_at", "ends_at", "room")}
        return await _session_error(request, module, _times_message(form), typed)
    typed = {k: text(form, k) for k in ("day", "starts_at", "ends_at", "room")}
    earliest = earliest_single_day(i18n.today())
    if day < earliest:
        return await _session_error(request, module, _("A session cannot be added before %(day)s.",
                                                       day=i18n.format_date(earliest)), typed)
    off = day_off(day, await queries.region_of(module["organisation"]),
                  await queries.closures_of(module["organisation"]), current_language())
    if off is not None and text(form, "day_off_ok") != "1":  # the warning the schedule's preview gives
        return await _session_error(request, module, _("This day is not a working day. To add the session "
                                                       "anyway, tick “Add it on this day” and add it again."),
                                    {**typed, "off": off})
    await actions.add_session(module_id, day, starts_at, ends_at, await _room_or_none(module, room))
    flash(request, _("The session has been added."))
    return redirect(request, f"/modules/{module_id}")


@post("/modules/sessions/{session_id:int}/move", guards=[COORDINATORS], status_code=200)
async def move_session(request: HTMXRequest, session_id: FromPath[int]) -> Response | Template:
    session, module = await get_managed_session(request.user, session_id)
    form = await request.form()
    day, starts_at, ends_at, room = _session_form(form)
    if day is None or starts_at is None or ends_at is None or ends_at <= starts_at:
        typed = {"id": session_id, **{k: text(form, k) for k in ("day", "starts_at", "ends_at", "room")}}
        return await _session_error(request, module, _times_message(form), moving=typed)
    await actions.move_session(session_id, day, starts_at, ends_at, await _room_or_none(module, room))
    flash(request, _("The session has been moved."))
    return redirect(request, f"/modules/{module['id']}")


@post("/modules/sessions/{session_id:int}/cancel", guards=[COORDINATORS], status_code=200)
async def cancel_session(request: HTMXRequest, session_id: FromPath[int]) -> Response | Template:
    session, module = await get_managed_session(request.user, session_id)
    too_long: dict[str, str] = {}
    reason = form_text(await request.form(), "reason", Session.cancel_reason, too_long)
    if not reason or too_long:
        return await _session_error(request, module, too_long.get("reason") or _("Say why the session is cancelled."))
    await actions.cancel_session(session_id, reason)
    flash(request, _("The session has been cancelled."))
    return redirect(request, f"/modules/{module['id']}")


@post("/modules/sessions/{session_id:int}/restore", guards=[COORDINATORS], status_code=200)
async def restore_session(request: HTMXRequest, session_id: FromPath[int]) -> Response:
    session, module = await get_managed_session(request.user, session_id)
    await actions.restore_session(session_id)
    flash(request, _("The session takes place again."))
    return redirect(request, f"/modules/{module['id']}")
