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


# ---- issue 18: the roll facilitators prefer to paper ----------------------------------------------------

async def eventually(check, seconds: float = 10) -> None:
    """The server gets a tap a moment after the row shows it: wait for the database to say so."""
    import asyncio

    for _ in range(int(seconds / 0.1)):
        if await check():
            return
        await asyncio.sleep(0.1)
    assert await check()


async def enrol_many(world, count: int) -> list[int]:
    people = []
    for n in range(count):
        person = await make_beneficiary(world.rivebelle, f"Person{n}", f"Member{n:02d}")
        await Enrolment.insert(Enrolment(module=world.module, beneficiary=person, organisation=world.rivebelle,
                                         status="enrolled", start_date=dt.date(2026, 12, 1),
                                         proposed_at=dt.datetime.now(dt.timezone.utc)))
        people.append(person)
    return people


async def test_the_rest_absent_says_how_many_and_undo_takes_it_back(server, world, tablet):
    await enrol_many(world, 3)
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.goto(f"{server}/roll/{world.session}")
    rows = tablet.locator("ul.roll > li")
    await rows.nth(0).locator("button.tap").tap()
    await expect(rows.nth(0).locator(".saved")).to_be_visible()
    await tablet.get_by_role("button", name="Mark the rest absent").tap()
    notice = tablet.locator("#bulk-done")
    await expect(notice).to_contain_text("3 people marked absent.")
    await expect(tablet.locator("ul.roll > li.unexcused")).to_have_count(3)
    await expect(tablet.locator("#pending")).to_be_hidden()
    await eventually(lambda: _absent(3))  # sent once the rows have changed on screen

    await notice.get_by_role("button", name="Undo").tap()
    await expect(notice).to_contain_text("Undone.")
    await expect(tablet.locator("ul.roll > li.unmarked")).to_have_count(3)
    await expect(tablet.locator("#pending")).to_be_hidden()
    await expect(tablet.locator("#roll-counts")).to_have_text("1 of 4 here, 3 not marked yet.")
    await eventually(lambda: _none_absent())
    assert await Mark.count().where(Mark.status == "present") == 1  # the tap before it stays


async def _none_absent() -> bool:
    return await _absent(0)


async def _absent(count: int) -> bool:
    return await Mark.count().where(Mark.status == "unexcused") == count


async def test_every_status_is_one_tap_late_takes_the_time_and_excused_asks_why(server, world, tablet):
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.goto(f"{server}/roll/{world.session}")
    row = tablet.locator(f"#person-{world.beneficiary}")
    await row.get_by_role("button", name="Late").tap()
    await expect(row.locator(".saved")).to_be_visible()
    await expect(row.locator(".state")).to_contain_text("late")
    mark = await Mark.select().first()
    assert mark["status"] == "late" and mark["arrived_at"] is not None

    await row.get_by_role("button", name="Excused").tap()
    await expect(row.locator("details")).to_have_attribute("open", "")
    await expect(row.get_by_label("Reason (excused absence)")).to_be_focused()
    await row.get_by_label("Reason (excused absence)").select_option("illness")
    await row.get_by_role("button", name="Save", exact=True).tap()
    await expect(row.locator(".saved")).to_be_visible()
    await expect(row.locator(".state")).to_have_text("excused absence")
    assert (await Mark.select(Mark.status, Mark.reason).first()) == {"status": "excused", "reason": "illness"}


async def test_a_group_of_twelve_fits_a_landscape_tablet_in_two_columns_and_a_phone_in_one(server, world, browser):
    from tests.browser.conftest import TABLET

    await enrol_many(world, 11)
    for viewport, columns in (({"width": 1280, "height": 800}, 2), ({"width": 360, "height": 740}, 1)):
        context = await browser.new_context(**{**TABLET, "viewport": viewport})
        page = await context.new_page()
        await sign_in(page, server, world.facilitator["email"])
        await page.goto(f"{server}/roll/{world.session}")
        boxes = [await page.locator("ul.roll > li").nth(n).bounding_box() for n in range(12)]
        assert len({round(b["x"]) for b in boxes}) == columns
        assert await page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        if columns == 2:  # every row on the first screen, no scrolling
            assert max(b["y"] + b["height"] for b in boxes) <= viewport["height"]
        for button in await page.locator("ul.roll button").all():
            box = await button.bounding_box()
            if box:
                assert box["height"] >= 48 and box["width"] >= 48
        await context.close()


async def test_a_later_sessions_roll_says_its_date_and_takes_no_tap(server, world, tablet):
    from planner.modules.tables import Session

    later = (await Session.insert(Session(module=world.module, day=dt.date.today() + dt.timedelta(days=4000),
                                          starts_at=dt.time(9, 30), ends_at=dt.time(12, 30))).returning(Session.id))[0]["id"]
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.goto(f"{server}/roll/{later}")
    await expect(tablet.locator("#too-early")).to_contain_text("This session is on")
    await expect(tablet.locator("#too-early")).to_contain_text(str((dt.date.today() + dt.timedelta(days=4000)).year))
    await expect(tablet.locator("button.tap").first).to_be_disabled()
    await expect(tablet.get_by_role("button", name="Everyone present")).to_be_disabled()
    assert await Mark.count() == 0


async def test_i18_the_counts_follow_each_tap_with_french_plurals(server, world, tablet):
    """Issue 18: "1 présent sur 2" then "2 présents sur 2", recounted by roll.js with the page's plural rules."""
    person = await make_beneficiary(world.rivebelle, "Omar", "Haddad")
    await Enrolment.insert(Enrolment(module=world.module, beneficiary=person, organisation=world.rivebelle,
                                     status="enrolled", start_date=dt.date(2026, 12, 1),
                                     proposed_at=dt.datetime.now(dt.timezone.utc)))
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.get_by_role("button", name="Français").tap()
    await expect(tablet.locator("html")).to_have_attribute("lang", "fr")
    await tablet.goto(f"{server}/roll/{world.session}")
    counts = tablet.locator("#roll-counts")
    await expect(counts).to_have_text("0 présent sur 2, 2 pas encore marqués.")
    buttons = tablet.locator("button.tap")
    await buttons.nth(0).tap()
    await expect(counts).to_have_text("1 présent sur 2, 1 pas encore marqué.")
    await buttons.nth(1).tap()
    await expect(counts).to_have_text("2 présents sur 2, 0 pas encore marqué.")
