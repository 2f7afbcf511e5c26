"""The budget page's reads (/spending): the year's charges summed for its lines and chart, the chart's months
and what COST-11 recovers, and the names a local rule set knows a CPAS by; the desk's count of lines near their
limit, from the same sums."""

from __future__ import annotations

import datetime as dt

from planner.db import fetch, on_postgres
from planner.orgs.tables import Organisation
from planner.spending.queries import SPENT, budget, recovers_vat, share_cents_column, staff_charges
from planner.spending.rules import OK, MonthCharge, MonthFigures, Recovery, cumulative_months, to_recover
from planner.spending.rulesets import load_ruleset
from planner.spending.tables import ExpenseShare, FundingGrant, StaffAllocation

# Hand-written (ARCHITECTURE.md, "where a bench shows it pays"): the budget page's one big read. bench/spending.py,
# 20,000 expenses: reading every share through Piccolo put the budget view at 510 ms median on SQLite and 493 ms
# on PostgreSQL; splitting the split shares in Python still cost 250-390 ms. Each share's cents are stored on
# its row (rules.share_cents), so the database sums them all: a few hundred rows come back, whatever the year.
CHARGES_SQL = """
SELECT s.source, s.strand, e.status, e.category = 'personnel' AS personnel, {month} AS month,
       SUM(s.{cents}) AS cents
FROM expense_share s JOIN expense e ON e.id = s.expense
WHERE e.organisation = {{}} AND s.year = {{}}
GROUP BY s.source, s.strand, e.status, e.category = 'personnel', {month}"""
MONTH = {"sqlite": "substr(e.day, 1, 7)", "postgresql": "to_char(e.day, 'YYYY-MM')"}  # "2025-06"


async def budget_charges(organisation_id: int, year: int) -> list[dict]:
    """The year's charges() summed for the budget page, to the same cents per source, strand, status and month:
    {expense: None, source, strand, category ("personnel" or "": the budget tells only personnel apart), status,
    day (the month's first day), cents}, then the staff time as in charges()."""
    sql = CHARGES_SQL.format(month=MONTH["postgresql" if on_postgres() else "sqlite"],
                             cents=share_cents_column(await recovers_vat(organisation_id, year)))
    result = [{"expense": None, "source": r["source"], "strand": r["strand"],
               "category": "personnel" if r["personnel"] else "", "status": r["status"],
               "day": dt.date(int(r["month"][:4]), int(r["month"][5:7]), 1), "cents": int(r["cents"])}
              for r in await fetch(sql, organisation_id, year)]
    return result + await staff_charges(organisation_id, year)


async def caps_near(organisation_id: int, year: int) -> int:
    """How many of the CPAS's budget lines of year, grant or cap (COST-01), are near or over their limit (the
    desk): the lines of the budget page, from the same summed charges (budget_charges), not from every share."""
    count = 0
    for entry in await budget(organisation_id, year, await budget_charges(organisation_id, year)):
        line = entry["line"]
        count += (line.state != OK) + sum(1 for cap in line.caps if cap.state != OK)
    return count


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


async def years_with_figures(organisation_id: int) -> list[int]:
    """The years the CPAS recorded a grant, a share of an expense or staff time for, oldest first: the budget
    page links them, so a year with nothing yet (a new year, the demo's present) is not a dead end."""
    years = {r["year"] for r in await FundingGrant.select(FundingGrant.year).where(
        FundingGrant.organisation == organisation_id).distinct()}
    years |= {r["year"] for r in await ExpenseShare.select(ExpenseShare.year).where(
        ExpenseShare.expense.organisation == organisation_id).distinct()}
    years |= {r["year"] for r in await StaffAllocation.select(StaffAllocation.year).where(
        StaffAllocation.organisation == organisation_id).distinct()}
    return sorted(years)
