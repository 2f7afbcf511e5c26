"""The demo's report (fixtures/demo_report.py): Rivebelle's spending demo year shows domain.md §6.4's SWITCH and
SPORT figures on /report (both engines)."""

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
    coordinator = await User.select(User.email).where(User.email == "coordinator@rivebelle.example").first()
    await login(client, {"email": coordinator["email"]}, DEMO_PASSWORD)
    page = shown(await client.get(f"/report/{rivebelle}/2025"))
    assert "SWITCH · " in page and "14 560,00 €" in page and "1 850,00 €" in page and "720,00 €" in page
