"""Spending's actions, queries and access on both engines (issue 14; numbers of domain.md §6.4)."""

import datetime as dt

import pytest
from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser, Grant
from planner.spending import actions, queries
from planner.spending.access import get_expense_for_user
from planner.spending.actions import ExpenseInput, ShareInput
from planner.spending.rules import BLOCK, MAX_SCAN_BYTES, WARN, mixed_public_share, share_bp
from planner.spending.tables import Expense, ExpenseShare, InvoiceScan
from tests.conftest import make_org

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake invoice\n"


def as_user(person: dict, *grants: tuple[int, str]) -> CurrentUser:
    return CurrentUser(person["id"], person["email"], person["name"], "en",
                       tuple(Grant(org, "cpas", role) for org, role in grants))


def sport_invoice(**changes) -> ExpenseInput:
    """SPORT (domain.md §6.4): the partner's €2,400 invoice, 6 CPAS users of 20 participants → 30 % to strand B."""
    chargeable = mixed_public_share(240_000, 6, 20).chargeable_cents
    values = dict(day=dt.date(2017, 6, 12), category="subcontracting", amount_excl_vat_cents=240_000, vat_cents=0,
                  supplier="Accès-Sport Rivebelle", invoice_reference="AS-2017-031",
                  shares=(ShareInput("fonds-pas", 2017, "B", share_bp(chargeable, 240_000)),))
    return ExpenseInput(**{**values, **changes})


async def test_the_sport_invoice_charges_720_of_2400_to_strand_b(world):
    assert (await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 5_000_000, world.coordinator["id"])).id
    saved = await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner), world.coordinator["id"])
    assert saved.id and saved.findings == ()
    [expense] = await queries.expenses_of_year(world.rivebelle, 2017)
    assert expense["shares"][0]["share_bp"] == 3000 and expense["shares"][0]["cents"] == 72_000
    assert expense["incl_vat_cents"] == 240_000 and expense["version"] == 1
    [line] = await queries.budget(world.rivebelle, 2017)
    assert (line["source"], line["strand"]) == ("fonds-pas", "B")
    assert (line["line"].granted_cents, line["line"].committed_cents, line["line"].spent_cents,
            line["line"].left_cents) == (5_000_000, 72_000, 0, 4_928_000)
    assert (await actions.set_status(saved.id, 1, "paid", world.coordinator["id"])).id == saved.id
    [line] = await queries.budget(world.rivebelle, 2017)
    assert (line["line"].committed_cents, line["line"].spent_cents) == (0, 72_000)


async def test_a_split_above_100_percent_is_refused_and_nothing_is_written(world):
    shares = (ShareInput("fonds-pas", 2017, "B", 6000), ShareInput("own-funds", 2017, "OWN", 4001))
    saved = await actions.record_expense(world.rivebelle, sport_invoice(shares=shares), world.coordinator["id"])
    assert saved.id is None and [(f.rule, f.level) for f in saved.findings] == [("COST-03", BLOCK)]
    assert await Expense.count().where(Expense.id != world.expense) == 0 and await ExpenseShare.count() == 0


async def test_an_expense_outside_the_subsidy_year_is_refused(world):
    saved = await actions.record_expense(world.rivebelle, sport_invoice(day=dt.date(2018, 1, 3)),
                                         world.coordinator["id"])
    assert saved.id is None and [f.rule for f in saved.findings] == ["FUND-01"]


async def test_personnel_near_its_cap_warns_and_is_written(world):
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "A", 100_000, world.coordinator["id"])
    staff = ExpenseInput(day=dt.date(2017, 3, 1), category="personnel", amount_excl_vat_cents=9_500, vat_cents=0,
                         shares=(ShareInput("fonds-pas", 2017, "A", 10_000),))
    saved = await actions.record_expense(world.rivebelle, staff, world.coordinator["id"])
    assert saved.id and [(f.rule, f.level) for f in saved.findings] == [("COST-01", WARN)]
    assert (await Expense.select(Expense.warnings).where(Expense.id == saved.id).first())["warnings"] == "COST-01"
    again = await actions.record_expense(world.rivebelle, staff, world.coordinator["id"])
    assert again.id is None and [(f.rule, f.level) for f in again.findings] == [("COST-01", BLOCK)]


async def test_a_stale_version_is_refused(world):
    saved = await actions.record_expense(world.rivebelle, sport_invoice(), world.coordinator["id"])
    first = await actions.update_expense(saved.id, 1, sport_invoice(invoice_reference="AS-2017-031b"),
                                         world.coordinator["id"])
    assert first.id == saved.id
    stale = await actions.update_expense(saved.id, 1, sport_invoice(vat_cents=100), world.administrator["id"])
    assert stale.id is None and [f.rule for f in stale.findings] == ["VERSION"]
    assert (await actions.set_status(saved.id, 1, "paid", world.coordinator["id"])).id is None
    row = await Expense.select().where(Expense.id == saved.id).first()
    assert (row["version"], row["invoice_reference"], row["vat_cents"], row["status"]) == (
        2, "AS-2017-031b", 0, "committed")


