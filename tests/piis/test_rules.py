"""The PIIS rules, without a database: each test names the domain.md rule it checks (§2, §4.3, §5, §6.4)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.attendance.figures import Mark, Participant, SessionSlot
from planner.piis.law import all_laws, law_on
from planner.piis.rules import (
    AUTONOMY, BLOCK, DUE, EXEMPT, INTERVIEW, LATE, LIKERT, MANDATORY, MATRIX, OPTIONAL, ORDINAL, OTHER,
    PROLONGATION, FIRST_GRANT, SOCIO_PRO, VOLUNTEERING, WARN, ANY_DOMAIN, Done, LawError, add_months,
    cadence_of, check_scores, check_subsidy, check_year, days_left, due_state, ending_soon, evidence_since, move,
    obligation, parse_law, plan, printable, progressed, required_in_year, signing_findings, silent_too_long,
    subsidy_ends, subsidy_starts, year_progress,
)

LAW = law_on(dt.date(2017, 1, 1))
D = dt.date


def rules(findings):
    return [(f.rule, f.level) for f in findings]


# -- the law as data ---------------------------------------------------------------------------------------------

def test_the_2016_reform_is_read_from_its_file_and_nothing_older_is_pretended():
    assert law_on(D(2026, 11, 30)).in_force_from == D(2016, 11, 1)
    assert (LAW.conclude_within_months, LAW.reflection_days, LAW.evaluations_per_year, LAW.interviews_per_year) == (
        3, 5, 3, 2)
    with pytest.raises(LookupError):
        law_on(D(2016, 10, 31))
    assert len(all_laws()) >= 1


def test_a_law_file_with_a_mistake_is_refused_naming_the_file_and_field():
    good = {"in_force_from": D(2016, 11, 1), "mandatory_for": "all", "types": {"11": {"valid_from": D(2016, 11, 1)}},
            **{f: 3 for f in ("new_if_no_ri_for_months", "conclude_within_months", "reflection_days",
                              "interview_within_working_days", "no_new_bilan_if_job_under_months",
                              "evaluations_per_year", "interviews_per_year", "subsidy_first_grant_months",
                              "sanction_max_months", "sanction_repeat_max_months")},
            "subsidy_rate_bp": 1000, "subsidy_max_months": 24}
    assert parse_law(good, "x.toml").conclude_within_months == 3
    for change, field in (({"interviews_per_year": 4}, "interviews_per_year"), ({"reflection_days": -1}, "reflection_days"),
                          ({"mandatory_for": "some"}, "mandatory_for"), ({"typo": 1}, "typo"),
                          ({"types": {"12": {"valid_from": D(2018, 1, 1), "valid_until": D(2017, 1, 1)}}}, "types.12")):
        with pytest.raises(LawError, match=f"x.toml: {field}"):
            parse_law({**good, **change}, "x.toml")
    with pytest.raises(LawError, match="conclude_within_months: missing"):
        parse_law({k: v for k, v in good.items() if k != "conclude_within_months"}, "x.toml")


def test_type_codes_2_5_are_valid_on_their_days_only():
    assert LAW.type_code(11).valid_on(D(2017, 1, 1))
    assert LAW.type_code(12).valid_on(D(2018, 9, 30)) and not LAW.type_code(12).valid_on(D(2018, 10, 1))
    assert LAW.type_code(8).valid_on(D(2026, 1, 1))
    assert LAW.type_code(99) is None


def test_months_are_counted_as_belgian_deadlines_are():
    assert add_months(D(2017, 1, 31), 1) == D(2017, 2, 28)
    assert add_months(D(2016, 11, 30), 3) == D(2017, 2, 28)
    assert add_months(D(2017, 3, 15), -3) == D(2016, 12, 15)


# -- PIIS-01..05, PIIS-10: who needs one, by when -------------------------------------------------------------------

def test_piis_01_a_new_ri_beneficiary_needs_a_piis_and_piis_10_within_three_months():
    o = obligation("ri", D(2017, 1, 10), None, False, "", D(1980, 1, 1), LAW)
    assert (o.kind, o.rule, o.deadline) == (MANDATORY, "PIIS-01", D(2017, 4, 10))
    assert days_left(o.deadline, D(2017, 4, 1)) == 9
    assert days_left(o.deadline, D(2017, 4, 12)) == -2


def test_piis_01_someone_with_ri_in_the_three_months_before_is_not_new():
    assert obligation("ri", D(2017, 1, 10), D(2016, 11, 1), False, "", None, LAW).kind == OPTIONAL
    assert obligation("ri", D(2017, 1, 10), D(2016, 10, 9), False, "", None, LAW).kind == MANDATORY


def test_piis_02_the_pre_reform_law_only_asked_it_of_people_under_25():
    old = parse_law({**{f: getattr(LAW, f) for f in (
        "new_if_no_ri_for_months", "conclude_within_months", "reflection_days", "interview_within_working_days",
        "no_new_bilan_if_job_under_months", "evaluations_per_year", "interviews_per_year", "subsidy_rate_bp",
        "subsidy_first_grant_months", "subsidy_max_months", "sanction_max_months", "sanction_repeat_max_months")},
        "in_force_from": D(2002, 10, 1), "mandatory_for": "under_25", "types": {"8": {"valid_from": D(2002, 10, 1)}}},
        "old.toml")
    assert obligation("ri", D(2010, 5, 1), None, False, "", D(1985, 5, 1), old).rule == "PIIS-02"  # 25 that day
    assert obligation("ri", D(2010, 5, 1), None, False, "", D(1990, 5, 2), old).kind == MANDATORY


def test_piis_03_an_exemption_on_health_or_equity_grounds_is_recorded():
    o = obligation("ri", D(2017, 1, 10), None, False, "health", None, LAW)
    assert (o.kind, o.rule) == (EXEMPT, "PIIS-03")


def test_piis_04_part_time_work_with_a_top_up_and_piis_05_everyone_else_is_optional():
    assert obligation("ri", D(2017, 1, 10), None, True, "", None, LAW).rule == "PIIS-04"
    assert obligation("eri", D(2017, 1, 10), None, False, "", None, LAW).rule == "PIIS-05"
    assert obligation("ri", None, None, False, "", None, LAW).kind == OPTIONAL


# -- PIIS-25, PIIS-11, PIIS-12, PIIS-10 at the signature -------------------------------------------------------------

def test_piis_25_five_days_to_reflect_unless_waived():
    assert rules(signing_findings(D(2017, 2, 5), D(2017, 2, 9), False, D(2017, 1, 20), D(2017, 1, 10), None, LAW)) == [
        ("PIIS-25", BLOCK)]
    assert signing_findings(D(2017, 2, 5), D(2017, 2, 10), False, D(2017, 1, 20), D(2017, 1, 10), None, LAW) == []
    assert signing_findings(D(2017, 2, 5), D(2017, 2, 5), True, D(2017, 1, 20), D(2017, 1, 10), None, LAW) == []
    assert rules(signing_findings(D(2017, 2, 5), D(2017, 2, 4), True, D(2017, 1, 20), None, None, LAW)) == [
        ("PIIS-25", BLOCK)]


def test_piis_11_a_bilan_social_comes_first_and_piis_12_not_after_a_short_job():
    assert rules(signing_findings(D(2017, 2, 1), D(2017, 2, 10), False, None, None, None, LAW)) == [("PIIS-11", BLOCK)]
    assert rules(signing_findings(D(2017, 2, 1), D(2017, 2, 10), False, D(2017, 2, 11), None, None, LAW)) == [
        ("PIIS-11", BLOCK)]
    assert signing_findings(D(2017, 2, 1), D(2017, 2, 10), False, None, None, 2, LAW) == []  # PIIS-12
    assert rules(signing_findings(D(2017, 2, 1), D(2017, 2, 10), False, None, None, 3, LAW)) == [("PIIS-11", BLOCK)]


def test_piis_10_a_late_signature_warns_with_the_months():
    findings = signing_findings(D(2017, 5, 1), D(2017, 5, 12), False, D(2017, 4, 1), D(2017, 1, 10), None, LAW)
    assert rules(findings) == [("PIIS-10", WARN)]
    assert findings[0].figures == {"months": 4, "day": D(2017, 1, 10)}


def test_a_piis_is_printed_only_once_the_ri_decision_or_the_status_is_recorded():
    assert printable("ri", D(2017, 1, 10)) and printable("eri", None) and printable("other_user", None)
    assert not printable("ri", None) and not printable("", None)


# -- PIIS-30, PIIS-31, PIIS-34: evaluations ---------------------------------------------------------------------------

def test_piis_30_signing_plans_numbered_appointments_two_interviews_a_year():
    plan_ = plan(D(2017, 2, 10), D(2018, 2, 9), cadence_of("yearly", LAW))
    assert [(a.number, a.day, a.kind) for a in plan_] == [
        (1, D(2017, 6, 10), INTERVIEW), (2, D(2017, 10, 10), INTERVIEW), (3, D(2018, 2, 9), OTHER)]


def test_piis_31_the_quarterly_mode_evaluates_every_three_months():
    plan_ = plan(D(2017, 1, 15), D(2017, 12, 31), cadence_of("quarterly", LAW))
    assert [a.day for a in plan_] == [D(2017, 4, 15), D(2017, 7, 15), D(2017, 10, 15), D(2017, 12, 31)]
    assert [a.kind for a in plan_] == [INTERVIEW, INTERVIEW, OTHER, OTHER]
    with pytest.raises(ValueError):
        cadence_of("monthly", LAW)


def test_piis_30_a_short_piis_still_gets_one_evaluation_on_its_last_day():
    assert [a.day for a in plan(D(2017, 2, 10), D(2017, 4, 30), cadence_of("yearly", LAW))] == [D(2017, 4, 30)]


def test_piis_30_a_moved_appointment_is_kept_and_the_later_ones_follow_it():
    plan_ = plan(D(2017, 2, 10), D(2018, 2, 9), cadence_of("yearly", LAW))
    moved = move(plan_, 1, D(2017, 6, 20), D(2018, 2, 9))
    assert [a.day for a in moved] == [D(2017, 6, 20), D(2017, 10, 20)]  # the 3rd would pass the end: dropped
    moved = move(plan_, 2, D(2017, 9, 30), D(2018, 2, 9))
    assert [a.day for a in moved] == [D(2017, 6, 10), D(2017, 9, 30), D(2018, 1, 30)]
    with pytest.raises(ValueError):
        move(plan_, 9, D(2017, 1, 1), D(2018, 2, 9))


def test_piis_30_the_6_4_cadence_case_is_compliant():
    done = [Done(D(2017, 5, 30), INTERVIEW), Done(D(2017, 9, 15), INTERVIEW), Done(D(2017, 12, 12), OTHER)]
    assert check_year(done, cadence_of("yearly", LAW), 2017, D(2017, 2, 10), D(2018, 2, 9)) == []
    missing = check_year(done[1:], cadence_of("yearly", LAW), 2017, D(2017, 2, 10), D(2018, 2, 9))
    assert rules(missing) == [("PIIS-30", WARN), ("PIIS-30", WARN)]
    assert missing[0].figures == {"done": 2, "needed": 3, "year": "2017"}


def test_piis_30_a_piis_running_part_of_a_year_owes_its_share():
    assert required_in_year(cadence_of("yearly", LAW), 2017, D(2017, 9, 1), D(2018, 8, 31)) == (1, 1)
    assert required_in_year(cadence_of("yearly", LAW), 2016, D(2017, 9, 1), D(2018, 8, 31)) == (0, 0)
    assert required_in_year(cadence_of("yearly", LAW), 2017, D(2017, 11, 1), D(2018, 8, 31)) == (1, 1)
    assert required_in_year(cadence_of("quarterly", LAW), 2017, D(2017, 1, 1), D(2017, 12, 31)) == (4, 2)


def test_piis_31_no_evaluation_for_four_months_is_flagged():
    assert not silent_too_long(D(2017, 5, 30), D(2017, 2, 10), D(2017, 9, 30))
    assert silent_too_long(D(2017, 5, 30), D(2017, 2, 10), D(2017, 10, 1))
    assert silent_too_long(None, D(2017, 2, 10), D(2017, 6, 11))


def test_the_due_list_says_late_due_within_30_days_and_ending_within_a_month():
    today = D(2017, 6, 1)
    assert due_state(D(2017, 5, 31), today) == LATE
    assert due_state(D(2017, 7, 1), today) == DUE
    assert due_state(D(2017, 7, 2), today) is None
    assert ending_soon(D(2017, 7, 1), today) and not ending_soon(D(2017, 7, 2), today)
    assert not ending_soon(D(2017, 5, 31), today)


@given(st.dates(D(2017, 1, 1), D(2030, 1, 1)), st.integers(30, 800), st.sampled_from(["yearly", "quarterly"]))
def test_piis_30_planned_appointments_are_in_order_within_the_piis(signed, length, mode):
    ends = signed + dt.timedelta(days=length)
    plan_ = plan(signed, ends, cadence_of(mode, LAW))
    days = [a.day for a in plan_]
    assert days == sorted(days) and signed < days[0] and days[-1] == ends
    assert [a.number for a in plan_] == list(range(1, len(plan_) + 1))


# -- SUB-PIIS-02/04, PIIS-33: the 10 % subsidy ------------------------------------------------------------------------

def test_sub_piis_04_the_subsidy_starts_on_the_first_of_the_month_of_signing():
    assert subsidy_starts(D(2017, 2, 10), D(2017, 1, 10)) == D(2017, 2, 1)
    assert subsidy_starts(D(2017, 2, 10), D(2017, 3, 2)) == D(2017, 3, 1)  # RI granted later: from then
    assert subsidy_starts(D(2017, 2, 10), None) is None
    assert subsidy_ends(D(2017, 2, 1), LAW.subsidy_first_grant_months) == D(2018, 1, 31)


def test_sub_piis_02_and_piis_33_a_prolongation_follows_a_running_grant_and_is_motivated():
    assert check_subsidy(FIRST_GRANT, "", None, None, 0, 12, LAW) == []
    ok = check_subsidy(PROLONGATION, "Goals half reached; the SWITCH group ends in May.", D(2018, 1, 31),
                       D(2018, 2, 1), 12, 12, LAW)
    assert ok == []
    assert rules(check_subsidy(PROLONGATION, " ", D(2018, 1, 31), D(2018, 2, 1), 12, 12, LAW)) == [("PIIS-33", BLOCK)]
    assert rules(check_subsidy(PROLONGATION, "why", D(2018, 1, 31), D(2018, 3, 1), 12, 12, LAW)) == [
        ("SUB-PIIS-02", BLOCK)]
    too_long = check_subsidy(PROLONGATION, "why", D(2018, 1, 31), D(2018, 2, 1), 12, 13, LAW)
    assert rules(too_long) == [("SUB-PIIS-02", BLOCK)] and too_long[0].figures == {"max": 24, "left": 12}
    with pytest.raises(ValueError):
        check_subsidy("third", "", None, None, 0, 0, LAW)


# -- the evaluation's evidence: PIIS-40..42, never a sanction ---------------------------------------------------------

def test_piis_40_unexcused_absences_since_the_last_evaluation_are_flagged_to_discuss_only():
    sessions = [SessionSlot(n, D(2017, 3, n), dt.time(9), dt.time(12)) for n in range(1, 7)]
    marks = (Mark(1, "present"), Mark(2, "unexcused"), Mark(3, "excused", reason="illness"),
             Mark(4, "late", arrived_at=dt.time(10)), Mark(5, "excused", reason="illness"))
    person = Participant(D(2017, 3, 1), marks=marks)
    now = dt.datetime(2017, 3, 31, 12)
    e = evidence_since(sessions, person, None, now)
    assert (e.figures.expected, e.figures.present, e.figures.late, e.figures.unexcused, e.figures.not_recorded) == (
        6, 1, 1, 1, 1)
    assert e.figures.hours_attended == 5.0 and e.reasons == (("illness", 2),) and e.to_discuss
    later = evidence_since(sessions, person, D(2017, 3, 2), now)  # evaluated on the 2nd: the absence is behind
    assert later.figures.expected == 4 and not later.to_discuss


# -- §4.3 E2 and §5: progress -------------------------------------------------------------------------------------------

def test_e2_the_6_4_ladder_case_gives_7_progressed_2_of_them_to_level_4():
    start = [1, 2, 2, 2, 3, 3, 2, 1, 3, 2, 2]
    end = [2, 3, 2, 3, 4, 3, 2, 1, 4, 3, 3]
    results = [year_progress({None: s}, {None: e}, ORDINAL, True, False, False) for s, e in zip(start, end)]
    assert sum(r.progressed for r in results) == 7
    assert sum(SOCIO_PRO in r.flags for r in results) == 2
    assert sum(r.primary == AUTONOMY for r in results) == 5


def test_e2_counts_only_people_with_both_measurements_and_flags_are_not_exclusive():
    assert not year_progress(None, {None: 4}, ORDINAL, True, False, False).progressed
    both = year_progress({None: 3}, {None: 4}, ORDINAL, True, False, True)
    assert both.flags == {SOCIO_PRO, VOLUNTEERING} and both.primary == SOCIO_PRO
    referred = year_progress({None: 1}, {None: 2}, ORDINAL, True, True, False)
    assert referred.flags == {SOCIO_PRO}


def test_5_2_a_zrm_progresses_by_its_sum_or_by_any_domain_as_the_cpas_chooses():
    start, end = {"werk": 2, "huisvesting": 3}, {"werk": 3, "huisvesting": 2}
    assert not progressed(start, end, MATRIX)
    assert progressed(start, end, MATRIX, ANY_DOMAIN)


def test_5_3_a_questionnaire_is_scored_as_the_mean_of_each_dimension():
    from fractions import Fraction

    from planner.piis.rules.progress import dimension_means

    dimensions = {"can_do": "self_efficacy", "solve": "self_efficacy", "choose": "control", "free": ""}
    assert dimension_means({"can_do": 2, "solve": 5, "choose": 4, "free": 1}, dimensions) == (
        ("self_efficacy", Fraction(7, 2)), ("control", Fraction(4)))
    assert dimension_means({"choose": 1}, dimensions) == (("control", Fraction(1)),)  # unanswered: left out
    assert dimension_means({}, dimensions) == ()


def test_5_3_a_likert_questionnaire_progresses_by_its_mean():
    assert progressed({"a": 2, "b": 3}, {"a": 3, "b": 3}, LIKERT)
    assert not progressed({"a": 2, "b": 3}, {"a": 3, "b": 2}, LIKERT)


def test_5_5_a_measurement_has_one_level_per_domain_within_the_scale():
    domains = ("werk", "huisvesting")
    assert check_scores({"werk": 2, "huisvesting": 5}, domains, 1, 5) == []
    assert check_scores({"werk": 6, "huisvesting": True, "x": 1}, domains, 1, 5) == [
        "x: unknown domain", "werk: 6 not in 1..5", "huisvesting: True not in 1..5"]
    assert check_scores({"werk": 2}, domains, 1, 5) == ["huisvesting: missing"]


# -- PIIS-32: versions -------------------------------------------------------------------------------------------------

def test_piis_32_the_history_says_what_changed_between_two_agreed_versions():
    from planner.piis.rules import changes, snapshot
    piis = {"type_code": 11, "orientation": "social_activation", "starts_on": D(2017, 2, 10),
            "ends_on": D(2018, 2, 9), "evaluation_method": "Interviews", "assisted_by": ""}
    first = snapshot(piis, [{"title": "Speak Dutch at the shop", "person_steps": "FLE twice a week"}], [7])
    same = snapshot(dict(piis), [{"title": "Speak Dutch at the shop", "person_steps": "FLE twice a week"}], [7])
    assert changes(first, same) == []
    second = snapshot({**piis, "ends_on": D(2018, 5, 9)},
                      [{"title": "Speak Dutch at the shop", "person_steps": "FLE once a week"},
                       {"title": "Volunteer at the repair café"}], [9, 7])
    assert changes(first, second) == [
        ("ends_on", "2018-02-09", "2018-05-09"),
        ("objective 1: person_steps", "FLE twice a week", "FLE once a week"),
        ("objective 2", None, "Volunteer at the repair café"),
        ("commitments", [7], [7, 9])]
