"""The schedule card on paper (issue 18): the coordinator sees the person's double bookings on screen; the
printed card (print media) shows the sessions without the warning, and fits A4 (one page for a term's Mondays)."""

import datetime as dt
import re

import pytest
from playwright.async_api import expect

from planner.modules import actions as modules
from tests.browser.conftest import assert_accessible
from tests.browser.test_tablet_login import sign_in
from tests.invites.test_invites import plan

pytestmark = pytest.mark.browser


async def test_double_bookings_show_on_screen_and_not_on_the_printed_card(server, world, tablet):
    await plan(world)
    await modules.add_session(world.module, dt.date(2026, 12, 7), dt.time(11), dt.time(13), world.room)
    await sign_in(tablet, server, world.coordinator["email"])
    await tablet.goto(f"{server}/people/{world.beneficiary}/schedule-card")
    await expect(tablet.get_by_role("alert")).to_be_visible()
    await expect(tablet.locator("tr.clash")).to_have_count(2)
    await assert_accessible(tablet, "the schedule card")
    await tablet.emulate_media(media="print")
    await expect(tablet.get_by_role("alert")).to_be_hidden()
    await expect(tablet.locator(".clash-mark").first).to_be_hidden()
    await expect(tablet.get_by_role("button", name="Print")).to_be_hidden()
    pdf = await tablet.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 <= pages <= 2, f"the card prints on {pages} A4 pages"
