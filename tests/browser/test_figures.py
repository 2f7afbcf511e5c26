"""A coordinator reads the attendance figures and the rolls to chase on a 360 px phone."""

import datetime as dt

import pytest
from playwright.async_api import expect

from planner.enrolment.tables import Enrolment
from planner.modules.tables import Session
from tests.attendance.test_figures import TODAY, add_session, mark
from tests.browser.test_tablet_login import sign_in

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}


async def test_the_figures_and_the_rolls_to_chase_fit_a_phone(server, world, browser):
    await Session.update({Session.day: TODAY + dt.timedelta(days=7)}).where(Session.id == world.session)
    await Enrolment.update({Enrolment.start_date: TODAY - dt.timedelta(days=35)}).where(Enrolment.id == world.enrolment)
    await mark(await add_session(world, TODAY - dt.timedelta(weeks=2), dt.time(9, 30), dt.time(12, 30)),
               world.beneficiary, "present")
    missed = await add_session(world, TODAY - dt.timedelta(weeks=1), dt.time(9, 30), dt.time(12, 30))
    context = await browser.new_context(**PHONE)
    phone = await context.new_page()
    await sign_in(phone, server, world.coordinator["email"])
    await phone.goto(f"{server}/today")
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 360
    chase = phone.locator("#not-recorded").get_by_role("link")
    await expect(chase).to_have_count(1)
    await chase.tap()
    await expect(phone.locator("#not-recorded")).to_contain_text("1 session still has someone without a mark.")
    roll_link = phone.locator(f'#not-recorded a[href="/roll/{missed}"]')
    assert (await roll_link.bounding_box())["height"] >= 48
    # the wide table scrolls in its own box: the page itself stays within the phone
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 360
    await roll_link.tap()
    await expect(phone).to_have_url(f"{server}/roll/{missed}")
    await context.close()
