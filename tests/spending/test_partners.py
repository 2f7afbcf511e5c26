"""/spending/partners (issue 14): a CPAS's partners with their conventions, contacts, modules and invoices;
adding and changing a convention; who is refused (both engines)."""

import datetime as dt

from planner import i18n
from planner.modules.tables import ModulePartner
from planner.spending import actions
from planner.spending.actions import ConventionInput
from planner.spending.tables import PartnerConvention
from tests.conftest import login, make_org, post
from tests.spending.test_actions import sport_invoice
from tests.spending.test_routes import shown


def convention_form(world, **changes) -> dict:
    return {"organisation": str(world.rivebelle), "starts_on": "2017-01-01", "ends_on": "2017-12-31",
            "deliverables": "Weekly sport session, 30 weeks", "price_basis": "per_session", "price": "80,00",
            "subcontracting": "1", "overheads": "8,00", "contact": "Pat, 0470 00 00 00", **changes}


async def a_convention(world, starts: dt.date, ends: dt.date, **changes) -> int:
    values = dict(price_basis="lump_sum", price_cents=240_000, contact="Pat")
    return await actions.save_convention(world.rivebelle, ConventionInput(world.partner, starts, ends,
                                                                         **{**values, **changes}),
                                         world.coordinator["id"])


async def test_the_list_shows_the_current_convention_flags_its_end_and_the_years_expenses(client, world):
    today = i18n.today()
    await a_convention(world, today - dt.timedelta(days=300), today + dt.timedelta(days=20))
    await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner, day=dt.date(today.year, 1, 1),
                                                                shares=()), world.coordinator["id"])
    await login(client, world.coordinator)
    page = shown(await client.get(f"/spending/partners?cpas={world.rivebelle}&year={today.year}"))
    assert "Accès-Sport Rivebelle" in page and "€2,400.00 lump sum" in page
    assert "in 20 days." in page and f"Expenses in {today.year} (excl. VAT): €2,400.00" in page
    assert f'href="/spending/partners/{world.partner}?cpas={world.rivebelle}"' in page


async def test_an_ended_convention_and_one_day_left_are_flagged_in_the_right_words(client, world):
    today = i18n.today()
    await login(client, world.coordinator)
    await a_convention(world, today - dt.timedelta(days=400), today - dt.timedelta(days=3))
    assert "Ended on" in shown(await client.get("/spending/partners"))
    await a_convention(world, today - dt.timedelta(days=2), today + dt.timedelta(days=1))
    assert "in 1 day." in shown(await client.get("/spending/partners"))
    await a_convention(world, today, today + dt.timedelta(days=200))  # newest, running, far from its end
    assert "Ends on" not in shown(await client.get("/spending/partners"))


async def test_empty_states(client, world):
    await login(client, world.coordinator)
    page = shown(await client.get("/spending/partners"))
    assert "No convention recorded." in page
    page = shown(await client.get(f"/spending/partners/{world.partner}"))
    for empty in ("No convention recorded.", "It runs no module of this CPAS.", "No invoice from this partner recorded.",
                  "No contact recorded."):
        assert empty in page
    other = await make_org("cpas", "CPAS vide")
    from planner.auth.tables import Membership
    await Membership.insert(Membership(user=world.coordinator["id"], organisation=other, role="coordinator"))
    await login(client, world.coordinator)
    assert "registered no partner organisation yet" in shown(await client.get(f"/spending/partners?cpas={other}"))


async def test_the_partner_page_shows_conventions_newest_first_contacts_modules_and_invoices(client, world):
    await a_convention(world, dt.date(2016, 1, 1), dt.date(2016, 12, 31), contact="Old contact")
    await a_convention(world, dt.date(2017, 1, 1), dt.date(2017, 12, 31), contact="Pat, 0470 00 00 00")
    await ModulePartner.insert(ModulePartner(module=world.module, partner=world.partner))
    saved = await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner), world.coordinator["id"])
    await login(client, world.administrator)
    page = shown(await client.get(f"/spending/partners/{world.partner}?cpas={world.rivebelle}"))
    assert page.index("From 01 Jan 2017") < page.index("From 01 Jan 2016")
    assert "Pat, 0470 00 00 00" in page and "Old contact" in page
    assert f'href="/modules/{world.module}"' in page and "SWITCH · Switch activation group" in page
    assert f'href="/spending/expenses/{saved.id}"' in page and "AS-2017-031" in page and "€2,400.00" in page
    assert "committed" in page


