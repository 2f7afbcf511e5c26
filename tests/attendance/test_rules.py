import datetime as dt
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from planner.attendance.rules import (
    ATTENDED, EXCUSE_REASONS, STATUSES, Figures, Mark, SessionSlot, Tap, current_marks, module_figures,
    participant_figures, tap_problems, unexcused_streak, winning_tap,
)

BRUSSELS = dt.timezone(dt.timedelta(hours=2))
MORNING = dt.datetime(2026, 9, 7, 9, 30, tzinfo=BRUSSELS)
START = dt.date(2026, 9, 7)  # a Monday; the module meets on Mondays 09:30-12:00


def tap(client_id: str, person_id: int = 1, status: str = "present", minute: int = 0, received: int | None = None,
        **details) -> Tap:
    device_time = MORNING + dt.timedelta(minutes=minute)
    received_at = device_time + dt.timedelta(minutes=minute if received is None else received - minute)
    return Tap(client_id, person_id, status, device_time, received_at, **details)


def week(w: int) -> dt.date:
    return START + dt.timedelta(weeks=w)


def mondays(n: int, cancelled: tuple[int, ...] = ()) -> list[SessionSlot]:
    return [SessionSlot(week(w), dt.time(9, 30), dt.time(12), held=w not in cancelled) for w in range(n)]


def test_the_lists_name_every_status_and_reason():
    assert STATUSES == ("present", "late", "left_early", "excused", "unexcused")
    assert ATTENDED == {"present", "late", "left_early"}
    assert "illness" in EXCUSE_REASONS and "other" in EXCUSE_REASONS


# -- checking a tap ---------------------------------------------------------------------------------------------

def test_a_plain_mark_or_a_clearing_is_fine():
    for status in ("present", "unexcused", ""):
        assert tap_problems(tap("a", status=status)) == {}


def test_an_unknown_status_is_refused():
    assert tap_problems(tap("a", status="asleep")) == {"status": "Choose a status from the list."}


def test_an_excused_absence_needs_a_known_reason():
    assert tap_problems(tap("a", status="excused")) == {"reason": "Choose why the absence is excused."}
    assert tap_problems(tap("a", status="excused", reason="holiday")).keys() == {"reason"}
    for reason in EXCUSE_REASONS:
        assert tap_problems(tap("a", status="excused", reason=reason)) == {}


def test_a_reason_is_only_given_for_an_excused_absence():
    for status in ("present", "late", "unexcused", ""):
        problems = tap_problems(tap("a", status=status, reason="illness", arrived_at=dt.time(10)))
        assert problems["reason"] == "A reason is only given for an excused absence."


def test_a_late_arrival_needs_the_time_of_arrival():
    assert tap_problems(tap("a", status="late")) == {"arrived_at": "Give the time of arrival."}
    assert tap_problems(tap("a", status="late", arrived_at=dt.time(10))) == {}


def test_an_arrival_time_is_only_given_for_a_late_arrival():
    assert tap_problems(tap("a", status="present", arrived_at=dt.time(10))) == {
        "arrived_at": "An arrival time is only given for a late arrival."}


def test_leaving_early_needs_the_time_of_leaving():
    assert tap_problems(tap("a", status="left_early")) == {"left_at": "Give the time of leaving."}
    assert tap_problems(tap("a", status="left_early", left_at=dt.time(11))) == {}


def test_a_leaving_time_is_only_given_when_someone_leaves_early():
    assert tap_problems(tap("a", status="late", arrived_at=dt.time(10), left_at=dt.time(11))) == {
        "left_at": "A leaving time is only given when someone leaves early."}


def test_clearing_a_mark_carries_no_details():
    assert tap_problems(tap("a", status="", reason="illness", left_at=dt.time(11))).keys() == {"reason", "left_at"}


# -- the later tap wins -----------------------------------------------------------------------------------------

def test_no_taps_no_winner():
    assert winning_tap([]) is None
    assert current_marks([]) == {}


def test_the_later_tap_wins():
    first, second = tap("a", status="unexcused", minute=0), tap("b", status="present", minute=5)
    assert winning_tap([second, first]) == second


