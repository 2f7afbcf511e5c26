"""The budget screen's own parts (issue 14): the months of the chart and their table, COST-11 (what is still
to justify before the deadline, what is to be recovered after it), strand names and the city's rule set
offered to its own CPAS only. Pure rules first, then the screen on both engines."""

import datetime as dt

import pytest

from planner.spending import actions
from planner.spending.actions import ShareInput
from planner.spending.actions.expenses import ExpenseInput
from planner.spending.rules import MonthCharge, cumulative_months, month_of, spread_over_months
from planner.spending.tables import FundingGrant
from tests.conftest import login, post
from tests.spending.test_actions import sport_invoice
from tests.spending.test_routes import shown

# -- the chart's months (pure) ----------------------------------------------------------------------------------


def test_months_cumulate_spent_and_committed_against_the_grant():
    months = cumulative_months([
        MonthCharge(72_000, True, dt.date(2017, 6, 12)),  # SPORT's €720, paid in June
        MonthCharge(90_000, False, dt.date(2017, 3, 1)),  # room rent, committed in March
        MonthCharge(45_000, True, dt.date(2017, 6, 30)),
    ], 4_600_000, 2017)
    assert [m.month for m in months] == list(range(1, 13))
    assert [m.spent_cents for m in months][4:7] == [0, 117_000, 117_000]
    assert months[1].committed_cents == 0 and months[2].committed_cents == 90_000 == months[11].committed_cents
    assert {m.granted_cents for m in months} == {4_600_000}


def test_cost_09_staff_time_is_spread_over_its_months_to_the_cent():
    parts = spread_over_months(1_456_000, dt.date(2017, 1, 1), dt.date(2017, 12, 31), 2017)  # €14,560 (§6.4)
    assert sum(parts) == 1_456_000 and parts[0] == parts[2] and parts[1] < parts[0]
    half = spread_over_months(100, dt.date(2017, 7, 1), dt.date(2017, 8, 31), 2017)
    assert half[6] + half[7] == 100 and sum(half[:6]) == 0 == sum(half[8:])
    months = cumulative_months([MonthCharge(1_456_000, True, dt.date(2017, 1, 1), dt.date(2017, 12, 31))], 0, 2017)
    assert months[-1].spent_cents == 1_456_000


def test_a_school_year_grant_s_next_summer_counts_in_december():
    assert month_of(dt.date(2018, 7, 1), 2017) == 12 and month_of(dt.date(2016, 12, 31), 2017) == 1
    assert spread_over_months(300, dt.date(2018, 1, 1), dt.date(2018, 3, 31), 2017)[11] == 300


# -- the screen (both engines) ----------------------------------------------------------------------------------

def expense(day: dt.date, cents: int, status: str, strand: str = "B", source: str = "fonds-pas",
            category: str = "operating") -> ExpenseInput:
    return ExpenseInput(day=day, category=category, amount_excl_vat_cents=cents, vat_cents=0, status=status,
                        supplier="Papeterie du Pont", shares=(ShareInput(source, day.year, strand, 10_000),))


async def test_the_chart_s_table_shows_each_month_s_figures_and_the_canvas_names_it(client, world):
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 4_600_000, world.coordinator["id"])
    assert (await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner, status="paid"),
                                         world.coordinator["id"])).id  # €720 paid in June
    assert (await actions.record_expense(world.rivebelle, expense(dt.date(2017, 9, 4), 90_000, "committed"),
                                         world.coordinator["id"])).id
    await login(client, world.coordinator)
    page = shown(await client.get(f"/spending?year=2017&cpas={world.rivebelle}"))
    assert 'id="budget-chart"' in page and 'aria-describedby="months-caption"' in page
    assert "the same figures are in the table below" in page
    assert 'src="/static/vendor/chart.umd.min.js"' in page and 'type="application/json" id="budget-chart-data"' in page
    rows = page.split('id="months-table"')[1]
    assert "<th scope=\"row\">May</th><td>€0.00</td><td>€0.00</td><td>€46,000.00</td>" in rows
    assert "<th scope=\"row\">June</th><td>€720.00</td><td>€0.00</td><td>€46,000.00</td>" in rows
    assert "<th scope=\"row\">December</th><td>€720.00</td><td>€900.00</td><td>€46,000.00</td>" in rows
    assert "B – Collective social activation modules" in page  # the strand's name, not "B"


