"""Volunteering's rules without a database; each test names the domain.md rule (§2.8 VOL-01..05)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.spending.rules import BLOCK, WARN, Money
from planner.volunteering.caps import caps_of, years
from planner.volunteering.rules import (
    APPROVED, DECLINED, FLAT_RATE, NONE, PENDING, REAL_COSTS, Allowance, CapsError, approved_minutes,
    check_allowance, check_availability, check_host, check_informed, days_in_year, decision_problems,
    entry_problems, parse_caps,
)

D = dt.date


def rules(findings):
    return [(f.rule, f.level) for f in findings]


def test_vol_03_the_caps_are_data_per_year_indexed():
    assert (caps_of(2017).day_cap_cents, caps_of(2017).year_cap_cents) == (3336, 133455)
    assert (caps_of(2026).day_cap_cents, caps_of(2026).year_cap_cents) == (4402, 176083)
    assert set(range(2016, 2027)) <= set(years())
    with pytest.raises(LookupError):
        caps_of(1999)


def test_vol_03_a_caps_file_with_a_mistake_is_refused_naming_its_field():
    good = {"year": 2030, "day_cap_cents": 5000, "year_cap_cents": 200000, "warn_from_bp": 9000}
    assert parse_caps(good, "x.toml").year == 2030
    for change, field in (({"day_cap_cents": 300000}, "day_cap_cents"), ({"warn_from_bp": 12000}, "warn_from_bp"),
                          ({"year_cap_cents": "1659,29"}, "year_cap_cents"), ({"typo": 1}, "typo")):
        with pytest.raises(CapsError, match=f"x.toml: {field}"):
            parse_caps({**good, **change}, "x.toml")


def test_vol_01_a_placement_starting_before_the_cpas_was_told_is_flagged():
    assert check_informed(D(2026, 3, 2), D(2026, 2, 20)) == []
    assert check_informed(D(2026, 3, 2), D(2026, 3, 2)) == []
    late = check_informed(D(2026, 3, 2), D(2026, 3, 9))
    assert rules(late) == [("VOL-01", WARN)] and late[0].figures == {"start": D(2026, 3, 2), "told": D(2026, 3, 9)}
    assert rules(check_informed(D(2026, 3, 2), None)) == [("VOL-01", WARN)]


def test_vol_02_an_ri_beneficiary_stays_available_for_work():
    assert rules(check_availability(" ", True)) == [("VOL-02", WARN)]
    assert check_availability("Mornings only; job interviews come first", True) == []
    assert check_availability("", False) == []


def test_vol_04_a_non_profit_or_public_host_outside_the_family_and_not_the_paid_job():
    assert check_host("non_profit", False) == [] and check_host("public", False) == []
    assert rules(check_host("company", False)) == [("VOL-04", BLOCK)]
    assert rules(check_host("family", False)) == [("VOL-04", BLOCK)]
    assert rules(check_host("public", True)) == [("VOL-04", BLOCK)]


def test_vol_03_a_flat_rate_above_the_day_cap_is_refused_with_the_figures():
    caps = caps_of(2026)
    findings = check_allowance(Allowance(FLAT_RATE, 4500, 10), [], caps)
    assert rules(findings) == [("VOL-03", BLOCK)]
    assert findings[0].figures["cap"] == Money(4402)
    assert check_allowance(Allowance(FLAT_RATE, 4402, 10), [], caps) == []


def test_vol_03_the_running_total_warns_near_and_over_the_year_cap_all_placements_together():
    caps = caps_of(2026)  # EUR 1,760.83 a year
    near = check_allowance(Allowance(FLAT_RATE, 2000, 40), [Allowance(FLAT_RATE, 2000, 40)], caps)  # EUR 1,600
    assert rules(near) == [("VOL-03", WARN)] and near[0].figures["total"] == Money(160000)
    over = check_allowance(Allowance(FLAT_RATE, 2000, 45), [Allowance(FLAT_RATE, 2000, 45)], caps)  # EUR 1,800
    assert rules(over) == [("VOL-03", WARN)] and "income for the RI" in over[0].message
    assert check_allowance(Allowance(FLAT_RATE, 2000, 40), [], caps) == []  # EUR 800


def test_vol_03_flat_rate_and_real_costs_are_never_both_in_a_year():
    caps = caps_of(2026)
    assert rules(check_allowance(Allowance(REAL_COSTS), [Allowance(FLAT_RATE, 1000, 5)], caps)) == [
        ("VOL-03", BLOCK)]
    assert rules(check_allowance(Allowance(FLAT_RATE, 1000, 5), [Allowance(REAL_COSTS)], caps)) == [
        ("VOL-03", BLOCK)]
    assert check_allowance(Allowance(NONE), [Allowance(REAL_COSTS)], caps) == []
    with pytest.raises(ValueError):
        check_allowance(Allowance("cash"), [], caps)


def test_vol_05_a_placement_s_days_in_a_year_project_its_allowance():
    assert days_in_year(D(2026, 1, 1), None, 1, 2026) == 53  # 365 days: 53 weeks begun
    assert days_in_year(D(2026, 3, 2), D(2026, 3, 29), 2, 2026) == 8
    assert days_in_year(D(2025, 3, 2), D(2025, 12, 31), 2, 2026) == 0


@given(st.dates(D(2020, 1, 1), D(2027, 12, 31)), st.integers(0, 400), st.integers(0, 9))
def test_vol_05_days_never_exceed_the_weeks_of_the_year(start, length, weekdays):
    days = days_in_year(start, start + dt.timedelta(days=length), weekdays, 2026)
    assert 0 <= days <= 53 * 7


def test_hours_are_recorded_once_done_within_the_placement():
    today = D(2026, 11, 30)
    assert entry_problems(D(2026, 11, 30), 240, today, D(2026, 9, 1), None) == {}
    assert set(entry_problems(D(2026, 12, 1), 240, today, D(2026, 9, 1), None)) == {"day"}
    assert set(entry_problems(D(2026, 8, 31), 0, today, D(2026, 9, 1), None)) == {"day", "minutes"}
    assert set(entry_problems(D(2026, 11, 2), 17 * 60, today, D(2026, 9, 1), D(2026, 12, 31))) == {"minutes"}


def test_hours_are_approved_or_declined_with_a_reason_never_set_back():
    assert decision_problems(PENDING, APPROVED, "") == {}
    assert set(decision_problems(PENDING, DECLINED, " ")) == {"reason"}
    assert decision_problems(APPROVED, DECLINED, "Shift did not take place") == {}
    assert set(decision_problems(APPROVED, PENDING, "")) == {"state"}
    with pytest.raises(ValueError):
        decision_problems("deleted", APPROVED, "")
    assert approved_minutes([(APPROVED, 240), (PENDING, 120), (DECLINED, 60), (APPROVED, 30)]) == 270
