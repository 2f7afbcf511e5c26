"""Reads for spending: a CPAS's expenses of a year with their shares, and its budget per funding source and
strand (granted, committed, spent, left; rules.budget_line). A package past ~300 lines: the budget page's own
reads (its summed charges, the chart's months, COST-11) are in budget_view.py, re-exported at the end.

What a share charges is computed here from the expense, the CPAS's VAT policy of the year and the expense's
shares (rules.eligible_amount, rules.split_by_shares), never stored: a corrected VAT policy changes every
figure at once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from planner.enrolment.tables import Enrolment
from planner.modules.tables import Module, ModulePartner
from planner.orgs.access import name_of
from planner.orgs.tables import Organisation
from planner.spending.rules import (
    PIIS_TASKS, BudgetLine, PiisShare, RuleSet, budget_line, eligible_amount, personnel_charge, piis_chargeable,
    split_by_shares,
)
from planner.spending.rulesets import load_ruleset
from planner.spending.tables import (
    Expense, ExpenseShare, FundingGrant, InvoiceScan, PartnerConvention, StaffAllocation, VatPolicy,
)

SPENT = ("paid",)  # the rest (committed, invoiced) is committed


async def recovers_vat(organisation_id: int, year: int) -> bool:
    """Whether the CPAS recovers VAT in year; a CPAS that said nothing does not (the VAT is then a cost)."""
    row = await VatPolicy.select(VatPolicy.recovers_vat).where(
        (VatPolicy.organisation == organisation_id) & (VatPolicy.year == year)).first()
    return bool(row and row["recovers_vat"])


def charged_cents(expense: dict, shares: list[dict], recovers: bool) -> list[int]:
    """The cents each of an expense's shares (in their order) charges."""
    amount = eligible_amount(expense["amount_excl_vat_cents"], expense["vat_cents"], recovers)
    return split_by_shares(amount, [s["share_bp"] for s in shares])


async def charges(organisation_id: int, year: int, exclude_expense: int | None = None,
                  exclude_allocation: int | None = None) -> list[dict]:
    """Every share charged to a funding source's year by the CPAS, with its cents and its expense's
    category, status and day: {expense, source, strand, category, status, day, cents}; then its staff time (without
    exclude_allocation, the line being edited)."""
    rows = await ExpenseShare.select(
        ExpenseShare.id, ExpenseShare.expense, ExpenseShare.source, ExpenseShare.year, ExpenseShare.strand,
        ExpenseShare.share_bp, ExpenseShare.expense.amount_excl_vat_cents, ExpenseShare.expense.vat_cents,
        ExpenseShare.expense.category, ExpenseShare.expense.status, ExpenseShare.expense.day,
    ).where((ExpenseShare.expense.organisation == organisation_id) & (ExpenseShare.year == year)
            & (ExpenseShare.expense != (exclude_expense or 0))).order_by(ExpenseShare.id)
    recovers = await recovers_vat(organisation_id, year)
    by_expense: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_expense[row["expense"]].append(row)
    result = []
    for expense_id, shares in by_expense.items():
        expense = {"amount_excl_vat_cents": shares[0]["expense.amount_excl_vat_cents"],
                   "vat_cents": shares[0]["expense.vat_cents"]}
        for share, cents in zip(shares, charged_cents(expense, shares, recovers)):
            result.append({"expense": expense_id, "source": share["source"], "strand": share["strand"],
                           "category": share["expense.category"], "status": share["expense.status"],
                           "day": share["expense.day"], "cents": cents})
    return result + await staff_charges(organisation_id, year, exclude_allocation)


async def staff_charges(organisation_id: int, year: int, exclude_allocation: int | None = None) -> list[dict]:
    """The CPAS's staff time of year (COST-09) as charges: personnel, counted as spent (salaries are paid
    month by month), expense None."""
    rows = await StaffAllocation.select().where(
        (StaffAllocation.organisation == organisation_id) & (StaffAllocation.year == year)
        & (StaffAllocation.id != (exclude_allocation or 0)))
    return [{"expense": None, "allocation": r["id"], "source": r["source"], "strand": r["strand"],
             "category": "personnel", "status": "paid", "day": r["starts_on"], "until": r["ends_on"],
             "cents": personnel_charge(r["full_time_annual_cents"], r["fte_bp"], r["time_share_bp"], r["starts_on"],
                                       r["ends_on"], year, json.loads(r["tasks"])).cents} for r in rows]


async def expense_count(organisation_id: int, year: int) -> int:
    """How many expenses of the CPAS are dated in year (the budget page counts them without loading them)."""
    return await Expense.count().where(
        (Expense.organisation == organisation_id) & (Expense.day >= dt.date(year, 1, 1))
        & (Expense.day <= dt.date(year, 12, 31)))


