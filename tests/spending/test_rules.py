import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planner.spending.rules import (
    BLOCK, NEAR, OK, OVER, WARN, Charge, Finding, Money, Share, apportion, blocks, budget_line, cap_state,
    check_category, check_expense, check_investment, check_period, check_personnel_cap,
    check_piis_double_funding, check_professional_activation, check_split, check_subcontractor_overheads,
    check_vat, cluster_split, days_in_year, eligible_amount, amount_incl_vat, mixed_public_share,
    mixed_public_share_by_key, personnel_charge, piis_chargeable, placeholders, share_cents, split_by_shares, to_recover,
)
from planner.spending.rulesets import load_ruleset

FUND_2017 = load_ruleset("fonds-pas", 2017)
OWN_2017 = load_ruleset("own-funds", 2017)
YEAR_2017 = (dt.date(2017, 1, 1), dt.date(2017, 12, 31))


def rules_of(findings) -> list[tuple[str, str]]:
    return [(f.rule, f.level) for f in findings]


# -- FUND-01: the subsidy year ----------------------------------------------------------------------------------

def test_fund_01_an_expense_in_the_subsidy_year_passes_bounds_included():
    assert check_period(dt.date(2017, 1, 1), FUND_2017) == []
    assert check_period(dt.date(2017, 12, 31), FUND_2017) == []


def test_fund_01_an_expense_outside_the_subsidy_year_is_refused_with_the_dates():
    assert check_period(dt.date(2018, 1, 1), FUND_2017) == [Finding(
        "FUND-01", BLOCK, "This expense is dated %(date)s, outside the subsidy period from %(start)s to %(end)s.",
        {"date": dt.date(2018, 1, 1), "start": dt.date(2017, 1, 1), "end": dt.date(2017, 12, 31)})]
    assert rules_of(check_period(dt.date(2016, 12, 31), FUND_2017)) == [("FUND-01", BLOCK)]


def test_fund_01_a_municipal_subsidy_on_a_school_year_takes_its_own_period():
    city = load_ruleset("rivebelle-city", 2017)
    assert check_period(dt.date(2018, 3, 1), city) == []
    assert rules_of(check_period(dt.date(2017, 3, 1), city)) == [("FUND-01", BLOCK)]


# -- FUND-06: professional activation ---------------------------------------------------------------------------

def test_fund_06_a_professional_activation_module_is_not_fundable_by_the_fonds_pas():
    assert rules_of(check_professional_activation(True, FUND_2017)) == [("FUND-06", BLOCK)]
    assert check_professional_activation(False, FUND_2017) == []


def test_fund_06_own_funds_may_pay_for_professional_activation():
    assert check_professional_activation(True, OWN_2017) == []


# -- COST-07 and the strands' categories ------------------------------------------------------------------------

def test_cost_07_buying_a_building_is_refused_in_every_strand():
    for strand in "ABC":
        assert check_category("building_purchase", strand, FUND_2017) == [Finding(
            "COST-07", BLOCK, "Buying a building cannot be paid by this subsidy; renting premises can.")]


def test_cost_07_renting_premises_is_an_operating_cost_and_passes():
    assert check_category("operating", "B", FUND_2017) == []


def test_a_category_outside_its_strand_is_refused_naming_the_strand():
    assert check_category("school_costs", "B", FUND_2017) == [Finding(
        "STRAND-CATEGORY", BLOCK, "This kind of expense cannot be charged to strand %(strand)s.", {"strand": "B"})]
    assert check_category("tickets_cheques", "A", FUND_2017) == []
    assert check_category("school_costs", "C", FUND_2017) == []


def test_a_strand_the_source_does_not_have_is_refused():
    assert rules_of(check_category("operating", "D", FUND_2017)) == [("STRAND-CATEGORY", BLOCK)]


# -- COST-05: investments ---------------------------------------------------------------------------------------

def test_cost_05_an_investment_up_to_500_euros_excluding_vat_passes():
    assert check_investment(50000, FUND_2017.investment_cap_cents) == []
    assert check_investment(49999, 50000) == []


