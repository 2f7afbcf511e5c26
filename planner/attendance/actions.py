"""Writes of the attendance area: every tap applied exactly once, the latest tap winning."""

from __future__ import annotations

import datetime as dt

from planner.attendance.rules import Tap
from planner.attendance.tables import Mark, MarkEvent
from planner.db import for_update, write_transaction
from planner.modules.tables import Session


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


async def record_tap(session_id: int, tap: Tap, user_id: int, device: str, walk_in: bool = False) -> bool:
    """Store the tap in the history (once per client id) and make it the mark if it is the latest.
    Returns False for a replay, which changes nothing."""
    async with write_transaction():
        # Taps of one session queue behind each other, so two tablets never both create the mark.
        await for_update(Session.select(Session.id).where(Session.id == session_id)).first()
        current = await Mark.select(Mark.id, Mark.status, Mark.device_time, Mark.received_at).where(
            (Mark.session == session_id) & (Mark.beneficiary == tap.person_id)).first()
        wins = current is None or (tap.device_time, tap.received_at) >= (current["device_time"], current["received_at"])
        inserted = await MarkEvent.insert(MarkEvent(
            client_id=tap.client_id, session=session_id, beneficiary=tap.person_id,
            old_status=current["status"] if current else "", new_status=tap.status, reason=tap.reason,
            arrived_at=tap.arrived_at, left_at=tap.left_at, applied=wins, user=user_id, device=device[:64],
            device_time=tap.device_time, received_at=tap.received_at,
        )).on_conflict(target=MarkEvent.client_id, action="DO NOTHING").returning(MarkEvent.id)
        if not inserted or not wins:
            return bool(inserted)
        values = {Mark.status: tap.status, Mark.reason: tap.reason, Mark.arrived_at: tap.arrived_at,
                  Mark.left_at: tap.left_at, Mark.device_time: tap.device_time, Mark.received_at: tap.received_at}
        if current is None:
            await Mark.insert(Mark(session=session_id, beneficiary=tap.person_id, walk_in=walk_in,
                                   **{column._meta.name: value for column, value in values.items()}))
        else:
            await Mark.update(values).where(Mark.id == current["id"])
    return True


async def close_roll(session_id: int, user_id: int) -> None:
    await Session.update({Session.roll_closed_at: _now(), Session.roll_closed_by: user_id}).where(
        Session.id == session_id)


async def reopen_roll(session_id: int) -> None:
    await Session.update({Session.roll_closed_at: None, Session.roll_closed_by: None}).where(Session.id == session_id)


async def set_guests(session_id: int, guests: int) -> None:
    await Session.update({Session.guests: guests}).where(Session.id == session_id)
