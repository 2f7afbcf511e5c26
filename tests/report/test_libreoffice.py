"""The workbook opens in LibreOffice (issue 16): converted headless from Debian's libreoffice-calc-nogui, without a
repair (the conversion fails on a file it would have to repair), and the figures read back, formulas recomputed
by LibreOffice. Skipped only when LibreOffice is missing outside CI (PLANNER_REQUIRE_LIBREOFFICE=1 in .ci/run)."""

import io
import os
import shutil
import subprocess

import openpyxl
import pytest

from planner.report.colmap import official_map, own_map
from planner.report.workbook import fill_template, write_own
from tests.report.test_workbook import HOSTILE, official_template, report

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


def reopened(content: bytes, tmp_path) -> openpyxl.Workbook:
    """`content` converted by LibreOffice to .xlsx again, read with its computed values."""
    if LIBREOFFICE is None:
        if os.environ.get("PLANNER_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("libreoffice is missing (install Debian's libreoffice-calc-nogui)")
        pytest.skip("libreoffice is missing")
    source = tmp_path / "in" / "workbook.xlsx"
    source.parent.mkdir()
    source.write_bytes(content)
    out = tmp_path / "out"
    done = subprocess.run(
        [LIBREOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=180)
    converted = out / "workbook.xlsx"
    assert done.returncode == 0 and converted.exists(), done.stdout + done.stderr
    return openpyxl.load_workbook(converted, data_only=True)


def test_rep_03_libreoffice_opens_the_own_layout_and_computes_its_formulas(tmp_path):
    book = reopened(write_own(own_map(), [report()], "fr"), tmp_path)
    ws = book["Modules collectifs"]
    headers = [c.value for c in ws[1]]
    switch = dict(zip(headers, (c.value for c in ws[2])))
    assert switch["Nombre total de participants"] == 11 and switch["Total heures"] == 72
    assert switch["Coût total"] == 16_410  # = 14,560 staff + 1,850 operating, computed by LibreOffice
    totals = dict(zip(headers, (c.value for c in ws[4])))
    assert totals["Montant imputé sur la subvention"] == pytest.approx(14_560 + 1_850 + 720)
    assert book["Dépenses participation"]["E2"].value == HOSTILE  # text stays text
    assert book["Évaluation"]["B2"].value == 31


def test_rep_03_libreoffice_opens_the_filled_official_table(tmp_path):
    filled = fill_template(official_template(), official_map(2026), [report()])
    book = reopened(filled, tmp_path)
    ws = book["Modules collectifs"]
    assert (ws["B6"].value, ws["N6"].value, ws["AD6"].value) == ("Switch", 11, 16_410)
    assert book["Evaluation"]["C5"].value == 19
