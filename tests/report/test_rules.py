"""The year's figures (domain.md §4.1–4.3, §6.4) and the cross-checks, pure: no database, no fixture."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planner.report.rules import (
    AGE_SUM, CAP, CHARGED, DOUBLE, E2_E1, GENDER_SUM, PIIS, RI, SUBSIDY, USERS, AttendanceFact, EvaluationFact,
    ExpenseFact, ModuleInput, PersonFact, SessionFact, StaffFact, SubsidyFact, YearInput, age_band, cross_checks,
    months_covered, year_figures,
)
from planner.spending.rulesets import load_ruleset

YEAR = 2017
THREE_HOURS = 3 * 3600


def switch_people() -> tuple[PersonFact, ...]:
    """§6.4: 11 enrolled, all CPAS users, 10 RI, 9 with a PIIS, 4 with the 10 % subsidy; 6 women, 5 men."""
    return tuple(PersonFact(i, "F" if i <= 6 else "M", dt.date(1970 + 3 * i, 5, 1), service_user=True, ri=i <= 10,
                            piis=i <= 9, piis_subsidy=i <= 4) for i in range(1, 12))


def switch_module() -> ModuleInput:
    """24 sessions of 3 h; 206 of 264 expected person-sessions attended (78 %)."""
    sessions = tuple(SessionFact(100 + k, dt.date(YEAR, 2, 1) + dt.timedelta(days=3 * k), THREE_HOURS)
                     for k in range(24))
    attended = [19] * 8 + [18] * 3  # 152 + 54 = 206
    return ModuleInput(1, 1, "SWITCH", "Switch", "activation_group", sessions=sessions,
                       attendance=tuple(AttendanceFact(i, 24, attended[i - 1]) for i in range(1, 12)))


def sport_module() -> ModuleInput:
    """§6.4 SPORT: 20 participants of whom 6 CPAS users, 10 sessions; 14 guests at every roll."""
    sessions = tuple(SessionFact(200 + k, dt.date(YEAR, 3, 1) + dt.timedelta(days=7 * k), 5400) for k in range(10))
    return ModuleInput(2, 2, "SPORT", "Sport", "sport", sessions=sessions,
                       attendance=tuple(AttendanceFact(i, 10, 10) for i in range(21, 27)), guests=14,
                       guest_sessions=140)


def six_four() -> YearInput:
    people = switch_people() + tuple(PersonFact(i, "M", dt.date(1990, 1, 1)) for i in range(21, 27))
    expenses = (
        ExpenseFact(1, 1, "operating", 90_000, 90_000, "B"),  # room rent
        ExpenseFact(2, 1, "operating", 45_000, 45_000, "B"),  # materials
        ExpenseFact(3, 1, "operating", 50_000, 50_000, "B"),  # transport tickets
        ExpenseFact(4, 2, "subcontracting", 240_000, 72_000, "B"),  # partner invoice, 30 % chargeable
    )
    animator = StaffFact(1, "Animator", "B", 5_200_000, 8_000, 3_500, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31),
                         (("preparation", 2_000), ("facilitation", 8_000)), module=1)
    evaluation = tuple(EvaluationFact(p, True, True, p <= 19, frozenset(
        (["socio_pro"] if p <= 4 else ["autonomy"] if p <= 16 else []) + (["volunteering"] if 15 <= p <= 19 else [])))
        for p in range(1, 32))
    return YearInput(7, YEAR, people=people, modules=(switch_module(), sport_module()), expenses=expenses,
                     staff=(animator,), granted_cents=(("A", 3_800_000), ("B", 4_600_000), ("C", 2_100_000)),
                     evaluation=evaluation, instrument="participation_ladder")


def test_rep_07_switch_2017_row_has_the_six_four_figures():
    row = year_figures(six_four()).module(1)
    assert (row.participants, len(row.users), len(row.ri), len(row.piis), len(row.piis_subsidy)) == (11, 11, 10, 9, 4)
    assert (row.sessions, row.hours, row.average_seconds) == (24, 72.0, THREE_HOURS)
    assert row.attendance_bp // 100 == 78
    assert (row.staff_cents, row.operating_cents, row.total_cents) == (1_456_000, 185_000, 1_641_000)
    assert (len(row.by_gender["F"]), len(row.by_gender["M"]), len(row.by_gender["X"])) == (6, 5, 0)


def test_rep_07_sport_charges_720_of_2400_and_counts_its_guests():
    row = year_figures(six_four()).module(2)
    assert (row.participants, len(row.users), row.share_bp) == (20, 6, 3_000)
    assert (row.subcontracting_cents, row.charged_cents, row.chargeable_cents) == (240_000, 72_000, 72_000)


def test_rep_07_evaluation_2017_e1_31_e2_19_with_non_exclusive_sub_counts():
    ev = year_figures(six_four()).evaluation
    assert (len(ev.e1), len(ev.e2), len(ev.e2a), len(ev.e2b), len(ev.e2c)) == (31, 19, 4, 12, 5)
    assert ev.e3 == "participation_ladder" and (ev.modules, ev.participants) == (2, 11 + 6 + 14)


def test_rep_07_e1_needs_a_social_piis_and_a_strand_b_attendance_and_e2_only_counts_e1():
    ev = year_figures(YearInput(7, YEAR, evaluation=(
        EvaluationFact(1, True, True, True, frozenset({"autonomy"})), EvaluationFact(2, False, True, True),
        EvaluationFact(3, True, False, True), EvaluationFact(1, True, True)))).evaluation
    assert (ev.e1, ev.e2, ev.e2b) == ((1,), (1,), (1,))


def test_cost_01_personnel_per_strand_with_the_caps_of_the_2017_rule_set():
    figures = year_figures(six_four())
    fund = load_ruleset("fonds-pas", YEAR)
    assert {s.strand: s.cap_bp for s in figures.personnel} == {s.code: s.personnel_cap_bp for s in fund.strands}
    assert [(s.strand, s.total_cents, s.cap_cents) for s in figures.personnel] == [
        ("A", 0, 380_000), ("B", 1_456_000, 4_600_000), ("C", 0, 210_000)]
    over = StaffFact(2, "Coordinator", "A", 5_000_000, 10_000, 1_000, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    data = six_four()
    findings = cross_checks(year_figures(YearInput(**{**data.__dict__, "staff": data.staff + (over,)})))
    assert [(f.rule, f.strand) for f in findings if f.rule == CAP] == [(CAP, "A")]
    assert findings[-1].figures["cap"].cents == 380_000 and findings[-1].figures["total"].cents == 500_000


def test_rep_07_the_six_four_year_passes_every_cross_check_but_the_guests_unknown_gender_and_age():
    findings = cross_checks(year_figures(six_four()))
    assert [(f.rule, f.module) for f in findings] == [(GENDER_SUM, 2), (AGE_SUM, 2)]
    assert findings[0].figures == {"module": "SPORT", "sum": 6, "participants": 20}


def test_rep_07_charging_more_than_the_chargeable_share_is_found_with_its_figures():
    data = six_four()
    expenses = data.expenses[:3] + (ExpenseFact(4, 2, "subcontracting", 240_000, 100_000, "B"),)
    findings = [f for f in cross_checks(year_figures(YearInput(**{**data.__dict__, "expenses": expenses})))
                if f.rule == CHARGED]
    assert len(findings) == 1 and findings[0].module == 2
    assert findings[0].figures["most"].cents == 72_000 and findings[0].figures["charged"].cents == 100_000


def test_sub_piis_05_bilan_time_on_subsidised_people_is_the_subsidys_and_found_when_strand_b_charges_it():
    data = six_four()
    with_bilan = StaffFact(1, "Animator", "B", 5_200_000, 8_000, 3_500, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31),
                           (("facilitation", 9_000), ("bilan_social", 1_000)), module=1)
    subsidy = (SubsidyFact(1, dt.date(YEAR, 3, 1), dt.date(YEAR + 1, 2, 28)),
               SubsidyFact(2, dt.date(YEAR - 1, 6, 1), dt.date(YEAR, 5, 31)))
    figures = year_figures(YearInput(**{**data.__dict__, "staff": (with_bilan,), "subsidy": subsidy}))
    # 10 % of €14,560 is bilan time; 4 of SWITCH's 11 have the 10 %: €1,456 × 4/11, rounded up = €529.46
    assert [(c.module, c.cents) for c in figures.subsidy.costs] == [(1, 145_600 - 145_600 * 7 // 11)]
    assert [p.months for p in figures.subsidy.people] == [5, 10] and figures.subsidy.months == 15
    assert [f.rule for f in cross_checks(figures) if f.rule == DOUBLE] == [DOUBLE]


def test_sub_piis_02_months_covered_in_the_year():
    assert months_covered(dt.date(2017, 2, 1), dt.date(2018, 1, 31), 2017) == 11
    assert months_covered(dt.date(2016, 1, 1), dt.date(2016, 12, 31), 2017) == 0


def test_rep_07_age_bands_on_the_first_of_january():
    on = dt.date(2017, 1, 1)
    assert [age_band(dt.date(y, m, d), on) for y, m, d in ((1992, 1, 2), (1992, 1, 1), (1967, 1, 2), (1967, 1, 1))
            ] == ["under_25", "25_49", "25_49", "50_plus"]
    assert age_band(None, on) is None


people_strategy = st.lists(st.tuples(st.sampled_from("MFX?"), st.booleans(), st.booleans(), st.booleans(),
                                     st.booleans(), st.integers(0, 3)), max_size=12)


def year_of(people, guests: int) -> YearInput:
    facts = tuple(PersonFact(i, g, dt.date(1960, 1, 1) if g != "?" else None, u, r, p, s)
                  for i, (g, u, r, p, s, _) in enumerate(people))
    attendance = tuple(AttendanceFact(i, 3, a) for i, (*_, a) in enumerate(people))
    module = ModuleInput(1, 1, "M", "M", "sport", sessions=(SessionFact(1, dt.date(YEAR, 1, 2), 3600),) * 3,
                         attendance=attendance, guests=guests, guest_sessions=guests * 3)
    return YearInput(1, YEAR, people=facts, modules=(module,))


@given(people_strategy, st.integers(0, 3))
def test_rep_07_each_count_check_fires_exactly_when_its_inequality_breaks(people, guests):
    figures = year_figures(year_of(people, guests))
    row = figures.modules[0]
    rules = {f.rule for f in cross_checks(figures)}
    came = [p for p in people if p[5] > 0]
    assert (USERS in rules) == (sum(p[1] for p in came) > len(came) + guests)
    assert (RI in rules) == (sum(p[2] for p in came) > sum(p[1] for p in came))
    assert (PIIS in rules) == (sum(p[3] for p in came) > sum(p[2] for p in came))
    assert (SUBSIDY in rules) == (sum(p[4] for p in came) > sum(p[3] for p in came))
    assert (GENDER_SUM in rules) == (guests > 0 or any(p[0] == "?" for p in came))
    assert (AGE_SUM in rules) == (guests > 0 or any(p[0] == "?" for p in came))
    assert row.participants == len(came) + guests


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), max_size=20))
def test_rep_07_e2_never_exceeds_e1_from_the_register(facts):
    ev = year_figures(YearInput(1, YEAR, evaluation=tuple(
        EvaluationFact(i, a, b, c, frozenset({"autonomy"}) if c else frozenset()) for i, (a, b, c) in
        enumerate(facts)))).evaluation
    assert set(ev.e2) <= set(ev.e1) and E2_E1 not in {f.rule for f in cross_checks(year_figures(YearInput(1, YEAR)))}


@given(st.integers(0, 10**7), st.integers(0, 10**7), st.integers(0, 10_000), st.integers(0, 10**7))
def test_cost_06_the_charge_check_fires_exactly_above_cost_minus_other_funding_times_share(cost, other, share, charged):
    module = ModuleInput(1, 1, "M", "M", "sport", share_bp=share)
    data = YearInput(1, YEAR, modules=(module,), expenses=(ExpenseFact(1, 1, "operating", cost, charged, "B", other),))
    findings = [f for f in cross_checks(year_figures(data)) if f.rule == CHARGED]
    assert bool(findings) == (charged > max(0, cost - other) * share // 10_000)
