"""Attendance figures, fixture-free: keyed by session, only sessions that have started, "not recorded" apart."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planner.attendance.figures import (
    Figures, Mark, Participant, SessionSlot, UnrecordedSession, expected_sessions, is_recorded,
    module_figures, participant_figures, unexcused_streak, unrecorded_sessions,
)
from planner.attendance.rules import STATUSES

START = dt.date(2026, 9, 7)  # a Monday; the module meets on Mondays 09:30-12:00
LATER = dt.datetime(2027, 1, 1, 12)  # Brussels wall-clock: every session below has started by then


def week(w: int) -> dt.date:
    return START + dt.timedelta(weeks=w)


def mondays(n: int, cancelled: tuple[int, ...] = ()) -> list[SessionSlot]:
    """Session w has id w."""
    return [SessionSlot(w, week(w), dt.time(9, 30), dt.time(12), held=w not in cancelled) for w in range(n)]


def figures(sessions, marks, enrolled_from=START, until=None, now=LATER) -> Figures:
    return participant_figures(sessions, Participant(enrolled_from, until, tuple(marks)), now)


def present_at(*sessions: int) -> list[Mark]:
    return [Mark(s, "present") for s in sessions]


# -- keyed by session, never by day -----------------------------------------------------------------------------

def test_two_sessions_on_one_day_each_keep_their_own_mark():
    # the case: present at 13:30 and unexcused at 16:00 on the last day, present the three weeks before
    sessions = [SessionSlot(w, week(w), dt.time(13, 30), dt.time(15, 30)) for w in range(4)]
    sessions.append(SessionSlot(4, week(3), dt.time(16), dt.time(18)))
    f = figures(sessions, [*present_at(0, 1, 2, 3), Mark(4, "unexcused")])
    assert (f.present, f.unexcused, f.hours_attended, f.rate) == (4, 1, 8.0, 0.8)


def test_a_late_arrival_at_the_morning_session_leaves_the_afternoon_session_unmarked():
    day = [SessionSlot(1, START, dt.time(9), dt.time(12)), SessionSlot(2, START, dt.time(13), dt.time(16))]
    f = figures(day, [Mark(1, "late", arrived_at=dt.time(10))])
    assert (f.expected, f.late, f.not_recorded, f.hours_attended, f.rate) == (2, 1, 1, 2.0, 1.0)


def test_the_streak_follows_the_sessions_of_one_day_in_their_order():
    day = [SessionSlot(7, START, dt.time(16), dt.time(18)), SessionSlot(8, START, dt.time(13, 30), dt.time(15))]
    # 13:30 unexcused, 16:00 present: the person came back, no streak, whatever the order given
    assert unexcused_streak(day, [Mark(7, "present"), Mark(8, "unexcused")]) == 0
    assert unexcused_streak(day, [Mark(7, "unexcused"), Mark(8, "present")]) == 1


# -- only sessions that have started ----------------------------------------------------------------------------

def test_a_session_later_today_is_not_expected_yet():
    morning_of_the_day = dt.datetime.combine(week(4), dt.time(10, 14))
    sessions = [*mondays(4), SessionSlot(4, week(4), dt.time(13, 30), dt.time(16))]
    f = figures(sessions, present_at(0, 1, 2, 3), now=morning_of_the_day)
    assert (f.expected, f.not_recorded, f.rate) == (4, 0, 1.0)


def test_a_session_counts_from_its_start():
    session = [SessionSlot(1, START, dt.time(13, 30), dt.time(16))]
    assert figures(session, [], now=dt.datetime.combine(START, dt.time(13, 29, 59))).expected == 0
    assert figures(session, [], now=dt.datetime.combine(START, dt.time(13, 30))).expected == 1


def test_future_sessions_are_not_expected():
    f = figures(mondays(6), present_at(0, 1), now=dt.datetime.combine(week(2), dt.time(8)))
    assert (f.expected, f.present, f.not_recorded, f.rate) == (2, 2, 0, 1.0)


def test_someone_promoted_from_the_waitlist_this_morning_has_nothing_expected_and_no_rate():
    this_morning = dt.datetime.combine(week(4), dt.time(10, 14))
    sessions = [*mondays(4), SessionSlot(4, week(4), dt.time(13, 30), dt.time(16))]
    f = figures(sessions, [], enrolled_from=week(4), now=this_morning)
    assert (f.expected, f.not_recorded, f.rate) == (0, 0, None)


def test_an_aware_now_is_read_on_the_brussels_clock():
    session = [SessionSlot(1, dt.date(2026, 7, 6), dt.time(13, 30), dt.time(16))]
    enrolled, utc = Participant(dt.date(2026, 7, 1)), dt.timezone.utc
    # 11:15 UTC is 13:15 in Brussels in summer: not started; 11:30 UTC is 13:30: started
    assert expected_sessions(session, enrolled, dt.datetime(2026, 7, 6, 11, 15, tzinfo=utc)) == []
    assert expected_sessions(session, enrolled, dt.datetime(2026, 7, 6, 11, 30, tzinfo=utc)) == session


# -- a roll never taken is not recorded, not absent -------------------------------------------------------------

def test_rolls_never_taken_are_not_recorded_and_stay_out_of_the_rate():
    # DIGI: 4 of 5 past rolls never taken; the one that was taken, the person came
    f = figures(mondays(5), present_at(4))
    assert (f.expected, f.present, f.unexcused, f.not_recorded, f.recorded, f.rate) == (5, 1, 0, 4, 1, 1.0)


def test_nothing_recorded_gives_no_rate():
    f = figures(mondays(3), [])
    assert (f.expected, f.not_recorded, f.rate) == (3, 3, None)


def test_a_cleared_mark_is_not_recorded():
    assert figures(mondays(1), [Mark(0, "")]).not_recorded == 1
    assert not is_recorded(Mark(0, "")) and not is_recorded(None) and is_recorded(Mark(0, "excused"))


def test_the_module_counts_not_recorded_per_person_and_rates_over_recorded_sessions():
    full = figures(mondays(4), present_at(0, 1, 2, 3))
    missed_two_rolls = figures(mondays(4), [Mark(0, "unexcused"), Mark(1, "present")])
    total = module_figures([full, missed_two_rolls])
    assert (total.expected, total.not_recorded, total.present, total.unexcused) == (8, 2, 5, 1)
    assert total.rate == 5 / 6


def test_the_sessions_to_chase_are_listed_latest_first_with_who_is_missing():
    sessions = mondays(5)
    ann = Participant(START, None, tuple(present_at(0, 1, 2)))
    bob = Participant(week(2), None, (Mark(2, "excused", reason="illness"),))
    chase = unrecorded_sessions(sessions, [ann, bob], now=dt.datetime.combine(week(4), dt.time(10)))
    # week 4 has started (09:30), week 3 nobody recorded; weeks 0-2 are complete
    assert chase == [UnrecordedSession(sessions[4], missing=2, expected=2),
                     UnrecordedSession(sessions[3], missing=2, expected=2)]


def test_a_roll_with_one_person_forgotten_is_listed_for_that_person():
    sessions = mondays(1)
    chase = unrecorded_sessions(sessions, [Participant(START, None, (Mark(0, "present"),)), Participant(START)],
                                LATER)
    assert chase == [UnrecordedSession(sessions[0], missing=1, expected=2)]


def test_no_roll_to_chase_before_a_session_starts_or_when_it_is_cancelled():
    sessions = [SessionSlot(1, START, dt.time(13, 30), dt.time(16)), *mondays(1, cancelled=(0,))]
    assert unrecorded_sessions(sessions, [Participant(START)], dt.datetime.combine(START, dt.time(10, 14))) == []
    assert unrecorded_sessions(sessions, [], LATER) == []


# -- figures of a participant (unchanged rules, keyed by session) -----------------------------------------------

def test_someone_who_came_to_every_session_has_a_full_rate():
    assert figures(mondays(4), present_at(0, 1, 2, 3)) == Figures(
        expected=4, present=4, late=0, left_early=0, excused=0, unexcused=0, not_recorded=0, hours_attended=10.0,
        rate=1.0)


def test_someone_who_joins_in_week_4_is_not_counted_absent_for_weeks_1_to_3():
    f = figures(mondays(6), present_at(3, 4, 5), enrolled_from=week(3))
    assert (f.expected, f.not_recorded, f.rate) == (3, 0, 1.0)


def test_sessions_after_the_end_of_an_enrolment_are_not_expected():
    f = figures(mondays(6), present_at(*range(6)), until=week(1))
    assert (f.expected, f.present, f.hours_attended) == (2, 2, 5.0)


def test_marks_outside_the_enrolment_are_ignored():
    f = figures(mondays(6), [Mark(0, "unexcused"), Mark(1, "present"), Mark(5, "present")], week(1), week(3))
    assert (f.expected, f.present, f.unexcused, f.not_recorded) == (3, 1, 0, 2)


def test_a_cancelled_session_is_not_expected_and_its_mark_is_ignored():
    f = figures(mondays(3, cancelled=(1,)), [Mark(0, "present"), Mark(1, "unexcused"), Mark(2, "present")])
    assert (f.expected, f.present, f.unexcused, f.rate) == (2, 2, 0, 1.0)


def test_a_late_arrival_counts_from_the_time_of_arrival():
    f = figures(mondays(1), [Mark(0, "late", arrived_at=dt.time(10))])
    assert (f.late, f.hours_attended, f.rate) == (1, 2.0, 1.0)


def test_leaving_early_counts_until_the_time_of_leaving():
    f = figures(mondays(1), [Mark(0, "left_early", left_at=dt.time(11, 15))])
    assert (f.left_early, f.hours_attended, f.rate) == (1, 1.75, 1.0)


def test_times_outside_the_session_are_kept_within_it():
    marks = [Mark(0, "late", arrived_at=dt.time(8)), Mark(1, "left_early", left_at=dt.time(13)),
             Mark(2, "late", arrived_at=dt.time(13)), Mark(3, "left_early", left_at=dt.time(9))]
    assert figures(mondays(4), marks).hours_attended == 5.0


def test_a_late_mark_without_a_time_counts_the_whole_session():
    assert figures(mondays(1), [Mark(0, "late")]).hours_attended == 2.5


def test_hours_are_rounded_to_two_decimals():
    assert figures(mondays(3), [Mark(w, "late", arrived_at=dt.time(9, 50)) for w in range(3)]).hours_attended == 6.5
    assert figures(mondays(1), [Mark(0, "left_early", left_at=dt.time(9, 50))]).hours_attended == 0.33


def test_absences_count_in_the_rate_but_bring_no_hours():
    marks = [Mark(0, "present"), Mark(1, "excused", reason="illness"), Mark(2, "unexcused")]
    assert figures(mondays(4), marks) == Figures(
        expected=4, present=1, late=0, left_early=0, excused=1, unexcused=1, not_recorded=1, hours_attended=2.5,
        rate=1 / 3)


def test_nothing_expected_gives_no_rate():
    assert figures(mondays(3), [], enrolled_from=week(5)).rate is None
    assert figures(mondays(2, cancelled=(0, 1)), present_at(0)) == Figures(0, 0, 0, 0, 0, 0, 0, 0.0, None)


def test_a_module_without_expected_sessions_has_no_rate():
    assert module_figures([]) == Figures(0, 0, 0, 0, 0, 0, 0, 0.0, None)


def test_module_hours_are_rounded_to_two_decimals():
    assert module_figures([Figures(1, 1, 0, 0, 0, 0, 0, 0.33, 1.0)] * 3).hours_attended == 0.99


def test_the_streak_counts_unexcused_absences_at_the_end():
    marks = [Mark(0, "present"), Mark(1, "unexcused"), Mark(2, "unexcused")]
    assert unexcused_streak(mondays(3), marks) == 2


def test_the_streak_follows_the_sessions_not_the_order_given():
    marks = [Mark(3, "unexcused"), Mark(0, "present"), Mark(2, "unexcused"), Mark(1, "unexcused")]
    assert unexcused_streak(mondays(4), marks) == 3


def test_coming_back_or_an_excused_absence_ends_the_streak():
    assert unexcused_streak(mondays(2), [Mark(0, "unexcused"), Mark(1, "late", arrived_at=dt.time(10))]) == 0
    assert unexcused_streak(mondays(2), [Mark(0, "unexcused"), Mark(1, "excused", reason="illness")]) == 0
    assert unexcused_streak(mondays(2), []) == 0


# -- properties -------------------------------------------------------------------------------------------------

days = st.dates(START, START + dt.timedelta(days=60))
times = st.times(dt.time(8), dt.time(18)).map(lambda t: t.replace(microsecond=0))
nows = st.datetimes(dt.datetime.combine(START, dt.time()), dt.datetime.combine(week(9), dt.time()))


@st.composite
def module_sessions(draw):
    slots = draw(st.lists(st.tuples(days, times, times, st.booleans()), max_size=12))
    return [SessionSlot(i, day, start, end, held) for i, (day, start, end, held) in enumerate(slots)]


def participants(n_sessions: int):
    mark = st.builds(Mark, session=st.integers(0, max(n_sessions - 1, 0)), status=st.sampled_from(STATUSES + ("",)),
                     arrived_at=st.none() | times, left_at=st.none() | times)
    return st.builds(Participant, enrolled_from=days, enrolled_until=st.none() | days,
                     marks=st.lists(mark, max_size=15, unique_by=lambda m: m.session).map(tuple))


@given(data=st.data(), sessions=module_sessions(), now=nows)
def test_figures_always_add_up(data, sessions, now):
    people = data.draw(st.lists(participants(len(sessions)), max_size=4))
    per_person = [participant_figures(sessions, p, now) for p in people]
    for f, p in zip(per_person, people):
        assert f.present + f.late + f.left_early + f.excused + f.unexcused + f.not_recorded == f.expected
        until = p.enrolled_until or dt.date.max
        assert f.expected == sum(s.held and dt.datetime.combine(s.day, s.starts_at) <= now
                                 and p.enrolled_from <= s.day <= until for s in sessions)
        assert f.hours_attended >= 0
        assert f.rate is None if not f.recorded else 0 <= f.rate <= 1
    total = module_figures(per_person)
    assert total.rate is None if not total.recorded else 0 <= total.rate <= 1
    # what the module page lists to chase is exactly what the people's rows count as not recorded
    assert sum(u.missing for u in unrecorded_sessions(sessions, people, now)) == total.not_recorded
