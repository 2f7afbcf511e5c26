"""A coordinator on a 360 px phone: the partners' screens and personnel time fit, their buttons are big enough,
and a bad amount in the staff form comes back in place with its message (issue 14)."""

import datetime as dt

import pytest
from playwright.async_api import expect

from planner.spending import actions
from planner.spending.actions import ConventionInput, StaffTimeInput
from tests.browser.test_figures import PHONE
from tests.browser.test_tablet_login import sign_in

pytestmark = pytest.mark.browser


async def fits(phone) -> None:
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 360
    for button in await phone.locator("main button:visible, nav.subnav a").all():
        assert (await button.bounding_box())["height"] >= 48


async def test_partners_and_personnel_time_fit_a_phone(server, world, browser):
    await actions.save_convention(world.rivebelle, ConventionInput(
        world.partner, dt.date(2017, 1, 1), dt.date(2017, 12, 31), "per_session", 8_000,
        deliverables="Weekly sport session", contact="Pat, 0470 00 00 00"), world.coordinator["id"])
    await actions.record_staff_time(world.rivebelle, StaffTimeInput(
        "Animator SWITCH", 5_200_000, 8_000, 3_500, dt.date(2017, 1, 1), dt.date(2017, 12, 31), "fonds-pas", 2017,
        "B", module=world.module), world.coordinator["id"])
    context = await browser.new_context(**PHONE)
    phone = await context.new_page()
    await sign_in(phone, server, world.coordinator["email"])
    await phone.goto(f"{server}/spending?year=2017")
    await phone.get_by_role("link", name="Partners").tap()
    await expect(phone.get_by_role("heading", level=1)).to_have_text("Partners")
    await fits(phone)
    await phone.get_by_role("link", name="Accès-Sport Rivebelle").tap()
    await expect(phone.locator("#conventions")).to_contain_text("€80.00 per session")
    await fits(phone)
    await phone.get_by_role("link", name="Personnel time").tap()
    await expect(phone.get_by_role("heading", level=1)).to_contain_text("Personnel time")
    await phone.goto(f"{server}/spending/staff?year=2017")
    await expect(phone.locator("table")).to_contain_text("€14,560.00")
    await fits(phone)
    await phone.get_by_label("Staff member (name or job)").fill("Coordinator")
    for field, value in (("fte", "50"), ("time_share", "100"), ("starts_on", "2017-01-01"), ("ends_on", "2017-12-31"),
                         ("task-preparation", "100")):
        await phone.locator(f"#f-{field}").fill(value)
    await phone.get_by_label("Gross annual cost of a full-time post, employer contributions included (€)").fill("12,5,0")
    await phone.get_by_role("button", name="Save the staff time").tap()
    await expect(phone.locator("#e-annual_cost")).to_contain_text("cannot be read")
    await expect(phone.get_by_label("Gross annual cost of a full-time post, employer contributions included (€)")) \
        .to_have_value("12,5,0")
    await fits(phone)
    await context.close()
