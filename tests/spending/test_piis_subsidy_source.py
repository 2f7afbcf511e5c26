"""The 10 % special PIIS subsidy as a funding source (domain.md §2.7 SUB-PIIS-05, COST-03): its rule sets, and an
expense charged to it that cannot also be charged to strand B of the Fonds PAS. Rules pure; the action on both
engines."""

import datetime as dt

import pytest

from planner.spending import actions
from planner.spending.actions import ExpenseInput, ShareInput
from planner.spending.rules import BLOCK, RuleSetError, check_piis_subsidy_split, parse_ruleset
from planner.spending.rulesets import available, load_ruleset
from planner.spending.tables import Expense, ExpenseShare

PIIS_2017 = load_ruleset("piis-subsidy", 2017)
FUND_2017 = load_ruleset("fonds-pas", 2017)


def test_sub_piis_01_the_piis_subsidy_has_a_rule_set_every_year_and_says_what_it_is():
    assert available("piis-subsidy") == tuple(range(2017, 2027))
    assert all(load_ruleset("piis-subsidy", y).piis_subsidy for y in available("piis-subsidy"))
    assert not FUND_2017.piis_subsidy and not load_ruleset("own-funds", 2017).piis_subsidy
    assert {"personnel", "operating", "activities"} <= PIIS_2017.strand("support").categories


def test_sub_piis_01_piis_subsidy_must_be_true_or_false():
    data = {"source": "x", "year": 2017, "eligible_from": dt.date(2017, 1, 1), "eligible_until": dt.date(2017, 12, 31),
            "strands": {"s": {"categories": ["operating"]}}, "piis_subsidy": "yes"}
    with pytest.raises(RuleSetError, match="piis_subsidy: expected true or false"):
        parse_ruleset(data, "x/2017.toml")


def test_sub_piis_05_an_expense_on_the_piis_subsidy_and_strand_b_is_refused():
    [finding] = check_piis_subsidy_split([(PIIS_2017, "support"), (FUND_2017, "B")])
    assert (finding.rule, finding.level, finding.figures) == ("SUB-PIIS-05", BLOCK, {"strand": "B"})
    assert check_piis_subsidy_split([(FUND_2017, "B"), (PIIS_2017, "support")])  # whatever the order


def test_sub_piis_05_the_piis_subsidy_beside_strand_a_own_funds_or_alone_passes_and_strand_b_alone_too():
    own = load_ruleset("own-funds", 2017)
    assert check_piis_subsidy_split([(PIIS_2017, "support"), (FUND_2017, "A")]) == []
    assert check_piis_subsidy_split([(PIIS_2017, "support"), (own, "all")]) == []
    assert check_piis_subsidy_split([(PIIS_2017, "support")]) == []
    assert check_piis_subsidy_split([(FUND_2017, "B")]) == []


def coaching(*shares: ShareInput) -> ExpenseInput:
    """A job coach's sessions for people with the 10 %: a support and activation cost (RU-05, RU-07)."""
    return ExpenseInput(day=dt.date(2017, 5, 4), category="subcontracting", amount_excl_vat_cents=60_000,
                        vat_cents=0, supplier="Coach Rivebelle", activity="Individual coaching",
                        invoice_reference="CR-17-05", shares=shares)


async def test_sub_piis_05_a_coordinator_cannot_charge_one_invoice_to_the_piis_subsidy_and_strand_b(world):
    saved = await actions.record_expense(world.rivebelle, coaching(
        ShareInput("piis-subsidy", 2017, "support", 5_000), ShareInput("fonds-pas", 2017, "B", 5_000)),
        world.coordinator["id"])
    assert saved.id is None and [(f.rule, f.level) for f in saved.findings] == [("SUB-PIIS-05", BLOCK)]
    assert await Expense.count().where(Expense.invoice_reference == "CR-17-05") == 0


async def test_sub_piis_05_a_coordinator_charges_support_costs_to_the_piis_subsidy(world):
    saved = await actions.record_expense(world.rivebelle, coaching(
        ShareInput("piis-subsidy", 2017, "support", 10_000)), world.coordinator["id"])
    assert saved.id and saved.findings == ()
    [share] = await ExpenseShare.select().where(ExpenseShare.expense == saved.id)
    assert (share["source"], share["strand"], share["incl_vat_cents"]) == ("piis-subsidy", "support", 60_000)
    # changing it to add strand B is refused too, and the stored shares stay
    changed = await actions.update_expense(saved.id, 1, coaching(
        ShareInput("piis-subsidy", 2017, "support", 6_000), ShareInput("fonds-pas", 2017, "B", 4_000)),
        world.coordinator["id"])
    assert changed.id is None and [f.rule for f in changed.findings] == ["SUB-PIIS-05"]
    assert await ExpenseShare.count().where(ExpenseShare.expense == saved.id) == 1
