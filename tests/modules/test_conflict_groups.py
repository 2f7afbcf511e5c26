"""Grouping conflicts (issue 18): one line per repeating clash, never one per date. Pure, no fixtures."""

import datetime as dt

from planner.modules.rules import Booking, Conflict
from planner.modules.rules.conflicts import group_conflicts

FLE, SPORT = 7, 9
BRUNO, ANNA = 21, 22


def clash(day: dt.date, kind: str = "facilitator", person: int | None = BRUNO, module: int = FLE,
          at: dt.time = dt.time(9, 30)) -> Conflict:
    other = Booking(1, module, day, at, dt.time(12, 0), 3, frozenset({person} if person else ()))
    return Conflict(kind, day, dt.time(10, 0), other, person if kind == "facilitator" else None)


TUESDAYS_AND_THURSDAYS = [dt.date(2026, 12, 1) + dt.timedelta(days=d) for d in (0, 2, 7, 9, 14, 16)]


def test_bruno_leading_fle_every_tuesday_and_thursday_is_one_line():
    [group] = group_conflicts([clash(day) for day in TUESDAYS_AND_THURSDAYS])
    assert (group.facilitator_id, group.other_module_id, group.starts_at) == (BRUNO, FLE, dt.time(9, 30))
    assert group.weekdays == (1, 3) and group.count == 6
    assert (group.first, group.last) == (dt.date(2026, 12, 1), dt.date(2026, 12, 17))


def test_a_room_and_a_person_clashing_on_the_same_dates_are_two_lines_room_first():
    conflicts = [clash(day) for day in TUESDAYS_AND_THURSDAYS] + [
        clash(day, kind="room", person=None) for day in TUESDAYS_AND_THURSDAYS]
    assert [g.kind for g in group_conflicts(conflicts)] == ["room", "facilitator"]


def test_another_person_another_module_or_another_time_is_another_line():
    day = dt.date(2026, 12, 1)
    groups = group_conflicts([clash(day), clash(day, person=ANNA), clash(day, module=SPORT),
                              clash(day, at=dt.time(14, 0)), clash(day + dt.timedelta(days=7))])
    assert len(groups) == 4
    assert sum(g.count for g in groups) == 5


def test_no_conflict_no_line():
    assert group_conflicts([]) == []
