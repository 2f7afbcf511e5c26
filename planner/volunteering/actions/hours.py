"""Hours recorded by the host, the volunteer or the CPAS, and the CPAS's decision; every change a history line."""

from __future__ import annotations

import datetime as dt

from planner.db import for_update, write_transaction
from planner.i18n import N_
from planner.volunteering.rules import PENDING, RECORDERS, decision_problems, entry_problems
from planner.volunteering.tables import HoursEntry, HoursEvent, Placement
from planner.i18n import now_utc as _now


async def record_hours(placement_id: int, day: dt.date, minutes: int, note: str, by_kind: str,
                       user_id: int | None, today: dt.date) -> tuple[int | None, dict[str, str]]:
    """(entry id, {}) or (None, field → untranslated message) when the entry cannot be stored
    (rules.entry_problems). ValueError for an unknown recorder kind or placement."""
    if by_kind not in RECORDERS:
        raise ValueError(f"unknown recorder {by_kind!r}")
    async with write_transaction():
        placement = await Placement.select(Placement.starts_on, Placement.ends_on).where(
            Placement.id == placement_id).first()
        if placement is None:
            raise ValueError("no such placement")
        problems = entry_problems(day, minutes, today, placement["starts_on"], placement["ends_on"])
        if problems:
            return None, problems
        now = _now()
        entry_id = (await HoursEntry.insert(HoursEntry(
            placement=placement_id, day=day, minutes=minutes, note=note, recorded_by_kind=by_kind, recorded_by=user_id,
            state=PENDING, reason="", created_at=now)).returning(HoursEntry.id))[0]["id"]
        await HoursEvent.insert(HoursEvent(entry=entry_id, old_state="", new_state=PENDING, reason="", by_kind=by_kind,
                                           user=user_id, at=now))
    return entry_id, {}


async def decide_hours(entry_id: int, version: int, state: str, reason: str, user_id: int) -> dict[str, str]:
    """Approve or decline (with a reason) an entry at `version`; {} when done, else field → message
    (rules.decision_problems, or "version" when someone decided it meanwhile)."""
    async with write_transaction():
        entry = await for_update(HoursEntry.select(HoursEntry.state, HoursEntry.version).where(
            HoursEntry.id == entry_id)).first()
        if entry is None or entry["version"] != version:
            return {"version": N_("Someone decided these hours meanwhile: look at them again.")}
        problems = decision_problems(entry["state"], state, reason)
        if problems:
            return problems
        now = _now()
        await HoursEntry.update({HoursEntry.state: state, HoursEntry.reason: reason, HoursEntry.decided_by: user_id,
                                 HoursEntry.decided_at: now, HoursEntry.version: version + 1}).where(
            HoursEntry.id == entry_id)
        await HoursEvent.insert(HoursEvent(entry=entry_id, old_state=entry["state"], new_state=state, reason=reason,
                                           by_kind="cpas", user=user_id, at=now))
    return {}
