"""A social worker reads a person's PIIS page and writes a PIIS on a 360 px phone (issue 15)."""

import pytest
from playwright.async_api import expect

from tests.browser.test_tablet_login import sign_in

pytestmark = pytest.mark.browser
# What sticks out of the phone's width, to name it when the page is too wide.
WIDE = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 360)
          .map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 12)"""
PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}


async def test_the_piis_pages_fit_a_phone_and_a_bad_date_comes_back_in_place(server, world, browser):
    context = await browser.new_context(**PHONE)
    phone = await context.new_page()
    await sign_in(phone, server, world.social_worker["email"])
    for path in (f"/people/{world.beneficiary}/piis", f"/piis/{world.piis}", f"/bilans/{world.bilan}",
                 f"/people/{world.beneficiary}/bilans/new", f"/people/{world.beneficiary}/piis/new"):
        await phone.goto(f"{server}{path}")
        wide = await phone.evaluate(WIDE)
        assert await phone.evaluate("document.documentElement.scrollWidth") <= 360, (path, wide)
    write = phone.get_by_role("button", name="Save the PIIS")
    assert (await write.bounding_box())["height"] >= 48
    await phone.get_by_label("Ends on").fill("2026-01-01")
    await phone.get_by_label("Objective", exact=True).first.fill("Go to the library")
    await write.tap()  # htmx swaps the form block: the message next to the field, what was typed kept
    await expect(phone.locator("#edit")).to_contain_text("The PIIS must end after it starts.")
    await expect(phone.get_by_label("Objective", exact=True).first).to_have_value("Go to the library")
    await context.close()