async def test_cost_11_after_the_deadline_the_unspent_grant_is_to_be_recovered(client, world, monkeypatch):
    monkeypatch.setattr("planner.i18n.today", lambda: dt.date(2018, 3, 1))
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 4_600_000, world.coordinator["id"])
    await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner, status="paid"),
                                 world.coordinator["id"])
    await actions.record_expense(world.rivebelle, expense(dt.date(2017, 9, 4), 90_000, "committed"),
                                 world.coordinator["id"])  # committed, never paid: not justified
    await login(client, world.coordinator)
    page = shown(await client.get(f"/spending?year=2017&cpas={world.rivebelle}"))
    recovery = page.split('id="recovery"')[1].split('id="chart"')[0]
    assert "28 Feb 2018" in recovery and "€45,280.00" in recovery
    assert "€45,280.00 was not spent or justified by 28 Feb 2018 and is to be paid back." in recovery


async def test_cost_11_before_the_deadline_shows_what_is_still_to_justify_and_by_when(client, world, monkeypatch):
    monkeypatch.setattr("planner.i18n.today", lambda: dt.date(2018, 1, 10))  # 49 days before: announced
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 4_600_000, world.coordinator["id"])
    await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner, status="paid"),
                                 world.coordinator["id"])
    await login(client, world.coordinator)
    recovery = shown(await client.get("/spending?year=2017")).split('id="recovery"')[1].split('id="chart"')[0]
    assert "28 Feb 2018" in recovery and "€45,280.00" in recovery and "to be paid back" not in recovery
    assert "€45,280.00 is still to be spent or justified by 28 Feb 2018, or it will be paid back." in recovery
    monkeypatch.setattr("planner.i18n.today", lambda: dt.date(2017, 6, 1))  # far ahead: the figure, no warning
    recovery = shown(await client.get("/spending?year=2017")).split('id="recovery"')[1].split('id="chart"')[0]
    assert "€45,280.00" in recovery and "or it will be paid back" not in recovery


async def test_the_city_s_subsidy_is_offered_to_its_cpas_and_refused_to_another(client, world, neighbour_admin):
    await login(client, world.coordinator)
    page = shown(await client.get("/spending?year=2017"))
    assert 'value="rivebelle-city:culture"' in page and "City of Rivebelle · Culture" in page
    await login(client, neighbour_admin)
    page = shown(await client.get("/spending?year=2017"))
    assert "rivebelle-city" not in page and "City of Rivebelle" not in page and 'value="fonds-pas:A"' in page
    response = await post(client, "/spending/grants", {"organisation": str(neighbour_admin["cpas"]), "year": "2017",
                                                        "line": "rivebelle-city:culture", "amount": "100"})
    assert response.status_code == 422 and "Choose a funding source and strand from the list." in shown(response)
    # The actions refuse it too, whoever calls them.
    saved = await actions.set_grant(neighbour_admin["cpas"], "rivebelle-city", 2017, "culture", 100, neighbour_admin["id"])
    assert saved.id is None and saved.findings[0].rule == "RULESET"
    refused = await actions.record_expense(neighbour_admin["cpas"], expense(
        dt.date(2017, 10, 2), 5_000, "paid", strand="culture", source="rivebelle-city", category="activities"),
        neighbour_admin["id"])
    assert refused.id is None and [f.rule for f in refused.findings] == ["RULESET"]
    assert await FundingGrant.count() == 0
    assert (await actions.set_grant(world.rivebelle, "rivebelle-city", 2017, "culture", 100, world.coordinator["id"])).id


@pytest.mark.parametrize("language, words", [("nl", "B – Collectieve modules sociale activering"),
                                              ("de", "B – Kollektive Module der sozialen Aktivierung")])
async def test_a_strand_s_name_follows_the_reader_s_language(client, world, language, words):
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 100_000, world.coordinator["id"])
    await login(client, world.coordinator)
    await post(client, "/language", {"language": language})
    assert words in shown(await client.get("/spending?year=2017"))


