"""A module's costs, pure (COST-06 mixed public from the register, CLUSTER-SPLIT, cost per participant and per
attended hour): no database."""

from planner.spending.rules import (
    BLOCK, WARN, Register, chargeable_share, check_cluster_key, check_mixed_public_charge, cost_per, cost_per_hour,
    cpas_part, share_of,
)

SPORT = Register({1: 60}, guest_sessions=140, people={1: 6}, most_guests=14, seconds={1: 60 * 7200},
                 guest_seconds=140 * 7200)  # 10 sessions of 2 h: 6 CPAS users and 14 guests at each


def test_cost_06_sport_6_users_of_20_at_every_session_charge_720_of_2400():
    share = chargeable_share(240_000, SPORT)
    assert (share.chargeable_cents, share.users, share.participants) == (72_000, 60, 200)
    assert share_of(share) == 3000 and SPORT.mixed


def test_cost_06_without_guests_the_whole_cost_is_chargeable():
    share = chargeable_share(185_000, Register({1: 264}))
    assert share.chargeable_cents == 185_000 and share.findings == () and share_of(share) == 10_000
    assert chargeable_share(500, Register({})).chargeable_cents == 500  # nobody recorded yet: not mixed


def test_cost_06_counts_person_sessions_so_an_irregular_guest_weighs_less():
    share = chargeable_share(100_000, Register({1: 30}, guest_sessions=10))
    assert share.chargeable_cents == 75_000  # 30 of 40 attendances


def test_cost_06_cost_per_participant_and_per_attended_hour_or_nothing_to_divide_by():
    assert cost_per(240_000, 20) == 12_000 and cost_per(100, 3) == 33 and cost_per(200, 3) == 67
    assert cost_per_hour(240_000, 400 * 3600) == 600 and cost_per_hour(100, 5400) == 67
    assert cost_per(240_000, 0) is None and cost_per_hour(240_000, 0) is None


def test_cost_06_an_expense_charging_more_than_the_chargeable_share_warns_with_the_figures():
    [finding] = check_mixed_public_charge(240_000, 240_000, 60, 200)
    assert finding.rule == "COST-06" and finding.level == WARN
    assert finding.figures["chargeable"].cents == 72_000 and finding.figures["charged"].cents == 240_000
    assert check_mixed_public_charge(72_000, 240_000, 60, 200) == []


def test_cluster_split_by_the_register_and_by_a_fixed_key():
    register = Register({1: 30, 2: 10})
    part = cpas_part(72_000, 2, register)
    assert (part.cents, part.weight, part.total_weight, part.by_key) == (18_000, 10, 40, False)
    part = cpas_part(72_000, 2, register, {1: 6000, 2: 4000})
    assert (part.cents, part.by_key) == (28_800, True)
    assert cpas_part(72_000, 3, Register({})).findings[0].level == BLOCK  # nothing attended yet: use a key


def test_cluster_split_a_fixed_key_adds_up_to_100_percent():
    assert check_cluster_key({1: 6000, 2: 4000}) == []
    [finding] = check_cluster_key({1: 6000, 2: 3000})
    assert finding.level == BLOCK and finding.figures["total"].bp == 9000
    assert check_cluster_key({1: 12_000, 2: -2000})[0].level == BLOCK
