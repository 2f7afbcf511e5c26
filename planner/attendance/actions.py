"""Writes of the attendance area: every tap applied exactly once, the latest tap winning."""

from __future__ import annotations

import datetime as dt

from planner.attendance.rules import Tap
from planner.attendance.tables import MarkRemark, RollAction
from planner.db import fetch, on_postgres, run_batched, write_transaction
from planner.i18n import now_utc as _now


def _modules_actions():
    # Imported when first needed: modules.actions imports invites.actions, which imports this module (the
    # can't-come page records its tap here), so a top-level import would find this module half loaded.
    from planner.modules import actions

    return actions


MARK_COLUMNS = ("status", "reason", "arrived_at", "left_at")


async def record_tap(session_id: int, tap: Tap, user_id: int, device: str, walk_in: bool = False) -> dict | None:
    """Store the tap in the history (once per client id) and make it the mark if it is the latest.
    Returns the person's mark afterwards; a replay or an older tap changes nothing."""
    if on_postgres():
        # The same steps as _apply_tap in one server-side function (migration "a tap in one round trip"):
        # taps on one person in one session queue on a transaction lock, the others go on. One round trip
        # a tap: bench/attendance.py with PLANNER_BENCH_POSTGRES, TARGET postgresql_marks_per_second.
        rows = await fetch("SELECT o_status, o_reason, o_arrived, o_left FROM planner_tap("
                           "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                           tap.client_id, session_id, tap.person_id, tap.status, tap.reason, tap.arrived_at,
                           tap.left_at, user_id, device[:64], tap.device_time, tap.received_at, walk_in, writes=True)
        if not rows:
            return None
        row = rows[0]
        return {"status": row["o_status"], "reason": row["o_reason"], "arrived_at": row["o_arrived"],
                "left_at": row["o_left"]}
    return await run_batched(lambda: _apply_tap(session_id, tap, user_id, device, walk_in))


async def _apply_tap(session_id: int, tap: Tap, user_id: int, device: str, walk_in: bool) -> dict | None:
    """Inside SQLite's batch transaction, which holds the database, so nothing comes between the read and
    the writes. PostgreSQL runs the same steps in the planner_tap function.

    Hand-written SQL because every tap runs it: bench/attendance.py, TARGET sqlite_marks_per_second, 342/s
    with it and 251/s with the same steps as Piccolo queries (issue 13, on a loaded 2-core machine); a tap
    cost 430 µs of CPU against 830 µs."""
    rows = await fetch("SELECT id, status, reason, arrived_at, left_at, device_time, received_at FROM mark "
                       "WHERE session = {} AND beneficiary = {}", session_id, tap.person_id)
    current = rows[0] if rows else None
    wins = current is None or (tap.device_time, tap.received_at) >= (current["device_time"], current["received_at"])
    inserted = await fetch(
        "INSERT INTO mark_event (client_id, session, beneficiary, old_status, new_status, reason, arrived_at, "
        'left_at, applied, "user", device, device_time, received_at) '
        "VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}) "
        "ON CONFLICT (client_id) DO NOTHING RETURNING id",
        tap.client_id, session_id, tap.person_id, current["status"] if current else "", tap.status, tap.reason,
        tap.arrived_at, tap.left_at, wins, user_id, device[:64], tap.device_time, tap.received_at, writes=True)
    if not inserted or not wins:
        return {k: current[k] for k in MARK_COLUMNS} if current else None
    if current is None:
        await fetch("INSERT INTO mark (session, beneficiary, status, reason, arrived_at, left_at, walk_in, "
                    "device_time, received_at) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {})",
                    session_id, tap.person_id, tap.status, tap.reason, tap.arrived_at, tap.left_at, walk_in,
                    tap.device_time, tap.received_at, writes=True)
    else:
        await fetch("UPDATE mark SET status = {}, reason = {}, arrived_at = {}, left_at = {}, device_time = {}, "
                    "received_at = {} WHERE id = {}", tap.status, tap.reason, tap.arrived_at, tap.left_at,
                    tap.device_time, tap.received_at, current["id"], writes=True)
    return {"status": tap.status, "reason": tap.reason, "arrived_at": tap.arrived_at, "left_at": tap.left_at}


async def _first_time(client_id: str, session_id: int, action: str, user_id: int, received: dt.datetime) -> bool:
    """Note the roll action under its client id; False when that id was already applied (a replay)."""
    rows = await RollAction.insert(RollAction(client_id=client_id, session=session_id, action=action, user=user_id,
                                              received_at=received)
                                   ).on_conflict(target=RollAction.client_id, action="DO NOTHING"
                                                 ).returning(RollAction.id)
    return bool(rows)


