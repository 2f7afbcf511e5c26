import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planner.enrolment.rules import (
    END_REASONS, STATUSES, Decision, WaitlistEntry, composition_message, decide_acceptance, end_problems,
    expected_sessions, fits_composition, is_enrolled_on, promotions, seats_left, waitlist_order,
)

NOON = dt.datetime(2026, 9, 1, 12, 0)
START = dt.date(2026, 9, 7)
SERIES_END = dt.date(2026, 11, 23)


def waiting(enrolment_id: int, gender: str = "F", minutes: int = 0, override: bool = False) -> WaitlistEntry:
    return WaitlistEntry(enrolment_id, gender, NOON + dt.timedelta(minutes=minutes), override)


def ids(entries) -> list[int]:
    return [e.enrolment_id for e in entries]


def test_the_lists_name_every_status_and_end_reason():
    assert STATUSES == ("proposed", "refused", "waitlisted", "enrolled", "ended")
    assert "job" in END_REASONS and "other" in END_REASONS


# -- places -----------------------------------------------------------------------------------------------------

def test_seats_left_counts_down_and_never_goes_negative():
    assert seats_left(12, 0) == 12
    assert seats_left(12, 11) == 1
    assert seats_left(12, 12) == 0
    assert seats_left(10, 12) == 0  # capacity lowered after enrolment


# -- composition ------------------------------------------------------------------------------------------------

def test_a_mixed_group_takes_everyone():
    assert all(fits_composition("mixed", g) for g in ("F", "M", "X"))


def test_a_women_group_takes_women_only():
    assert fits_composition("women", "F")
    assert not fits_composition("women", "M")
    assert not fits_composition("women", "X")


def test_a_men_group_takes_men_only():
    assert fits_composition("men", "M")
    assert not fits_composition("men", "F")
    assert not fits_composition("men", "X")


def test_the_composition_message_explains_a_single_gender_group():
    assert composition_message("women") == "This group is for women only."
    assert composition_message("men") == "This group is for men only."
    assert composition_message("mixed") == ""


# -- accepting a proposal ---------------------------------------------------------------------------------------

def test_someone_who_fits_is_enrolled_while_places_are_left():
    assert decide_acceptance(12, 11, "mixed", "M", override=False) == Decision("enrol")


def test_someone_who_fits_a_full_group_goes_on_the_waitlist():
    assert decide_acceptance(12, 12, "women", "F", override=False) == Decision("waitlist")


def test_a_man_proposed_for_a_women_group_is_refused_with_the_reason():
    assert decide_acceptance(12, 3, "women", "M", override=False) == Decision(
        "refuse_composition", "This group is for women only.")


def test_composition_is_checked_before_the_places():
    assert decide_acceptance(12, 12, "men", "X", override=False).outcome == "refuse_composition"


def test_a_coordinator_override_lets_a_person_into_a_single_gender_group():
    assert decide_acceptance(12, 3, "women", "X", override=True) == Decision("enrol")
    assert decide_acceptance(12, 12, "women", "X", override=True) == Decision("waitlist")


# -- the waitlist -----------------------------------------------------------------------------------------------

def test_the_waitlist_is_first_come_first_served():
    assert ids(waitlist_order([waiting(1, minutes=30), waiting(2, minutes=10), waiting(3, minutes=20)])) == [2, 3, 1]


def test_people_queued_at_the_same_moment_are_ordered_by_enrolment():
    assert ids(waitlist_order([waiting(9), waiting(4), waiting(6)])) == [4, 6, 9]


def test_the_last_place_goes_to_the_first_on_the_waitlist():
    promoted, skipped = promotions(12, 11, [waiting(2, minutes=5), waiting(1, minutes=1)], "mixed")
    assert ids(promoted) == [1]
    assert skipped == []


def test_no_one_is_promoted_when_the_group_is_full():
    assert promotions(12, 12, [waiting(1)], "mixed") == ([], [])
    assert promotions(10, 12, [waiting(1)], "mixed") == ([], [])


def test_an_empty_waitlist_promotes_no_one():
    assert promotions(12, 5, [], "women") == ([], [])


def test_several_freed_places_are_filled_in_order():
    promoted, _ = promotions(12, 9, [waiting(i, minutes=i) for i in range(1, 6)], "mixed")
    assert ids(promoted) == [1, 2, 3]


