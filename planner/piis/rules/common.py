"""Date arithmetic the PIIS rules share, and their findings (the app's Finding shape, planner/findings.py)."""

from __future__ import annotations

import calendar
import datetime as dt

from planner.findings import BLOCK, WARN, Finding, blocks  # one shape of verdict for every rule of the app

__all__ = ["BLOCK", "WARN", "Finding", "add_months", "blocks", "months_between"]


def add_months(day: dt.date, months: int) -> dt.date:
    """day + months calendar months, on the same day of the month or the month's last day (31 Jan + 1 → 28/29
    Feb), as Belgian administrative deadlines are counted."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start to end (0 when end is before start + 1 month)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(0, months)
