"""The column maps (issue 16, REP-03: validated data files, a test per kind of error) and the workbook writer
(own layout with xlsxwriter, the official table filled with openpyxl), pure: no database, no fixture."""

import datetime as dt
import io
import tomllib

import openpyxl
import pytest

from planner.report.cells import CpasReport, ExpenseLine
from planner.report.colmap import FOLDER, MapError, load_file, official_map, own_map, parse_map, years
from planner.report.rules import year_figures
from planner.report.workbook import (
    TemplateError, check_template, compare, fill_template, flat_figures, write_own,
)
from tests.report.test_rules import six_four

HOSTILE = "=HYPERLINK(\"http://x.example\",\"click\")"


def report(organisation: int = 7, name: str = "CPAS de Rivebelle") -> CpasReport:
    expenses = (ExpenseLine(31, "A", dt.date(2017, 3, 2), "culture", HOSTILE, "+Cinéma", 4_500, 4_500, "@F-1"),
                ExpenseLine(32, "C", dt.date(2017, 4, 2), "school", "Cartable", "-Papeterie", 2_000, 2_000, "F-2"))
    return CpasReport(organisation, name, year_figures(six_four()), expenses,
                      {"objectives_reached": "Oui", "partnerships": "Club sportif", "not_reached": ""})


def own_book(reports=None, language="fr"):
    content = write_own(own_map(), reports or [report()], language)
    return openpyxl.load_workbook(io.BytesIO(content)), content


# ---- the maps --------------------------------------------------------------------------------------------------

def test_rep_03_every_shipped_map_loads_and_names_its_year():
    assert own_map().year is None and {s.key for s in own_map().sheets} >= {
        "modules", "staff_a", "staff_b", "staff_c", "expenses_a", "expenses_c", "evaluation", "questions"}
    for year in years():
        assert official_map(year).year == year
    assert official_map(1999) is None


def minimal(**sheet) -> dict:
    base = {"key": "modules", "name": "Modules", "rows": "modules", "first_row": 2,
            "columns": [{"column": "A", "figure": "module.number", "format": "integer"}]}
    return {"year": 2030, "sheets": [{**base, **sheet}]}


@pytest.mark.parametrize("data,message", [
    (minimal(columns=[{"column": "A", "figure": "module.nope", "format": "integer"}]),
     "sheets[0].columns[0].figure: unknown figure 'module.nope'"),
    (minimal(columns=[{"column": "A", "figure": "staff_B.name", "format": "text"}]),
     "sheets[0].columns[0].figure: figure 'staff_B.name' is not one of a 'modules' sheet's"),
    (minimal(columns=[{"column": "B", "figure": "module.number", "format": "integer"},
                      {"column": "B", "figure": "module.title", "format": "text"}]),
     "sheets[0].columns[1].column: B is used twice"),
    (minimal(rows="cells", columns=None, cells=[{"cell": "C4", "figure": "cell.e1", "format": "integer"},
                                                {"cell": "C4", "figure": "cell.e2", "format": "integer"}]),
     "sheets[0].cells[1].cell: C4 is used twice"),
    (minimal(columns=[{"column": "a1", "figure": "module.number", "format": "integer"}]),
     "sheets[0].columns[0].column: a column from A to XFD"),
    (minimal(columns=[{"column": "XFE", "figure": "module.number", "format": "integer"}]),
     "sheets[0].columns[0].column: a column from A to XFD"),
    (minimal(first_row=0), "sheets[0].first_row: a row number from 1"),
    (minimal(first_row=2_000_000), "sheets[0].first_row: a row number from 1"),
    (minimal(header_row=3, first_row=3), "sheets[0].first_row: a row number from 4"),
    (minimal(name="Bad/name"), "sheets[0].name: a sheet name has at most 31 characters"),
    (minimal(rows="people"), "sheets[0].rows: unknown rows 'people'"),
    (minimal(columns=[{"column": "A", "figure": "module.number", "format": "roman"}]),
     "sheets[0].columns[0].format: unknown format 'roman'"),
    (minimal(columns=[{"column": "A", "figure": "module.total", "format": "money", "formula": "SUM(A1)"}]),
     "sheets[0].columns[0].formula: a formula starting with '='"),
    (minimal(columns=[{"column": "A", "figure": "module.total", "format": "money", "formula": "=B{rows}"}]),
     "sheets[0].columns[0].formula"),
    (minimal(colour="red"), "sheets[0].colour: unknown key"),
    ({"year": 2030, "sheets": [minimal()["sheets"][0], {**minimal()["sheets"][0], "key": "other"}]},
     "sheets[1].name: sheet 'Modules' is named twice"),
    ({"year": "2030", "sheets": minimal()["sheets"]}, "year: the year of the official table"),
    ({"year": 2030, "sheets": []}, "sheets: at least one sheet"),
])
def test_rep_03_a_bad_map_is_refused_naming_the_file_and_the_key(data, message):
    with pytest.raises(MapError) as error:
        parse_map(data, "2030.toml")
    assert str(error.value).startswith("2030.toml: ") and message in str(error.value)