async def test_a_png_named_pdf_is_stored_as_png(world):
    saved = await actions.record_expense(world.rivebelle, sport_invoice(), world.coordinator["id"])
    scan = await actions.attach_invoice(saved.id, "facture.pdf", PNG, world.coordinator["id"])
    row = await InvoiceScan.select().where(InvoiceScan.id == scan.id).first()
    assert (row["media_type"], row["file_name"], row["size"], bytes(row["content"])) == (
        "image/png", "facture.png", len(PNG), PNG)  # the name follows the content (planner/files.py)
    assert (await queries.expenses_of_year(world.rivebelle, 2017))[0]["has_scan"]


@pytest.mark.parametrize("content", [PDF + b"\x00" * (MAX_SCAN_BYTES + 1 - len(PDF)), b"GIF89a....", b""])
async def test_a_file_too_large_or_of_another_type_is_refused(world, content):
    saved = await actions.record_expense(world.rivebelle, sport_invoice(), world.coordinator["id"])
    refused = await actions.attach_invoice(saved.id, "facture.pdf", content, world.coordinator["id"])
    assert refused.id is None and [f.rule for f in refused.findings] == ["SCAN"]
    assert await InvoiceScan.count().where(InvoiceScan.expense != world.expense) == 0


async def test_a_file_of_exactly_the_cap_is_accepted(world):
    saved = await actions.record_expense(world.rivebelle, sport_invoice(), world.coordinator["id"])
    content = PDF + b"\x00" * (MAX_SCAN_BYTES - len(PDF))
    assert (await actions.attach_invoice(saved.id, "scan.pdf", content, world.coordinator["id"])).id


async def test_only_coordinators_and_administrators_of_the_cpas_see_an_expense(world, neighbour_admin):
    saved = await actions.record_expense(world.rivebelle, sport_invoice(), world.coordinator["id"])
    carl = as_user(world.coordinator, (world.rivebelle, "coordinator"), (world.cluster, "coordinator"))
    assert (await get_expense_for_user(carl, saved.id))["id"] == saved.id
    chantal = as_user(neighbour_admin, (neighbour_admin["cpas"], "administrator"))
    sofie = as_user(world.social_worker, (world.rivebelle, "social_worker"))
    charlie = as_user(world.outsider, (world.elsewhere, "administrator"), (world.elsewhere, "coordinator"))
    for someone in (chantal, sofie, charlie):
        with pytest.raises(NotFoundException):
            await get_expense_for_user(someone, saved.id)
    with pytest.raises(NotFoundException):
        await get_expense_for_user(carl, saved.id + 1000)


async def test_a_grant_needs_a_known_source_year_and_strand(world):
    assert [f.rule for f in (await actions.set_grant(world.rivebelle, "fonds-pas", 2030, "B", 1,
                                                     world.coordinator["id"])).findings] == ["RULESET"]
    assert [f.rule for f in (await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "Z", 1,
                                                     world.coordinator["id"])).findings] == ["STRAND-CATEGORY"]
    first = await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 1_000, world.coordinator["id"])
    second = await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 2_000, world.coordinator["id"])
    assert first.id == second.id
    [line] = await queries.budget(world.rivebelle, 2017)
    assert line["line"].granted_cents == 2_000


async def test_a_cpas_that_does_not_recover_vat_charges_it(world):
    invoice = sport_invoice(vat_cents=50_400, shares=(ShareInput("fonds-pas", 2017, "B", 10_000),))
    await actions.record_expense(world.rivebelle, invoice, world.coordinator["id"])
    assert (await queries.expenses_of_year(world.rivebelle, 2017))[0]["shares"][0]["cents"] == 290_400
    await actions.set_vat_policy(world.rivebelle, 2017, True)
    assert (await queries.expenses_of_year(world.rivebelle, 2017))[0]["shares"][0]["cents"] == 240_000


async def test_two_expenses_at_once_cannot_both_pass_the_personnel_cap(world):
    import asyncio

    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "A", 100_000, world.coordinator["id"])
    staff = ExpenseInput(day=dt.date(2017, 3, 1), category="personnel", amount_excl_vat_cents=6_000, vat_cents=0,
                         shares=(ShareInput("fonds-pas", 2017, "A", 10_000),))
    results = await asyncio.gather(*[actions.record_expense(world.rivebelle, staff, world.coordinator["id"])
                                     for _ in range(2)])
    assert sorted(r.id is None for r in results) == [False, True]
    assert await Expense.count().where(Expense.id != world.expense) == 1


