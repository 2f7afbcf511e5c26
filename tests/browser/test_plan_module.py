"""A coordinator plans a weekly module over Easter and fills it until the waitlist starts."""

import pytest
from playwright.async_api import expect

from planner.enrolment.tables import Enrolment
from tests.browser.test_tablet_login import sign_in
from tests.conftest import make_beneficiary

pytestmark = pytest.mark.browser


async def test_a_coordinator_plans_a_module_over_easter_and_enrols_until_the_waitlist(server, world, tablet):
    for first, last in (("Amina", "Bakari"), ("Jonas", "Peeters")):
        await make_beneficiary(world.rivebelle, first, last)
    await sign_in(tablet, server, world.coordinator["email"])
    await tablet.goto(f"{server}/modules/new")
    await tablet.get_by_label("Title").fill("Conversation café")
    await tablet.get_by_label("Type of module").select_option("language")
    capacity = tablet.get_by_label("Capacity (places)")
    await capacity.fill("0")  # min="1" reaches the browser as an attribute: its own check refuses 0
    assert await capacity.get_attribute("min") == "1" and not await capacity.evaluate("e => e.checkValidity()")
    await capacity.fill("2")
    await tablet.get_by_label("Minimum size").fill("1")
    await tablet.get_by_role("button", name="Save").tap()
    await expect(tablet.get_by_role("heading", level=1)).to_have_text("Conversation café")

    await tablet.locator("#f-wd-0").check()
    await tablet.locator("#f-start").fill("2026-03-30")
    await tablet.locator("#f-end").fill("2026-04-20")
    await tablet.locator("#f-starts_at").fill("09:30")
    await tablet.locator("#f-ends_at").fill("12:00")
    await tablet.get_by_role("button", name="Show the sessions").tap()
    skipped = tablet.locator("ul.skipped")
    await expect(skipped).to_contain_text("Easter Monday")
    await expect(skipped).to_contain_text("Public holiday")
    await tablet.get_by_role("button", name="Save these sessions").tap()
    await expect(tablet.locator("#sessions tbody tr")).to_have_count(3)

    for name in ("Bakari", "Peeters", "Quenneville"):  # found by typing part of the name (issue 18)
        propose = tablet.locator("#roster details", has=tablet.locator("summary", has_text="Propose someone"))
        if await propose.get_attribute("open") is None:
            await propose.locator("summary").tap()
        await tablet.get_by_label("Find the person").fill(name.lower()[:5])
        await expect(tablet.locator("#candidates").get_by_role("radio")).to_have_count(1)  # one match, chosen
        await expect(tablet.locator("#candidates").get_by_role("radio")).to_be_checked()
        await tablet.get_by_role("button", name="Propose", exact=True).tap()
        await tablet.locator(".proposals").get_by_role("button", name="Accept").first.tap()
    await expect(tablet.locator("#roster")).to_contain_text("2 enrolled of 2 places; the module is full.")
    await expect(tablet.locator("ol.waitlist li")).to_have_count(1)
    statuses = sorted(r["status"] for r in await Enrolment.select(Enrolment.status))
    assert statuses == ["enrolled", "enrolled", "enrolled", "waitlisted"]  # Zoé in SWITCH + the new module
