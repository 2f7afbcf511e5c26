"""A coordinator on a tablet: sign in, switch to Dutch, see Dutch, sign out."""

import re

import pytest
from playwright.async_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


async def sign_in(page, server: str, email: str) -> None:
    await page.goto(f"{server}/")
    await expect(page).to_have_url(re.compile(r"/login"))
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").tap()
    await expect(page.get_by_role("navigation").get_by_role("button", name="Sign out")).to_be_visible()


async def test_a_coordinator_switches_the_tablet_to_dutch_and_signs_out(server, world, tablet):
    await sign_in(tablet, server, world.coordinator["email"])
    await expect(tablet.get_by_role("heading", level=1)).to_contain_text("Carl Coordinator")
    await expect(tablet.locator("html")).to_have_attribute("lang", "en")

    await tablet.get_by_role("button", name="Nederlands").tap()
    await expect(tablet.locator("html")).to_have_attribute("lang", "nl")
    await expect(tablet.get_by_role("button", name="Afmelden")).to_be_visible()
    await expect(tablet.get_by_role("navigation").get_by_role("link", name="Mijn account")).to_be_visible()

    await tablet.get_by_role("button", name="Afmelden").tap()
    await expect(tablet).to_have_url(re.compile(r"/login$"))
    await expect(tablet.get_by_role("heading", level=1)).to_have_text("Aanmelden")  # the browser keeps Dutch


async def test_wrong_password_shows_one_message_in_place(server, world, tablet):
    await tablet.goto(f"{server}/login")
    await tablet.get_by_label("E-mail address").fill(world.coordinator["email"])
    await tablet.get_by_label("Password").fill("not the password")
    await tablet.get_by_role("button", name="Sign in").tap()
    await expect(tablet.get_by_role("alert")).to_have_text("This e-mail address and password do not match.")
    await expect(tablet.get_by_label("E-mail address")).to_have_value(world.coordinator["email"])


async def test_htmx_search_carries_the_csrf_token_in_the_real_browser(server, world, tablet):
    await sign_in(tablet, server, world.social_worker["email"])
    await tablet.goto(f"{server}/people")
    await expect(tablet.locator("#rows")).to_contain_text("Quennevilleprivate")
    async with tablet.expect_response(re.compile(r"/people/search$")) as response:
        await tablet.get_by_label("Search by name or file reference").fill("nobody-like-this")
    assert (await response.value).status == 200
    await expect(tablet.locator("#rows")).to_contain_text("Nobody matches this search.")
    assert "nobody" not in tablet.url


async def test_touch_targets_are_at_least_48_pixels(server, world, tablet):
    await sign_in(tablet, server, world.coordinator["email"])
    for element in await tablet.locator("header a, header button, main a.button, main button").all():
        box = await element.bounding_box()
        assert box and box["height"] >= 48, await element.inner_text()