async def test_switch_staff_time_is_charged_to_strand_b_as_personnel(world):
    """COST-09, domain.md §6.4: SWITCH's animator, 0.8 FTE × €52,000 × 35 % over 2017 = €14,560."""
    from planner.spending.actions import StaffTimeInput

    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 5_000_000, world.coordinator["id"])
    animator = StaffTimeInput("Animator SWITCH", 5_200_000, 8_000, 3_500, dt.date(2017, 1, 1), dt.date(2017, 12, 31),
                              "fonds-pas", 2017, "B", module=world.module)
    saved = await actions.record_staff_time(world.rivebelle, animator, world.coordinator["id"])
    assert saved.id and saved.findings == ()
    [line] = await queries.budget(world.rivebelle, 2017)
    assert (line["line"].spent_cents, line["line"].left_cents) == (1_456_000, 3_544_000)
    assert [(c.rule, c.used_cents) for c in line["line"].caps] == [("COST-01", 1_456_000)]
    # strand A allows personnel up to 10 %: the same time on a €100,000 strand A is refused
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "A", 10_000_000, world.coordinator["id"])
    refused = await actions.record_staff_time(world.rivebelle, StaffTimeInput(
        "Animator SWITCH", 5_200_000, 8_000, 3_500, dt.date(2017, 1, 1), dt.date(2017, 12, 31), "fonds-pas", 2017,
        "A"), world.coordinator["id"])
    assert refused.id is None and [f.rule for f in refused.findings] == ["COST-01"]


async def test_a_partner_convention_is_saved(world):
    from planner.spending.actions import ConventionInput
    from planner.spending.tables import PartnerConvention

    convention = await actions.save_convention(world.rivebelle, ConventionInput(
        world.partner, dt.date(2017, 1, 1), dt.date(2017, 12, 31), "per_session", 12_000,
        deliverables="Weekly sport session", contact="Pat, 0470 00 00 00"), world.coordinator["id"])
    row = await PartnerConvention.select().where(PartnerConvention.id == convention).first()
    assert (row["partner"], row["price_cents"], row["version"]) == (world.partner, 12_000, 1)


async def test_the_partner_of_an_expense_is_one_of_the_cpas(world):
    other = await make_org("partner", "Club d'ailleurs", partner_type="sports_club", owner=world.elsewhere)
    with pytest.raises(ValueError):
        await actions.record_expense(world.rivebelle, sport_invoice(partner=other), world.coordinator["id"])
    assert await Expense.count().where(Expense.id != world.expense) == 0


async def test_a_warning_holds_the_expense_back_until_the_user_goes_on_and_records_who_did(world):
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "A", 100_000, world.coordinator["id"])
    staff = ExpenseInput(day=dt.date(2017, 3, 1), category="personnel", amount_excl_vat_cents=9_500, vat_cents=0,
                         shares=(ShareInput("fonds-pas", 2017, "A", 10_000),))
    held = await actions.record_expense(world.rivebelle, staff, world.coordinator["id"], past_warnings=False)
    assert held.id is None and [(f.rule, f.level) for f in held.findings] == [("COST-01", WARN)]
    assert await Expense.count().where(Expense.id != world.expense) == 0
    saved = await actions.record_expense(world.rivebelle, staff, world.administrator["id"], past_warnings=True)
    await actions.set_status(saved.id, 1, "paid", world.coordinator["id"])
    row = await Expense.select().where(Expense.id == saved.id).first()
    assert (row["warnings"], row["warned_by"], row["updated_by"]) == ("COST-01", world.administrator["id"],
                                                                      world.coordinator["id"])


async def test_cost_02_the_overheads_cap_and_its_basis_come_from_each_sources_rule_set(world):
    invoice = sport_invoice(amount_excl_vat_cents=110_000, overheads_cents=10_001)
    saved = await actions.record_expense(world.rivebelle, invoice, world.coordinator["id"])
    assert saved.id is None and [(f.rule, f.level) for f in saved.findings] == [("COST-02", BLOCK)]
    assert saved.findings[0].figures["cap"].cents == 9_999  # 10 % of the €999.99 of direct costs (2017's file)
    saved = await actions.record_expense(world.rivebelle, sport_invoice(amount_excl_vat_cents=110_000,
                                                                        overheads_cents=9_999), world.coordinator["id"])
    assert saved.id and saved.findings == ()
    assert (await Expense.select(Expense.overheads_cents).where(Expense.id == saved.id).first())["overheads_cents"] == 9_999
    too_much = await actions.record_expense(world.rivebelle, sport_invoice(overheads_cents=240_001), world.coordinator["id"])
    assert [f.rule for f in too_much.findings] == ["COST-02"]