def test_a_tablet_that_was_offline_wins_with_the_later_tap_even_when_received_earlier():
    # tablet A tapped at 09:40 but synced at 11:00; tablet B tapped at 09:35 and synced at once
    offline = tap("tablet-a", status="late", minute=10, received=90, arrived_at=dt.time(9, 40))
    online = tap("tablet-b", status="unexcused", minute=5, received=5)
    assert winning_tap([offline, online]) == offline
    assert current_marks([online, offline])[1] == offline


def test_an_older_tap_received_late_does_not_overwrite_a_newer_one():
    stale = tap("tablet-a", status="unexcused", minute=1, received=120)
    fresh = tap("tablet-b", status="present", minute=20, received=20)
    assert winning_tap([fresh, stale]) == fresh


def test_same_device_time_is_settled_by_reception_then_by_client_id():
    early, later = tap("z", minute=3, received=4), tap("a", status="unexcused", minute=3, received=9)
    assert winning_tap([later, early]) == later
    x, y = tap("x", minute=3, received=4), tap("y", status="unexcused", minute=3, received=4)
    assert winning_tap([y, x]) == winning_tap([x, y]) == y


def test_a_replayed_tap_counts_once():
    original = tap("a", status="unexcused", minute=2, received=2)
    correction = tap("b", status="present", minute=7, received=7)
    replay = Tap("a", 1, "unexcused", original.device_time, original.received_at + dt.timedelta(hours=3))
    assert winning_tap([original, correction, replay]) == correction
    assert winning_tap([original, replay]) == original  # the first reception stands for both
    assert winning_tap([replay, original, replay]) == original


def test_clearing_a_mark_removes_the_person_from_the_roll():
    marked, cleared = tap("a", person_id=1, minute=1), tap("b", person_id=1, status="", minute=2)
    other = tap("c", person_id=2, status="excused", reason="illness", minute=1)
    assert current_marks([marked, cleared, other]) == {2: other}


def test_a_mark_after_a_clearing_counts_again():
    taps = [tap("a", minute=1), tap("b", status="", minute=2), tap("c", status="unexcused", minute=3)]
    assert current_marks(taps) == {1: taps[2]}


def test_each_person_keeps_their_own_winning_tap():
    taps = [tap("a", person_id=1, minute=9), tap("b", person_id=2, status="unexcused", minute=1),
            tap("c", person_id=1, status="unexcused", minute=2), tap("d", person_id=2, minute=8)]
    assert current_marks(taps) == {1: taps[0], 2: taps[3]}


taps = st.lists(
    st.builds(Tap, client_id=st.sampled_from("abcdefgh"), person_id=st.integers(1, 3),
              status=st.sampled_from(STATUSES + ("",)),
              device_time=st.datetimes(dt.datetime(2026, 9, 7, 9), dt.datetime(2026, 9, 7, 12),
                                       timezones=st.just(dt.timezone.utc)),
              received_at=st.datetimes(dt.datetime(2026, 9, 7, 9), dt.datetime(2026, 9, 8),
                                       timezones=st.just(dt.timezone.utc))),
    max_size=12, unique_by=lambda t: t.client_id)


@given(taps=taps, data=st.data())
def test_the_winner_depends_neither_on_the_order_of_arrival_nor_on_replays(taps, data):
    replays = [replace(t, received_at=t.received_at + dt.timedelta(hours=data.draw(st.integers(1, 48))))
               for t in data.draw(st.lists(st.sampled_from(taps), max_size=5))] if taps else []
    shuffled = data.draw(st.permutations(taps + replays))
    assert winning_tap(shuffled) == winning_tap(taps)
    assert current_marks(shuffled) == current_marks(taps)


# -- figures of a participant -----------------------------------------------------------------------------------

def test_someone_who_came_to_every_session_has_a_full_rate():
    figures = participant_figures(mondays(4), [Mark(week(w), "present") for w in range(4)], START, None)
    assert figures == Figures(expected=4, present=4, late=0, left_early=0, excused=0, unexcused=0, unmarked=0,
                              hours_attended=10.0, rate=1.0)


