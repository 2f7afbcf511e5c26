"""The budget chart's figures: a year's committed and spent money, cumulated month by month, against what
was granted (issue 14, "a chart of spent vs granted over the months").

One series for the whole year, every source and strand together: the per-strand detail is the budget table
just above it, and one chart stays readable on a 360 px phone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from planner.spending.rules.common import apportion
from planner.spending.rules.personnel import days_in_year

MONTHS = 12


@dataclass(frozen=True)
class MonthCharge:
    """Money charged to the year: dated `day` (an expense) or spread over [day, until] (staff time, paid
    month by month). `spent` is True once paid; otherwise it is committed."""
    cents: int
    spent: bool
    day: dt.date
    until: dt.date | None = None


@dataclass(frozen=True)
class MonthFigures:
    month: int  # 1..12
    spent_cents: int  # paid by the end of the month, cumulated
    committed_cents: int  # ordered or invoiced by the end of the month and not yet paid, cumulated
    granted_cents: int  # the year's grants: the line the other two must stay under


def month_of(day: dt.date, year: int) -> int:
    """The month of year a day counts in: a day before the year counts in January, after it in December (a
    municipal school-year grant's expenses of the next summer)."""
    if day.year < year:
        return 1
    if day.year > year:
        return MONTHS
    return day.month


def spread_over_months(cents: int, start: dt.date, end: dt.date, year: int) -> list[int]:
    """cents over the 12 months of year in proportion to the days of [start, end] in each (largest
    remainder, so the months add up to cents exactly); all in its first month when no day falls in year."""
    weights = [days_in_year(max(start, dt.date(year, m, 1)), min(end, _last_day(year, m)), year)
               if start <= _last_day(year, m) and end >= dt.date(year, m, 1) else 0 for m in range(1, MONTHS + 1)]
    if not any(weights):
        parts = [0] * MONTHS
        parts[month_of(start, year) - 1] = cents
        return parts
    return apportion(cents, weights)


def cumulative_months(charges: Iterable[MonthCharge], granted_cents: int, year: int) -> list[MonthFigures]:
    """Twelve MonthFigures: what was spent and committed by the end of each month, cumulated."""
    spent, committed = [0] * MONTHS, [0] * MONTHS
    for charge in charges:
        target = spent if charge.spent else committed
        if charge.until is None:
            target[month_of(charge.day, year) - 1] += charge.cents
        else:
            for i, part in enumerate(spread_over_months(charge.cents, charge.day, charge.until, year)):
                target[i] += part
    result, total_spent, total_committed = [], 0, 0
    for i in range(MONTHS):
        total_spent += spent[i]
        total_committed += committed[i]
        result.append(MonthFigures(i + 1, total_spent, total_committed, granted_cents))
    return result


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
