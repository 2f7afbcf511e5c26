"""Recording and changing an expense through its form (issue 14): what blocks is shown with its figure and
nothing is written, a warning is saved only once the user says to go on, a stale form shows the current
values, the status buttons; COST-02 on a subcontractor's overheads (both engines)."""

import re

from planner.spending import actions
from planner.spending.tables import Expense, ExpenseShare
from tests.conftest import login, post
from tests.spending.test_routes import shown


def form(world, **changes) -> dict:
    values = {"organisation": str(world.rivebelle), "year": "2017", "day": "2017-06-12", "supplier": "Librairie Rive",
              "category": "operating", "amount_excl_vat": "100,00", "vat": "21,00", "status": "committed",
              "invoice_reference": "LR-1", "share_line_1": "fonds-pas:B", "share_percent_1": "100"}
    return {**values, **changes}


async def count() -> int:
    return await Expense.count().where(Expense.invoice_reference != "PM-2025-88")  # the world's own expense


async def test_the_coordinator_records_an_expense_and_sees_it(client, world):
    await login(client, world.coordinator)
    page = shown(await client.get(f"/spending/expenses/new?cpas={world.rivebelle}&year=2017"))
    for label in ("Date of the invoice or order", "Supplier", "or one of the CPAS's partners", "Kind of expense",
                  "Amount excluding VAT", "Overheads in a subcontractor's invoice", "Module", "or activity",
                  "Invoice reference", "Funding source and strand 3", "Subsidy year it is charged to"):
        assert f">{label}" in page, label
    assert "Accès-Sport Rivebelle" in page and "SWITCH · Switch activation group" in page
    response = await post(client, "/spending/expenses", form(world, module=str(world.module), share_percent_1="33,5"))
    assert response.status_code == 303
    expense = await Expense.select().where(Expense.invoice_reference == "LR-1").first()
    assert response.headers["location"] == f"/spending/expenses/{expense['id']}"
    assert (expense["amount_excl_vat_cents"], expense["vat_cents"], expense["module"]) == (10_000, 2_100, world.module)
    assert (await ExpenseShare.select(ExpenseShare.share_bp).first())["share_bp"] == 3_350
    page = shown(await client.get(response.headers["location"]))
    assert "The expense has been saved." in page and 'value="100.00"' in page and 'value="33.50"' in page
    assert "Mark as invoiced" in page and "No scanned invoice yet." in page


async def test_bad_amounts_and_percentages_keep_what_was_typed(client, world):
    await login(client, world.coordinator)
    for field, typed, message in (("amount_excl_vat", "12,5,0", "cannot be read"), ("vat", "-3", "cannot be negative"),
                                  ("amount_excl_vat", "9" * 20, "at most 12 digits"),
                                  ("share_percent_1", "101", "Give a percentage from 0.01 to 100."),
                                  ("share_line_1", "fonds-pas:Z", "Choose a funding source and strand from the list."),
                                  ("day", "2017-02-30", "Give the date of the invoice or order."),
                                  ("supplier", "", "Give the supplier, or choose one of the CPAS's partners.")):
        response = await post(client, "/spending/expenses", form(world, **{field: typed}))
        assert response.status_code == 422, field
        page = shown(response)
        assert message in page and "Nothing was saved" in page, field
        if typed and field != "share_line_1":
            assert f'value="{typed}"' in page, field
    assert await count() == 0


async def test_a_blocking_rule_shows_its_figure_next_to_its_field_and_writes_nothing(client, world):
    await login(client, world.coordinator)
    response = await post(client, "/spending/expenses", form(world, category="investment", amount_excl_vat="600",
                                                             vat="126"))
    assert response.status_code == 422
    page = shown(response)
    assert page.count("An investment can cost at most €500.00 excluding VAT; this one costs €600.00.") == 2
    assert 'id="e-amount_excl_vat"' in page and 'role="alert"' in page
    response = await post(client, "/spending/expenses", form(world, day="2018-01-03"))
    assert "outside the subsidy period from 01 Jan 2017 to 31 Dec 2017" in shown(response)
    assert await count() == 0


async def test_a_warning_is_saved_only_when_the_user_goes_on_and_records_who_did(client, world):
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "A", 100_000, world.coordinator["id"])
    await login(client, world.administrator)
    personnel = form(world, category="personnel", amount_excl_vat="95", vat="0", share_line_1="fonds-pas:A")
    response = await post(client, "/spending/expenses", personnel)
    assert response.status_code == 422 and await count() == 0
    page = shown(response)
    assert "Check before saving:" in page and "I have read the warning and want to save anyway" in page
    assert 'value="95"' in page
    response = await post(client, "/spending/expenses", {**personnel, "go_on": "1"})
    assert response.status_code == 303
    row = await Expense.select().where(Expense.invoice_reference == "LR-1").first()
    assert row["warnings"] == "COST-01" and row["warned_by"] == row["updated_by"] == world.administrator["id"]
    assert "Saved past a warning (COST-01) by Alice Admin." in shown(await client.get(response.headers["location"]))
    await login(client, world.coordinator)  # a status change by someone else keeps who went on
    await post(client, f"{response.headers['location']}/status", {"status": "paid", "version": "1"})
    page = shown(await client.get(response.headers["location"]))
    assert "The expense is now paid." in page and "Saved past a warning (COST-01) by Alice Admin." in page


