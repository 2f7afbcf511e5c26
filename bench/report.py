"""Report: the Rapport unique's workbook of an Antwerp-size CPAS's year (issue 16).

    .venv/bin/python bench/report.py

A year of 500 modules, 20,000 participants (40 per module), 400,000 marks (20 sessions each, summed into each
person's attendance as report.queries does), 20,000 expenses (half on modules, a quarter each on strands A and
C; one in twenty also half charged to the 10 % PIIS subsidy) and 60 staff lines, the 10 % subsidy's 2,222 people,
as plain report.rules input: the register's reads are report.queries' business, not
measured here. Timed in the same run: the figures (report.rules.year_figures), the workbook in the app's own
layout (report.workbook.write_own: xlsxwriter, constant_memory) with its flat figures (what freezing stores),
and the floor: bare xlsxwriter writing the same cells (values computed beforehand, one default format per
column, no formats cache, no formulas). Peak memory is the process's maximum resident size. Prints figures, then
one TARGET line per target (workbook <= 1.5 x the floor; peak <= 300 MB).

Measured 30 Nov 2026 on 2 cores shared with five other agents (load average 9): figures 126 ms; workbook
2,333 ms against bare xlsxwriter's 2,217 ms (1.05x); flat figures for freezing 773 ms (108,060 figures); peak
memory 87 MB. With the "PIIS 10 %" sheet (3,222 more rows), 30 Nov 2026 23:40, load average 5 to 8: workbook
2,029 / 2,033 ms against 1,421 / 1,334 ms (1.43x / 1.52x; main's code in the same minute: 1.41x), flat figures
688 / 864 ms (143,513 figures), peak 102 MB. openpyxl is used only to fill an uploaded official table (it holds the whole workbook in memory).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import xlsxwriter  # noqa: E402

from planner.report.cells import FIGURES, PIIS_SUBSIDY, CpasReport, ExpenseLine, cell_value, items  # noqa: E402
from planner.report.colmap import own_map  # noqa: E402
from planner.report.rules import (  # noqa: E402
    AttendanceFact, ExpenseFact, ModuleInput, PersonFact, SessionFact, StaffFact, SubsidyFact, YearInput,
    year_figures,
)
from planner.report.workbook import flat_figures, write_own  # noqa: E402

YEAR = 2026
MODULES, PER_MODULE, SESSIONS, EXPENSES, STAFF = 500, 40, 20, 20_000, 60


def year_input() -> tuple[YearInput, tuple[ExpenseLine, ...]]:
    rng = random.Random(16)
    people = tuple(PersonFact(p, rng.choice("MFX"), dt.date(1950 + p % 50, 1 + p % 12, 1), ri=p % 3 != 0,
                              piis=p % 3 == 1, piis_subsidy=p % 9 == 1) for p in range(MODULES * PER_MODULE))
    modules = []
    for m in range(MODULES):
        sessions = tuple(SessionFact(m * SESSIONS + k, dt.date(YEAR, 1, 5) + dt.timedelta(days=7 * k), 10_800)
                         for k in range(SESSIONS))
        came = [rng.randint(0, SESSIONS) for _ in range(PER_MODULE)]  # 40 x 20 = 800 marks per module
        attendance = tuple(AttendanceFact(m * PER_MODULE + i, SESSIONS, c, c * 10_800) for i, c in enumerate(came))
        modules.append(ModuleInput(m, m + 1, f"M{m}", f"Module {m}", "activation_group", "Objectives", "RI < 25",
                                   place="Maison sociale", sessions=sessions, attendance=attendance))
    expenses, lines = [], []
    for e in range(EXPENSES):
        strand = "B" if e % 2 == 0 else "A" if e % 4 == 1 else "C"
        cost = rng.randint(1_000, 200_000)
        piis = cost // 2 if e % 20 == 1 else 0  # a strand-A expense half charged to the 10 % PIIS subsidy
        expenses.append(ExpenseFact(e, e % MODULES if strand == "B" else None, "operating", cost + piis, cost, strand,
                                    piis, piis))
        if strand != "B":
            lines.append(ExpenseLine(e, strand, dt.date(YEAR, 1 + e % 12, 1 + e % 28), "operating",
                                     f"Expense {e}", "Supplier", cost + piis, cost, f"F-{e}"))
        if piis:
            lines.append(ExpenseLine(e, PIIS_SUBSIDY, dt.date(YEAR, 1 + e % 12, 1 + e % 28), "operating",
                                     f"Expense {e}", "Supplier", cost + piis, piis, f"F-{e}"))
    staff = tuple(StaffFact(s, f"Staff {s}", "ABC"[s % 3], 5_200_000, 10_000, 5_000, dt.date(YEAR, 1, 1),
                            dt.date(YEAR, 12, 31), module=s if s % 3 == 1 else None) for s in range(STAFF))
    subsidy = tuple(SubsidyFact(p.id, dt.date(YEAR, 1 + p.id % 12, 1), dt.date(YEAR + 1, 1 + p.id % 12, 1)
                                - dt.timedelta(days=1), f"D-{p.id}") for p in people if p.piis_subsidy)
    data = YearInput(1, YEAR, people=people, modules=tuple(modules), expenses=tuple(expenses), staff=staff,
                     granted_cents=(("A", 50_000_000), ("B", 400_000_000), ("C", 50_000_000)), subsidy=subsidy)
    return data, tuple(lines)


def bare_xlsxwriter(report: CpasReport) -> tuple[float, int]:
    """The floor: the same cells (values computed before the clock starts) written by bare xlsxwriter."""
    column_map = own_map()
    sheets = []
    for sheet in column_map.sheets:
        rows = [[cell_value(FIGURES[c.figure], item, report) for c in sheet.columns]
                for _key, item in items(sheet.rows, report)]
        sheets.append((sheet.title("fr"), [c.header["fr"] for c in sheet.columns], rows))
    start = time.perf_counter()
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    for title, headers, rows in sheets:
        ws = book.add_worksheet(title)
        ws.write_row(0, 0, headers)
        for r, values in enumerate(rows, 1):
            for c, value in enumerate(values):
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()))
                elif value is not None:
                    ws.write(r, c, value)
    book.close()
    return time.perf_counter() - start, len(out.getvalue())


def main() -> None:
    data, lines = year_input()
    marks = sum(len(m.attendance) * SESSIONS for m in data.modules)
    print(f"year: {len(data.modules)} modules, {len(data.people)} participants, {marks} marks, "
          f"{len(data.expenses)} expenses, {len(data.staff)} staff lines")
    start = time.perf_counter()
    figures = year_figures(data)
    figures_s = time.perf_counter() - start
    report = CpasReport(1, "CPAS d'Anvers", figures, lines, {"objectives_reached": "=1+1"})
    floor_s, floor_size = bare_xlsxwriter(report)
    start = time.perf_counter()
    content = write_own(own_map(), [report], "fr")
    workbook_s = time.perf_counter() - start
    start = time.perf_counter()
    flat = flat_figures(own_map(), [report], "fr")
    flat_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = workbook_s / floor_s
    print(f"figures (report.rules): {figures_s * 1000:.0f} ms")
    print(f"workbook (own layout): {workbook_s * 1000:.0f} ms, {len(content) / 1024:.0f} kB")
    print(f"bare xlsxwriter, same cells: {floor_s * 1000:.0f} ms, {floor_size / 1024:.0f} kB")
    print(f"flat figures for freezing: {flat_s * 1000:.0f} ms, {len(flat)} figures")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")
    print(f"TARGET workbook_vs_bare_xlsxwriter {ratio:.2f}x target <=1.5x {'ok' if ratio <= 1.5 else 'MISS'}")
    print(f"TARGET peak_memory {peak_mb:.0f}MB target <=300MB {'ok' if peak_mb <= 300 else 'MISS'}")


if __name__ == "__main__":
    main()