async def expenses_of_year(organisation_id: int, year: int) -> list[dict]:
    """The CPAS's expenses dated in year, oldest first, each with its shares ({source, year, strand, share_bp,
    cents}), its amount including VAT, the amount a subsidy may be charged and whether a scan is attached."""
    expenses = await Expense.select().where(
        (Expense.organisation == organisation_id) & (Expense.day >= dt.date(year, 1, 1))
        & (Expense.day <= dt.date(year, 12, 31))).order_by(Expense.day).order_by(Expense.id)
    ids = [e["id"] for e in expenses] or [0]
    shares: dict[int, list[dict]] = defaultdict(list)
    for row in await ExpenseShare.select().where(ExpenseShare.expense.is_in(ids)).order_by(ExpenseShare.id):
        shares[row["expense"]].append(row)
    scanned = {r["expense"] for r in await InvoiceScan.select(InvoiceScan.expense).where(
        InvoiceScan.expense.is_in(ids))}
    recovers = await recovers_vat(organisation_id, year)
    for expense in expenses:
        own = shares[expense["id"]]
        expense["shares"] = [{**s, "cents": c} for s, c in zip(own, charged_cents(expense, own, recovers))]
        expense["incl_vat_cents"] = expense["amount_excl_vat_cents"] + expense["vat_cents"]
        expense["eligible_cents"] = eligible_amount(expense["amount_excl_vat_cents"], expense["vat_cents"], recovers)
        expense["has_scan"] = expense["id"] in scanned
    return expenses


async def budget(organisation_id: int, year: int, charged: list[dict] | None = None) -> list[dict]:
    """One line per funding source and strand the CPAS was granted or charged in year, by source then strand:
    {source, strand, line: rules.BudgetLine} (granted, committed, spent, left, the caps and their states).
    charged: the year's charges when the caller has them (the budget page: budget_view.budget_charges)."""
    grants = {(g["source"], g["strand"]): g["granted_cents"] for g in await FundingGrant.select().where(
        (FundingGrant.organisation == organisation_id) & (FundingGrant.year == year))}
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"committed": 0, "spent": 0, "personnel": 0})
    for charge in charged if charged is not None else await charges(organisation_id, year):
        total = totals[(charge["source"], charge["strand"])]
        total["spent" if charge["status"] in SPENT else "committed"] += charge["cents"]
        if charge["category"] == "personnel":
            total["personnel"] += charge["cents"]
    lines = []
    for source, strand_code in sorted(set(grants) | set(totals)):
        ruleset = load_ruleset(source, year)
        strand = ruleset.strand(strand_code)
        if strand is None:  # a grant saved for a strand a corrected rule set no longer has
            continue
        total = totals[(source, strand_code)]
        line: BudgetLine = budget_line(grants.get((source, strand_code), 0), total["committed"], total["spent"],
                                       total["personnel"], strand, ruleset.warn_from_bp)
        lines.append({"source": source, "strand": strand_code, "line": line})
    return lines


# ---- partners and their conventions (/spending/partners) ------------------------------------------------

async def partners_of(organisation_id: int, year: int, today: dt.date) -> list[dict]:
    """The partner organisations the CPAS registered, by name: {id, name, convention (the one running
    today, else the newest) or None, expenses_cents (excl. VAT, dated in year)}."""
    partners = await Organisation.select().where(
        (Organisation.kind == "partner") & (Organisation.owner == organisation_id))
    ids = [p["id"] for p in partners] or [0]
    conventions: dict[int, list[dict]] = defaultdict(list)
    for row in await PartnerConvention.select().where(
            (PartnerConvention.organisation == organisation_id) & PartnerConvention.partner.is_in(ids)).order_by(
            PartnerConvention.starts_on, ascending=False).order_by(PartnerConvention.id, ascending=False):
        conventions[row["partner"]].append(row)
    totals: dict[int, int] = defaultdict(int)
    for row in await Expense.select(Expense.partner, Expense.amount_excl_vat_cents).where(
            (Expense.organisation == organisation_id) & Expense.partner.is_in(ids)
            & (Expense.day >= dt.date(year, 1, 1)) & (Expense.day <= dt.date(year, 12, 31))):
        totals[row["partner"]] += row["amount_excl_vat_cents"]
    rows = [{"id": p["id"], "name": name_of(p), "convention": current_convention(conventions[p["id"]], today),
             "expenses_cents": totals[p["id"]]} for p in partners]
    return sorted(rows, key=lambda r: r["name"].lower())


def current_convention(conventions: list[dict], today: dt.date) -> dict | None:
    """Of a partner's conventions (newest first), the one running today, else the newest."""
    running = [c for c in conventions if c["starts_on"] <= today <= c["ends_on"]]
    return (running or conventions or [None])[0]


