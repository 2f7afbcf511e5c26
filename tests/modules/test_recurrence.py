import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.modules.rules.recurrence import (
    BRUSSELS, REGIONS, Recurrence, SkippedDate, candidate_dates, days_off, local_span, plan_dates,
    recurrence_problems, reconcile,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
NINE, NOON = dt.time(9), dt.time(12)


def weekly(start, end, *weekdays, interval=1, starts_at=NINE, ends_at=NOON) -> Recurrence:
    return Recurrence("weekly", start, end, starts_at, ends_at, weekdays=weekdays, interval=interval)


def monthly(start, end, nth, weekday) -> Recurrence:
    return Recurrence("monthly", start, end, NINE, NOON, nth=nth, weekday=weekday)


def d(year, month, day) -> dt.date:
    return dt.date(year, month, day)


def skipped_days(rule, region="wallonia", closures=None, language="fr"):
    return {s.day: s for s in plan_dates(rule, region, closures or {}, language)[1]}


# -- the dates a rule gives ---------------------------------------------------------------------------------------

EASTER_WEEKS = weekly(d(2026, 3, 30), d(2026, 4, 16), MON, THU)


def test_weekly_rule_gives_each_chosen_weekday_in_order():
    assert candidate_dates(EASTER_WEEKS) == [d(2026, 3, 30), d(2026, 4, 2), d(2026, 4, 6), d(2026, 4, 9),
                                             d(2026, 4, 13), d(2026, 4, 16)]


def test_weekly_rule_skips_easter_monday_with_its_french_name():
    kept, skipped = plan_dates(EASTER_WEEKS, "wallonia", {}, "fr")
    assert skipped == [SkippedDate(d(2026, 4, 6), "public_holiday", "Lundi de Pâques")]
    assert kept == [d(2026, 3, 30), d(2026, 4, 2), d(2026, 4, 9), d(2026, 4, 13), d(2026, 4, 16)]


@pytest.mark.parametrize(("language", "name"), [("nl", "Paasmaandag"), ("de", "Ostermontag"),
                                                ("en", "Easter Monday"), ("fr_BE", "Lundi de Pâques")])
def test_easter_monday_is_named_in_the_requested_language(language, name):
    assert skipped_days(EASTER_WEEKS, "flanders", language=language)[d(2026, 4, 6)].name == name


def test_every_two_weeks_counts_weeks_from_the_week_of_the_start():
    # starts on a Thursday: that week's Wednesday is before the start, so the first session is two weeks later
    rule = weekly(d(2026, 9, 3), d(2026, 10, 31), WED, interval=2)
    assert candidate_dates(rule) == [d(2026, 9, 16), d(2026, 9, 30), d(2026, 10, 14), d(2026, 10, 28)]


def test_every_three_weeks_on_two_days():
    rule = weekly(d(2026, 9, 7), d(2026, 10, 18), MON, FRI, interval=3)
    assert candidate_dates(rule) == [d(2026, 9, 7), d(2026, 9, 11), d(2026, 9, 28), d(2026, 10, 2)]


def test_monthly_second_tuesday():
    rule = monthly(d(2026, 9, 1), d(2026, 12, 31), 2, TUE)
    assert candidate_dates(rule) == [d(2026, 9, 8), d(2026, 10, 13), d(2026, 11, 10), d(2026, 12, 8)]


def test_monthly_last_friday():
    rule = monthly(d(2026, 1, 1), d(2026, 3, 31), -1, FRI)
    assert candidate_dates(rule) == [d(2026, 1, 30), d(2026, 2, 27), d(2026, 3, 27)]


def test_monthly_rule_leaves_out_a_month_whose_date_is_outside_the_period():
    # 2nd Tuesday of September 2026 is the 8th, before the start; December's is the 8th, after the end
    rule = monthly(d(2026, 9, 10), d(2026, 12, 7), 2, TUE)
    assert candidate_dates(rule) == [d(2026, 10, 13), d(2026, 11, 10)]


def test_a_single_day_period_gives_that_day_when_it_matches():
    assert candidate_dates(weekly(d(2026, 9, 7), d(2026, 9, 7), MON)) == [d(2026, 9, 7)]
    assert candidate_dates(weekly(d(2026, 9, 7), d(2026, 9, 7), TUE)) == []


# -- leap years ---------------------------------------------------------------------------------------------------

def test_weekly_tuesday_in_2028_includes_29_february():
    dates = candidate_dates(weekly(d(2028, 2, 1), d(2028, 3, 10), TUE))
    assert d(2028, 2, 29) in dates
    assert dates == [d(2028, 2, 1), d(2028, 2, 8), d(2028, 2, 15), d(2028, 2, 22), d(2028, 2, 29), d(2028, 3, 7)]


def test_monthly_last_tuesday_of_february_2028_is_the_29th():
    assert candidate_dates(monthly(d(2028, 1, 1), d(2028, 3, 31), -1, TUE)) == [
        d(2028, 1, 25), d(2028, 2, 29), d(2028, 3, 28)]


def test_rule_spanning_february_2027_goes_from_the_28th_to_1_march():
    every_day = weekly(d(2027, 2, 26), d(2027, 3, 2), *range(7))
    assert candidate_dates(every_day) == [d(2027, 2, 26), d(2027, 2, 27), d(2027, 2, 28), d(2027, 3, 1),
                                          d(2027, 3, 2)]
    assert candidate_dates(monthly(d(2027, 1, 1), d(2027, 3, 31), -1, SUN)) == [
        d(2027, 1, 31), d(2027, 2, 28), d(2027, 3, 28)]


# -- community holidays and closures ------------------------------------------------------------------------------

FRIDAYS_JULY_2025 = weekly(d(2025, 7, 1), d(2025, 7, 31), FRI)  # 11 July 2025 is a Friday
MONDAYS_AUTUMN_2027 = weekly(d(2027, 9, 20), d(2027, 11, 22), MON)  # 27 Sept and 15 Nov 2027 are Mondays


def test_11_july_is_skipped_only_in_flanders():
    flanders = skipped_days(FRIDAYS_JULY_2025, "flanders", language="nl")
    assert flanders == {d(2025, 7, 11): SkippedDate(d(2025, 7, 11), "community_holiday",
                                                     "Feest van de Vlaamse Gemeenschap")}
    for region in ("wallonia", "brussels", "german"):
        assert skipped_days(FRIDAYS_JULY_2025, region) == {}


@pytest.mark.parametrize("region", ["wallonia", "brussels"])
def test_27_september_is_skipped_in_wallonia_and_brussels(region):
    skipped = skipped_days(MONDAYS_AUTUMN_2027, region)
    assert skipped[d(2027, 9, 27)] == SkippedDate(d(2027, 9, 27), "community_holiday",
                                                  "Fête de la Fédération Wallonie-Bruxelles")
    assert d(2027, 11, 15) not in skipped


def test_15_november_is_skipped_only_for_the_german_speaking_community():
    skipped = skipped_days(MONDAYS_AUTUMN_2027, "german", language="de")
    assert skipped[d(2027, 11, 15)] == SkippedDate(d(2027, 11, 15), "community_holiday",
                                                   "Tag der Deutschsprachigen Gemeinschaft")
    assert d(2027, 9, 27) not in skipped
    assert d(2027, 11, 15) not in skipped_days(MONDAYS_AUTUMN_2027, "flanders")


def test_every_region_skips_the_public_holidays_too():
    for region in REGIONS:
        assert skipped_days(MONDAYS_AUTUMN_2027, region)[d(2027, 11, 1)].reason == "public_holiday"  # All Saints


@pytest.mark.parametrize(("language", "name"), [("fr", "Fête de la Communauté flamande"),
                                                ("de", "Feiertag der Flämischen Gemeinschaft"),
                                                ("en", "Day of the Flemish Community")])
def test_community_holiday_is_named_in_the_requested_language(language, name):
    assert skipped_days(FRIDAYS_JULY_2025, "flanders", language=language)[d(2025, 7, 11)].name == name


def test_closure_day_is_skipped_with_its_label():
    closures = {d(2026, 4, 9): "Journée pédagogique du CPAS"}
    skipped = skipped_days(EASTER_WEEKS, closures=closures)
    assert skipped[d(2026, 4, 9)] == SkippedDate(d(2026, 4, 9), "closure", "Journée pédagogique du CPAS")


def test_public_holiday_beats_a_closure_on_the_same_day():
    skipped = skipped_days(EASTER_WEEKS, closures={d(2026, 4, 6): "Fermeture"})
    assert skipped[d(2026, 4, 6)] == SkippedDate(d(2026, 4, 6), "public_holiday", "Lundi de Pâques")


def test_days_off_has_the_twelve_public_holidays_and_the_community_day_but_no_school_holidays():
    off = days_off([2026], "wallonia", {}, "fr")
    assert sum(s.reason == "public_holiday" for s in off.values()) == 12
    assert [s.day for s in off.values() if s.reason == "community_holiday"] == [d(2026, 9, 27)]
    assert d(2026, 10, 26) not in off  # autumn school holidays are not days off for a CPAS
    assert d(2026, 4, 3) not in off  # Good Friday is only a bank holiday


def test_days_off_refuses_an_unknown_region_or_language():
    with pytest.raises(ValueError):
        days_off([2026], "luxembourg", {}, "fr")
    with pytest.raises(ValueError):
        days_off([2026], "flanders", {}, "es")


# -- wall-clock time across DST -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("before", "after"), [(d(2026, 3, 23), d(2026, 3, 30)), (d(2026, 10, 19), d(2026, 10, 26))])
def test_nine_oclock_session_stays_at_nine_local_across_dst(before, after):
    kept, _ = plan_dates(weekly(before, after, MON), "wallonia", {}, "fr")
    assert kept == [before, after]
    spans = [local_span(day, NINE, NOON) for day in kept]
    assert [(start.hour, end.hour) for start, end in spans] == [(9, 12), (9, 12)]
    assert all(start.tzinfo is BRUSSELS for start, _ in spans)
    offsets = [start.utcoffset() for start, _ in spans]
    hour = dt.timedelta(hours=1)
    assert offsets == ([hour, 2 * hour] if before.month == 3 else [2 * hour, hour])


def test_local_span_is_eight_utc_in_winter_and_seven_utc_in_summer():
    winter, _ = local_span(d(2026, 1, 12), NINE, NOON)
    summer, _ = local_span(d(2026, 7, 13), NINE, NOON)
    assert winter.astimezone(dt.timezone.utc).hour == 8
    assert summer.astimezone(dt.timezone.utc).hour == 7


def test_local_span_moves_a_time_in_the_spring_forward_gap_to_a_real_instant():
    start, _ = local_span(d(2026, 3, 29), dt.time(2, 30), dt.time(4))
    assert (start.hour, start.minute, start.utcoffset()) == (3, 30, dt.timedelta(hours=2))


# -- editing a recurrence -----------------------------------------------------------------------------------------

def test_reconcile_keeps_attended_sessions_and_does_not_recreate_existing_ones():
    existing = [(1, d(2026, 9, 7), False),  # still planned: kept as it is
                (2, d(2026, 9, 14), True),  # off the plan but attended: kept
                (3, d(2026, 9, 21), False)]  # off the plan: deleted
    planned = [d(2026, 9, 7), d(2026, 9, 10), d(2026, 9, 17)]
    assert reconcile(existing, planned) == ([3], [d(2026, 9, 10), d(2026, 9, 17)])


def test_reconcile_with_nothing_changed_does_nothing():
    existing = [(1, d(2026, 9, 7), False), (2, d(2026, 9, 14), True)]
    assert reconcile(existing, [d(2026, 9, 7), d(2026, 9, 14)]) == ([], [])


def test_reconcile_of_a_new_module_creates_every_planned_day():
    assert reconcile([], [d(2026, 9, 14), d(2026, 9, 7)]) == ([], [d(2026, 9, 7), d(2026, 9, 14)])


# -- invalid rules ------------------------------------------------------------------------------------------------

VALID = weekly(d(2026, 9, 1), d(2027, 6, 30), MON)


def test_a_valid_rule_has_no_problems():
    assert recurrence_problems(VALID) == {}
    assert recurrence_problems(monthly(d(2026, 9, 1), d(2027, 6, 30), -1, FRI)) == {}


@pytest.mark.parametrize(("changes", "field"), [
    ({"end": d(2026, 8, 31)}, "end"),
    ({"end": d(2026, 9, 1) + dt.timedelta(days=366 * 2 + 1)}, "end"),
    ({"ends_at": NINE}, "ends_at"),
    ({"ends_at": dt.time(8)}, "ends_at"),
    ({"weekdays": ()}, "weekdays"),
    ({"weekdays": (MON, 7)}, "weekdays"),
    ({"weekdays": (-1,)}, "weekdays"),
    ({"interval": 0}, "interval"),
    ({"interval": 9}, "interval"),
    ({"kind": "daily"}, "kind"),
    ({"kind": "monthly", "nth": 5}, "nth"),
    ({"kind": "monthly", "nth": 0}, "nth"),
    ({"kind": "monthly", "weekday": 7}, "weekday"),
])
def test_each_invalid_rule_has_a_problem_on_its_field(changes, field):
    rule = Recurrence(**{**VALID.__dict__, **changes})
    problems = recurrence_problems(rule)
    assert list(problems) == [field]
    assert problems[field].endswith(".")


def test_a_period_of_exactly_two_years_is_allowed():
    assert recurrence_problems(weekly(d(2026, 9, 1), d(2026, 9, 1) + dt.timedelta(days=366 * 2), MON)) == {}


def test_candidate_dates_refuses_an_invalid_rule():
    with pytest.raises(ValueError):
        candidate_dates(weekly(d(2026, 9, 1), d(2026, 9, 30), MON, interval=0))


# -- properties ---------------------------------------------------------------------------------------------------

@st.composite
def weekly_rules(draw) -> Recurrence:
    start = draw(st.dates(min_value=d(2024, 1, 1), max_value=d(2032, 12, 31)))
    end = start + dt.timedelta(days=draw(st.integers(0, 366 * 2)))
    weekdays = tuple(draw(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True)))
    return weekly(start, end, *weekdays, interval=draw(st.integers(1, 8)))


