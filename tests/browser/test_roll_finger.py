"""Issue 18: the roll reacts when the finger lifts, not when Chromium's click comes, and every way of pressing a
button (finger, mouse, keyboard) counts once; the bulk actions and their undo work without JavaScript."""

import asyncio

import pytest
from playwright.async_api import expect

from planner.attendance.tables import Mark, MarkEvent
from tests.browser.test_roll import enrol_many, eventually
from tests.browser.test_tablet_login import sign_in

pytestmark = pytest.mark.browser

# The row's class at the moment each click reaches the document: with the tap handled on the finger lifting,
# the row already shows the new status when the click comes (the click is then eaten).
WATCH_CLICKS = """(id) => {
  window.__rowAtClick = [];
  document.addEventListener("click", () => window.__rowAtClick.push(document.getElementById(id).className), true);
}"""


async def events() -> int:
    return await MarkEvent.count()


async def test_a_tap_changes_the_row_before_the_click_and_counts_once_as_do_mouse_and_keyboard(server, world, tablet):
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.goto(f"{server}/roll/{world.session}")
    row = tablet.locator(f"#person-{world.beneficiary}")
    await tablet.evaluate(WATCH_CLICKS, f"person-{world.beneficiary}")

    await row.get_by_role("button", name="Late").tap()  # a finger
    await expect(row.locator(".saved")).to_be_visible()
    await eventually(lambda: _events_are(1))
    assert await tablet.evaluate("window.__rowAtClick") == ["person late waiting"]
    assert (await Mark.select(Mark.status).first())["status"] == "late"

    await row.get_by_role("button", name="Absent").click()  # a mouse: its click, once
    await expect(row.locator(".state")).to_have_text("unexcused absence")
    await expect(row.locator(".saved")).to_be_visible()
    await eventually(lambda: _events_are(2))

    await row.locator("button.tap").focus()  # the keyboard: Enter on the row's big button, once
    await tablet.keyboard.press("Enter")
    await expect(row.locator(".state")).to_have_text("present")
    await expect(row.locator(".saved")).to_be_visible()
    await eventually(lambda: _events_are(3))
    await asyncio.sleep(0.5)  # a second, late copy of any of these would have arrived by now
    assert await events() == 3
    assert (await Mark.select(Mark.status).first())["status"] == "present"


async def _events_are(count: int) -> bool:
    return await events() == count


async def test_a_finger_that_slides_off_is_no_tap(server, world, tablet):
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.goto(f"{server}/roll/{world.session}")
    row = tablet.locator(f"#person-{world.beneficiary}")
    box = await row.locator("button.tap").bounding_box()
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    cdp = await tablet.context.new_cdp_session(tablet)
    for kind, dx in (("touchStart", 0), ("touchMove", 15), ("touchMove", 40), ("touchEnd", 40)):
        points = [] if kind == "touchEnd" else [{"x": x + dx, "y": y}]
        await cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
    await asyncio.sleep(0.3)
    await expect(row).to_have_class("person unmarked")
    await row.locator("button.tap").tap()  # a real tap afterwards counts, once
    await expect(row.locator(".saved")).to_be_visible()
    await eventually(lambda: _events_are(1))
    assert await events() == 1


async def test_the_bulk_actions_and_their_undo_work_without_javascript(server, world, browser):
    from tests.browser.conftest import TABLET

    await enrol_many(world, 3)
    context = await browser.new_context(**TABLET, java_script_enabled=False)
    page = await context.new_page()
    await sign_in(page, server, world.facilitator["email"])
    await page.goto(f"{server}/roll/{world.session}")
    await page.locator("ul.roll > li").first.locator("button.tap").tap()
    await page.get_by_role("button", name="Mark the rest absent").tap()
    done = page.locator("#bulk-undo")
    await expect(done).to_contain_text("3 people marked absent.")
    await expect(page.locator("ul.roll > li.unexcused")).to_have_count(3)
    assert await Mark.count().where(Mark.status == "unexcused") == 3

    await done.get_by_role("button", name="Undo").tap()
    await expect(page.get_by_text("3 marks undone.")).to_be_visible()
    await expect(page.locator("ul.roll > li.unmarked")).to_have_count(3)
    await expect(done).to_have_count(0)  # shown once, with the page that followed the bulk action
    assert await Mark.count().where(Mark.status == "unexcused") == 0
    assert await Mark.count().where(Mark.status == "present") == 1  # the tap before it stays

    await page.get_by_role("button", name="Everyone present").tap()
    await expect(done).to_contain_text("3 people marked present.")
    await expect(page.locator("ul.roll > li.present")).to_have_count(4)
    await page.reload()
    await expect(done).to_have_count(0)
    await page.get_by_role("button", name="Everyone present").tap()
    await expect(page.get_by_text("Everyone already has a mark.")).to_be_visible()
    await expect(done).to_have_count(0)  # nothing to undo
    assert await Mark.count().where(Mark.status == "present") == 4
    await context.close()


async def test_an_undo_shown_by_the_server_goes_through_the_tablets_queue(server, world, tablet):
    # A bulk action sent as a plain form (tapped before roll.js ran): the page after it offers the undo as a
    # form; with the script running, that undo is queued like the notice's own.
    await enrol_many(world, 2)
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.goto(f"{server}/roll/{world.session}")
    token = await tablet.locator('meta[name="csrf-token"]').get_attribute("content")
    answer = await tablet.request.post(f"{server}/roll/{world.session}/everyone-present",
                                       form={"_csrf_token": token}, max_redirects=0)
    assert answer.status == 303
    await tablet.goto(f"{server}/roll/{world.session}")
    done = tablet.locator("#bulk-undo")
    await expect(done).to_contain_text("3 people marked present.")
    await done.get_by_role("button", name="Undo").tap()
    await expect(tablet.locator("#bulk-done")).to_contain_text("Undone.")
    await expect(tablet.locator("ul.roll > li.unmarked")).to_have_count(3)  # the roll fetched again once sent
    await expect(tablet.locator("#pending")).to_be_hidden()
    assert await Mark.count().where(Mark.status == "present") == 0


async def test_late_tapped_outside_the_sessions_hours_is_kept_with_the_taps_time(server, world, tablet):
    # The "Late" button's time is the moment of the tap, not a typed time: a facilitator marking a late arrival
    # after the session (or a tap that waited offline) must not be refused as "outside the session's hours".
    import datetime as dt

    from planner.i18n import wall_clock_now
    from planner.modules.tables import Session

    hours = (dt.time(0, 0), dt.time(0, 30)) if wall_clock_now().hour >= 4 else (dt.time(22, 0), dt.time(23, 0))
    await Session.update({Session.starts_at: hours[0], Session.ends_at: hours[1]}).where(Session.id == world.session)
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.goto(f"{server}/roll/{world.session}")
    row = tablet.locator(f"#person-{world.beneficiary}")
    await row.get_by_role("button", name="Late").tap()
    await expect(row.locator(".saved")).to_be_visible()
    await eventually(lambda: _events_are(1))
    mark = await Mark.select(Mark.status, Mark.arrived_at).first()
    assert mark["status"] == "late" and mark["arrived_at"] is not None