def test_someone_who_joins_in_week_4_is_not_counted_absent_for_weeks_1_to_3():
    figures = participant_figures(mondays(6), [Mark(week(w), "present") for w in (3, 4, 5)], week(3), None)
    assert figures.expected == 3
    assert figures.unmarked == 0
    assert figures.rate == 1.0


def test_sessions_after_the_end_of_an_enrolment_are_not_expected():
    figures = participant_figures(mondays(6), [Mark(week(w), "present") for w in range(6)], START, week(1))
    assert (figures.expected, figures.present, figures.hours_attended) == (2, 2, 5.0)


def test_marks_outside_the_enrolment_are_ignored():
    marks = [Mark(week(0), "unexcused"), Mark(week(2), "present"), Mark(week(5), "unexcused")]
    figures = participant_figures(mondays(6), marks, week(1), week(3))
    assert (figures.expected, figures.present, figures.unexcused, figures.unmarked) == (3, 1, 0, 2)


def test_a_cancelled_session_is_not_expected_and_its_mark_is_ignored():
    marks = [Mark(week(0), "present"), Mark(week(1), "unexcused"), Mark(week(2), "present")]
    figures = participant_figures(mondays(3, cancelled=(1,)), marks, START, None)
    assert (figures.expected, figures.present, figures.unexcused, figures.rate) == (2, 2, 0, 1.0)


def test_a_late_arrival_counts_from_the_time_of_arrival():
    figures = participant_figures(mondays(1), [Mark(START, "late", arrived_at=dt.time(10))], START, None)
    assert (figures.late, figures.hours_attended, figures.rate) == (1, 2.0, 1.0)


def test_leaving_early_counts_until_the_time_of_leaving():
    figures = participant_figures(mondays(1), [Mark(START, "left_early", left_at=dt.time(11, 15))], START, None)
    assert (figures.left_early, figures.hours_attended, figures.rate) == (1, 1.75, 1.0)


def test_times_outside_the_session_are_kept_within_it():
    marks = [Mark(week(0), "late", arrived_at=dt.time(9)), Mark(week(1), "late", arrived_at=dt.time(12, 30)),
             Mark(week(2), "left_early", left_at=dt.time(13)), Mark(week(3), "left_early", left_at=dt.time(8))]
    assert participant_figures(mondays(4), marks, START, None).hours_attended == 5.0


def test_a_late_mark_without_a_time_counts_the_whole_session():
    assert participant_figures(mondays(1), [Mark(START, "late")], START, None).hours_attended == 2.5


def test_hours_are_rounded_to_two_decimals():
    marks = [Mark(week(w), "late", arrived_at=dt.time(9, 50)) for w in range(3)]  # 2 h 10 min, three times
    assert participant_figures(mondays(3), marks, START, None).hours_attended == 6.5
    one_third = [Mark(START, "late", arrived_at=dt.time(11, 40))]
    assert participant_figures(mondays(1), one_third, START, None).hours_attended == 0.33


def test_absences_count_in_the_rate_but_bring_no_hours():
    marks = [Mark(week(0), "present"), Mark(week(1), "excused", reason="illness"), Mark(week(2), "unexcused")]
    figures = participant_figures(mondays(4), marks, START, None)
    assert figures == Figures(expected=4, present=1, late=0, left_early=0, excused=1, unexcused=1, unmarked=1,
                              hours_attended=2.5, rate=0.25)


def test_nothing_expected_gives_no_rate():
    assert participant_figures(mondays(3), [], week(5), None).rate is None
    assert participant_figures(mondays(2, cancelled=(0, 1)), [Mark(START, "present")], START, None) == Figures(
        0, 0, 0, 0, 0, 0, 0, 0.0, None)


def test_two_sessions_on_one_day_share_that_days_mark():
    day = [SessionSlot(START, dt.time(9), dt.time(12)), SessionSlot(START, dt.time(13), dt.time(16))]
    figures = participant_figures(day, [Mark(START, "late", arrived_at=dt.time(10))], START, None)
    assert (figures.expected, figures.late, figures.hours_attended) == (2, 2, 5.0)


