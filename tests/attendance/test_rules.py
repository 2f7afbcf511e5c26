import datetime as dt
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from planner.attendance.rules import (
    ATTENDED, EXCUSE_REASONS, STATUSES, Tap, current_marks, tap_problems, tap_time_problems, winning_tap,
)

BRUSSELS = dt.timezone(dt.timedelta(hours=2))
MORNING = dt.datetime(2026, 9, 7, 9, 30, tzinfo=BRUSSELS)


def tap(client_id: str, person_id: int = 1, status: str = "present", minute: int = 0, received: int | None = None,
        **details) -> Tap:
    device_time = MORNING + dt.timedelta(minutes=minute)
    received_at = device_time + dt.timedelta(minutes=minute if received is None else received - minute)
    return Tap(client_id, person_id, status, device_time, received_at, **details)


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


# ---- issue 18: when a roll takes taps, notes, undo -------------------------------------------------------

def test_roll_not_open_before_its_day_and_open_on_it_and_after():
    from planner.attendance.rules import roll_not_open, roll_opens_on

    day = dt.date(2026, 12, 7)
    assert roll_not_open(day, dt.date(2026, 12, 6))
    assert not roll_not_open(day, day) and not roll_not_open(day, dt.date(2027, 1, 4))
    assert roll_opens_on(day, 2) == dt.date(2026, 12, 5) and not roll_not_open(day, dt.date(2026, 12, 5), 2)
    assert roll_opens_on(day, -3) == day  # a negative setting opens nothing earlier nor later


def test_roll_note_is_cleaned_and_cut_at_500_characters():
    from planner.attendance.rules import REMARK_MAX, clean_remark

    assert clean_remark("  came with\x00 her child \r\nleft at 11  ") == "came with her child\nleft at 11"
    assert len(clean_remark("x" * 2000)) == REMARK_MAX == 500


def test_roll_undo_clears_only_marks_still_set_by_the_bulk_action():
    from planner.attendance.rules import undoable

    t = dt.datetime(2026, 12, 7, 9, 31, tzinfo=dt.timezone.utc)
    assert undoable("bulk-1:42", "bulk-1", "present", "present", t, t)
    assert not undoable("bulk-10:42", "bulk-1", "present", "present", t, t)  # another action's id
    assert not undoable("bulk-1:42", "bulk-1", "late", "present", t, t)  # tapped since
    assert not undoable("bulk-1:42", "bulk-1", "present", "present", t + dt.timedelta(seconds=5), t)  # tapped again


def test_att_a_typed_time_outside_the_session_is_a_problem_and_its_edges_are_not():
    problems = tap_time_problems(tap("a", status="late", arrived_at=dt.time(8)), dt.time(13, 30), dt.time(16))
    assert problems == {"arrived_at": "The arrival time must be between %(start)s and %(end)s, the session's times."}
    assert tap_time_problems(tap("a", status="late", arrived_at=dt.time(13, 30)), dt.time(13, 30), dt.time(16)) == {}
    assert tap_time_problems(tap("a", status="left_early", left_at=dt.time(16)), dt.time(13, 30), dt.time(16)) == {}
    assert tap_time_problems(tap("a", status="left_early", left_at=dt.time(16, 1)), dt.time(13, 30),
                             dt.time(16)).keys() == {"left_at"}
