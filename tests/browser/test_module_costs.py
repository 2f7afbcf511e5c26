"""A coordinator reads a module's costs on its page, on a 360 px phone: the section loads as an htmx fragment
(CSP: no inline script); the costs screen fits the phone; the organiser's split key form is reachable."""

import pytest
from playwright.async_api import expect

from planner.modules.tables import Module
from planner.spending import actions
from tests.browser.test_tablet_login import sign_in
from tests.spending.test_actions import sport_invoice
from tests.spending.test_module_costs import sport_year

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}


async def test_the_module_page_loads_its_costs_and_they_fit_a_phone(server, world, browser):
    await Module.update({Module.cluster: world.cluster}).where(Module.id == world.module)
    await sport_year(world)
    assert (await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner, module=world.module),
                                         world.coordinator["id"])).id
    context = await browser.new_context(**PHONE)
    phone = await context.new_page()
    await sign_in(phone, server, world.coordinator["email"])
    await phone.goto(f"{server}/modules/{world.module}")
    costs = phone.locator("#module-costs")
    await costs.scroll_into_view_if_needed()
    await expect(costs).to_contain_text("Costs of Switch activation group in 2026")
    year = costs.get_by_label("Year")
    await year.fill("2017")
    await costs.get_by_role("button", name="Show").tap()
    await expect(costs).to_contain_text("60 attendances of CPAS service users of 200")
    await expect(phone.locator("body")).to_contain_text("Plan the sessions")  # still the module page
    # the screen on its own (the module page has wider sections of its own, left to the modules area)
    await phone.goto(f"{server}/spending/modules/{world.module}?year=2017")
    await expect(phone.locator("#module-costs")).to_contain_text("= €720.00")
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 360
    costs = phone.locator("#module-costs")
    save = costs.get_by_role("button", name="Save the split key")
    assert (await save.bounding_box())["height"] >= 48
    await context.close()