async def partner_page(organisation_id: int, partner_id: int) -> dict | None:
    """A partner the CPAS registered, with its conventions (newest first), the CPAS's modules it runs and
    its invoices (the CPAS's expenses naming it, newest first); None when it is not the CPAS's partner."""
    partner = await Organisation.select().where(
        (Organisation.id == partner_id) & (Organisation.kind == "partner")
        & (Organisation.owner == organisation_id)).first()
    if partner is None:
        return None
    conventions = await PartnerConvention.select().where(
        (PartnerConvention.organisation == organisation_id) & (PartnerConvention.partner == partner_id)).order_by(
        PartnerConvention.starts_on, ascending=False).order_by(PartnerConvention.id, ascending=False)
    modules = await ModulePartner.select(ModulePartner.module.id, ModulePartner.module.code,
                                         ModulePartner.module.title).where(
        (ModulePartner.partner == partner_id) & (ModulePartner.module.organisation == organisation_id)).order_by(
        ModulePartner.module.code)
    invoices = await Expense.select(Expense.id, Expense.day, Expense.invoice_reference, Expense.amount_excl_vat_cents,
                                    Expense.vat_cents, Expense.status).where(
        (Expense.organisation == organisation_id) & (Expense.partner == partner_id)).order_by(
        Expense.day, ascending=False).order_by(Expense.id, ascending=False)
    for invoice in invoices:
        invoice["incl_vat_cents"] = invoice["amount_excl_vat_cents"] + invoice["vat_cents"]
    return {**partner, "name": name_of(partner), "conventions": conventions, "invoices": invoices,
            "modules": [{"id": m["module.id"], "code": m["module.code"], "title": m["module.title"]}
                        for m in modules]}


async def convention_of(organisation_id: int, convention_id: int) -> dict | None:
    """The CPAS's convention, or None (another CPAS's, or none)."""
    return await PartnerConvention.select().where(
        (PartnerConvention.id == convention_id) & (PartnerConvention.organisation == organisation_id)).first()


# ---- personnel time (/spending/staff) ------------------------------------------------------------------

async def piis_shares(module_id: int, year: int, strand: str, ruleset: RuleSet,
                      per_task: dict[str, int]) -> list[tuple[str, PiisShare]]:
    """SUB-PIIS-05: for each bilan social or progress measurement task with an amount, charged to a strand the
    rule set excludes, the part chargeable: the module's participants of the year (enrolled or ended, their
    enrolment overlapping the year) against those for whom the CPAS receives the 10 % PIIS subsidy that year
    (people.tables.Beneficiary.piis_subsidy_year, until the PIIS area exists)."""
    tasks = [t for t in PIIS_TASKS if per_task.get(t) and strand in ruleset.piis_subsidy_excluded_strands]
    if not tasks:
        return []
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = await Enrolment.select(Enrolment.beneficiary, Enrolment.beneficiary.piis_subsidy_year).where(
        (Enrolment.module == module_id) & Enrolment.status.is_in(["enrolled", "ended"])
        & (Enrolment.start_date.is_null() | (Enrolment.start_date <= last))
        & (Enrolment.end_date.is_null() | (Enrolment.end_date >= first)))
    people = {r["beneficiary"]: r["beneficiary.piis_subsidy_year"] for r in rows}
    with_subsidy = sum(1 for subsidy_year in people.values() if subsidy_year == year)
    return [(task, piis_chargeable(per_task[task], task, strand, len(people), with_subsidy, ruleset))
            for task in sorted(tasks)]


async def staff_of_year(organisation_id: int, year: int) -> list[dict]:
    """The CPAS's staff time of year by name: each row with its tasks ({task: bp}), its module's code and
    title, who last saved it (updated_by.full_name: who went on past a warning) and its charge (rules.PersonnelCharge: total, per task, days)."""
    rows = await StaffAllocation.select(
        *StaffAllocation.all_columns(), StaffAllocation.module.code, StaffAllocation.module.title,
        StaffAllocation.updated_by.full_name).where(
        (StaffAllocation.organisation == organisation_id) & (StaffAllocation.year == year)).order_by(
        StaffAllocation.staff_name).order_by(StaffAllocation.id)
    for row in rows:
        row["tasks"] = json.loads(row["tasks"])
        row["charge"] = personnel_charge(row["full_time_annual_cents"], row["fte_bp"], row["time_share_bp"],
                                         row["starts_on"], row["ends_on"], year, row["tasks"])
    return rows


async def staff_time_of(organisation_id: int, allocation_id: int) -> dict | None:
    """The CPAS's line of staff time, or None (another CPAS's, or none)."""
    row = await StaffAllocation.select().where(
        (StaffAllocation.id == allocation_id) & (StaffAllocation.organisation == organisation_id)).first()
    if row:
        row["tasks"] = json.loads(row["tasks"])
    return row


async def module_choices(organisation_id: int) -> list[dict]:
    """The CPAS's modules a staff line may name: {id, code, title}, by code."""
    return await Module.select(Module.id, Module.code, Module.title).where(
        Module.organisation == organisation_id).order_by(Module.code)


# The budget page's reads; at the end, since they use the functions above.
from planner.spending.queries.budget_view import (  # noqa: E402,F401
    budget_charges, cpas_names, months, recoveries,
)
