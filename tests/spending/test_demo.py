"""The demo's spending (fixtures/spending.py): Rivebelle's year of domain.md §6.1/§6.4 loads through the actions
on both engines, with a PDF invoice per expense, and the budget page shows its figures."""

import datetime as dt
import re

from fixtures.demo import DEMO_PASSWORD, load_demo
from fixtures.spending import demo_year, invoice_pdf
from planner.auth.tables import User
from planner.spending.rules import scan_type
from planner.spending.tables import Expense, ExpenseShare, FundingGrant, InvoiceScan, StaffAllocation
from tests.conftest import login, post
from tests.spending.test_routes import shown

TODAY = dt.date(2026, 11, 30)


def test_the_demo_year_is_the_last_fonds_pas_year_up_to_today():
    assert demo_year(TODAY) == 2025 and demo_year(dt.date(2031, 1, 1)) == 2025
    assert demo_year(dt.date(2019, 5, 1)) == 2019


def test_a_demo_invoice_is_a_pdf_with_its_figures():
    pdf = invoice_pdf("AS-031", "Accès-Sport Rivebelle asbl", dt.date(2025, 6, 27), "Sport (6 of 20)", 240_000, 0)
    assert scan_type(pdf[:8]) == "application/pdf" and pdf.rstrip().endswith(b"%%EOF")
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref:xref + 4] == b"xref"  # a viewer finds the objects where the table says


async def test_the_demo_loads_its_spending_and_the_budget_page_shows_the_figures(client, db, engine, monkeypatch):
    monkeypatch.setattr("planner.i18n.today", lambda: TODAY)
    assert "spending of 2025: 3 grants, 1 staff allocation, 10 expenses, SPORT's rolls of 10 sessions, 1 partner convention" in await load_demo()
    assert await load_demo() == "demo CPAS already loaded: nothing changed"
    assert await FundingGrant.count() == 3 and await StaffAllocation.count() == 1
    # the spending demo's 10, and the report demo's job coach charged to the 10 % PIIS subsidy (fixtures/demo_report.py)
    assert await Expense.count() == 11 and await Expense.count().where(Expense.invoice_reference == "TC-2025-014") == 1
    assert await InvoiceScan.count() == 10
    assert {r["media_type"] for r in await InvoiceScan.select(InvoiceScan.media_type)} == {"application/pdf"}
    sport = await Expense.select(Expense.id, Expense.status).where(Expense.invoice_reference == "AS-031").first()
    assert sport["status"] == "paid"
    assert (await ExpenseShare.select(ExpenseShare.share_bp).where(ExpenseShare.expense == sport["id"]).first()
            )["share_bp"] == 3000  # COST-06: 6 of 20
    warned = await Expense.select(Expense.warnings).where(Expense.invoice_reference == "VAC-12").first()
    assert warned["warnings"] == "COST-01"  # 92 % of strand A's personnel cap: warned, recorded

    coordinator = await User.select().where(User.email == "coordinator@rivebelle.example").first()
    await login(client, coordinator, DEMO_PASSWORD)
    await post(client, "/language", {"language": "en"})  # Karim reads French; the figures are checked in English
    page = shown(await client.get("/spending?year=2025"))
    assert "11 expenses recorded in 2025." in page  # with the coach charged to the 10 % PIIS subsidy
    for figure in ("€38,000.00", "€46,000.00", "€21,000.00",  # granted A, B, C
                   "€17,173.29",  # B spent: rent 900 + materials 450 + SPORT 720 + tablet 543.29 + staff 14,560
                   "€500.00",  # B committed: the transport tickets, invoiced not paid
                   "€28,326.71",  # B left
                   "€3,500.00 / €3,800.00"):  # A's personnel against its cap
        assert figure in re.sub(r"<[^>]+>", "", page), figure  # a figure is a link to the expenses behind it
    recovery = page.split('id="recovery"')[1].split('id="chart"')[0]
    assert "28 Feb 2026" in recovery and "€28,826.71" in recovery and "€36,750.00" in recovery
    december = page.split('id="months-table"')[1].split("December")[1].split("</tr>")[0]
    # paid (with the coach's €960 charged to the 10 % PIIS subsidy); committed A 3,880 + B 500 + C 900; granted
    assert "€20,023.29" in december and "€5,280.00" in december and "€105,000.00" in december
    # SPORT's €720 comes from its register (§6.4, COST-06): its rolls of the year, not a typed share
    from planner.modules.tables import Module, Session
    sport_module = (await Module.select(Module.id).where(Module.code == "SPORT").first())["id"]
    rolls = await Session.select(Session.guests).where(
        (Session.module == sport_module) & (Session.roll_closed_at.is_not_null()) & (Session.day >= dt.date(2025, 1, 1))
        & (Session.day <= dt.date(2025, 12, 31)))
    assert [r["guests"] for r in rolls] == [14] * 10
    costs = shown(await client.get(f"/spending/modules/{sport_module}?year=2025"))
    assert "60 attendances of CPAS service users of 200 → 30 % of €2,400.00 = €720.00" in costs
    partners = shown(await client.get("/spending/partners?year=2025"))
    assert partners.count("No convention recorded.") == 8  # of 9 partners: Accès-Sport has its convention
    assert "Convention from 01 Jan 2025 to 31 Dec 2026 · €240.00" in partners
