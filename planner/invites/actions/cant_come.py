"""A participant tells, through their "can't come" link, that they cannot come to a session (or can after all)."""

from __future__ import annotations

import uuid

from planner.attendance.actions import record_tap
from planner.attendance.rules import Tap
from planner.invites.queries import cant_come_page, utcnow


async def tell_cant_come(link: dict, session_id: int, coming: bool = False) -> bool:
    """Record an excused absence told beforehand (or take it back); False when the session is not one of
    the person's coming sessions."""
    page = await cant_come_page(link)
    told = {c.slot.session_id: c.told for c in (page["sessions"] if page else [])}
    if session_id not in told or (coming and not told[session_id]):
        return False  # not a coming session of theirs; or a mark set by the facilitator, not theirs to undo
    now = utcnow()
    tap = Tap(client_id=f"participant-{uuid.uuid4()}", person_id=page["enrolment"]["beneficiary"],
              status="" if coming else "excused", device_time=now, received_at=now,
              reason="" if coming else "told_beforehand")
    await record_tap(session_id, tap, None, "participant link")
    return True
