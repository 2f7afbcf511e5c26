"""The year's expenses as an Excel workbook for the finance department: one row per expense and share (an
unshared expense is one row with an empty source). Pure: rows in (queries.expenses_for_export, with the words
already translated), bytes out; no request, no database, so the route builds it in a worker thread.

Amounts are numbers in euros with a € format (the finance department sums them), never text; what users
typed goes through exports.safe_cell and is written as text, so "=SUM(…)" stays a name, not a formula.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from planner.exports import safe_cell

EUROS = '#,##0.00 "€"'
PERCENT = "0.00 %"
DATE = "dd/mm/yyyy"  # Belgian order, as the report workbook (report/cells.py) and every page
WIDTHS = (12, 30, 22, 30, 18, 12, 16, 12, 16, 34, 8, 10, 16)  # characters, one per column


def euros(cents: int) -> Decimal:
    return Decimal(cents) / 100


def _text(cell, value: str) -> None:
    cell.value = safe_cell(value)
    cell.data_type = "s"  # openpyxl would store a str starting with "=" as a formula


def workbook(rows: list[dict], headers: list[str], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for a sheet's name
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        for share in row["shares"] or [None]:
            line = sheet.max_row + 1
            sheet.cell(line, 1, row["day"]).number_format = DATE
            _text(sheet.cell(line, 2), row["partner_name"] or row["supplier"])
            _text(sheet.cell(line, 3), row["category_word"])
            _text(sheet.cell(line, 4), f"{row['module.code']} · {row['module.title']}" if row["module"] else row["activity"])
            _text(sheet.cell(line, 5), row["invoice_reference"])
            _text(sheet.cell(line, 6), row["status_word"])
            for column, cents in ((7, row["amount_excl_vat_cents"]), (8, row["vat_cents"]), (9, row["incl_vat_cents"])):
                sheet.cell(line, column, euros(cents)).number_format = EUROS
            if share is not None:
                _text(sheet.cell(line, 10), share["source_word"])
                _text(sheet.cell(line, 11), share["strand"])
                sheet.cell(line, 12, Decimal(share["share_bp"]) / 10_000).number_format = PERCENT
                sheet.cell(line, 13, euros(share["cents"])).number_format = EUROS
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
