"""The budget page's reads (/spending): the year's charges summed for its lines and chart, the chart's months
and what COST-11 recovers, and the names a local rule set knows a CPAS by."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from planner.db import fetch, on_postgres
from planner.orgs.tables import Organisation
from planner.spending.queries import SPENT, charged_cents, recovers_vat, staff_charges
from planner.spending.rules import MonthCharge, MonthFigures, Recovery, cumulative_months, eligible_amount, to_recover
from planner.spending.rulesets import load_ruleset

# Hand-written (ARCHITECTURE.md, "where a bench shows it pays"): the budget page's one big read. bench/spending.py,
# 20,000 expenses: reading every share through Piccolo put the budget view at 510 ms median on SQLite and 493 ms
# on PostgreSQL; summed here: see the figures in the bench's docstring. A share of 100 % charges its expense's
# whole eligible amount (eligible_amount is linear, so the sums can be taken first).
WHOLE_SHARES_SQL = """
SELECT s.source, s.strand, e.status, e.category = 'personnel' AS personnel, {month} AS month,
       SUM(e.amount_excl_vat_cents) AS excl, SUM(e.vat_cents) AS vat
FROM expense_share s JOIN expense e ON e.id = s.expense
WHERE e.organisation = {{}} AND s.year = {{}} AND s.share_bp = 10000
GROUP BY s.source, s.strand, e.status, e.category = 'personnel', {month}"""
MONTH = {"sqlite": "substr(e.day, 1, 7)", "postgresql": "to_char(e.day, 'YYYY-MM')"}  # "2025-06"
# "+ 0" and the month make these expressions, not columns: SQLite then skips the declared types' converters
# (Piccolo's, one Python call per value: most of this read's time on 8,000 rows).
SPLIT_SHARES_SQL = """
SELECT s.expense + 0 AS expense, s.source, s.strand, s.share_bp + 0 AS share_bp,
       e.amount_excl_vat_cents + 0 AS amount_excl_vat_cents, e.vat_cents + 0 AS vat_cents, e.category, e.status,
       {month} AS month
FROM expense_share s JOIN expense e ON e.id = s.expense
WHERE e.organisation = {{}} AND s.year = {{}} AND s.share_bp <> 10000 ORDER BY s.id"""


async def budget_charges(organisation_id: int, year: int) -> list[dict]:
    """The year's charges() summed for the budget page, to the same cents per source, strand, status and month:
    {source, strand, category ("personnel" or "": the budget tells only personnel apart), status, day (the
    month's first day), cents}, then the staff time as in charges(). Shares of 100 % are summed by the
    database; the others are split as charges() splits them (an expense with a 100 % share has only 0 % shares
    beside it, and those charge 0 however they are split)."""
    recovers = await recovers_vat(organisation_id, year)
    month = MONTH["postgresql" if on_postgres() else "sqlite"]
    result = [{"expense": None, "source": r["source"], "strand": r["strand"],
               "category": "personnel" if r["personnel"] else "", "status": r["status"],
               "day": dt.date(int(r["month"][:4]), int(r["month"][5:7]), 1),
               "cents": eligible_amount(int(r["excl"]), int(r["vat"]), recovers)}
              for r in await fetch(WHOLE_SHARES_SQL.format(month=month), organisation_id, year)]
    by_expense: dict[int, list[dict]] = defaultdict(list)
    for row in await fetch(SPLIT_SHARES_SQL.format(month=month), organisation_id, year):
        by_expense[row["expense"]].append(row)
    split: dict[tuple, int] = defaultdict(int)  # summed like the 100 % shares: a few hundred lines, not 8,000
    for shares in by_expense.values():
        first = shares[0]
        key = ("personnel" if first["category"] == "personnel" else "", first["status"], first["month"])
        for share, cents in zip(shares, charged_cents(first, shares, recovers)):
            split[(share["source"], share["strand"], *key)] += cents
    result += [{"expense": None, "source": source, "strand": strand, "category": category, "status": status,
                "day": dt.date(int(month[:4]), int(month[5:7]), 1), "cents": cents}
               for (source, strand, category, status, month), cents in split.items()]
    return result + await staff_charges(organisation_id, year)


def months(charged: list[dict], lines: list[dict], year: int) -> list[MonthFigures]:
    """The chart's twelve months: the year's charges (charges()) cumulated, against the year's grants (the
    budget lines, every source and strand together)."""
    return cumulative_months(
        [MonthCharge(c["cents"], c["status"] in SPENT, c["day"], c.get("until")) for c in charged],
        sum(line["line"].granted_cents for line in lines), year)


def recoveries(lines: list[dict], year: int, today: dt.date) -> list[dict]:
    """COST-11 per granted line: {source, strand, deadline, recovery: rules.Recovery}. What is paid counts as
    justified; committed money is not, until it is paid."""
    result = []
    for line in lines:
        if line["line"].granted_cents <= 0:
            continue
        deadline = load_ruleset(line["source"], year).report_deadline
        recovery: Recovery = to_recover(line["line"].granted_cents, line["line"].spent_cents, deadline, today)
        result.append({"source": line["source"], "strand": line["strand"], "deadline": deadline,
                       "recovery": recovery, "past": today > deadline})
    return result


async def cpas_names(organisation_id: int) -> list[str]:
    """The CPAS's name in each language: a local rule set names the CPAS it belongs to by one of them."""
    row = await Organisation.select(Organisation.name_fr, Organisation.name_nl, Organisation.name_de,
                                    Organisation.name_en).where(Organisation.id == organisation_id).first()
    return [name for name in (row or {}).values() if name]
