"""Conflicts told as a person reads a timetable (issue 18): one line per clash that repeats ("Bruno: FLE every
Tuesday and Thursday at 09:30, 24 dates"), not one line per date. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from planner.modules.rules import Conflict


@dataclass(frozen=True)
class ConflictGroup:
    kind: str  # "room" | "facilitator"
    facilitator_id: int | None  # who is booked twice (kind "facilitator")
    other_module_id: int  # what the room or the person is already booked for
    starts_at: dt.time  # the other module's start
    weekdays: tuple[int, ...]  # Monday = 0, in week order
    count: int  # how many dates
    first: dt.date
    last: dt.date


def group_conflicts(conflicts: Sequence[Conflict]) -> list[ConflictGroup]:
    """Conflicts with the same kind, person (or room), other module and start time, whatever the date, become
    one group with their weekdays, count and first and last dates; groups in order of their first date, then
    rooms before people, then by the other module."""
    found: dict[tuple, list[Conflict]] = {}
    for c in conflicts:
        found.setdefault((c.kind, c.facilitator_id, c.other.module_id, c.other.starts_at), []).append(c)
    groups = [ConflictGroup(kind, person, module, starts_at, tuple(sorted({c.day.weekday() for c in members})),
                            len({c.day for c in members}), min(c.day for c in members), max(c.day for c in members))
              for (kind, person, module, starts_at), members in found.items()]
    return sorted(groups, key=lambda g: (g.first, g.kind != "room", g.other_module_id, g.facilitator_id or 0))
