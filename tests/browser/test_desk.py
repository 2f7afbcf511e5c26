"""The coordinator's desk in a browser (issue 18): the counts and their links, on a phone-wide page."""

import pytest
from playwright.async_api import expect

from tests.browser.test_tablet_login import sign_in
from tests.desk.test_desk import make_desk

pytestmark = pytest.mark.browser


async def test_the_coordinator_sees_what_waits_and_each_link_opens_those_items(server, world, browser):
    made = await make_desk(world)
    context = await browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    phone = await context.new_page()
    await sign_in(phone, server, world.coordinator["email"])
    desk = phone.locator("#desk")
    await expect(desk.get_by_role("link", name="1 proposal waits for your decision")).to_be_visible()
    await expect(desk.get_by_role("link", name="1 invoice without a scan")).to_be_visible()
    await expect(desk.get_by_role("link", name="1 mail not delivered")).to_be_visible()
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 360
    await desk.get_by_role("link", name="1 proposal waits for your decision").tap()
    await expect(phone).to_have_url(f"{server}/desk/proposals")
    await expect(phone.locator("#desk-rows li")).to_have_count(1)
    await phone.get_by_role("link", name="Haddad, Omar").tap()
    await expect(phone).to_have_url(f"{server}/modules/{world.module}#roster")
    await expect(phone.locator(".proposals")).to_contain_text("Haddad")
    await phone.goto(f"{server}/")
    await phone.locator("#desk").get_by_role("link", name="1 session this week without a facilitator or with a room taken twice").tap()
    await expect(phone.get_by_role("link", name="ALONE group")).to_have_count(1)
    await expect(phone.locator("#desk-rows")).to_contain_text("no facilitator")
    assert f"/modules/{made['theirs']}" not in await phone.content()
    await context.close()