async def test_a_convention_is_added_and_changed_with_its_version(client, world):
    await login(client, world.coordinator)
    response = await post(client, f"/spending/partners/{world.partner}/conventions", convention_form(world))
    assert response.status_code == 303
    assert response.headers["location"] == f"/spending/partners/{world.partner}?cpas={world.rivebelle}"
    row = await PartnerConvention.select().first()
    assert (row["price_cents"], row["overheads_cents"], row["subcontracting"], row["version"]) == (8_000, 800, True, 1)
    page = shown(await client.get(response.headers["location"]))
    assert "The convention has been saved." in page and "€80.00 per session" in page
    form = convention_form(world, price="95", price_basis="per_participant", version="1", subcontracting="")
    response = await post(client, f"/spending/conventions/{row['id']}", form)
    assert response.status_code == 303
    row = await PartnerConvention.select().first()
    assert (row["price_cents"], row["price_basis"], row["subcontracting"], row["version"]) == (9_500, "per_participant",
                                                                                               False, 2)
    stale = await post(client, f"/spending/conventions/{row['id']}", {**form, "price": "1"})  # still version 1
    assert stale.status_code == 409 and "Someone changed this convention" in shown(stale)
    assert (await PartnerConvention.select().first())["price_cents"] == 9_500


async def test_bad_input_keeps_what_was_typed_and_writes_nothing(client, world):
    await login(client, world.coordinator)
    cases = [({"ends_on": "2016-12-31"}, "ends_on", "before it starts"),
             ({"price": "12,5,0"}, "price", "cannot be read"), ({"price": "-3"}, "price", "cannot be negative"),
             ({"price": "9" * 20}, "price", "at most 12 digits"), ({"overheads": "abc"}, "overheads", "in figures"),
             ({"starts_on": "2026-02-30"}, "starts_on", "first day"), ({"price_basis": "per_hour"}, "price_basis", "how the price"),
             ({"deliverables": "x" * 2001}, "deliverables", "At most 2000 characters.")]
    for change, name, message in cases:
        response = await post(client, f"/spending/partners/{world.partner}/conventions", convention_form(world, **change))
        assert response.status_code == 422, change
        page = shown(response)
        assert message in page and "aria-invalid" in page, change
        typed = next(iter(change.values()))
        if name not in ("deliverables", "price_basis"):
            assert f'value="{typed}"' in page, change
    assert await PartnerConvention.count() == 0
    row_id = await a_convention(world, dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    response = await post(client, f"/spending/conventions/{row_id}", convention_form(world, price="-3", version="1"))
    assert response.status_code == 422 and 'value="-3"' in response.text
    assert (await PartnerConvention.select().first())["price_cents"] == 240_000


async def test_an_htmx_error_swaps_the_conventions_block_only(client, world):
    await login(client, world.coordinator)
    response = await post(client, f"/spending/partners/{world.partner}/conventions",
                          convention_form(world, price="x"), htmx=True)
    assert response.status_code == 422 and 'id="conventions"' in response.text
    assert not response.text.lstrip().lower().startswith("<!doctype")


async def test_a_partner_facilitator_never_sees_a_convention(client, world):
    row_id = await a_convention(world, dt.date(2017, 1, 1), dt.date(2017, 12, 31), contact="Secret contact")
    await login(client, world.partner_facilitator)
    for url in ("/spending/partners", f"/spending/partners/{world.partner}", f"/spending/partners?cpas={world.rivebelle}"):
        response = await client.get(url)
        assert response.status_code in (403, 404) and "Secret contact" not in response.text, url
    for url in (f"/spending/partners/{world.partner}/conventions", f"/spending/conventions/{row_id}"):
        response = await post(client, url, convention_form(world, price="1", version="1"))
        assert response.status_code in (403, 404), url
    assert await PartnerConvention.count() == 1
    assert (await PartnerConvention.select().first())["price_cents"] == 240_000


async def test_a_coordinator_of_another_cpas_of_the_same_cluster_gets_404(client, world, neighbour_admin):
    row_id = await a_convention(world, dt.date(2017, 1, 1), dt.date(2017, 12, 31), contact="Secret contact")
    for person in (neighbour_admin, world.outsider):
        await login(client, person)
        for url in (f"/spending/partners/{world.partner}", f"/spending/partners?cpas={world.rivebelle}",
                    f"/spending/partners/{world.partner}?cpas={person.get('cpas', world.elsewhere)}"):
            assert (await client.get(url)).status_code == 404, url
        assert "Accès-Sport" not in (await client.get("/spending/partners")).text
        for url in (f"/spending/partners/{world.partner}/conventions", f"/spending/conventions/{row_id}"):
            response = await post(client, url, convention_form(world, price="1", version="1"))
            assert response.status_code == 404, url
    assert (await PartnerConvention.select().first())["price_cents"] == 240_000 and await PartnerConvention.count() == 1


async def test_a_partner_of_another_cpas_cannot_get_a_convention_of_rivebelle(client, world):
    other = await make_org("partner", "Club d'ailleurs", partner_type="sports_club", owner=world.elsewhere)
    await login(client, world.coordinator)
    response = await post(client, f"/spending/partners/{other}/conventions", convention_form(world))
    assert response.status_code == 404
    assert await PartnerConvention.count() == 0