def test_cost_05_an_investment_above_the_cap_is_refused_with_both_amounts():
    assert check_investment(50001, 50000) == [Finding(
        "COST-05", BLOCK, "An investment can cost at most %(cap)s excluding VAT; this one costs %(amount)s.",
        {"cap": Money(50000), "amount": Money(50001)})]


def test_cost_05_a_source_without_an_investment_cap_takes_any_investment():
    assert check_investment(10_000_000, OWN_2017.investment_cap_cents) == []


def test_cost_05_a_digi_laptop_is_checked_on_its_price_excluding_vat():
    # €580.80 including 21 % VAT is €480 excluding it: within the cap even for a CPAS that pays the VAT
    assert check_expense(dt.date(2017, 3, 1), "investment", "B", 48000, FUND_2017) == []
    assert rules_of(check_expense(dt.date(2017, 3, 1), "investment", "B", 52000, FUND_2017)) == [("COST-05", BLOCK)]


def test_an_expense_is_checked_against_every_rule_that_applies():
    findings = check_expense(dt.date(2018, 2, 1), "building_purchase", "B", 9_000_000, FUND_2017,
                             is_professional_activation=True)
    assert rules_of(findings) == [("FUND-01", BLOCK), ("FUND-06", BLOCK), ("COST-07", BLOCK)]
    assert blocks(findings)
    assert check_expense(dt.date(2017, 6, 1), "operating", "B", 90000, FUND_2017) == []


# -- COST-02: subcontractor overheads ---------------------------------------------------------------------------

def test_cost_02_overheads_up_to_10_percent_of_the_service_pass():
    assert check_subcontractor_overheads(200000, 20000, FUND_2017.subcontractor_overhead_cap_bp) == []


def test_cost_02_overheads_above_the_cap_block_and_say_how_much_cannot_be_charged():
    assert check_subcontractor_overheads(200000, 25000, 1000) == [Finding(
        "COST-02", BLOCK, "A subcontractor's overheads can be at most %(share)s of the service's other costs, "
                          "here %(cap)s; this invoice has %(overhead)s of overheads, so %(excess)s cannot be "
                          "charged.",
        {"share": Share(1000), "cap": Money(20000), "overhead": Money(25000), "excess": Money(5000)})]


def test_cost_02_a_cap_on_the_whole_invoice_counts_the_overheads_in_the_base():
    # 10 % of €2,220 = €222: €220 of overheads pass; 10 % of €2,000 alone would not
    assert check_subcontractor_overheads(200000, 22000, 1000, "invoice_total") == []
    assert check_subcontractor_overheads(200000, 22000, 1000, "direct_costs")[0].figures["excess"] == Money(2000)


def test_cost_02_no_cap_no_finding():
    assert check_subcontractor_overheads(100, 100, None) == []


# -- COST-01: personnel share of a strand -----------------------------------------------------------------------

def test_cost_01_personnel_in_strand_a_is_capped_at_10_percent():
    # Rivebelle 2017: strand A €38,000, so personnel at most €3,800 (domain.md §6.1)
    assert check_personnel_cap("A", 3_800_000, 380000, 1000, 9000)[0].level == WARN  # at the cap: near, allowed
    assert check_personnel_cap("A", 3_800_000, 380001, 1000, 9000) == [Finding(
        "COST-01", BLOCK, "Personnel costs in strand %(strand)s can be at most %(cap)s (%(share)s of the strand); "
                          "with this one they would reach %(total)s.",
        {"strand": "A", "cap": Money(380000), "share": Share(1000), "total": Money(380001)})]


def test_cost_01_strand_b_may_be_all_personnel():
    assert rules_of(check_personnel_cap("B", 4_600_000, 4_600_000, 10000, 9000)) == [("COST-01", WARN)]
    assert rules_of(check_personnel_cap("B", 4_600_000, 4_600_001, 10000, 9000)) == [("COST-01", BLOCK)]


