"""Warnings when proposing someone (issue 18): an ended module, a single-gender group, a person already booked at
the time of a session. Pure rules, no fixtures."""

import datetime as dt

from planner.enrolment.rules import Slot, double_bookings, has_ended, proposal_warnings

TUE = dt.date(2026, 12, 1)


def slot(day: dt.date, start: int, end: int) -> Slot:
    return Slot(day, dt.time(start), dt.time(end))


def test_a_module_whose_last_session_is_past_has_ended_one_planned_today_or_not_planned_has_not():
    assert has_ended(TUE, TUE + dt.timedelta(days=1))
    assert not has_ended(TUE, TUE)
    assert not has_ended(None, TUE)


def test_overlapping_sessions_on_the_same_day_are_double_bookings_once_per_day():
    module = [slot(TUE, 9, 12), slot(TUE + dt.timedelta(days=7), 9, 12)]
    person = [slot(TUE, 11, 13), slot(TUE, 10, 11), slot(TUE + dt.timedelta(days=8), 9, 12)]
    assert double_bookings(module, person) == [TUE]


def test_back_to_back_sessions_are_no_double_booking():
    assert double_bookings([slot(TUE, 9, 12)], [slot(TUE, 12, 14), slot(TUE, 7, 9)]) == []


def test_a_man_proposed_for_a_women_only_group_is_warned_and_a_woman_is_not():
    assert proposal_warnings(False, "women", "M", []) == ("women",)
    assert proposal_warnings(False, "women", "F", []) == ()
    assert proposal_warnings(False, "men", "F", []) == ("men",)


def test_gender_x_in_a_single_gender_group_is_for_the_coordinator_to_decide_and_fits_a_mixed_one():
    assert proposal_warnings(False, "women", "X", []) == ("one_gender",)
    assert proposal_warnings(False, "mixed", "X", []) == ()


def test_every_warning_together_in_the_page_order():
    assert proposal_warnings(True, "men", "F", [TUE]) == ("ended", "men", "booked")