async def test_the_budget_s_summed_charges_are_charges_to_the_cent(world):
    """queries.budget_charges (summed by the database where a share is 100 %) against queries.charges (every
    share split in Python), with split expenses, VAT, both VAT policies."""
    from planner.spending import queries

    def totals(charged: list[dict]) -> dict:
        found: dict = {}
        for c in charged:
            key = (c["source"], c["strand"], c["category"] == "personnel", c["status"], c["day"].year, c["day"].month)
            found[key] = found.get(key, 0) + c["cents"]
        return {k: v for k, v in found.items() if v}

    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 4_600_000, world.coordinator["id"])
    cases = ((10_000, "paid"), (3_333, "paid"), (6_667, "committed"), (10_000, "invoiced"), (10_000, "paid"))
    for n, (bp, status) in enumerate(cases):
        shares = (ShareInput("fonds-pas", 2017, "B", bp),) + (
            (ShareInput("own-funds", 2017, "all", 10_000 - bp),) if bp < 10_000 else ())
        saved = await actions.record_expense(world.rivebelle, ExpenseInput(
            day=dt.date(2017, 3 + n % 2, 10 + n), category="personnel" if n == 4 else "operating", amount_excl_vat_cents=10_001 + n,
            vat_cents=2_100 + n, status=status, supplier="Papeterie", shares=shares), world.coordinator["id"])
        assert saved.id, saved.findings
    for recovers in (False, True):
        await actions.set_vat_policy(world.rivebelle, 2017, recovers)
        summed = await queries.budget_charges(world.rivebelle, 2017)
        assert totals(summed) == totals(await queries.charges(world.rivebelle, 2017)) != {}


async def test_the_upgrade_fills_the_cents_of_shares_saved_before_they_were_stored(world, monkeypatch):
    """The migration's data step writes what a save writes (rules.share_cents), split expenses and VAT included."""
    import importlib

    from planner.spending.tables import ExpenseShare

    migration = importlib.import_module("planner.piccolo_migrations.planner_2026_11_30t19_25_33_156205")
    monkeypatch.setattr(migration.ExpenseShare._meta, "db", ExpenseShare._meta.db)  # the engine under test
    for n, bp in enumerate((10_000, 3_333, 5_000)):
        shares = (ShareInput("fonds-pas", 2017, "B", bp),) + (
            (ShareInput("own-funds", 2017, "all", 10_000 - bp),) if bp < 10_000 else ())
        saved = await actions.record_expense(world.rivebelle, ExpenseInput(
            day=dt.date(2017, 3, 10 + n), category="operating", amount_excl_vat_cents=10_001 + n, vat_cents=2_101,
            status="paid", supplier="Papeterie", shares=shares), world.coordinator["id"])
        assert saved.id, saved.findings
    columns = (ExpenseShare.id, ExpenseShare.excl_vat_cents, ExpenseShare.incl_vat_cents)
    saved_rows = await ExpenseShare.select(*columns).order_by(ExpenseShare.id)
    assert len(saved_rows) == 5 and all(r["incl_vat_cents"] > r["excl_vat_cents"] > 0 for r in saved_rows)
    await ExpenseShare.update({ExpenseShare.excl_vat_cents: 0, ExpenseShare.incl_vat_cents: 0}, force=True)
    await migration.fill()
    assert await ExpenseShare.select(*columns).order_by(ExpenseShare.id) == saved_rows


async def test_a_year_with_nothing_links_the_years_with_figures(client, world):
    """The demo's present (or a new year) has no grant yet: the budget page says where the figures are."""
    await actions.set_grant(world.rivebelle, "fonds-pas", 2018, "B", 100_000, world.coordinator["id"])
    assert (await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner),
                                         world.coordinator["id"])).id  # a share charged to 2017, no grant
    await login(client, world.coordinator)
    page = shown(await client.get("/spending?year=2019"))
    assert "Other years with figures:" in page
    assert f'href="/spending?cpas={world.rivebelle}&year=2018"' in page
    assert f'href="/spending?cpas={world.rivebelle}&year=2017"' in page
    assert "year=2019" not in page.split("Other years with figures:")[1].split("</p>")[0]
