"""No page is wider than a 360 px phone (issue 18): every page a participant opens from a link, and a sample of
staff pages, loaded at 360 px, has no horizontal scroll (wide tables scroll inside their own box)."""

import pytest
from playwright.async_api import expect

from planner.orgs.tables import Organisation, Site
from tests.browser.conftest import assert_accessible
from tests.browser.test_accessibility import PHONE, participant_paths
from tests.browser.test_tablet_login import sign_in
from tests.invites.test_invites import plan

pytestmark = pytest.mark.browser
STAFF_SAMPLE = ["/", "/people", "/people/{person}", "/modules", "/modules/{module}", "/planning",
                "/modules/{module}/attendance", "/people/{person}/schedule-card", "/spending/expenses",
                "/volunteering", "/rooms", "/account"]


async def page_width(page) -> int:
    return await page.evaluate("() => document.documentElement.scrollWidth")


async def test_the_cant_come_page_fits_a_360_px_phone_with_its_map_and_phone_links(server, world, browser):
    await plan(world)
    await Organisation.update({Organisation.phone: "02 123 45 67"}).where(Organisation.id == world.rivebelle)
    await Site.update({Site.street: "Boulevard du Souverain-Pontife-Maximilien 1234", Site.postcode: "1000",
                       Site.city: "Bruxelles"}).where(Site.organisation == world.rivebelle)
    context = await browser.new_context(**PHONE)
    phone = await context.new_page()
    [cant_come, *_others] = await participant_paths(world)
    await phone.goto(server + cant_come)
    await expect(phone.get_by_role("link", name="02 123 45 67")).to_have_attribute("href", "tel:+3221234567")
    await expect(phone.locator("ul.cant-come > li")).to_have_count(3)
    assert await page_width(phone) <= 360
    await assert_accessible(phone, "the can't-come page")
    await phone.get_by_role("link", name="Voir 3 jours de plus").or_(
        phone.get_by_role("link", name="Show 3 more days")).click()
    await expect(phone.locator("ul.cant-come > li")).to_have_count(6)
    assert await page_width(phone) <= 360
    await context.close()


async def test_every_participant_page_and_a_sample_of_staff_pages_fit_a_360_px_phone(server, world, browser):
    await plan(world)
    context = await browser.new_context(**PHONE)
    page = await context.new_page()
    wide = {}
    for path in await participant_paths(world):
        await page.goto(server + path)
        if (width := await page_width(page)) > 360:
            wide[path] = width
    await sign_in(page, server, world.coordinator["email"])
    for path in STAFF_SAMPLE:
        url = path.format(person=world.beneficiary, module=world.module)
        answer = await page.goto(server + url)
        assert answer.status == 200, url
        if (width := await page_width(page)) > 360:
            wide[url] = width
    await context.close()
    assert wide == {}, f"pages wider than 360 px: {wide}"
