"""A facilitator takes the roll of 12 on a tablet, one tap a person."""

import datetime as dt

import pytest
from playwright.async_api import expect

from planner.attendance.tables import Mark, MarkEvent
from planner.enrolment.tables import Enrolment
from tests.browser.test_tablet_login import sign_in
from tests.conftest import make_beneficiary

pytestmark = pytest.mark.browser


async def test_a_facilitator_taps_a_roll_of_twelve(server, world, tablet):
    for n in range(11):
        person = await make_beneficiary(world.rivebelle, f"Person{n}", f"Member{n:02d}")
        await Enrolment.insert(Enrolment(module=world.module, beneficiary=person, organisation=world.rivebelle,
                                         status="enrolled", start_date=dt.date(2026, 12, 1),
                                         proposed_at=dt.datetime.now(dt.timezone.utc)))
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.goto(f"{server}/roll/{world.session}")
    buttons = tablet.locator("button.tap")
    await expect(buttons).to_have_count(12)
    for n in range(12):
        await buttons.nth(n).tap()
        await expect(tablet.locator("ul.roll > li").nth(n).locator(".saved")).to_be_visible()
    await expect(tablet.locator("#roll-counts")).to_have_text("12 of 12 here, 0 not marked yet.")
    assert await Mark.count().where(Mark.status == "present") == 12
    assert await MarkEvent.count() == 12
