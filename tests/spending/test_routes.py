"""The budget screen of a year (issue 14): who sees it, its figures, setting a grant and the VAT policy
(both engines)."""

import html

from planner.spending import actions, queries
from planner.spending.tables import FundingGrant, VatPolicy
from tests.conftest import login, post
from tests.spending.test_actions import sport_invoice


def shown(response) -> str:
    return html.unescape(response.text).replace("\xa0", " ").replace("\u202f", " ")


async def test_the_coordinator_sees_sport_like_figures_after_a_grant_and_an_expense(client, world):
    await login(client, world.coordinator)
    response = await post(client, "/spending/grants", {"organisation": str(world.rivebelle), "year": "2017",
                                                        "line": "fonds-pas:B", "amount": "50,000.00"})
    assert response.status_code == 303 and response.headers["location"] == f"/spending?year=2017&cpas={world.rivebelle}"
    saved = await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner), world.coordinator["id"])
    assert saved.id
    page = shown(await client.get("/spending?year=2017"))
    assert "Participation and social activation fund" in page and "€50,000.00" in page and "€720.00" in page and "€49,280.00" in page
    assert "within the limit" in page and "1 expense recorded in 2017." in page
    assert "The grant has been saved." in page
    response = await post(client, "/spending/vat", {"organisation": str(world.rivebelle), "year": "2017",
                                                     "recovers_vat": "1"})
    assert response.status_code == 303
    assert await queries.recovers_vat(world.rivebelle, 2017)
    assert 'name="recovers_vat" value="1" checked' in shown(await client.get(f"/spending?year=2017&cpas={world.rivebelle}"))


async def test_a_year_without_grants_says_so_and_2026_shows_the_other_sources(client, world):
    await login(client, world.administrator)
    page = shown(await client.get("/spending?year=2026"))
    assert "No grant recorded for 2026 yet." in page and "0 expenses recorded in 2026." in page
    assert "Own funds · All activation spending" in page and "fonds-pas:" not in page


async def test_a_bad_amount_keeps_what_was_typed_with_the_message(client, world):
    await login(client, world.coordinator)
    for typed, message in (("12,5,0", "cannot be read"), ("-3", "cannot be negative"),
                           ("9" * 20, "at most 12 digits")):
        response = await post(client, "/spending/grants", {"organisation": str(world.rivebelle), "year": "2017",
                                                            "line": "fonds-pas:B", "amount": typed})
        assert response.status_code == 422, typed
        page = shown(response)
        assert message in page and f'value="{typed}"' in page and 'aria-describedby="e-amount"' in page
    for line, year in (("fonds-pas:Z", "2017"), ("nowhere:B", "2017"), ("fonds-pas:B", "2031"), ("fonds-pas:B", "x")):
        response = await post(client, "/spending/grants", {"organisation": str(world.rivebelle), "year": year,
                                                            "line": line, "amount": "100"})
        assert response.status_code == 422 and 'id="e-line"' in response.text, (line, year)
    assert await FundingGrant.count() == 0


async def test_social_workers_and_facilitators_are_refused(client, world):
    for person in (world.social_worker, world.facilitator):
        await login(client, person)
        assert (await client.get("/spending")).status_code == 403
        response = await post(client, "/spending/grants", {"organisation": str(world.rivebelle), "year": "2017",
                                                            "line": "fonds-pas:B", "amount": "100"})
        assert response.status_code == 403
        assert 'href="/spending"' not in (await client.get("/")).text
    assert await FundingGrant.count() == 0


async def test_other_cpas_never_see_nor_set_rivebelle_figures(client, world, neighbour_admin):
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 4_321_000, world.coordinator["id"])
    for person in (neighbour_admin, world.outsider):
        await login(client, person)
        assert (await client.get(f"/spending?year=2017&cpas={world.rivebelle}")).status_code == 404
        page = shown(await client.get("/spending?year=2017"))
        assert "43,210.00" not in page
        for url, form in (("/spending/grants", {"line": "fonds-pas:B", "amount": "1"}), ("/spending/vat", {"recovers_vat": "1"})):
            response = await post(client, url, {"organisation": str(world.rivebelle), "year": "2017", **form})
            assert response.status_code in (403, 404)
    assert (await FundingGrant.select(FundingGrant.granted_cents).first())["granted_cents"] == 4_321_000
    assert await VatPolicy.count() == 0


async def test_an_anonymous_visit_goes_to_sign_in(client, world):
    response = await client.get("/spending", follow_redirects=False)
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")


async def test_the_menu_shows_spending_to_coordinators(client, world):
    await login(client, world.coordinator)
    assert 'href="/spending"' in (await client.get("/")).text


async def test_an_htmx_year_change_swaps_the_budget_block_only(client, world):
    await login(client, world.coordinator)
    response = await client.get("/spending?year=2017", headers={"hx-request": "true"})
    assert response.status_code == 200 and 'id="budget"' in response.text
    assert not response.text.lstrip().lower().startswith("<!doctype")


async def test_a_dutch_reader_sees_the_sources_name_from_its_rule_set_and_belgian_money(client, world):
    await login(client, world.coordinator)
    await post(client, "/language", {"language": "nl"})
    await post(client, "/spending/grants", {"organisation": str(world.rivebelle), "year": "2017",
                                            "line": "fonds-pas:B", "amount": "50.000,00"})
    page = shown(await client.get("/spending?year=2017"))
    assert "Fonds participatie en sociale activering" in page and "Eigen middelen" in page
    assert "€ 50.000,00" in page or "50.000,00 €" in page


async def test_a_cluster_the_coordinator_works_in_is_not_a_cpas_with_a_budget(client, world, neighbour_admin):
    await login(client, world.coordinator)  # also coordinator in the cluster Rivebelle-Nord
    assert (await client.get(f"/spending?year=2017&cpas={world.cluster}")).status_code == 404
    response = await post(client, "/spending/grants", {"organisation": str(world.cluster), "year": "2017",
                                                        "line": "fonds-pas:B", "amount": "5"})
    assert response.status_code == 404
    assert await FundingGrant.count() == 0


async def test_a_vat_policy_for_an_impossible_year_is_refused_and_nothing_is_written(client, world):
    await login(client, world.coordinator)
    for year in ("", "0", "99999", "2026-02-30", "<script>", "x" * 10_000, "\x00"):
        response = await post(client, "/spending/vat", {"organisation": str(world.rivebelle), "year": year,
                                                        "recovers_vat": "1"})
        assert response.status_code == 422, year
        assert "Choose a year from 1900 to 2199." in shown(response)
    assert await VatPolicy.count() == 0


async def test_a_grant_without_a_source_from_the_list_says_to_choose_one(client, world):
    await login(client, world.coordinator)
    for line in ("", "../x:B", "fonds-pas:Z", ":"):
        response = await post(client, "/spending/grants", {"organisation": str(world.rivebelle), "year": "2017",
                                                            "line": line, "amount": "12,50"})
        assert response.status_code == 422, line
        assert "Choose a funding source and strand from the list." in shown(response)
        assert 'value="12,50"' in response.text
    assert await FundingGrant.count() == 0


async def test_fund_01_the_budget_of_2026_says_why_the_fonds_pas_offers_nothing(client, world):
    await login(client, world.coordinator)
    page = shown(await client.get(f"/spending?year=2026&cpas={world.rivebelle}"))
    assert ("Participation and social activation fund: no rules for 2026. The fund was abolished from "
            "1 January 2026; its last year is 2025.") in page
    assert "fund: no rules for" not in shown(await client.get(f"/spending?year=2025&cpas={world.rivebelle}"))
