"""What every spreadsheet export (CSV now, the Excel table of collective modules later) writes in a cell.

Text typed into planner is stored as typed, but a spreadsheet reads a cell that starts with `=`, `+`,
`-` or `@` (or a tab or carriage return before one) as a formula: a name like `=HYPERLINK(...)` would
run on the coordinator's computer. Every exported cell goes through `safe_cell`, once, at the edge.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> object:
    """The value to write in a spreadsheet cell.

    Numbers (int, float, Decimal) and dates stay as they are, so sums and sorting still work; None is
    an empty cell; any other value becomes text, and text that would start a formula gets a leading
    apostrophe (the spreadsheet convention for "this is text"). For openpyxl, also write such a cell
    as a string (cell.data_type = "s"): openpyxl itself stores a str starting with "=" as a formula.
    """
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal, dt.date, dt.time)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
