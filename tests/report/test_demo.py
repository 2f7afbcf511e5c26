"""The demo's report (fixtures/demo_report.py): Rivebelle's spending demo year shows domain.md §6.4's SWITCH and
SPORT figures, its people (10 RI, 9 PIIS, 4 with the 10 %) and the evaluation's E1 = 31, E2 = 19 on /report
(both engines)."""

import datetime as dt

from fixtures.demo import DEMO_PASSWORD, load_demo
from planner.auth.tables import User
from planner.orgs.tables import Organisation
from planner.report.queries import year_input
from planner.report.rules import year_figures
from tests.conftest import login
from tests.report.test_routes import shown

TODAY = dt.date(2026, 11, 30)


async def test_rep_07_the_demo_year_shows_the_six_four_figures(client, db, engine, monkeypatch):
    monkeypatch.setattr("planner.i18n.today", lambda: TODAY)
    assert "report register of 2025" in await load_demo()
    assert await load_demo() == "demo CPAS already loaded: nothing changed"
    rivebelle = (await Organisation.select(Organisation.id).where(
        Organisation.name_fr == "CPAS de Rivebelle").first())["id"]
    figures = year_figures(await year_input(rivebelle, 2025))
    switch = next(r for r in figures.modules if r.module.code == "SWITCH")
    assert (switch.participants, switch.sessions, switch.hours, switch.attendance_bp // 100) == (11, 24, 72.0, 78)
    assert (switch.staff_cents, switch.operating_cents) == (1_456_000, 185_000)
    sport = next(r for r in figures.modules if r.module.code == "SPORT")
    assert (sport.participants, len(sport.users), sport.charged_cents) == (20, 6, 72_000)
    assert sport.subcontracting_cents == 240_000 and sport.share_bp == 3_000
    assert (len(switch.users), len(switch.ri), len(switch.piis), len(switch.piis_subsidy)) == (11, 10, 9, 4)
    ev = figures.evaluation
    assert (len(ev.e1), len(ev.e2), ev.e3) == (31, 19, "participation_ladder")
    # §6.4's E2a 4 holds; its E2b 12 and E2c 5 cannot with E2 = 19, as every progress is E2a or E2b
    assert (len(ev.e2a), len(ev.e2b), len(ev.e2c)) == (4, 15, 0)
    assert len(figures.subsidy.people) == 4 and figures.subsidy.months == 48
    assert figures.subsidy.expense_cents == 96_000 and figures.subsidy.double_cents == 0  # the coach's invoice
    coordinator = await User.select(User.email).where(User.email == "coordinator@rivebelle.example").first()
    await login(client, {"email": coordinator["email"]}, DEMO_PASSWORD)
    page = shown(await client.get(f"/report/{rivebelle}/2025"))
    assert "SWITCH · " in page and "14 560,00 €" in page and "1 850,00 €" in page and "720,00 €" in page
    evaluation = page.split('id="evaluation"')[1].split("</section>")[0]
    assert "figure=e1\">31<" in evaluation and "figure=e2\">19<" in evaluation
