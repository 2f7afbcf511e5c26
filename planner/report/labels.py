"""The report area's template functions (passed to the templates by app.py)."""

from __future__ import annotations

from planner.i18n import today


def pack_years() -> list[int]:
    """The years an inspection pack is usually asked for, newest first: this year and the one before (the
    report on year N is made in N+1, REP-05)."""
    year = today().year
    return [year, year - 1]


TEMPLATE_GLOBALS = {"pack_years": pack_years}