def test_cost_01_a_warning_comes_from_90_percent_of_the_cap():
    assert check_personnel_cap("C", 2_100_000, 188999, 1000, 9000) == []  # cap €2,100; 90 % is €1,890
    warning = check_personnel_cap("C", 2_100_000, 189000, 1000, 9000)
    assert rules_of(warning) == [("COST-01", WARN)]
    assert warning[0].figures["used"] == Share(9000)
    assert "reach %(total)s, %(used)s of their cap of %(cap)s" in warning[0].message


def test_cost_01_no_personnel_cap_no_finding():
    assert check_personnel_cap("all", 100, 10_000, None, 9000) == []


def test_cap_states_ok_near_over():
    assert cap_state(0, 0, 9000) == OK
    assert cap_state(1, 0, 9000) == OVER
    assert cap_state(8999, 10000, 9000) == OK
    assert cap_state(9000, 10000, 9000) == NEAR
    assert cap_state(10000, 10000, 9000) == NEAR
    assert cap_state(10001, 10000, 9000) == OVER


# -- COST-06: mixed public --------------------------------------------------------------------------------------

def test_cost_06_sport_charges_6_of_20_of_its_2400_euro_invoice():
    share = mixed_public_share(240000, users=6, participants=20)
    assert share.chargeable_cents == 72000
    assert (share.users, share.participants, share.findings) == (6, 20, ())


def test_cost_06_the_share_is_rounded_down_to_the_cent():
    assert mixed_public_share(100, 1, 3).chargeable_cents == 33
    assert mixed_public_share(200, 2, 3).chargeable_cents == 133


def test_cost_06_a_module_of_cpas_users_only_is_fully_chargeable():
    assert mixed_public_share(185000, 11, 11).chargeable_cents == 185000


def test_cost_06_more_users_than_participants_charges_nothing_and_says_so():
    share = mixed_public_share(240000, 21, 20)
    assert share.chargeable_cents == 0
    assert rules_of(share.findings) == [("COST-06", BLOCK)]
    assert share.findings[0].figures == {"users": 21, "participants": 20}


def test_cost_06_no_participant_yet_asks_for_attendance_or_a_key():
    share = mixed_public_share(240000, 0, 0)
    assert share.chargeable_cents == 0 and rules_of(share.findings) == [("COST-06", BLOCK)]


def test_cost_06_a_reasoned_key_applies_when_the_counts_are_unknown():
    share = mixed_public_share_by_key(240000, 3000, " about 6 in 20 at the open session ")
    assert (share.chargeable_cents, share.key_bp, share.reason) == (72000, 3000, "about 6 in 20 at the open session")


def test_cost_06_a_key_needs_its_reason_and_a_possible_share():
    assert rules_of(mixed_public_share_by_key(240000, 3000, "  ").findings) == [("COST-06", BLOCK)]
    assert mixed_public_share_by_key(240000, 10001, "all").findings[0].figures == {
        "low": Share(0), "high": Share(10000)}
    assert mixed_public_share_by_key(240000, -1, "none").chargeable_cents == 0


@given(cost=st.integers(0, 10**12), participants=st.integers(1, 500), data=st.data())
def test_cost_06_the_chargeable_share_never_exceeds_the_cost_nor_the_users_part(cost, participants, data):
    users = data.draw(st.integers(0, participants))
    chargeable = mixed_public_share(cost, users, participants).chargeable_cents
    assert 0 <= chargeable <= cost
    assert chargeable * participants <= cost * users < (chargeable + 1) * participants


# -- COST-03: one expense, several sources ----------------------------------------------------------------------

def test_cost_03_a_split_within_the_expense_passes():
    charges = [Charge("fonds-pas", "B", 72000), Charge("rivebelle-city", "culture", 100000)]
    assert check_split(240000, charges) == []
    assert check_split(240000, [Charge("fonds-pas", "B", 240000)]) == []


def test_cost_03_a_split_above_100_percent_is_refused_with_the_amounts():
    assert check_split(240000, [Charge("fonds-pas", "B", 200000), Charge("own-funds", "all", 40001)]) == [Finding(
        "COST-03", BLOCK, "The shares charged add up to %(charged)s, more than the expense itself (%(amount)s): the "
                          "same euro cannot be paid twice.", {"charged": Money(240001), "amount": Money(240000)})]


