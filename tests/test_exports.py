"""Cells of any export: text that a spreadsheet would run as a formula is written as text."""

import csv
import datetime as dt
import io

import pytest

from planner.exports import safe_cell


@pytest.mark.parametrize("typed", ["=HYPERLINK(\"http://x.example\",\"Click\")", "+32 2 123 45 67", "-2+3",
                                   "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"])
def test_text_that_starts_a_formula_is_exported_as_text(typed):
    cell = safe_cell(typed)
    assert cell == "'" + typed
    assert cell[0] not in "=+-@\t\r"


@pytest.mark.parametrize("typed", ["Van Damme", "D'Hondt", "Özdemir", "1 = 1", "a-b", "", "'quoted"])
def test_ordinary_text_is_exported_as_typed(typed):
    assert safe_cell(typed) == typed


def test_numbers_and_dates_stay_numbers_and_none_is_an_empty_cell():
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5
    assert safe_cell(dt.date(2026, 12, 7)) == dt.date(2026, 12, 7)
    assert safe_cell(None) == ""


def test_a_csv_row_written_through_safe_cell_holds_no_formula():
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerow([safe_cell(v) for v in ("=1+1", "Zoé", 4, "@x")])
    row = next(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert row == ["'=1+1", "Zoé", "4", "'@x"]
