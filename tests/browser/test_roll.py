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


async def test_someone_added_for_a_trial_appears_on_the_roll_as_present(server, world, tablet):
    trial = await make_beneficiary(world.rivebelle, "Tara", "Trial")
    await Enrolment.insert(Enrolment(module=world.module, beneficiary=trial, organisation=world.rivebelle,
                                     status="proposed", proposed_at=dt.datetime.now(dt.timezone.utc)))
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.goto(f"{server}/roll/{world.session}")
    await tablet.get_by_text("Add someone who comes for a trial session").tap()
    await tablet.get_by_role("button", name="Add as present").tap()
    row = tablet.locator(f"#person-{trial}")
    await expect(row).to_have_class("person present")  # sent, stored, and the roll fetched again with its row
    await expect(tablet.locator("#pending")).to_be_hidden()
    mark = await Mark.select().where(Mark.beneficiary == trial).first()
    assert mark["walk_in"] and mark["status"] == "present"


async def test_the_roll_works_with_javascript_switched_off(server, world, browser):
    from tests.browser.conftest import TABLET

    context = await browser.new_context(**TABLET, java_script_enabled=False)
    page = await context.new_page()
    await sign_in(page, server, world.facilitator["email"])
    await page.goto(f"{server}/roll/{world.session}")
    await page.locator("button.tap").first.tap()
    await expect(page.get_by_text("Zoé Quennevilleprivate: present, saved.")).to_be_visible()
    row = page.locator(f"#person-{world.beneficiary}")
    await expect(row.locator(".state")).to_have_text("present")

    await row.locator("summary").tap()
    await row.get_by_label("Mark").select_option("excused")
    await row.get_by_role("button", name="Save").tap()
    await expect(row.get_by_text("Choose why the absence is excused.")).to_be_visible()  # panel open on it
    await expect(row.locator(".state")).to_have_text("present")

    await page.get_by_label("Participants who are not CPAS service users").fill("4")
    await page.get_by_role("button", name="Close the session").tap()
    await expect(page.get_by_text("The roll is closed.")).to_be_visible()
    assert page.url.endswith("/today")
    assert (await Mark.select(Mark.status).first())["status"] == "present"
    await context.close()