async def mark_all(session_id: int, person_ids: list[int], status: str, action: str, client_id: str, user_id: int,
                   device: str, device_time: dt.datetime, received: dt.datetime) -> bool:
    """"Everyone present" / "the rest absent": one tap per person, their client ids derived from the
    action's, all in one transaction. Returns False for a replay of an action already applied."""
    async with write_transaction():
        if not await _first_time(client_id, session_id, action, user_id, received):
            return False
        for person_id in person_ids:
            tap = Tap(f"{client_id}:{person_id}"[:64], person_id, status, device_time, received)
            await record_tap(session_id, tap, user_id, device)
    return True


async def close_roll(session_id: int, user_id: int, client_id: str, guests: int | None = None) -> bool:
    """Close the roll (and set the guests, when given). Returns False for a replay."""
    now = _now()
    async with write_transaction():
        if not await _first_time(client_id, session_id, "close", user_id, now):
            return False
        await _modules_actions().mark_roll_closed(session_id, user_id, now, guests)
    return True


async def reopen_roll(session_id: int, user_id: int, client_id: str) -> bool:
    """Open a closed roll again. Returns False for a replay."""
    async with write_transaction():
        if not await _first_time(client_id, session_id, "reopen", user_id, _now()):
            return False
        await _modules_actions().mark_roll_reopened(session_id)
    return True


async def undo_bulk(session_id: int, of_client_id: str, client_id: str, user_id: int, device: str,
                    device_time: dt.datetime, received: dt.datetime) -> int | None:
    """Undo "everyone present" / "the rest absent" (client id of_client_id): the people it marked and
    nobody has tapped since are not marked again; later taps stay. Returns how many were cleared, 0 for
    a replay of this undo, None when of_client_id is no bulk action of this session."""
    from planner.attendance.rules import undoable
    from planner.attendance.tables import Mark, MarkEvent

    async with write_transaction():
        bulk = await RollAction.select(RollAction.id).where(
            (RollAction.client_id == of_client_id) & (RollAction.session == session_id)
            & RollAction.action.is_in(["everyone_present", "rest_absent"])).first()
        if bulk is None:
            return None
        if not await _first_time(client_id, session_id, "undo", user_id, received):
            return 0
        events = await MarkEvent.select(MarkEvent.client_id, MarkEvent.beneficiary, MarkEvent.new_status,
                                        MarkEvent.device_time).where(
            (MarkEvent.session == session_id) & MarkEvent.client_id.like(of_client_id + ":%")
            & (MarkEvent.applied == True))  # noqa: E712 (a Piccolo expression)
        marks = {m["beneficiary"]: m for m in await Mark.select(Mark.beneficiary, Mark.status, Mark.device_time).where(
            (Mark.session == session_id) & Mark.beneficiary.is_in([e["beneficiary"] for e in events] or [0]))}
        cleared = 0
        for event in events:
            mark = marks.get(event["beneficiary"])
            if mark and undoable(event["client_id"], of_client_id, mark["status"], event["new_status"],
                                 mark["device_time"], event["device_time"]):
                # later than the bulk's tap, whatever the tablet's clock says, so the clearing wins
                when = max(device_time, event["device_time"] + dt.timedelta(milliseconds=1))
                await record_tap(session_id, Tap(f"{client_id}:{event['beneficiary']}"[:64], event["beneficiary"], "",
                                                 when, received), user_id, device)
                cleared += 1
    return cleared


async def save_remark(session_id: int, person_id: int, remark: str, user_id: int, device_time: dt.datetime,
                      received: dt.datetime) -> None:
    """The person's remark in this session, unless a remark typed later (device time) is already stored:
    a replay, or an older remark arriving late from another tablet, changes nothing. An empty remark
    clears it."""
    async with write_transaction():
        if on_postgres():  # one writer of a session's remarks at a time: never two rows for one person
            await fetch("SELECT id FROM module_session WHERE id = {} FOR UPDATE", session_id, writes=True)
        kept = await MarkRemark.select(MarkRemark.id, MarkRemark.device_time).where(
            (MarkRemark.session == session_id) & (MarkRemark.beneficiary == person_id)).first()
        if kept is None:
            await MarkRemark.insert(MarkRemark(session=session_id, beneficiary=person_id, remark=remark, user=user_id,
                                               device_time=device_time, received_at=received))
        elif device_time >= kept["device_time"]:
            await MarkRemark.update({MarkRemark.remark: remark, MarkRemark.user: user_id,
                                     MarkRemark.device_time: device_time, MarkRemark.received_at: received}
                                    ).where(MarkRemark.id == kept["id"])
