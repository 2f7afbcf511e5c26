"""Reads for spending: a CPAS's expenses of a year with their shares, and its budget per funding source and
strand (granted, committed, spent, left; rules.budget_line). A package past ~300 lines: the budget page's own
reads (its summed charges, the chart's months, COST-11) are in budget_view.py, the other screens' in
partners.py, staff.py, expenses.py and module_costs.py, all re-exported at the end.

What a share charges is stored on its row under both VAT policies when the expense is saved
(rules.share_cents); the CPAS's VAT policy of the year picks one when it is read (share_cents_column), so a
corrected VAT policy changes every figure at once. charges() still computes them from the expense
(rules.eligible_amount, rules.split_by_shares): the actions check against it, and the tests hold the
database's sums to it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from planner.spending.rules import BudgetLine, budget_line, eligible_amount, personnel_charge, split_by_shares
from planner.spending.rulesets import load_ruleset
from planner.spending.tables import Expense, ExpenseShare, FundingGrant, InvoiceScan, StaffAllocation, VatPolicy

SPENT = ("paid",)  # the rest (committed, invoiced) is committed


async def recovers_vat(organisation_id: int, year: int) -> bool:
    """Whether the CPAS recovers VAT in year; a CPAS that said nothing does not (the VAT is then a cost)."""
    row = await VatPolicy.select(VatPolicy.recovers_vat).where(
        (VatPolicy.organisation == organisation_id) & (VatPolicy.year == year)).first()
    return bool(row and row["recovers_vat"])


def share_cents_column(recovers: bool) -> str:
    """The ExpenseShare column holding what a share charges under the VAT policy: for hand-written SQL."""
    return "excl_vat_cents" if recovers else "incl_vat_cents"


def charged_cents(expense: dict, shares: list[dict], recovers: bool) -> list[int]:
    """The cents each of an expense's shares (in their order) charges."""
    amount = eligible_amount(expense["amount_excl_vat_cents"], expense["vat_cents"], recovers)
    return split_by_shares(amount, [s["share_bp"] for s in shares])


async def charges(organisation_id: int, year: int, exclude_expense: int | None = None,
                  exclude_allocation: int | None = None) -> list[dict]:
    """Every share charged to a funding source's year by the CPAS, with its cents and its expense's
    category, status, day and module: {expense, source, strand, category, status, day, module, cents}; then
    its staff time (without exclude_allocation, the line being edited)."""
    rows = await ExpenseShare.select(
        ExpenseShare.id, ExpenseShare.expense, ExpenseShare.source, ExpenseShare.year, ExpenseShare.strand,
        ExpenseShare.share_bp, ExpenseShare.expense.amount_excl_vat_cents, ExpenseShare.expense.vat_cents,
        ExpenseShare.expense.category, ExpenseShare.expense.status, ExpenseShare.expense.day,
        ExpenseShare.expense.module,
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
                           "day": share["expense.day"], "module": share["expense.module"], "cents": cents})
    return result + await staff_charges(organisation_id, year, exclude_allocation)


async def staff_charges(organisation_id: int, year: int, exclude_allocation: int | None = None) -> list[dict]:
    """The CPAS's staff time of year (COST-09) as charges: personnel, counted as spent (salaries are paid
    month by month), expense None."""
    rows = await StaffAllocation.select().where(
        (StaffAllocation.organisation == organisation_id) & (StaffAllocation.year == year)
        & (StaffAllocation.id != (exclude_allocation or 0)))
    return [{"expense": None, "allocation": r["id"], "source": r["source"], "strand": r["strand"],
             "category": "personnel", "status": "paid", "day": r["starts_on"], "until": r["ends_on"],
             "module": r["module"],
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


INVOICED = ("invoiced", "paid")  # an invoice has come: its scan is expected (the desk, issue 18)


def _without_scan(organisations: set[int]):
    return (Expense.organisation.is_in(sorted(organisations) or [0]) & Expense.status.is_in(list(INVOICED))
            & Expense.id.not_in(InvoiceScan.select(InvoiceScan.expense)))


async def count_without_scan(organisations: set[int]) -> int:
    """How many invoiced or paid expenses of these CPAS have no scanned invoice (counted in SQL)."""
    return await Expense.count().where(_without_scan(organisations))


async def expenses_without_scan(organisations: set[int]) -> list[dict]:
    """Those expenses, oldest first: id, day, supplier, invoice_reference, amount_excl_vat_cents, vat_cents."""
    return await Expense.select(Expense.id, Expense.day, Expense.supplier, Expense.invoice_reference,
                                Expense.amount_excl_vat_cents, Expense.vat_cents).where(
        _without_scan(organisations)).order_by(Expense.day).order_by(Expense.id)


# Each screen's reads; at the end, since they use the functions above.
from planner.spending.queries.budget_view import (  # noqa: E402,F401
    budget_charges, caps_near, cpas_names, months, recoveries, years_with_figures,
)
from planner.spending.queries.module_costs import (  # noqa: E402,F401
    cluster_key, last_session_year, module_cost_years, module_costs, module_expenses, module_register, module_staff,
)
from planner.spending.queries.expenses import (  # noqa: E402,F401
    PAGE_SIZE, STATUS_FILTERS, ExpenseFilter, charge_matches, expense_detail, expense_form_choices, expense_page,
    expenses_for_export, invoice_scan,
)
from planner.spending.queries.partners import (  # noqa: E402,F401
    convention_of, current_convention, partner_page, partners_of,
)
from planner.spending.queries.staff import module_choices, piis_shares, staff_of_year, staff_time_of  # noqa: E402,F401