def test_rep_03_the_own_layout_needs_headers_in_french_and_dutch():
    data = {"own_layout": True, "sheets": minimal()["sheets"]}
    with pytest.raises(MapError, match=r"own.toml: sheets\[0\].columns\[0\].header: missing"):
        parse_map(data, "own.toml")


def test_rep_03_a_map_file_must_carry_its_own_year(tmp_path):
    path = tmp_path / "2031.toml"
    path.write_text('year = 2030\n[[sheets]]\nkey = "m"\nname = "M"\nrows = "modules"\nfirst_row = 2\n'
                    'columns = [{ column = "A", figure = "module.number", format = "integer" }]\n')
    with pytest.raises(MapError, match="2031.toml: year: 2030 but the file is 2031.toml"):
        load_file(path)
    path.write_text("year = [")
    with pytest.raises(MapError, match="2031.toml: "):
        load_file(path)


def test_rep_03_a_new_year_is_a_new_file_read_by_the_same_code(tmp_path):
    data = tomllib.loads((FOLDER / "2026.toml").read_text())
    data["year"] = 2027
    assert parse_map(data, "2027.toml").year == 2027


# ---- the own layout ------------------------------------------------------------------------------------------

def test_rep_07_own_layout_has_the_six_four_figures_formats_and_formulas():
    book, _ = own_book()
    ws = book["Modules collectifs"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["CPAS", "N° module", "Intitulé du module"] and "Coût total" in headers
    switch = {h: c for h, c in zip(headers, ws[2])}
    assert switch["Nombre total de participants"].value == 11 and switch["dont avec PIIS"].value == 9
    assert switch["Total heures"].value == 72 and switch["Frais de personnel imputés"].value == 14_560
    assert switch["Frais de fonctionnement"].value == 1_850
    assert switch["Frais de personnel imputés"].number_format == "#,##0.00"
    assert switch["Taux de présence moyen"].number_format == "0.0%"
    assert switch["Coût total"].value == "=AA2+AB2+AC2+AD2"  # cost = sum of parts, a formula
    total_row = [c.value for c in ws[4]]
    assert total_row[0] == "Total" and "=SUM(AE2:AE3)" in total_row
    sport = {h: c.value for h, c in zip(headers, ws[3])}
    assert sport["Montant imputé sur la subvention"] == 720 and sport["Sous-traitance"] == 2_400
    ev = book["Évaluation"]
    assert {h.value: v.value for h, v in zip(ev[1], ev[2])}["E1 Trajets PIIS"] == 31
    assert [c.value for c in book["Questions"][2]][:3] == ["CPAS de Rivebelle", "Oui", "Club sportif"]


def test_rep_03_own_layout_in_dutch():
    book, _ = own_book(language="nl")
    assert book["Collectieve modules"]["C1"].value == "Naam module"
    assert book.sheetnames[-2:] == ["Evaluatie", "Vragen"]


def test_rep_03_text_that_looks_like_a_formula_is_written_as_text():
    book, content = own_book()
    ws = book["Dépenses participation"]
    row = [c for c in ws[2]]
    assert {c.value for c in row} >= {HOSTILE, "+Cinéma", "@F-1"}
    assert all(c.data_type == "s" for c in row if isinstance(c.value, str))
    assert b"HYPERLINK" not in _sheet_formulas(content)


def _sheet_formulas(content: bytes) -> bytes:
    """Every <f> element of every sheet: what a spreadsheet would run."""
    import re
    import zipfile
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return b"".join(b"".join(re.findall(rb"<f>.*?</f>", z.read(n))) for n in z.namelist()
                        if n.startswith("xl/worksheets/"))


def test_rep_03_a_cluster_workbook_has_each_cpas_own_rows():
    book, _ = own_book([report(7, "CPAS de Rivebelle"), report(8, "CPAS de Montfleuri")])
    ws = book["Modules collectifs"]
    assert [ws.cell(r, 1).value for r in range(2, 6)] == ["CPAS de Rivebelle"] * 2 + ["CPAS de Montfleuri"] * 2
    assert ws.cell(6, 1).value == "Total"
    assert [c.value for c in book["Évaluation"]["A"]][1:] == ["CPAS de Rivebelle", "CPAS de Montfleuri"]


# ---- the official table --------------------------------------------------------------------------------------

def official_template() -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Modules collectifs"
    ws["A1"] = "SPP IS — tableau 2026"
    ws["A1"].font = openpyxl.styles.Font(bold=True, size=16)
    ws["A5"] = "N°"
    book.create_sheet("Frais de personnel")
    ev = book.create_sheet("Evaluation")
    ev["A4"] = "E1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_rep_03_the_official_table_is_filled_keeping_its_formatting():
    content = fill_template(official_template(), official_map(2026), [report()])
    book = openpyxl.load_workbook(io.BytesIO(content))
    ws = book["Modules collectifs"]
    assert ws["A1"].value == "SPP IS — tableau 2026" and ws["A1"].font.bold and ws["A5"].value == "N°"
    assert (ws["A6"].value, ws["B6"].value, ws["N6"].value, ws["A7"].value) == (1, "Switch", 11, 2)
    assert ws["AD6"].value == "=Z6+AA6+AB6+AC6" and ws["Z6"].number_format == "#,##0.00"
    assert book["Evaluation"]["C4"].value == 31 and book["Evaluation"]["C5"].value == 19
    assert book["Frais de personnel"]["A6"].value == "Animator"


def test_rep_03_a_template_without_the_maps_sheets_or_not_a_workbook_is_refused():
    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(TemplateError, match="no sheet named 'Modules collectifs'"):
        check_template(out.getvalue(), official_map(2026))
    with pytest.raises(TemplateError, match="not an .xlsx workbook"):
        check_template(b"PK\x03\x04 not really", official_map(2026))


# ---- freezing: the figures compared --------------------------------------------------------------------------

def test_rep_03_a_changed_figure_shows_old_and_new_under_a_stable_key():
    frozen = flat_figures(own_map(), [report()], "fr")
    figures = year_figures(six_four())
    switch = figures.modules[0]
    changed = type(figures)(**{**figures.__dict__, "modules": (
        type(switch)(**{**switch.__dict__, "operating_cents": 200_000}), *figures.modules[1:])})
    current = flat_figures(own_map(), [CpasReport(7, "CPAS de Rivebelle", changed, report().expenses,
                                                  report().answers)], "fr")
    changes = compare(frozen, current)
    keys = {c.key: c for c in changes}
    assert set(keys) == {"modules/7/m1/module.operating", "modules/7/m1/module.total"}
    op = keys["modules/7/m1/module.operating"]
    assert (op.old, op.new) == (1_850, 2_000) and op.label == "Modules collectifs · 1 Switch · Frais de fonctionnement"
    assert compare(frozen, frozen) == []