def test_cost_03_the_same_source_and_strand_twice_is_refused():
    charges = [Charge("fonds-pas", "B", 100), Charge("fonds-pas", "B", 100)]
    assert rules_of(check_split(240000, charges)) == [("COST-03", BLOCK)]
    assert check_split(240000, [Charge("fonds-pas", "A", 100), Charge("fonds-pas", "B", 100)]) == []


def test_cost_03_a_negative_share_is_refused():
    assert rules_of(check_split(240000, [Charge("fonds-pas", "B", -1)])) == [("COST-03", BLOCK)]


def test_cost_03_shares_in_percent_become_cents_that_sum_to_the_amount():
    assert split_by_shares(100, [3333, 3333, 3334]) == [33, 33, 34]
    assert split_by_shares(240000, [3000]) == [72000]
    assert split_by_shares(101, [5000, 5000]) == [51, 50]  # the odd cent goes to the first, never to both


def test_cost_03_shares_above_100_percent_charge_nothing():
    assert split_by_shares(100, [6000, 5000]) == [0, 0]
    assert split_by_shares(100, [-1]) == [0]


def test_cost_03_a_share_s_stored_cents_are_its_split_under_either_vat_policy():
    # €100.01 + €21.00 VAT, a third to the fund and the rest to own funds: the odd cents by largest remainder
    a, b = share_cents(10_001, 2_100, [(2017, 3_333), (2017, 6_667)])
    assert (a.excl_vat_cents, b.excl_vat_cents) == (3_333, 6_668) == tuple(split_by_shares(10_001, [3_333, 6_667]))
    assert (a.incl_vat_cents, b.incl_vat_cents) == (4_033, 8_068) == tuple(split_by_shares(12_101, [3_333, 6_667]))
    assert share_cents(240_000, 0, [(2017, 3_000)])[0].excl_vat_cents == 72_000  # SPORT's €720 (§6.4)


def test_cost_03_shares_of_another_year_are_split_apart_as_each_year_s_budget_reads_them():
    # 50 % in 2017 beside 50 % in 2018 of €1.01: each year's half is its own split, the odd cent in both
    parts = share_cents(101, 0, [(2017, 5_000), (2018, 5_000)])
    assert [p.excl_vat_cents for p in parts] == [51, 51] == split_by_shares(101, [5_000]) * 2
    assert [p.excl_vat_cents for p in share_cents(100, 0, [(2017, 6_000), (2017, 5_000)])] == [0, 0]


@given(amount=st.integers(0, 10**10), vat=st.integers(0, 10**9),
       shares=st.lists(st.tuples(st.sampled_from((2017, 2018)), st.integers(0, 10000)), max_size=5))
def test_cost_03_stored_cents_are_what_splitting_each_year_s_shares_gives(amount, vat, shares):
    parts = share_cents(amount, vat, shares)
    for year in (2017, 2018):
        at = [i for i, (y, _bp) in enumerate(shares) if y == year]
        bps = [shares[i][1] for i in at]
        assert [parts[i].excl_vat_cents for i in at] == split_by_shares(amount, bps)
        assert [parts[i].incl_vat_cents for i in at] == split_by_shares(amount + vat, bps)


@given(amount=st.integers(0, 10**12), shares=st.lists(st.integers(0, 10000), max_size=6))
def test_cost_03_a_split_never_charges_more_than_the_expense_nor_a_cent_twice(amount, shares):
    parts = split_by_shares(amount, shares)
    assert len(parts) == len(shares) and all(p >= 0 for p in parts)
    assert sum(parts) <= amount
    if sum(shares) <= 10000:
        assert all(abs(p * 10000 - amount * s) < 10000 for p, s in zip(parts, shares))  # within a cent
        if sum(shares) == 10000:
            assert sum(parts) == amount
        charges = [Charge("source", str(i), p) for i, p in enumerate(parts)]
        assert check_split(amount, charges) == []


# -- CLUSTER-SPLIT ----------------------------------------------------------------------------------------------

