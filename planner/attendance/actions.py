"""Writes of the attendance area: every tap applied exactly once, the latest tap winning."""

from __future__ import annotations

import datetime as dt

from piccolo.engine.postgres import PostgresEngine

from planner.attendance.rules import Tap
from planner.db import current_engine, fetch
from planner.modules.tables import Session


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


MARK_COLUMNS = ("status", "reason", "arrived_at", "left_at")


async def current_mark(session_id: int, person_id: int) -> dict | None:
    rows = await fetch("SELECT status, reason, arrived_at, left_at FROM mark WHERE session = {} AND beneficiary = {}",
                       session_id, person_id)
    return rows[0] if rows else None


# PostgreSQL: the whole tap in one statement, one round trip instead of seven. The person's mark row
# is locked (FOR UPDATE) while the tap is judged; the upsert settles the race of two first taps.
TAP_STATEMENT = """
WITH tap AS (
    SELECT {}::varchar AS client_id, {}::int AS session, {}::int AS beneficiary, {}::varchar AS status,
           {}::varchar AS reason, {}::time AS arrived_at, {}::time AS left_at, {}::boolean AS walk_in,
           {}::int AS user_id, {}::varchar AS device, {}::timestamptz AS device_time, {}::timestamptz AS received_at
), prior AS (
    SELECT mark.status, mark.device_time, mark.received_at FROM mark, tap
    WHERE mark.session = tap.session AND mark.beneficiary = tap.beneficiary FOR UPDATE OF mark
), event AS (
    INSERT INTO mark_event (client_id, session, beneficiary, old_status, new_status, reason, arrived_at, left_at,
                            applied, "user", device, device_time, received_at)
    SELECT t.client_id, t.session, t.beneficiary, COALESCE((SELECT status FROM prior), ''), t.status, t.reason,
           t.arrived_at, t.left_at,
           NOT EXISTS (SELECT 1 FROM prior p WHERE (p.device_time, p.received_at) > (t.device_time, t.received_at)),
           t.user_id, t.device, t.device_time, t.received_at
    FROM tap t
    ON CONFLICT (client_id) DO NOTHING RETURNING applied
), upsert AS (
    INSERT INTO mark (session, beneficiary, status, reason, arrived_at, left_at, walk_in, device_time, received_at)
    SELECT t.session, t.beneficiary, t.status, t.reason, t.arrived_at, t.left_at, t.walk_in, t.device_time,
           t.received_at FROM tap t, event WHERE event.applied
    ON CONFLICT (session, beneficiary) DO UPDATE SET status = EXCLUDED.status, reason = EXCLUDED.reason,
        arrived_at = EXCLUDED.arrived_at, left_at = EXCLUDED.left_at, device_time = EXCLUDED.device_time,
        received_at = EXCLUDED.received_at
    WHERE (mark.device_time, mark.received_at) <= (EXCLUDED.device_time, EXCLUDED.received_at)
    RETURNING 1
)
SELECT (SELECT applied FROM event) AS recorded, EXISTS (SELECT 1 FROM upsert) AS applied
"""


async def record_tap(session_id: int, tap: Tap, user_id: int, device: str, walk_in: bool = False) -> dict | None:
    """Store the tap in the history (once per client id) and make it the mark if it is the latest.
    Returns the person's mark afterwards; a replay or an older tap changes nothing."""
    engine = current_engine()
    if isinstance(engine, PostgresEngine):
        row = (await fetch(TAP_STATEMENT, tap.client_id, session_id, tap.person_id,
                           tap.status, tap.reason, tap.arrived_at, tap.left_at, walk_in, user_id, device[:64],
                           tap.device_time, tap.received_at, writes=True))[0]
        if row["recorded"] and not row["applied"]:
            # Two first taps at once: the later one won the upsert after this one was judged.
            await fetch("UPDATE mark_event SET applied = FALSE WHERE client_id = {}", tap.client_id, writes=True)
        if row["applied"]:
            return {"status": tap.status, "reason": tap.reason, "arrived_at": tap.arrived_at, "left_at": tap.left_at}
        return await current_mark(session_id, tap.person_id)
    return await engine.run_batched(lambda: _apply_tap(session_id, tap, user_id, device, walk_in))


async def _apply_tap(session_id: int, tap: Tap, user_id: int, device: str, walk_in: bool) -> dict | None:
    """SQLite: inside the batch's IMMEDIATE transaction, so nothing comes between the read and the writes."""
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


async def close_roll(session_id: int, user_id: int) -> None:
    await Session.update({Session.roll_closed_at: _now(), Session.roll_closed_by: user_id}).where(
        Session.id == session_id)


async def reopen_roll(session_id: int) -> None:
    await Session.update({Session.roll_closed_at: None, Session.roll_closed_by: None}).where(Session.id == session_id)


async def set_guests(session_id: int, guests: int) -> None:
    await Session.update({Session.guests: guests}).where(Session.id == session_id)