def test_a_mark_without_a_known_status_leaves_the_session_unmarked():
    figures = participant_figures(mondays(1), [Mark(START, "")], START, None)
    assert (figures.unmarked, figures.rate) == (1, 0.0)


# -- figures of a module ----------------------------------------------------------------------------------------

def test_module_figures_add_up_the_participants():
    full = participant_figures(mondays(4), [Mark(week(w), "present") for w in range(4)], START, None)
    joined_late = participant_figures(mondays(4), [Mark(week(3), "late", arrived_at=dt.time(10))], week(2), None)
    assert module_figures([full, joined_late]) == Figures(
        expected=6, present=4, late=1, left_early=0, excused=0, unexcused=0, unmarked=1, hours_attended=12.0,
        rate=5 / 6)


def test_a_module_without_expected_sessions_has_no_rate():
    assert module_figures([]) == Figures(0, 0, 0, 0, 0, 0, 0, 0.0, None)


def test_module_hours_are_rounded_to_two_decimals():
    parts = [Figures(1, 1, 0, 0, 0, 0, 0, 0.33, 1.0)] * 3
    assert module_figures(parts).hours_attended == 0.99


# -- unexcused absences in a row --------------------------------------------------------------------------------

def test_the_streak_counts_unexcused_absences_at_the_end():
    marks = [Mark(week(0), "unexcused"), Mark(week(1), "present"), Mark(week(2), "unexcused"),
             Mark(week(3), "unexcused")]
    assert unexcused_streak(marks) == 2


def test_the_streak_follows_the_days_not_the_order_given():
    marks = [Mark(week(3), "unexcused"), Mark(week(0), "present"), Mark(week(2), "unexcused"),
             Mark(week(1), "unexcused")]
    assert unexcused_streak(marks) == 3


def test_coming_back_or_an_excused_absence_ends_the_streak():
    assert unexcused_streak([Mark(week(0), "unexcused"), Mark(week(1), "late", arrived_at=dt.time(10))]) == 0
    assert unexcused_streak([Mark(week(0), "unexcused"), Mark(week(1), "excused", reason="illness")]) == 0


def test_no_marks_no_streak():
    assert unexcused_streak([]) == 0


# -- properties -------------------------------------------------------------------------------------------------

days = st.dates(START, START + dt.timedelta(days=60))
times = st.times(dt.time(8), dt.time(18)).map(lambda t: t.replace(microsecond=0))
sessions = st.lists(st.builds(SessionSlot, day=days, starts_at=times, ends_at=times, held=st.booleans()),
                    max_size=15)
marks = st.lists(st.builds(Mark, day=days, status=st.sampled_from(STATUSES + ("",)),
                           arrived_at=st.none() | times, left_at=st.none() | times), max_size=20)


@given(sessions=sessions, marks=marks, enrolled_from=days, length=st.none() | st.integers(0, 60))
def test_figures_always_add_up(sessions, marks, enrolled_from, length):
    until = None if length is None else enrolled_from + dt.timedelta(days=length)
    f = participant_figures(sessions, marks, enrolled_from, until)
    assert f.present + f.late + f.left_early + f.excused + f.unexcused + f.unmarked == f.expected
    assert f.expected == sum(s.held and enrolled_from <= s.day and (until is None or s.day <= until)
                             for s in sessions)
    assert f.hours_attended >= 0
    if f.expected:
        assert 0 <= f.rate <= 1
    else:
        assert f.rate is None


@given(people=st.lists(st.tuples(sessions, marks, days), max_size=5))
def test_module_figures_always_add_up(people):
    per_person = [participant_figures(s, m, d, None) for s, m, d in people]
    f = module_figures(per_person)
    assert f.present + f.late + f.left_early + f.excused + f.unexcused + f.unmarked == f.expected
    assert f.rate is None if not f.expected else 0 <= f.rate <= 1


@given(marks=marks)
def test_the_streak_never_exceeds_the_unexcused_marks(marks):
    assert 0 <= unexcused_streak(marks) <= sum(m.status == "unexcused" for m in marks)
