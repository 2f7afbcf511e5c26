"""The column maps (issue 16, REP-03, domain.md §4.4): which figure goes in which sheet, column and first row of a
workbook, the number format per column and which columns are formulas. Data files, validated when loaded:

- maps/<year>.toml: the official table SPP IS publishes for that year (filled in a copy of the uploaded file);
- maps/own.toml: the app's own layout, written when the CPAS has uploaded no official table.

A new year needs a new map, never new code. A bad file raises MapError("<file>: <key>: <problem>").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from planner.report.cells import FIGURES, FORMATS, ROW_KINDS

FOLDER = Path(__file__).resolve().parent / "maps"
MAX_ROW = 1_048_576  # the .xlsx format's last row
MAX_COLUMN = 16_384  # XFD
LANGUAGES = ("fr", "nl")  # the Rapport unique's languages (REP-01)
_COLUMN = re.compile(r"[A-Z]{1,3}")
_CELL = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


class MapError(ValueError):
    """A column map that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Column:
    column: str  # "A".."XFD"
    figure: str  # a name of cells.FIGURES
    format: str  # a key of cells.FORMATS
    header: dict[str, str]  # language -> header (own layout); empty for an official map
    formula: str = ""  # "=V{row}+W{row}": written as a formula, `figure` its cached value
    total: bool = False  # own layout: summed in the totals row

    @property
    def index(self) -> int:  # 0-based
        return column_index(self.column) - 1


@dataclass(frozen=True)
class Cell:
    cell: str  # "C4"
    figure: str
    format: str
    label: dict[str, str]  # own layout: the label written left of the cell


@dataclass(frozen=True)
class Sheet:
    key: str
    name: dict[str, str]  # language -> sheet name; an official map gives one name for every language
    rows: str  # one of cells.ROW_KINDS
    first_row: int  # 1-based: the first row of figures
    header_row: int  # 0: none (the official file has its own)
    columns: tuple[Column, ...] = ()
    cells: tuple[Cell, ...] = ()
    total_row: bool = False

    def title(self, language: str) -> str:
        return self.name.get(language) or next(iter(self.name.values()))


@dataclass(frozen=True)
class ColumnMap:
    file: str
    year: int | None  # None: the own layout
    sheets: tuple[Sheet, ...]


