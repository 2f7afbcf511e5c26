"""A volunteering host records hours on a phone through the secret link, in Dutch; the social worker approves
them; the placement page shows them approved and the person's PIIS evaluation counts them (issue 17)."""

from urllib.parse import urlsplit

import pytest
from playwright.async_api import expect

from planner.invites import actions as invites
from planner.volunteering.tables import HoursEntry
from tests.browser.test_tablet_login import sign_in
from tests.volunteering.test_piis_link import shifts_in_the_piis

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True, "locale": "nl-BE"}


async def test_a_host_records_hours_in_dutch_and_the_social_worker_approves_them(server, world, browser):
    await shifts_in_the_piis(world)  # the placement's shifts are written into Zoé's PIIS (signed 20 November)
    path = urlsplit(await invites.host_hours_link(world.placement, world.rivebelle)).path
    context = await browser.new_context(**PHONE)
    phone = await context.new_page()
    await phone.goto(server + path)
    assert await phone.get_attribute("html", "lang") == "nl"  # the host's phone speaks Dutch
    await expect(phone.locator("h1")).to_have_text("Accès-Sport Rivebelle")
    assert "Quennevilleprivate" not in await phone.content()  # first names only
    await phone.locator("#f-day").fill("2026-11-23")
    await phone.locator("#f-time").fill("2:30")
    await phone.locator("#record button[type=submit]").tap()
    await expect(phone.locator("#record [role=status]")).to_be_visible()
    await expect(phone.locator(".host-entries li").first).to_contain_text("23 nov")  # a Dutch date
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 360  # no page wider than a phone
    entry = await HoursEntry.select(HoursEntry.id, HoursEntry.state).where(HoursEntry.minutes == 150).first()
    assert entry["state"] == "pending"
    await context.close()

    worker = await browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    page = await worker.new_page()
    await sign_in(page, server, world.social_worker["email"])
    await page.goto(f"{server}/volunteering/{world.placement}")
    item = page.locator(f"#entry-{entry['id']}")
    await expect(item.locator(".entry-state")).to_have_text("waiting for approval")
    await item.get_by_role("button", name="Approve").tap()
    await expect(page.locator(f"#entry-{entry['id']} .entry-state")).to_have_text("approved")
    assert (await HoursEntry.select(HoursEntry.state).where(HoursEntry.id == entry["id"]).first())["state"] == "approved"
    await page.goto(f"{server}/piis/evaluations/{world.evaluation}")  # the PIIS evidence shows them
    evidence = page.locator("#evidence")
    await expect(evidence).to_contain_text("Accès-Sport Rivebelle")
    await expect(evidence.locator("tr", has_text="Volunteering hours approved").locator("td")).to_have_text("2.5")
    await worker.close()
