"""The planning's periods: a week, or the whole weeks that cover a month. Pure rules."""

from __future__ import annotations

import calendar
import datetime as dt

VIEWS = ("week", "month")


def period(view: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week, or of the whole weeks that cover the month."""
    if view == "month":
        first = day.replace(day=1)
        last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        return first - dt.timedelta(days=first.weekday()), last + dt.timedelta(days=6 - last.weekday())
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def shift(view: str, day: dt.date, step: int) -> dt.date:
    """The day `step` weeks (or the first of the month `step` months) away, for "previous" and "next"."""
    if view == "month":
        month = day.month - 1 + step
        return dt.date(day.year + month // 12, month % 12 + 1, 1)
    return day + dt.timedelta(weeks=step)
