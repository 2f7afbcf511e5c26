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
from dataclasses import dataclass

from planner.auth.tables import User
from planner.db import fetch
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


# ---- the expense list and its export --------------------------------------------------------------------

PAGE_SIZE = 50
# The list's status filter; "unpaid" is what the budget calls committed (every status but SPENT).
STATUS_FILTERS = {"committed": ("committed",), "invoiced": ("invoiced",), "paid": SPENT,
                  "unpaid": ("committed", "invoiced")}


@dataclass(frozen=True)
class ExpenseFilter:
    """What the list shows: a year's expenses (a share charged to the year, or dated in it when unshared)."""
    year: int
    source: str = ""
    strand: str = ""
    category: str = ""
    status: str = ""  # a key of STATUS_FILTERS, or "" for all
    module: int | None = None
    page: int = 1


def _where(organisation_id: int, f: ExpenseFilter):
    shares = ExpenseShare.year == f.year
    if f.source:
        shares &= ExpenseShare.source == f.source
    if f.strand:
        shares &= ExpenseShare.strand == f.strand
    where = Expense.id.is_in(ExpenseShare.select(ExpenseShare.expense).where(shares))
    if not (f.source or f.strand):  # an unshared expense belongs to the year of its day
        where |= ((Expense.day >= dt.date(f.year, 1, 1)) & (Expense.day <= dt.date(f.year, 12, 31))
                  & Expense.id.not_in(ExpenseShare.select(ExpenseShare.expense)))
    where = (Expense.organisation == organisation_id) & where
    if f.category:
        where &= Expense.category == f.category
    if f.status in STATUS_FILTERS:
        where &= Expense.status.is_in(list(STATUS_FILTERS[f.status]))
    if f.module:
        where &= Expense.module == f.module
    return where


def charge_matches(charge: dict, f: ExpenseFilter) -> bool:
    return ((not f.source or charge["source"] == f.source) and (not f.strand or charge["strand"] == f.strand)
            and (not f.category or charge["category"] == f.category)
            and (f.status not in STATUS_FILTERS or charge["status"] in STATUS_FILTERS[f.status])
            and (not f.module or charge["module"] == f.module))


LIST_COLUMNS = (Expense.id, Expense.day, Expense.supplier, Expense.partner, Expense.category,
                Expense.amount_excl_vat_cents, Expense.vat_cents, Expense.overheads_cents, Expense.status,
                Expense.module, Expense.module.code, Expense.module.title, Expense.activity,
                Expense.invoice_reference, Expense.warnings, Expense.warned_by.full_name,
                *(getattr(Expense.partner, f"name_{lang}") for lang in ("fr", "nl", "de", "en")))


async def _with_shares(organisation_id: int, year: int, rows: list[dict], shares_where) -> list[dict]:
    """Each row with its shares ({source, year, strand, share_bp, cents}), its amount including VAT and the
    name of its partner; one query for the shares whatever the number of rows."""
    shares: dict[int, list[dict]] = defaultdict(list)
    for row in await ExpenseShare.select().where(shares_where).order_by(ExpenseShare.id):
        shares[row["expense"]].append(row)
    recovers = await recovers_vat(organisation_id, year)
    for row in rows:
        own = shares[row["id"]]
        row["shares"] = [{**s, "cents": c} for s, c in zip(own, charged_cents(row, own, recovers))]
        row["incl_vat_cents"] = row["amount_excl_vat_cents"] + row["vat_cents"]
        row["partner_name"] = name_of(row, "partner.") if row["partner"] and "partner.name_fr" in row else ""
    return rows