def test_someone_who_does_not_fit_is_skipped_and_keeps_waiting():
    queue = [waiting(1, "M", minutes=1), waiting(2, "F", minutes=2), waiting(3, "X", minutes=3), waiting(4, "F", 4)]
    promoted, skipped = promotions(12, 10, queue, "women")
    assert ids(promoted) == [2, 4]
    assert ids(skipped) == [1, 3]


def test_people_behind_the_last_free_place_are_not_reported_as_skipped():
    queue = [waiting(1, "F", minutes=1), waiting(2, "M", minutes=2)]
    assert promotions(12, 11, queue, "women") == ([queue[0]], [])


def test_an_accepted_exception_is_promoted_in_turn():
    queue = [waiting(1, "X", minutes=1, override=True), waiting(2, "M", minutes=2)]
    promoted, skipped = promotions(12, 11, queue, "men")
    assert ids(promoted) == [1]
    assert skipped == []


entries = st.lists(
    st.builds(WaitlistEntry, enrolment_id=st.integers(1, 10_000), gender=st.sampled_from("FMX"),
              queued_at=st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 3)), override=st.booleans()),
    max_size=20, unique_by=lambda e: e.enrolment_id)


@given(capacity=st.integers(0, 15), enrolled=st.integers(0, 20), waitlist=entries,
       composition=st.sampled_from(("mixed", "women", "men")))
def test_promotions_fill_at_most_the_free_places_in_waitlist_order_with_fitting_people(
        capacity, enrolled, waitlist, composition):
    promoted, skipped = promotions(capacity, enrolled, waitlist, composition)
    order = ids(waitlist_order(waitlist))
    assert len(promoted) <= seats_left(capacity, enrolled)
    assert ids(promoted) == [i for i in order if i in set(ids(promoted))]
    assert all(e.override or fits_composition(composition, e.gender) for e in promoted)
    assert not any(e.override or fits_composition(composition, e.gender) for e in skipped)
    assert set(ids(promoted)).isdisjoint(ids(skipped))
    # no fitting person is left waiting while a place stays free
    if len(promoted) < seats_left(capacity, enrolled):
        assert len(promoted) + len(skipped) == len(waitlist)


# -- dates of an enrolment --------------------------------------------------------------------------------------

def test_someone_who_joins_in_week_4_is_not_expected_in_weeks_1_to_3():
    week = [START + dt.timedelta(weeks=w) for w in range(6)]
    assert not is_enrolled_on(week[3], None, week[2])
    assert is_enrolled_on(week[3], None, week[3])
    assert expected_sessions(week[3], None, week) == week[3:]


def test_the_end_day_itself_is_still_expected():
    end = START + dt.timedelta(weeks=2)
    assert is_enrolled_on(START, end, end)
    assert not is_enrolled_on(START, end, end + dt.timedelta(days=1))


def test_an_open_ended_enrolment_covers_every_later_session():
    assert is_enrolled_on(START, None, dt.date(2030, 1, 1))


def test_expected_sessions_keep_only_the_days_of_the_enrolment_in_date_order():
    days = [START + dt.timedelta(days=d) for d in (21, 0, 7, 14, 28)]
    assert expected_sessions(START + dt.timedelta(days=7), START + dt.timedelta(days=21), days) == [
        START + dt.timedelta(days=d) for d in (7, 14, 21)]


# -- ending an enrolment ----------------------------------------------------------------------------------------

def test_an_early_end_needs_a_reason():
    assert end_problems(START, dt.date(2026, 10, 1), "", SERIES_END) == {"reason": "Choose why the enrolment ends."}
    assert end_problems(START, dt.date(2026, 10, 1), "bored", SERIES_END).keys() == {"reason"}


def test_an_early_end_with_a_known_reason_is_fine():
    for reason in END_REASONS:
        assert end_problems(START, dt.date(2026, 10, 1), reason, SERIES_END) == {}


def test_ending_with_the_series_needs_no_reason():
    assert end_problems(START, SERIES_END, "", SERIES_END) == {}
    assert end_problems(START, SERIES_END + dt.timedelta(days=3), "", SERIES_END) == {}


def test_the_end_cannot_come_before_the_start():
    problems = end_problems(START, START - dt.timedelta(days=1), "moved", SERIES_END)
    assert problems == {"end": "The end date cannot be before the start date."}
    assert end_problems(START, START, "moved", SERIES_END) == {}  # leaving after the first session


def test_an_enrolment_without_an_end_has_nothing_to_check():
    assert end_problems(START, None, "", SERIES_END) == {}