def test_cluster_split_follows_the_person_sessions_and_sums_to_the_cost():
    split = cluster_split(100000, {"Rivebelle": 120, "Montfort": 60, "Val-Joli": 60})
    assert split.parts == {"Rivebelle": 50000, "Montfort": 25000, "Val-Joli": 25000}
    assert split.findings == ()


def test_cluster_split_gives_the_odd_cents_by_largest_remainder():
    assert cluster_split(100, {"a": 1, "b": 1, "c": 1}).parts == {"a": 34, "b": 33, "c": 33}
    assert cluster_split(1000, {"a": 2, "b": 1}).parts == {"a": 667, "b": 333}


def test_cluster_split_without_attendance_asks_for_a_fixed_key():
    split = cluster_split(100000, {"Rivebelle": 0, "Montfort": 0})
    assert split.parts == {"Rivebelle": 0, "Montfort": 0}
    assert rules_of(split.findings) == [("CLUSTER-SPLIT", BLOCK)]
    assert rules_of(cluster_split(100, {"a": -1, "b": 2}).findings) == [("CLUSTER-SPLIT", BLOCK)]


@given(cost=st.integers(0, 10**12), weights=st.lists(st.integers(0, 10**6), min_size=1, max_size=8))
def test_cluster_split_parts_always_sum_exactly_to_the_cost(cost, weights):
    split = cluster_split(cost, {f"cpas{i}": w for i, w in enumerate(weights)})
    if sum(weights):
        assert sum(split.parts.values()) == cost
        assert all(abs(p * sum(weights) - cost * w) < sum(weights) for p, w in zip(split.parts.values(), weights))
    else:
        assert split.findings