@settings(deadline=None)
@given(weekly_rules())
def test_weekly_candidates_are_sorted_unique_in_range_and_on_the_chosen_weekdays(rule):
    dates = candidate_dates(rule)
    assert dates == sorted(set(dates))
    assert all(rule.start <= day <= rule.end and day.weekday() in rule.weekdays for day in dates)


@settings(deadline=None)
@given(weekly_rules())
def test_weekly_candidates_fall_in_weeks_counted_from_the_start_week(rule):
    first_monday = rule.start - dt.timedelta(days=rule.start.weekday())
    assert all(((day - first_monday).days // 7) % rule.interval == 0 for day in candidate_dates(rule))


@settings(deadline=None, max_examples=50)
@given(weekly_rules(), st.sampled_from(REGIONS), st.sampled_from(["fr", "nl", "de", "en"]),
       st.lists(st.dates(min_value=d(2024, 1, 1), max_value=d(2034, 12, 31)), max_size=10))
def test_plan_dates_splits_the_candidates_into_kept_and_skipped(rule, region, language, closure_days):
    closures = {day: "Closed" for day in closure_days}
    kept, skipped = plan_dates(rule, region, closures, language)
    skipped_set = {s.day for s in skipped}
    assert set(kept) | skipped_set == set(candidate_dates(rule))
    assert not set(kept) & skipped_set
    assert kept == sorted(kept) and [s.day for s in skipped] == sorted(skipped_set)
    assert all(s.reason != "closure" or s.day in closures for s in skipped)


@settings(deadline=None)
@given(st.dates(min_value=d(2024, 1, 1), max_value=d(2032, 12, 31)), st.integers(0, 366 * 2),
       st.sampled_from([1, 2, 3, 4, -1]), st.integers(0, 6))
def test_monthly_candidates_are_the_nth_weekday_of_their_month(start, length, nth, weekday):
    rule = monthly(start, start + dt.timedelta(days=length), nth, weekday)
    for day in candidate_dates(rule):
        assert day.weekday() == weekday and rule.start <= day <= rule.end
        if nth == -1:
            assert (day + dt.timedelta(weeks=1)).month != day.month
        else:
            assert (day.day - 1) // 7 + 1 == nth