def column_index(letters: str) -> int:
    """"A" -> 1, "Z" -> 26, "AA" -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(index: int) -> str:
    """1 -> "A" (the inverse of column_index)."""
    out = ""
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _keys(data: dict, allowed: set[str], where: str, file: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise MapError(f"{file}: {where}.{unknown[0]}: unknown key")


def _text_by_language(value: Any, where: str, file: str, required: bool) -> dict[str, str]:
    if value is None:
        if required:
            raise MapError(f"{file}: {where}: missing")
        return {}
    if isinstance(value, str) and value.strip():
        return {language: value for language in LANGUAGES}
    if isinstance(value, dict) and set(value) == set(LANGUAGES) and all(
            isinstance(v, str) and v.strip() for v in value.values()):
        return dict(value)
    raise MapError(f"{file}: {where}: a text, or one text for each of {', '.join(LANGUAGES)}")


def _row(value: Any, where: str, file: str, lowest: int = 1) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value <= MAX_ROW:
        raise MapError(f"{file}: {where}: a row number from {lowest} to {MAX_ROW}, not {value!r}")
    return value


def _format(value: Any, where: str, file: str) -> str:
    if value not in FORMATS:
        raise MapError(f"{file}: {where}: unknown format {value!r}; known: {', '.join(FORMATS)}")
    return value


def _figure(value: Any, rows: str, where: str, file: str) -> str:
    figure = FIGURES.get(value) if isinstance(value, str) else None
    if figure is None:
        raise MapError(f"{file}: {where}: unknown figure {value!r}")
    if figure.rows != rows:
        raise MapError(f"{file}: {where}: figure {value!r} is not one of a {rows!r} sheet's")
    return value


def _column(data: Any, rows: str, where: str, file: str, own: bool) -> Column:
    if not isinstance(data, dict):
        raise MapError(f"{file}: {where}: a table")
    _keys(data, {"column", "figure", "format", "header", "formula", "total"}, where, file)
    letters = data.get("column")
    if not isinstance(letters, str) or not _COLUMN.fullmatch(letters) or column_index(letters) > MAX_COLUMN:
        raise MapError(f"{file}: {where}.column: a column from A to XFD, not {letters!r}")
    formula = data.get("formula", "")
    if formula and (not isinstance(formula, str) or not formula.startswith("=")
                    or set(re.findall(r"\{(\w*)\}", formula)) - {"row"}):
        raise MapError(f"{file}: {where}.formula: a formula starting with '=' whose only placeholder is {{row}}")
    return Column(letters, _figure(data.get("figure"), rows, f"{where}.figure", file),
                  _format(data.get("format"), f"{where}.format", file),
                  _text_by_language(data.get("header"), f"{where}.header", file, required=own),
                  formula, bool(data.get("total", False)))


def _cell(data: Any, where: str, file: str, own: bool) -> Cell:
    if not isinstance(data, dict):
        raise MapError(f"{file}: {where}: a table")
    _keys(data, {"cell", "figure", "format", "label"}, where, file)
    match = _CELL.fullmatch(data.get("cell") or "") if isinstance(data.get("cell"), str) else None
    if not match or column_index(match[1]) > MAX_COLUMN or not 1 <= int(match[2]) <= MAX_ROW or \
            (own and column_index(match[1]) < 2):
        raise MapError(f"{file}: {where}.cell: a cell such as C4, not {data.get('cell')!r}")
    return Cell(data["cell"], _figure(data.get("figure"), "cells", f"{where}.figure", file),
                _format(data.get("format"), f"{where}.format", file),
                _text_by_language(data.get("label"), f"{where}.label", file, required=own))


def _sheet(data: Any, where: str, file: str, own: bool) -> Sheet:
    if not isinstance(data, dict):
        raise MapError(f"{file}: {where}: a table")
    _keys(data, {"key", "name", "rows", "first_row", "header_row", "columns", "cells", "total_row"}, where, file)
    key = data.get("key")
    if not isinstance(key, str) or not re.fullmatch(r"[a-z0-9_]+", key):
        raise MapError(f"{file}: {where}.key: a short name in a-z, 0-9 and _")
    name = _text_by_language(data.get("name"), f"{where}.name", file, required=True)
    if any(len(n) > 31 or re.search(r"[\[\]:*?/\\]", n) for n in name.values()):
        raise MapError(f"{file}: {where}.name: a sheet name has at most 31 characters and none of []:*?/\\")
    rows = data.get("rows")
    if rows not in ROW_KINDS:
        raise MapError(f"{file}: {where}.rows: unknown rows {rows!r}; known: {', '.join(ROW_KINDS)}")
    if rows == "cells":
        cells = tuple(_cell(c, f"{where}.cells[{i}]", file, own) for i, c in enumerate(data.get("cells") or ()))
        if not cells or data.get("columns"):
            raise MapError(f"{file}: {where}.cells: a 'cells' sheet lists cells and no columns")
        seen: set[str] = set()
        for i, c in enumerate(cells):
            if c.cell in seen:
                raise MapError(f"{file}: {where}.cells[{i}].cell: {c.cell} is used twice")
            seen.add(c.cell)
        return Sheet(key, name, rows, 1, 0, cells=cells)
    header_row = _row(data.get("header_row", 0), f"{where}.header_row", file, lowest=0)
    first_row = _row(data.get("first_row"), f"{where}.first_row", file, lowest=header_row + 1)
    columns = tuple(_column(c, rows, f"{where}.columns[{i}]", file, own)
                    for i, c in enumerate(data.get("columns") or ()))
    if not columns:
        raise MapError(f"{file}: {where}.columns: at least one column")
    seen = set()
    for i, c in enumerate(columns):
        if c.column in seen:
            raise MapError(f"{file}: {where}.columns[{i}].column: {c.column} is used twice")
        seen.add(c.column)
    if own and [c.index for c in columns] != sorted(c.index for c in columns):
        raise MapError(f"{file}: {where}.columns: the own layout lists its columns left to right")
    return Sheet(key, name, rows, first_row, header_row, columns, total_row=bool(data.get("total_row", False)))


def parse_map(data: dict, file: str) -> ColumnMap:
    """A ColumnMap from a map file's parsed TOML; MapError naming `file` and the key otherwise."""
    _keys(data, {"year", "own_layout", "sheets"}, "map", file)
    own = bool(data.get("own_layout", False))
    year = data.get("year")
    if not own and (not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100):
        raise MapError(f"{file}: year: the year of the official table, not {year!r}")
    sheets = tuple(_sheet(s, f"sheets[{i}]", file, own) for i, s in enumerate(data.get("sheets") or ()))
    if not sheets:
        raise MapError(f"{file}: sheets: at least one sheet")
    for language in LANGUAGES:
        titles = [s.title(language) for s in sheets]
        for i, t in enumerate(titles):
            if t in titles[:i]:
                raise MapError(f"{file}: sheets[{i}].name: sheet {t!r} is named twice")
    keys = [s.key for s in sheets]
    for i, k in enumerate(keys):
        if k in keys[:i]:
            raise MapError(f"{file}: sheets[{i}].key: {k!r} is used twice")
    return ColumnMap(file, None if own else year, sheets)


def load_file(path: Path) -> ColumnMap:
    name = path.name if path.parent == FOLDER else str(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as error:
        raise MapError(f"{name}: {error}") from error
    column_map = parse_map(data, name)
    if path.stem.isdigit() and column_map.year != int(path.stem):
        raise MapError(f"{name}: year: {column_map.year} but the file is {path.name}")
    return column_map


def years() -> tuple[int, ...]:
    """The years with a map of the official table."""
    return tuple(sorted(int(p.stem) for p in FOLDER.glob("*.toml") if p.stem.isdigit()))


@cache
def official_map(year: int) -> ColumnMap | None:
    """The validated map of `year`'s official table, None when there is none (the own layout is written)."""
    return load_file(FOLDER / f"{year}.toml") if year in years() else None


@cache
def own_map() -> ColumnMap:
    return load_file(FOLDER / "own.toml")
