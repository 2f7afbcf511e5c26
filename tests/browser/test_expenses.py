"""A coordinator goes from the budget to the expenses behind a figure, and records an expense, on a 360 px phone."""

import pytest
from playwright.async_api import expect

from planner.spending import actions
from planner.spending.tables import Expense
from tests.browser.test_figures import PHONE
from tests.browser.test_tablet_login import sign_in
from tests.spending.test_actions import sport_invoice

pytestmark = pytest.mark.browser


async def width(page) -> int:
    return await page.evaluate("document.documentElement.scrollWidth")


async def test_from_a_budget_figure_to_its_expenses_and_a_new_expense_on_a_phone(server, world, browser):
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 5_000_000, world.coordinator["id"])
    await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner, supplier=""),
                                 world.coordinator["id"])
    context = await browser.new_context(**PHONE)
    phone = await context.new_page()
    await sign_in(phone, server, world.coordinator["email"])
    await phone.goto(f"{server}/spending?year=2017")
    assert await width(phone) <= 360
    committed = phone.locator('a[href*="status=unpaid"]')
    await committed.scroll_into_view_if_needed()
    await committed.tap()
    await expect(phone.locator("#expenses")).to_contain_text("Total charged: €720.00")
    await expect(phone.locator("#expenses")).to_contain_text("Accès-Sport Rivebelle")
    assert await width(phone) <= 360
    new = phone.get_by_role("link", name="New expense")
    assert (await new.bounding_box())["height"] >= 48
    await new.tap()
    await expect(phone.get_by_label("Subsidy year it is charged to")).to_have_value("2017")
    assert await width(phone) <= 360
    await phone.get_by_label("Date of the invoice or order").fill("2017-05-02")
    await phone.get_by_label("Supplier", exact=True).fill("Librairie Rive")
    await phone.get_by_label("Kind of expense").select_option("investment")
    await phone.get_by_label("Amount excluding VAT").fill("600")
    await phone.locator("#f-vat").fill("0")
    await phone.get_by_label("Funding source and strand 1").select_option("fonds-pas:B")
    save = phone.get_by_role("button", name="Save the expense")
    assert (await save.bounding_box())["height"] >= 48
    await save.tap()
    await expect(phone.locator("#summary")).to_contain_text("An investment can cost at most €500.00")
    await expect(phone.get_by_label("Amount excluding VAT")).to_have_value("600")  # kept as typed
    assert await Expense.count().where(Expense.supplier == "Librairie Rive") == 0
    await phone.get_by_label("Amount excluding VAT").fill("450")
    await phone.get_by_role("button", name="Save the expense").tap()
    await expect(phone.locator("main")).to_contain_text("The expense has been saved.")
    assert await width(phone) <= 360
    await context.close()
