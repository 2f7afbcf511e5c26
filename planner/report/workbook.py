"""The Rapport unique's workbook (issue 16, REP-03): the figures of one CPAS or of a cluster's CPAS written by a
column map (colmap.py). Pure: bytes out, no database, no web, no clock.

- write_own(map, reports, language): the app's own layout, streamed with xlsxwriter (constant_memory: an
  Antwerp-size year in bench/report.py), with headers, number formats, formulas and a totals row;
- fill_template(content, map, reports): a copy of the uploaded official table, filled with openpyxl (which keeps
  its formatting); its own formulas and headers stay;
- flat_figures / compare: every figure of the own layout under a stable key, for freezing a year and the
  correction log.

Text is always written as text: a cell starting with `=`, `+`, `-` or `@` never becomes a formula (exports.py).
Only what a map names is written, and no figure is a beneficiary's name or national register number (cells.py).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl
import xlsxwriter

from planner.report.cells import FIGURES, FORMATS, PIIS_SUBSIDY, CpasReport, cell_value, items
from planner.report.colmap import ColumnMap, Sheet, column_index, column_letters

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOTAL = {"fr": "Total", "nl": "Totaal"}


class TemplateError(ValueError):
    """The uploaded table does not fit the year's map (a sheet is missing) or is not a workbook."""


def _rows(sheet: Sheet, reports: Sequence[CpasReport]):
    for report in reports:
        for key, item in items(sheet.rows, report):
            yield report, key, item


def write_own(column_map: ColumnMap, reports: Sequence[CpasReport], language: str) -> bytes:
    """The own layout as .xlsx bytes: one sheet per map sheet, headers in `language` ("fr" | "nl"), every CPAS's
    rows one after the other (a cluster), a totals row of SUM formulas where the map asks for one."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    formats = {name: book.add_format({"num_format": code}) for name, code in FORMATS.items()}
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    bold_formats = {name: book.add_format({"num_format": code, "bold": True}) for name, code in FORMATS.items()}
    for sheet in column_map.sheets:
        ws = book.add_worksheet(sheet.title(language))
        if sheet.rows == "cells":
            _own_cells(ws, sheet, reports[0], language, formats, bold)
            continue
        for c in sheet.columns:
            ws.set_column(c.index, c.index, 28 if c.format == "text" else 14)
        if sheet.header_row:
            ws.set_row(sheet.header_row - 1, 45)
            for c in sheet.columns:
                ws.write_string(sheet.header_row - 1, c.index, c.header[language], bold)
            ws.freeze_panes(sheet.header_row, 0)
        row = sheet.first_row - 1
        sums = {c.column: 0.0 for c in sheet.columns if c.total}
        for report, _key, item in _rows(sheet, reports):
            for c in sheet.columns:
                value = cell_value(FIGURES[c.figure], item, report)
                if c.column in sums and isinstance(value, (int, float)):
                    sums[c.column] += value
                if c.formula:
                    ws.write_formula(row, c.index, c.formula.replace("{row}", str(row + 1)), formats[c.format],
                                     value if value is not None else 0)
                else:
                    _write(ws, row, c.index, value, formats[c.format])
            row += 1
        if sheet.total_row:
            first, last = sheet.first_row, row
            label_at = sheet.columns[0]
            if label_at.column not in sums:
                ws.write_string(row, label_at.index, TOTAL[language], bold)
            for c in sheet.columns:
                if c.column in sums:
                    formula = f"=SUM({c.column}{first}:{c.column}{last})" if last >= first else "=0"
                    ws.write_formula(row, c.index, formula, bold_formats[c.format], round(sums[c.column], 2))
    book.close()
    return out.getvalue()


def _own_cells(ws, sheet: Sheet, report: CpasReport, language: str, formats: dict, bold) -> None:
    ws.set_column(0, 0, 40)
    for c in sorted(sheet.cells, key=lambda c: _cell_position(c.cell)):
        row, col = _cell_position(c.cell)
        ws.write_string(row, col - 1, c.label[language], bold)
        _write(ws, row, col, cell_value(FIGURES[c.figure], report, report), formats[c.format])


def _cell_position(cell: str) -> tuple[int, int]:
    """"C4" -> (3, 2): 0-based row and column."""
    letters = cell.rstrip("0123456789")
    return int(cell[len(letters):]) - 1, column_index(letters) - 1


def _write(ws, row: int, col: int, value: Any, fmt) -> None:
    """One typed cell: text always as a string (never a formula), numbers, dates; None an empty formatted cell."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
    else:
        ws.write_number(row, col, value, fmt)


