"""The planning's periods (pure): what a week or a month view covers, and where "previous" and "next" go."""

import datetime as dt

from planner.modules.rules.planning import period, shift


def test_a_week_runs_from_monday_to_sunday():
    assert period("week", dt.date(2026, 12, 9)) == (dt.date(2026, 12, 7), dt.date(2026, 12, 13))


def test_a_month_covers_the_whole_weeks_around_it():
    # December 2026 begins on a Tuesday and ends on a Thursday.
    assert period("month", dt.date(2026, 12, 15)) == (dt.date(2026, 11, 30), dt.date(2027, 1, 3))


def test_next_month_after_december_is_january_of_the_next_year():
    assert shift("month", dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 1)
    assert shift("month", dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 1)


def test_next_week_is_seven_days_later():
    assert shift("week", dt.date(2026, 12, 9), 1) == dt.date(2026, 12, 16)