@given(total=st.integers(0, 10**9), weights=st.lists(st.integers(0, 1000), max_size=10))
def test_apportion_sums_exactly_and_each_part_is_its_quota_rounded_down_or_up(total, weights):
    parts = apportion(total, weights)
    assert len(parts) == len(weights)
    if sum(weights):
        assert sum(parts) == total
        assert all(total * w // sum(weights) <= p <= total * w // sum(weights) + 1 for p, w in zip(parts, weights))


# -- VAT ------------------------------------------------------------------------------------------------------

def test_vat_a_cpas_that_recovers_vat_charges_the_amount_excluding_vat():
    assert eligible_amount(48000, 10080, cpas_recovers_vat=True) == 48000
    assert eligible_amount(48000, 10080, cpas_recovers_vat=False) == 58080


def test_vat_the_amount_including_vat_is_the_sum():
    assert amount_incl_vat(48000, 10080) == 58080
    assert check_vat(48000, 10080, 58080) == []


def test_vat_amounts_that_do_not_add_up_are_refused_with_the_right_total():
    assert check_vat(48000, 10080, 58000) == [Finding(
        "VAT", BLOCK, "The amount including VAT should be %(expected)s: %(excl)s plus %(vat)s of VAT.",
        {"expected": Money(58080), "excl": Money(48000), "vat": Money(10080)})]
    assert rules_of(check_vat(48000, -1, 47999)) == [("VAT", BLOCK)]


# -- COST-09: staff time ----------------------------------------------------------------------------------------

def test_cost_09_switch_animator_0_8_fte_of_52000_euros_at_35_percent_over_2017_is_14560_euros():
    charge = personnel_charge(5_200_000, 8000, 3500, *YEAR_2017, 2017)
    assert charge.cents == 1_456_000
    assert charge.per_task == {"facilitation": 1_456_000}
    assert (charge.days, charge.year_days, charge.findings) == (365, 365, ())


def test_cost_09_a_cost_already_for_the_persons_contract_is_passed_as_one_fte():
    assert personnel_charge(4_160_000, 10000, 3500, *YEAR_2017, 2017).cents == 1_456_000


def test_cost_09_a_period_covers_its_fraction_of_the_year():
    # the coordinator, 0.5 FTE on strand B, from 1 July: 184 of 365 days
    charge = personnel_charge(6_000_000, 5000, 10000, dt.date(2017, 7, 1), dt.date(2017, 12, 31), 2017)
    assert charge.days == 184
    assert charge.cents == 6_000_000 * 5000 * 10000 * 184 // (10000 * 10000 * 365)  # rounded down once


def test_cost_09_only_the_days_inside_the_year_count():
    assert days_in_year(dt.date(2016, 12, 1), dt.date(2017, 1, 31), 2017) == 31
    assert days_in_year(dt.date(2019, 1, 1), dt.date(2019, 12, 31), 2020) == 0
    assert personnel_charge(3_660_000, 10000, 10000, dt.date(2020, 1, 1), dt.date(2020, 12, 31), 2020).year_days == 366


def test_cost_09_the_charge_is_split_per_task_to_the_cent():
    tasks = {"preparation": 2000, "facilitation": 6000, "bilan_social": 1000, "progress_measurement": 1000}
    charge = personnel_charge(5_200_000, 8000, 3500, *YEAR_2017, 2017, tasks)
    assert charge.per_task == {"preparation": 291200, "facilitation": 873600, "bilan_social": 145600,
                               "progress_measurement": 145600}
    assert sum(charge.per_task.values()) == charge.cents


def test_cost_09_invalid_time_charges_nothing_and_says_why():
    for args, tasks in [((5_200_000, 8000, 10001, *YEAR_2017, 2017), None),
                        ((5_200_000, 0, 3500, *YEAR_2017, 2017), None),
                        ((-1, 8000, 3500, *YEAR_2017, 2017), None),
                        ((5_200_000, 8000, 3500, dt.date(2017, 6, 1), dt.date(2017, 5, 1), 2017), None),
                        ((5_200_000, 8000, 3500, *YEAR_2017, 2018), None),
                        ((5_200_000, 8000, 3500, *YEAR_2017, 2017), {"facilitation": 5000}),
                        ((5_200_000, 8000, 3500, *YEAR_2017, 2017), {"gardening": 10000})]:
        charge = personnel_charge(*args, tasks)
        assert charge.cents == 0 and rules_of(charge.findings) == [("COST-09", BLOCK)], (args, tasks)


@given(cost=st.integers(0, 10**9), fte=st.integers(1, 10000), share=st.integers(0, 10000),
       start=st.dates(dt.date(2016, 6, 1), dt.date(2018, 6, 1)), days=st.integers(0, 800),
       weights=st.lists(st.integers(1, 100), min_size=1, max_size=5))
def test_cost_09_tasks_sum_to_the_charge_which_never_exceeds_the_full_years_cost(cost, fte, share, start, days,
                                                                                 weights):
    tasks_bp = dict(zip(["preparation", "facilitation", "coordination", "bilan_social", "progress_measurement"],
                        apportion(10000, weights)))
    charge = personnel_charge(cost, fte, share, start, start + dt.timedelta(days=days), 2017, tasks_bp)
    assert sum(charge.per_task.values()) == charge.cents
    assert 0 <= charge.cents <= cost * fte * share // 10**8


# -- SUB-PIIS-05: no double funding with the 10 % PIIS subsidy --------------------------------------------------

def test_sub_piis_05_switch_bilan_time_counts_in_strand_b_only_for_the_7_of_11_without_the_subsidy():
    share = piis_chargeable(110000, "bilan_social", "B", participants=11, with_piis_subsidy=4, ruleset=FUND_2017)
    assert share.chargeable_cents == 70000
    assert share.findings == ()


def test_sub_piis_05_other_tasks_and_other_strands_are_fully_chargeable():
    assert piis_chargeable(110000, "facilitation", "B", 11, 4, FUND_2017).chargeable_cents == 110000
    assert piis_chargeable(110000, "progress_measurement", "A", 11, 4, FUND_2017).chargeable_cents == 110000
    assert piis_chargeable(110000, "bilan_social", "all", 11, 4, OWN_2017).chargeable_cents == 110000


def test_sub_piis_05_progress_measurement_follows_the_same_share_rounded_down():
    assert piis_chargeable(100, "progress_measurement", "B", 3, 1, FUND_2017).chargeable_cents == 66


def test_sub_piis_05_charging_more_than_the_share_is_refused_with_the_figures():
    share = piis_chargeable(110000, "bilan_social", "B", 11, 4, FUND_2017)
    assert check_piis_double_funding(70000, share, "B") == []
    [finding] = check_piis_double_funding(110000, share, "B")
    assert (finding.rule, finding.level) == ("SUB-PIIS-05", BLOCK)
    assert finding.figures == {"chargeable": Money(70000), "amount": Money(110000), "strand": "B",
                               "with_subsidy": 4, "participants": 11}


def test_sub_piis_05_impossible_counts_charge_nothing():
    share = piis_chargeable(110000, "bilan_social", "B", 4, 11, FUND_2017)
    assert share.chargeable_cents == 0
    assert rules_of(check_piis_double_funding(0, share, "B")) == [("SUB-PIIS-05", BLOCK)]
    assert piis_chargeable(110000, "bilan_social", "B", 0, 0, FUND_2017).chargeable_cents == 0


@given(amount=st.integers(0, 10**9), participants=st.integers(1, 300), data=st.data())
def test_sub_piis_05_the_chargeable_share_is_never_above_100_percent(amount, participants, data):
    with_subsidy = data.draw(st.integers(0, participants))
    share = piis_chargeable(amount, "bilan_social", "B", participants, with_subsidy, FUND_2017)
    assert 0 <= share.chargeable_cents <= amount
    assert share.chargeable_cents * participants <= amount * (participants - with_subsidy)


# -- the budget line --------------------------------------------------------------------------------------------

def test_a_budget_line_shows_granted_committed_spent_left_and_the_personnel_cap():
    line = budget_line(3_800_000, 500000, 2_000_000, 350000, FUND_2017.strand("A"), 9000)
    assert (line.granted_cents, line.committed_cents, line.spent_cents, line.left_cents) == (
        3_800_000, 500000, 2_000_000, 1_300_000)
    assert (line.used_bp, line.state) == (6578, OK)
    [cap] = line.caps
    assert (cap.rule, cap.what, cap.used_cents, cap.cap_cents, cap.used_bp, cap.state) == (
        "COST-01", "personnel", 350000, 380000, 9210, NEAR)


def test_a_budget_line_goes_near_then_over():
    strand = FUND_2017.strand("B")
    assert budget_line(4_600_000, 0, 4_140_000, 0, strand, 9000).state == NEAR
    over = budget_line(4_600_000, 100, 4_600_000, 0, strand, 9000)
    assert (over.state, over.left_cents) == (OVER, -100)


def test_a_budget_line_without_personnel_cap_lists_no_cap():
    assert budget_line(100, 0, 0, 0, OWN_2017.strand("all"), 9000).caps == ()
    assert budget_line(0, 0, 0, 0, OWN_2017.strand("all"), 9000).used_bp == 0


# -- COST-11: money to recover ----------------------------------------------------------------------------------

def test_cost_11_after_the_deadline_what_was_not_justified_is_to_be_recovered():
    recovery = to_recover(4_600_000, 4_500_000, dt.date(2018, 2, 28), today=dt.date(2018, 3, 1))
    assert (recovery.cents, recovery.unjustified_cents) == (100000, 100000)
    assert recovery.findings == (Finding(
        "COST-11", WARN, "%(amount)s was not spent or justified by %(deadline)s and is to be paid back.",
        {"amount": Money(100000), "deadline": dt.date(2018, 2, 28)}),)


def test_cost_11_on_the_deadline_day_nothing_is_recovered_yet_but_it_is_announced():
    recovery = to_recover(4_600_000, 4_500_000, dt.date(2018, 2, 28), today=dt.date(2018, 2, 28))
    assert (recovery.cents, recovery.unjustified_cents) == (0, 100000)
    assert rules_of(recovery.findings) == [("COST-11", WARN)]


def test_cost_11_long_before_the_deadline_there_is_no_warning():
    assert to_recover(4_600_000, 0, dt.date(2018, 2, 28), today=dt.date(2017, 6, 1)).findings == ()


def test_cost_11_a_fully_justified_grant_recovers_nothing():
    assert to_recover(4_600_000, 4_700_000, dt.date(2018, 2, 28), today=dt.date(2019, 1, 1)).cents == 0


# -- the findings' messages -------------------------------------------------------------------------------------

def test_every_placeholder_of_a_finding_has_its_figure():
    import re
    findings = [
        *check_period(dt.date(2018, 1, 1), FUND_2017), *check_investment(2, 1),
        *check_subcontractor_overheads(10, 10, 1000), *check_subcontractor_overheads(10, 10, 1000, "invoice_total"),
        *check_personnel_cap("A", 100, 95, 10000, 9000), *check_personnel_cap("A", 100, 101, 10000, 9000),
        *mixed_public_share(1, 2, 1).findings, *mixed_public_share_by_key(1, -1, "x").findings,
        *check_split(1, [Charge("s", "B", 2)]), *check_vat(1, 1, 1),
        *personnel_charge(1, 10000, 10000, *YEAR_2017, 2017, {"preparation": 1}).findings,
        *personnel_charge(1, 10000, 10000, dt.date(2017, 2, 1), dt.date(2017, 1, 1), 2017).findings,
        *check_piis_double_funding(1, piis_chargeable(1, "bilan_social", "B", 2, 1, FUND_2017), "B"),
        *to_recover(1, 0, dt.date(2018, 2, 28), dt.date(2018, 3, 1)).findings,
    ]
    for finding in findings:
        assert set(re.findall(r"%\((\w+)\)s", finding.message)) == set(finding.figures), finding


def test_a_finding_reads_in_the_users_language_with_its_figures_formatted():
    from decimal import Decimal

    from babel.numbers import format_percent

    from planner import i18n
    finding = check_investment(60000, 50000)[0]
    with i18n.speaking("fr"):
        text = i18n.gettext(finding.message, **placeholders(
            finding.figures, money=i18n.format_money, date=i18n.format_date,
            share=lambda bp: format_percent(Decimal(bp) / 10000, locale=i18n.current_locale())))
    assert text == "Un investissement peut coûter au plus 500,00\u00a0€ hors TVA\u202f; celui-ci coûte 600,00\u00a0€."
    with i18n.speaking("nl"):
        assert placeholders({"cap": Share(1000), "day": dt.date(2017, 1, 1), "n": 4, "strand": "B"},
                            money=i18n.format_money, date=i18n.format_date, share=lambda bp: f"{bp // 100} %",
                            number=i18n.format_number) == {"cap": "10 %", "day": "1 jan 2017", "n": "4",
                                                           "strand": "B"}


# -- scanned invoices (issue 14) --------------------------------------------------------------------------------

def test_scan_type_reads_the_content_never_the_name():
    from planner.spending.rules import scan_type

    assert scan_type(b"%PDF-1.7\n") == "application/pdf"
    assert scan_type(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "image/jpeg"
    assert scan_type(b"\x89PNG\r\n\x1a\n\x00") == "image/png"
    for other in (b"", b"%PDF", b"\xff\xd8", b"\x89PNG\r\n", b"GIF89a", b"PK\x03\x04", b"<html>"):
        assert scan_type(other) is None


def test_the_scan_size_cap_is_10_mb_included():
    from planner.spending.rules import MAX_SCAN_BYTES, check_scan

    pdf = b"%PDF-1.4\n"
    assert MAX_SCAN_BYTES == 10 * 1024 * 1024
    assert check_scan(pdf + b"\x00" * (MAX_SCAN_BYTES - len(pdf))) == []
    [finding] = check_scan(pdf + b"\x00" * (MAX_SCAN_BYTES + 1 - len(pdf)))
    assert (finding.rule, finding.level, finding.figures) == ("SCAN", "block", {"limit": 10})


def test_cost_03_shares_in_basis_points_never_above_100_percent():
    from planner.spending.rules import check_shares_bp

    assert check_shares_bp([6000, 4000]) == []
    assert [f.rule for f in check_shares_bp([6000, 4001])] == ["COST-03"]
    assert [f.rule for f in check_shares_bp([-1])] == ["COST-03"]
