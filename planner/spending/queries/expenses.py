"""Reads of the expense list, the expense page and the export: one page of a year's expenses with the total
its budget figure sums, the form's choices, an expense with its shares and its scan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from planner.auth.tables import User
from planner.db import fetch
from planner.modules.tables import Module
from planner.orgs.access import name_of
from planner.orgs.tables import Organisation
from planner.spending.queries import SPENT, charged_cents, recovers_vat, share_cents_column, staff_charges
from planner.spending.tables import Expense, ExpenseShare, InvoiceScan


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
# Each share's cents are stored on its row (rules.share_cents), so the database sums them, to the cent what
# the budget sums.
TOTAL_SQL = ("SELECT COALESCE(SUM(s.{cents}), 0) AS cents FROM expense_share s JOIN expense e ON e.id = s.expense "
             "WHERE e.organisation = {{}} AND s.year = {{}}")


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
    extra, args = _share_filter(f)
    sql = TOTAL_SQL.format(cents=share_cents_column(await recovers_vat(organisation_id, f.year))) + extra
    [total] = await fetch(sql, organisation_id, f.year, *args)
    return int(total["cents"])


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