async def test_a_stale_form_shows_the_version_message_and_the_current_values(client, world):
    await login(client, world.coordinator)
    location = (await post(client, "/spending/expenses", form(world))).headers["location"]
    first = await post(client, location, form(world, version="1", invoice_reference="LR-1b"))
    assert first.status_code == 303
    stale = await post(client, location, form(world, version="1", invoice_reference="LR-1c", vat="0"))
    assert stale.status_code == 409
    page = shown(stale)
    assert "Someone changed this expense while you were editing it" in page
    assert 'value="LR-1b"' in page and 'name="version" value="2"' in page
    assert (await Expense.select().where(Expense.id == int(location.rsplit("/", 1)[1])).first())["vat_cents"] == 2_100


async def test_the_status_buttons_move_an_expense_and_a_stale_one_is_refused(client, world):
    await login(client, world.coordinator)
    location = (await post(client, "/spending/expenses", form(world))).headers["location"]
    response = await post(client, f"{location}/status", {"status": "invoiced", "version": "1"})
    assert response.status_code == 303 and response.headers["location"] == location
    assert "The expense is now invoiced." in shown(await client.get(location))
    response = await post(client, f"{location}/status", {"status": "paid", "version": "1"})
    assert "Someone changed this expense" in shown(await client.get(location))
    await post(client, f"{location}/status", {"status": "paid", "version": "2"})
    await post(client, f"{location}/status", {"status": "invoiced", "version": "3"})  # back, to correct a mistake
    row = await Expense.select().where(Expense.id == int(location.rsplit("/", 1)[1])).first()
    assert (row["status"], row["version"]) == ("invoiced", 4)


async def test_cost_02_a_subcontractors_overheads_above_the_cap_of_the_rule_set_are_refused(client, world):
    await login(client, world.coordinator)
    invoice = form(world, category="subcontracting", partner=str(world.partner), supplier="",
                   amount_excl_vat="1,100.00", vat="0", overheads="101")
    response = await post(client, "/spending/expenses", invoice)
    assert response.status_code == 422
    page = shown(response)
    assert ("at most 10 % of the service's other costs, here €99.90; this invoice has €101.00 of overheads, "
            "so €1.10 cannot be charged.") in page and 'id="e-overheads"' in page
    assert await count() == 0
    response = await post(client, "/spending/expenses", {**invoice, "overheads": "99.90"})
    assert response.status_code == 303
    assert (await Expense.select(Expense.overheads_cents).where(Expense.invoice_reference == "LR-1").first()) == {
        "overheads_cents": 9_990}
    response = await post(client, "/spending/expenses", form(world, overheads="5", invoice_reference="LR-2"))
    assert "Only a subcontractor's invoice has overheads" in shown(response)


async def test_cost_02_an_unshared_subcontractor_invoice_is_not_capped(world):
    saved = await actions.record_expense(world.rivebelle, actions.ExpenseInput(
        day=__import__("datetime").date(2017, 3, 1), category="subcontracting", amount_excl_vat_cents=1_000,
        vat_cents=0, supplier="X", overheads_cents=900), world.coordinator["id"])
    assert saved.id and saved.findings == ()


async def test_other_cpas_cannot_open_change_nor_move_an_expense(client, world, neighbour_admin):
    for person in (neighbour_admin, world.outsider):
        await login(client, person)
        assert (await client.get(f"/spending/expenses/{world.expense}")).status_code == 404
        assert (await client.get(f"/spending/expenses/new?cpas={world.rivebelle}")).status_code == 404
        response = await post(client, f"/spending/expenses/{world.expense}", form(world, version="1"))
        assert response.status_code == 404
        response = await post(client, f"/spending/expenses/{world.expense}/status", {"status": "paid", "version": "1"})
        assert response.status_code == 404
        assert (await post(client, "/spending/expenses", form(world))).status_code == 404
    row = await Expense.select().where(Expense.id == world.expense).first()
    assert (row["status"], row["version"], await count()) == ("invoiced", 1, 0)


async def test_the_world_expense_page_answers_with_its_values(client, world):
    await login(client, world.administrator)
    page = shown(await client.get(f"/spending/expenses/{world.expense}"))
    assert 'value="Papeterie Meuse"' in page and 'value="2025"' in page and "facture-PM-2025-88.pdf" in page
    assert re.search(r'<option value="operating"\s+selected', page)


async def test_an_expense_on_a_module_links_its_costs_and_names_each_strand(client, world):
    """The share lines say what a strand is ("Own funds · All activation spending", not its code "all"), and an
    expense on a module opens the module's costs of its year, where its chargeable share is explained."""
    await login(client, world.coordinator)
    response = await post(client, "/spending/expenses", form(world, module=str(world.module)))
    page = shown(await client.get(response.headers["location"]))
    assert f'href="/spending/modules/{world.module}?year=2017"' in page
    assert "Own funds · All activation spending" in page and "strand all" not in page
    unlinked = await post(client, "/spending/expenses", form(world, invoice_reference="LR-2"))
    assert "/spending/modules/" not in shown(await client.get(unlinked.headers["location"]))


async def test_fund_01_the_expense_form_of_2026_says_why_the_fonds_pas_is_not_offered(client, world):
    await login(client, world.coordinator)
    page = shown(await client.get(f"/spending/expenses/new?cpas={world.rivebelle}&year=2026"))
    assert "no rules for 2026. The fund was abolished from 1 January 2026; its last year is 2025." in page
    assert "fonds-pas:" not in page and "own-funds:" in page