async def expense_page(organisation_id: int, f: ExpenseFilter) -> dict:
    """One page of the list, newest first: {rows, has_next, total_cents, staff_cents}. The totals are what
    the budget sums for the same filter (charges()), staff time included, so a budget figure's link shows
    its own amount; four queries, whatever the size of the year."""
    where = _where(organisation_id, f)
    rows = await Expense.select(*LIST_COLUMNS).where(where).order_by(Expense.day, ascending=False).order_by(
        Expense.id, ascending=False).offset((f.page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    ids = [r["id"] for r in rows] or [0]
    rows = await _with_shares(organisation_id, f.year, rows, ExpenseShare.expense.is_in(ids))
    scanned = {r["expense"] for r in await InvoiceScan.select(InvoiceScan.expense).where(
        InvoiceScan.expense.is_in(ids))}
    for row in rows:
        row["has_scan"] = row["id"] in scanned
    staff = sum(c["cents"] for c in await staff_charges(organisation_id, f.year) if charge_matches(c, f))
    return {"rows": rows, "has_next": has_next, "total_cents": await _charged_total(organisation_id, f) + staff,
            "staff_cents": staff}


# Hand-written SQL: summing what a year's shares charge through charges() read all 20,000 shares of an
# Antwerp-size year into Python (about 1 s on both engines, measured for the list page, bench/spending.py).
# A 100 % share charges the whole eligible amount (rules.split_by_shares), so the database sums those; only
# the shares of split expenses are read and split here, to the cent as the budget splits them.
TOTAL_SQL = ("SELECT COALESCE(SUM(e.amount_excl_vat_cents + {} * e.vat_cents), 0) AS cents FROM expense_share s "
             "JOIN expense e ON e.id = s.expense WHERE e.organisation = {} AND s.year = {} AND s.share_bp = 10000")
SPLIT_SQL = ("SELECT s.expense, s.source, s.strand, s.share_bp, e.amount_excl_vat_cents, e.vat_cents, e.category, "
             "e.status, e.module FROM expense_share s JOIN expense e ON e.id = s.expense "
             "WHERE e.organisation = {} AND s.year = {} AND s.expense IN "
             "(SELECT p.expense FROM expense_share p WHERE p.year = {} AND p.share_bp < 10000) ORDER BY s.id")


def _share_filter(f: ExpenseFilter) -> tuple[str, list]:
    sql, args = "", []
    for column, value in (("s.source", f.source), ("s.strand", f.strand), ("e.category", f.category),
                          ("e.module", f.module)):
        if value:
            sql, args = sql + f" AND {column} = {{}}", [*args, value]
    if f.status in STATUS_FILTERS:
        statuses = STATUS_FILTERS[f.status]
        sql, args = sql + f" AND e.status IN ({', '.join('{}' for _ in statuses)})", [*args, *statuses]
    return sql, args


async def _charged_total(organisation_id: int, f: ExpenseFilter) -> int:
    """What the expenses' shares matching the filter charge to f.year: the same cents as charges()."""
    recovers = await recovers_vat(organisation_id, f.year)
    extra, args = _share_filter(f)
    [whole] = await fetch(TOTAL_SQL + extra, 0 if recovers else 1, organisation_id, f.year, *args)
    by_expense: dict[int, list[dict]] = defaultdict(list)
    for row in await fetch(SPLIT_SQL, organisation_id, f.year, f.year):
        by_expense[row["expense"]].append(row)
    split = 0
    for shares in by_expense.values():
        for share, cents in zip(shares, charged_cents(shares[0], shares, recovers)):
            if share["share_bp"] < 10_000 and charge_matches(share, f):
                split += cents
    return int(whole["cents"]) + split


async def expenses_for_export(organisation_id: int, year: int) -> list[dict]:
    """Every expense of the list's year (no filter), oldest first, with its shares: the finance export."""
    where = _where(organisation_id, ExpenseFilter(year))
    rows = await Expense.select(*LIST_COLUMNS).where(where).order_by(Expense.day).order_by(Expense.id)
    return await _with_shares(organisation_id, year, rows, ExpenseShare.expense.is_in(
        Expense.select(Expense.id).where(where)))


async def expense_form_choices(organisation_id: int) -> dict:
    """What an expense of the CPAS may name: its partners and its modules ({id, name}, by name)."""
    partners = await Organisation.select().where((Organisation.kind == "partner")
                                                 & (Organisation.owner == organisation_id))
    modules = await Module.select(Module.id, Module.code, Module.title).where(Module.organisation == organisation_id)
    return {"partners": sorted(({"id": p["id"], "name": name_of(p)} for p in partners), key=lambda p: p["name"].lower()),
            "modules": sorted(({"id": m["id"], "name": f"{m['code']} · {m['title']}"} for m in modules),
                              key=lambda m: m["name"].lower())}


async def expense_detail(expense: dict) -> dict:
    """The expense's row (access.get_expense_for_user) with its shares, its scan's name, size and type."""
    year = expense["day"].year
    [row] = await _with_shares(expense["organisation"], year, [dict(expense)], ExpenseShare.expense == expense["id"])
    user = await User.select(User.full_name).where(User.id == (expense["warned_by"] or 0)).first()
    row["warned_by_name"] = user["full_name"] if user else ""
    row["scan"] = await InvoiceScan.select(InvoiceScan.file_name, InvoiceScan.size, InvoiceScan.media_type,
                                           InvoiceScan.uploaded_at).where(InvoiceScan.expense == expense["id"]).first()
    return row


async def invoice_scan(expense_id: int) -> dict | None:
    """The scan of an expense (the caller checked access), bytes included."""
    return await InvoiceScan.select().where(InvoiceScan.expense == expense_id).first()


# The budget page's reads; at the end, since they use the functions above.
from planner.spending.queries.budget_view import (  # noqa: E402,F401
    budget_charges, cpas_names, months, recoveries,
)
from planner.spending.queries.module_costs import (  # noqa: E402,F401
    cluster_key, last_session_year, module_costs, module_expenses, module_register, module_staff,
)
