"""The inspection pack's pure rules (REP-04): months, file names without people's names, progress."""

import datetime as dt

from planner.report.rules.pack import (
    invoice_path, module_folder, month_grid_path, months_of, pack_name, percent, session_hours, session_sheet_path,
    slug, time_sheet_path,
)


def test_rep_04_a_year_has_twelve_months_from_the_first_to_the_last_day():
    months = months_of(2024)
    assert len(months) == 12
    assert months[1] == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))  # a leap year
    assert months[11] == (dt.date(2024, 12, 1), dt.date(2024, 12, 31))


def test_rep_04_file_names_hold_module_codes_dates_and_ids_only():
    folder = module_folder(12, "Café Table 1/2")
    assert folder == "modules/Cafe-Table-1-2-12"
    assert session_sheet_path(folder, dt.date(2026, 12, 7), dt.time(9, 30), 5) == \
        "modules/Cafe-Table-1-2-12/sessions/2026-12-07_0930_5.pdf"
    assert month_grid_path(folder, dt.date(2026, 12, 1)) == "modules/Cafe-Table-1-2-12/months/2026-12.pdf"
    assert invoice_path(dt.date(2026, 3, 2), 8, 3, "image/jpeg") == "invoices/2026-03-02_expense-8_3.jpg"
    assert invoice_path(dt.date(2026, 3, 2), 8, 3, "application/x-unknown").endswith(".bin")
    assert time_sheet_path(4, 2026) == "staff/time-sheet-2026-4.pdf"


def test_rep_04_a_code_with_nothing_usable_falls_back_and_traversal_is_impossible():
    assert slug("", "module") == "module" and slug("ééé", "module") == "eee"
    assert slug("../../etc", "module") == "etc"
    assert module_folder(3, "///") == "modules/module-3"


def test_rep_04_the_pack_is_named_by_year_cpas_and_module():
    assert pack_name(2026, 3, None) == "inspection-pack-2026-cpas-3.zip"
    assert pack_name(2026, 3, (12, "SWITCH")) == "inspection-pack-2026-cpas-3-SWITCH-12.zip"


def test_rep_04_progress_is_a_whole_percent_between_0_and_100():
    assert percent(0, 0) == 0 and percent(1, 3) == 33 and percent(3, 3) == 100 and percent(5, 3) == 100


def test_rep_04_a_sessions_hours_are_its_planned_length():
    assert session_hours(dt.time(9, 30), dt.time(12, 30)) == 3.0
    assert session_hours(dt.time(12, 30), dt.time(9, 30)) == 0
