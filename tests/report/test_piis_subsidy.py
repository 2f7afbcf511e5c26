"""The 10 % PIIS subsidy's justification (domain.md §2.7 SUB-PIIS-05, COST-03, RU-05): the expenses charged to it,
the cross-check when one is also in strand B, and its "PIIS 10 %" sheet of the workbook (people by file reference,
then the costs, totals as formulas). Pure tests first, then the register on both engines."""

import dataclasses
import datetime as dt
import io

import openpyxl

from planner.people.tables import Beneficiary
from planner.report.cells import PIIS_SUBSIDY, CpasReport, ExpenseLine
from planner.report.colmap import own_map
from planner.report.rules import DOUBLE, ExpenseFact, StaffFact, SubsidyFact, cross_checks, year_figures
from planner.report.workbook import flat_figures, write_own
from planner.spending import actions as spending
from planner.spending.actions import ExpenseInput, ShareInput
from tests.conftest import login
from tests.report.test_rules import YEAR, six_four
from tests.report.test_routes import YEAR as WORLD_YEAR, marked, shown
from tests.report.test_workbook_routes import every_text

COACHING = ExpenseFact(40, None, "subcontracting", 60_000, other_funding_cents=60_000, piis_subsidy_cents=60_000)


def with_subsidy(*expenses: ExpenseFact):
    """§6.4's year with two people on the 10 %, bilan time on SWITCH, and these expenses added."""
    data = six_four()
    bilan = StaffFact(1, "Animator", "B", 5_200_000, 8_000, 3_500, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31),
                      (("facilitation", 9_000), ("bilan_social", 1_000)), module=1)
    subsidy = (SubsidyFact(1, dt.date(YEAR, 3, 1), dt.date(YEAR + 1, 2, 28), "RIV-2017-001"),
               SubsidyFact(2, dt.date(YEAR - 1, 6, 1), dt.date(YEAR, 5, 31), "RIV-2016-044"))
    return year_figures(dataclasses.replace(data, staff=(bilan,), subsidy=subsidy,
                                            expenses=data.expenses + expenses))


def test_sub_piis_05_expenses_charged_to_the_subsidy_are_in_its_justification():
    sub = with_subsidy(COACHING).subsidy
    assert [(e.expense, e.cents, e.in_strand_b_cents) for e in sub.expenses] == [(40, 60_000, 0)]
    staff = 145_600 - 145_600 * 7 // 11  # SWITCH's bilan time on 4 of its 11 (report/test_rules.py)
    assert (sub.staff_cents, sub.expense_cents, sub.cost_cents) == (staff, 60_000, staff + 60_000)
    assert [p.reference for p in sub.people] == ["RIV-2016-044", "RIV-2017-001"]  # by the start of their months
    assert [f for f in cross_checks(with_subsidy(COACHING)) if f.rule == DOUBLE and "expense" in f.figures] == []


def test_sub_piis_05_an_expense_in_the_subsidy_and_in_strand_b_is_a_cross_check_finding():
    twice = ExpenseFact(41, 1, "operating", 20_000, 10_000, "B", 10_000, piis_subsidy_cents=10_000)
    [finding] = [f for f in cross_checks(with_subsidy(twice)) if "expense" in f.figures]
    assert (finding.rule, finding.module, finding.strand) == (DOUBLE, 1, "B")
    assert finding.figures["expense"] == 41 and finding.figures["amount"].cents == 10_000
    assert with_subsidy(twice).subsidy.double_cents >= 10_000


def piis_book(language: str = "fr"):
    figures = with_subsidy(COACHING)
    line = ExpenseLine(40, PIIS_SUBSIDY, dt.date(YEAR, 5, 4), "subcontracting", "=Coaching", "Coach Rivebelle",
                       60_000, 60_000, "CR-17-05")
    report = CpasReport(7, "CPAS de Rivebelle", figures, (line,))
    return openpyxl.load_workbook(io.BytesIO(write_own(own_map(), [report], language))), report


def test_sub_piis_05_the_workbook_has_a_piis_sheet_people_then_costs_with_totals_as_formulas():
    book, _report = piis_book()
    ws = book["PIIS 10 %"]
    headers = [c.value for c in ws[1]]
    assert headers[:5] == ["CPAS", "N° de dossier", "Subvention du", "Subvention au", "Mois couverts dans l'année"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [r[1] for r in rows[:2]] == ["RIV-2016-044", "RIV-2017-001"] and [r[4] for r in rows[:2]] == [5, 10]
    assert rows[0][2] == dt.datetime(YEAR - 1, 6, 1) and ws["C2"].number_format == "dd/mm/yyyy"
    staff, coaching, total = rows[2], rows[3], rows[4]
    assert staff[5:7] == ["personnel", "Animator · SWITCH"] and staff[10] == (145_600 - 145_600 * 7 // 11) / 100
    assert coaching[5:11] == ["subcontracting", "=Coaching", "Coach Rivebelle", dt.datetime(YEAR, 5, 4), "CR-17-05",
                              600] and staff[1] is None and coaching[4] is None
    assert ws["K5"].data_type == "n" and ws["G5"].data_type == "s"  # the hostile description stays text
    assert total[0] == "Total" and total[4] == "=SUM(E2:E5)" and total[10] == "=SUM(K2:K5)"
    assert ws["K2"].number_format == "#,##0.00"


def test_sub_piis_05_the_piis_sheet_in_dutch_and_its_figures_keyed_for_freezing():
    book, report = piis_book("nl")
    assert [c.value for c in book["GPMI 10 %"][1]][1:3] == ["Dossiernummer", "Toelage van"]
    flat = flat_figures(own_map(), [report], "fr")
    assert flat["piis_subsidy/7/e40/piis.charged"][1] == 600
    assert flat["piis_subsidy/7/p1/piis.months"] == ["PIIS 10 % · RIV-2017-001 · Mois couverts dans l'année", 10]


async def test_sub_piis_05_the_register_a_coordinators_piis_expense_shows_on_the_report_and_in_the_workbook(
        client, world):
    await marked(world)  # Zoé came to SWITCH in the year, and the CPAS receives the 10 % for her
    await Beneficiary.update({Beneficiary.piis_subsidy_year: WORLD_YEAR}).where(Beneficiary.id == world.beneficiary)
    saved = await spending.record_expense(world.rivebelle, ExpenseInput(
        day=dt.date(WORLD_YEAR, 5, 4), category="subcontracting", amount_excl_vat_cents=60_000, vat_cents=0,
        supplier="Coach Rivebelle", activity="Coaching", invoice_reference="CR-26-05",
        shares=(ShareInput("piis-subsidy", WORLD_YEAR, "support", 10_000),)), world.coordinator["id"])
    assert saved.id
    await login(client, world.coordinator)
    page = shown(await client.get(f"/report/{world.rivebelle}/{WORLD_YEAR}"))
    section = page.split('id="piis-subsidy"')[1].split("</section>")[0]
    assert "expenses charged to the 10 %: €600.00" in section and "source=piis-subsidy\">1 expense<" in section
    response = await client.get(f"/report/{world.rivebelle}/{WORLD_YEAR}/workbook.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["PIIS 10 %"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert rows[0][1:5] == ["RIV-1", dt.datetime(WORLD_YEAR, 1, 1), dt.datetime(WORLD_YEAR, 12, 31), 12]
    assert rows[1][6] == "Coaching" and rows[1][10] == 600 and rows[2][10] == "=SUM(K2:K3)"
    assert "Quennevilleprivate" not in every_text(response.content)