def check_template(content: bytes, column_map: ColumnMap) -> None:
    """TemplateError when `content` is not an .xlsx workbook holding every sheet the map names."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise TemplateError("not an .xlsx workbook") from error
    try:
        missing = [s.title("fr") for s in column_map.sheets if s.title("fr") not in book.sheetnames]
    finally:
        book.close()
    if missing:
        raise TemplateError(f"no sheet named {missing[0]!r}")


def fill_template(content: bytes, column_map: ColumnMap, reports: Sequence[CpasReport]) -> bytes:
    """A filled copy of the official table (`content`, checked by check_template): each map sheet's rows from its
    first row, each cell's number format set, formulas where the map has them; a "cells" sheet takes the first
    CPAS's figures (a cluster's workbook is written in the own layout)."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(content))
    except Exception as error:
        raise TemplateError("not an .xlsx workbook") from error
    for sheet in column_map.sheets:
        title = sheet.title("fr")
        if title not in book.sheetnames:
            raise TemplateError(f"no sheet named {title!r}")
        ws = book[title]
        if sheet.rows == "cells":
            for c in sheet.cells:
                _set(ws[c.cell], cell_value(FIGURES[c.figure], reports[0], reports[0]), FORMATS[c.format])
            continue
        row = sheet.first_row
        for report, _key, item in _rows(sheet, reports):
            for c in sheet.columns:
                cell = ws.cell(row=row, column=c.index + 1)
                if c.formula:
                    cell.value = c.formula.replace("{row}", str(row))
                    cell.number_format = FORMATS[c.format]
                else:
                    _set(cell, cell_value(FIGURES[c.figure], item, report), FORMATS[c.format])
            row += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _set(cell, value: Any, number_format: str) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl takes a str starting with "=" for a formula
    cell.number_format = number_format


@dataclass(frozen=True)
class Change:
    """A figure that differs between the frozen workbook and the current one (None: absent on that side)."""
    key: str
    label: str
    old: Any
    new: Any


def flat_figures(column_map: ColumnMap, reports: Sequence[CpasReport], language: str) -> dict[str, list]:
    """Every figure of the own layout: "<sheet>/<row key>/<figure>" -> [label, value], values as JSON keeps them
    (dates in ISO form). A row key names a module, a staff line, an expense or a CPAS by id, so a figure keeps
    its key from one version to the next."""
    flat: dict[str, list] = {}
    for sheet in column_map.sheets:
        if sheet.rows == "cells":
            continue
        for report, key, item in _rows(sheet, reports):
            row_label = _row_label(sheet, item, report, len(reports) > 1)
            for c in sheet.columns:
                value = cell_value(FIGURES[c.figure], item, report)
                if isinstance(value, dt.date):
                    value = value.isoformat()
                label = f"{sheet.title(language)} · {row_label} · {c.header.get(language, c.column)}"
                flat[f"{sheet.key}/{report.organisation}/{key}/{c.figure}"] = [label, value]
    return flat


def _row_label(sheet: Sheet, item: Any, report: CpasReport, cluster: bool) -> str:
    prefix = f"{report.name} · " if cluster else ""
    if sheet.rows == "modules":
        return f"{prefix}{item.module.number} {item.module.title}"
    if sheet.rows.startswith("staff_"):
        return f"{prefix}{item.staff.name}"
    if sheet.rows.startswith("expenses_"):
        return f"{prefix}{item.id}"
    if sheet.rows == PIIS_SUBSIDY:  # a person by their file reference, a cost by what it paid for
        return prefix + " ".join(str(FIGURES[f].get(item, report) or "") for f in (
            "piis.file_reference", "piis.description")).strip()
    return report.name


def compare(frozen: dict[str, list], current: dict[str, list]) -> list[Change]:
    """The figures whose value differs, in the frozen file's order then the new ones'."""
    changes = []
    for key in [*frozen, *(k for k in current if k not in frozen)]:
        old = frozen.get(key, [None, None])
        new = current.get(key, [None, None])
        if old[1] != new[1]:
            changes.append(Change(key, new[0] or old[0], old[1], new[1]))
    return changes


__all__ = ["XLSX_TYPE", "Change", "TemplateError", "check_template", "column_letters", "compare", "fill_template",
           "flat_figures", "write_own"]
