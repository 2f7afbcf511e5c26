"""The roll keeps working without network: taps wait, survive a reload, and arrive exactly once."""

import asyncio
import datetime as dt

import pytest
from playwright.async_api import expect

from planner import i18n
from planner.attendance.tables import Mark, MarkEvent
from planner.enrolment.tables import Enrolment
from tests.browser.test_tablet_login import sign_in
from tests.conftest import make_beneficiary, write_lock_held_elsewhere

pytestmark = pytest.mark.browser


async def enrol_many(world, count: int) -> None:
    for n in range(count):
        person = await make_beneficiary(world.rivebelle, f"Person{n}", f"Member{n:02d}")
        await Enrolment.insert(Enrolment(module=world.module, beneficiary=person, organisation=world.rivebelle,
                                         status="enrolled", start_date=dt.date(2026, 12, 1),
                                         proposed_at=dt.datetime.now(dt.timezone.utc)))


async def test_taps_made_offline_wait_survive_a_reload_and_arrive_once(server, world, tablet):
    await enrol_many(world, 21)  # 22 people with Zoé
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.goto(f"{server}/roll/{world.session}")
    await tablet.evaluate("navigator.serviceWorker.ready.then(() => true)")
    await tablet.wait_for_function("caches.match(location.pathname).then(Boolean)")
    rows = tablet.locator("ul.roll > li")
    for n in range(12):
        await rows.nth(n).locator("button.tap").tap()
        await expect(rows.nth(n).locator(".saved")).to_be_visible()

    await tablet.context.set_offline(True)
    for n in range(12, 22):
        await rows.nth(n).locator("button.tap").tap()
        await expect(rows.nth(n)).to_have_class("person present waiting")
    pending = tablet.locator("#pending")
    await expect(pending).to_have_text("Not sent yet: 10 people")

    await tablet.reload()
    await expect(pending).to_have_text("Not sent yet: 10 people")
    await expect(tablet.locator("ul.roll > li.waiting")).to_have_count(10)
    # Chromium's offline emulation at times lets the first request of the reloaded page (it passes
    # through the service worker) reach the server and drops only its answer: that tap stays waiting
    # and its replay below is harmless. All others wait.
    assert await Mark.count() <= 13

    await tablet.context.set_offline(False)
    await expect(pending).to_be_hidden(timeout=15000)
    assert await Mark.count().where(Mark.status == "present") == 22
    assert await MarkEvent.count() == 22  # every tap exactly once


async def test_rows_stay_under_the_finger_while_taps_wait_and_are_saved(server, world, browser):
    # A row that moves between the finger going down and coming up turns a tap into a tap on its neighbour.
    from tests.browser.conftest import TABLET

    await enrol_many(world, 5)
    for viewport in (TABLET["viewport"], {"width": 360, "height": 740}):
        context = await browser.new_context(**{**TABLET, "viewport": viewport})
        page = await context.new_page()
        await sign_in(page, server, world.facilitator["email"])
        await page.goto(f"{server}/roll/{world.session}")
        rows = page.locator("ul.roll > li")
        last = rows.nth(5)
        before = await last.bounding_box()

        await context.set_offline(True)
        await rows.nth(0).locator("button.tap").tap()
        await expect(page.locator("#pending")).to_be_visible()
        assert await last.bounding_box() == before  # the waiting banner pushes nothing down
        await context.set_offline(False)
        await page.evaluate("window.dispatchEvent(new Event('online'))")
        await expect(rows.nth(0).locator(".saved")).to_be_visible()
        await expect(page.locator("#pending")).to_be_hidden()
        assert await last.bounding_box() == before  # nor does its going, nor the saved mark
        await context.close()


async def test_two_tablets_mark_the_same_session_at_the_same_time(server, world, browser):
    from tests.browser.conftest import TABLET

    await enrol_many(world, 9)
    pages = []
    for _ in range(2):
        context = await browser.new_context(**TABLET)
        pages.append(await context.new_page())
    for page in pages:
        await sign_in(page, server, world.facilitator["email"])
        await page.goto(f"{server}/roll/{world.session}")

    answers = []  # every answer to a tap, to say what happened if one goes missing
    for page in pages:
        page.on("response", lambda r: answers.append((r.status, r.request.post_data)) if "/taps" in r.url else None)
        # every tap the page itself took in (its submit event), for the same purpose
        await page.evaluate("window.submits = []; document.getElementById('roll').addEventListener('submit',"
                            " function (e) { window.submits.push(e.target.querySelector('[name=person]').value); }, true)")

    async def tap_all(page, order):
        rows = page.locator("ul.roll > li")
        for n in order:
            await rows.nth(n).locator("button.tap").tap()
        await expect(page.locator("#pending")).to_be_hidden(timeout=15000)

    await asyncio.gather(tap_all(pages[0], range(10)), tap_all(pages[1], reversed(range(10))))
    # a tap is counted and sent once its row has changed on screen (issue 18): the last one may still be on
    # its way when the banner was last seen hidden; give the server a moment to store all twenty
    for _ in range(150):
        if await MarkEvent.count() >= 20:
            break
        await asyncio.sleep(0.1)
    assert await Mark.count() == 10  # one mark a person, never two
    events = await MarkEvent.select(MarkEvent.beneficiary, MarkEvent.client_id)
    # both tablets' taps are in the history; if not, say which answered taps have no row
    stored = {e["client_id"] for e in events}
    missing = [(status, body.split("client_id=")[1][:36]) for status, body in answers
               if body.split("client_id=")[1][:36] not in stored]
    taken = [await page.evaluate("window.submits") for page in pages]
    assert len(events) == 20, f"{len(answers)} answers; answered but not stored: {missing}; taps taken in: {taken}"
    for page in pages:
        await page.context.close()


def wait_until_closed(port: int) -> None:
    import socket
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            time.sleep(0.1)
        except OSError:
            return


async def test_the_app_server_restarts_in_the_middle_of_a_roll(world, tablet):
    import threading
    import time

    import uvicorn

    from planner.app import create_app
    from tests.browser.conftest import free_port
    from tests.conftest import app_settings

    port = free_port()

    def start() -> uvicorn.Server:
        server = uvicorn.Server(uvicorn.Config(create_app(app_settings()), host="127.0.0.1", port=port,
                                               log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return server

    await enrol_many(world, 5)
    base = f"http://127.0.0.1:{port}"
    server = await asyncio.to_thread(start)
    await sign_in(tablet, base, world.facilitator["email"])
    await tablet.goto(f"{base}/roll/{world.session}")
    rows = tablet.locator("ul.roll > li")
    for n in range(3):
        await rows.nth(n).locator("button.tap").tap()
        await expect(rows.nth(n).locator(".saved")).to_be_visible()
    server.should_exit = True
    await asyncio.to_thread(wait_until_closed, port)
    for n in range(3, 6):
        await rows.nth(n).locator("button.tap").tap()
    await expect(tablet.locator("#pending")).to_have_text("Not sent yet: 3 people")
    server = await asyncio.to_thread(start)
    await expect(tablet.locator("#pending")).to_be_hidden(timeout=15000)
    server.should_exit = True
    assert await Mark.count().where(Mark.status == "present") == 6
    assert await MarkEvent.count() == 6


# ---- issue 12 §6: a tap shown as waiting is never lost; the roll never leaves the app -------------------

async def open_roll_for_offline(page, server: str, world) -> str:
    url = f"{server}/roll/{world.session}"
    await sign_in(page, server, world.facilitator["email"])
    await page.goto(url)
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    await page.wait_for_function("caches.match(location.pathname).then(Boolean)")
    return url


async def test_taps_queued_before_the_browser_restarts_offline_are_stored_once(server, world, tmp_path):
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, TABLET

    await enrol_many(world, 3)  # 4 people with Zoé
    refusals = []
    async with async_playwright() as p:
        async def launch(offline: bool):
            context = await p.chromium.launch_persistent_context(
                str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, offline=offline, **TABLET)
            page = context.pages[0] if context.pages else await context.new_page()
            page.on("response", lambda r: refusals.append(r.status) if "/taps" in r.url and r.status == 403 else None)
            return context, page

        context, page = await launch(offline=False)
        url = await open_roll_for_offline(page, server, world)
        rows = page.locator("ul.roll > li")
        await rows.nth(0).locator("button.tap").tap()
        await expect(rows.nth(0).locator(".saved")).to_be_visible()
        await context.set_offline(True)
        for n in range(1, 4):
            await rows.nth(n).locator("button.tap").tap()
        await expect(page.locator("#pending")).to_have_text("Not sent yet: 3 people")
        await context.close()  # the tablet's browser is closed, the network still down

        context, page = await launch(offline=True)
        await page.goto(url)  # from the offline copy, its CSRF token's cookie gone with the browser
        await expect(page.locator("#pending")).to_have_text("Not sent yet: 3 people")
        # The restart dropped the CSRF cookie (a session cookie). Chromium's offline emulation at times lets
        # the reloaded page's first request through, which brings a new one: drop it as the restart did.
        await context.clear_cookies(name="csrftoken")
        assert "session" in {c["name"] for c in await context.cookies()}  # the sign-in itself survives
        await context.set_offline(False)
        await expect(page.locator("#pending")).to_be_hidden(timeout=20000)
        await context.close()
    assert refusals, "the stale token was never refused: the test did not take the path it is about"
    assert await Mark.count().where(Mark.status == "present") == 4
    assert await MarkEvent.count() == 4


async def test_taps_wait_through_an_expired_session_until_the_facilitator_signs_in_again(server, world, tablet):
    from planner.auth.tables import WebSession
    from tests.conftest import PASSWORD

    await enrol_many(world, 2)
    await open_roll_for_offline(tablet, server, world)
    rows = tablet.locator("ul.roll > li")
    await tablet.context.set_offline(True)
    for n in range(2):
        await rows.nth(n).locator("button.tap").tap()
    await expect(tablet.locator("#pending")).to_have_text("Not sent yet: 2 people")
    await WebSession.delete(force=True)  # the session expires while the tablet is offline
    await tablet.context.set_offline(False)

    signin = tablet.locator("#signin")
    await expect(signin).to_be_visible(timeout=15000)
    await expect(tablet.locator("#pending")).to_have_text("Not sent yet: 2 people")
    assert await Mark.count() == 0
    async with tablet.context.expect_page() as opened:
        await signin.get_by_role("link", name="Sign in again (new tab)").tap()
    login = await opened.value
    await login.get_by_label("E-mail address").fill(world.facilitator["email"])
    await login.get_by_label("Password").fill(PASSWORD)
    await login.get_by_role("button", name="Sign in").tap()
    await expect(login.get_by_role("navigation").get_by_role("button", name="Sign out")).to_be_visible()
    await tablet.bring_to_front()
    await expect(tablet.locator("#pending")).to_be_hidden(timeout=15000)
    await expect(signin).to_be_hidden()
    assert await Mark.count().where(Mark.status == "present") == 2
    assert await MarkEvent.count() == 2


async def test_everyone_present_and_close_offline_stay_in_the_app_and_apply_once(server, world, tablet):
    from planner.attendance.tables import RollAction
    from planner.modules.tables import Session

    await enrol_many(world, 3)
    url = await open_roll_for_offline(tablet, server, world)
    rows = tablet.locator("ul.roll > li")
    await rows.nth(0).locator("button.tap").tap()
    await expect(rows.nth(0).locator(".saved")).to_be_visible()
    lost, online = [], []

    async def lose_first_answer(route):
        # A routed request skips the offline emulation: offline, it fails as the network would. Back
        # online, the first one reaches the server but its answer is lost: sent again, applied once.
        if not online:
            await route.abort("internetdisconnected")
            return
        response = await route.fetch()
        if not lost:
            lost.append(response.status)
            await route.abort()
        else:
            await route.fulfill(response=response)

    await tablet.route("**/everyone-present", lose_first_answer)
    await tablet.context.set_offline(True)
    await tablet.get_by_role("button", name="Everyone present").tap()
    await expect(tablet.locator("ul.roll > li.waiting")).to_have_count(3)
    await tablet.get_by_label("Participants who are not CPAS service users").fill("2")
    await tablet.get_by_role("button", name="Close the session").tap()
    await expect(tablet.locator("#pending")).to_have_text("Not sent yet: 3 people")
    assert tablet.url == url  # still the roll, not the browser's "no internet" page

    online.append(True)
    await tablet.context.set_offline(False)
    await expect(tablet.get_by_text("roll closed")).to_be_visible(timeout=20000)
    await expect(tablet.locator("#pending")).to_be_hidden()
    assert lost, "the first answer was never lost: the replay was not tested"
    assert await Mark.count().where(Mark.status == "present") == 4
    assert await MarkEvent.count() == 4
    assert await RollAction.count() == 2
    session = await Session.select(Session.roll_closed_at, Session.guests).where(Session.id == world.session).first()
    assert session["roll_closed_at"] is not None and session["guests"] == 2


async def test_a_roll_closed_offline_looks_closed_so_no_later_tap_waits_only_to_be_refused(server, world, tablet):
    # The server refuses a facilitator's tap on a closed roll. Offline, once "Close the session" waits in the
    # queue, the roll must already look closed: a tap shown as waiting there would be dropped on the replay.
    await enrol_many(world, 2)
    await open_roll_for_offline(tablet, server, world)
    rows = tablet.locator("ul.roll > li")
    await tablet.context.set_offline(True)
    await rows.nth(0).locator("button.tap").tap()
    await tablet.get_by_role("button", name="Close the session").tap()
    await expect(tablet.locator("#pending")).to_have_text("Not sent yet: 1 person")
    await expect(rows.nth(1).locator("button.tap")).to_be_disabled()
    await expect(rows.nth(1).locator("details")).to_be_hidden()
    await expect(tablet.get_by_role("button", name="Everyone present")).to_be_hidden()
    await tablet.reload()  # from the offline copy: still closed while the close waits
    await expect(tablet.locator("#pending")).to_have_text("Not sent yet: 1 person")
    await expect(rows.nth(1).locator("button.tap")).to_be_disabled()

    await tablet.context.set_offline(False)
    await expect(tablet.get_by_text("roll closed")).to_be_visible(timeout=20000)
    await expect(tablet.locator("#pending")).to_be_hidden()
    assert await Mark.count() == 1 and await MarkEvent.count() == 1


async def test_taps_waiting_for_one_roll_are_sent_from_the_next_roll_opened(server, world, tablet):
    # The network comes back while the facilitator is already on the next session's roll: the morning's
    # taps must not wait on the tablet until someone opens the morning's roll again.
    from planner.modules.tables import Session

    afternoon = (await Session.insert(Session(module=world.module, day=dt.date(2026, 12, 7), starts_at=dt.time(14),
                                              ends_at=dt.time(16), room=world.room)).returning(Session.id))[0]["id"]
    await enrol_many(world, 2)
    await open_roll_for_offline(tablet, server, world)
    rows = tablet.locator("ul.roll > li")

    async def no_network(route):
        await route.abort("internetdisconnected")

    await tablet.route("**/taps", no_network)  # the taps find no network; pages still load
    for n in range(3):
        await rows.nth(n).locator("button.tap").tap()
    await expect(tablet.locator("#pending")).to_have_text("Not sent yet: 3 people")
    await tablet.goto(f"{server}/roll/{afternoon}")
    assert await Mark.count() == 0
    await tablet.unroute("**/taps", no_network)  # the network is back, the morning's roll is not open
    for _ in range(100):
        if await Mark.count().where(Mark.session == world.session) == 3:
            break
        await asyncio.sleep(0.2)
    assert await Mark.count().where(Mark.session == world.session) == 3
    assert await Mark.count().where(Mark.session == afternoon) == 0
    await expect(rows.first).to_have_class("person unmarked")  # the afternoon's roll shows none of them
    assert await tablet.evaluate("JSON.parse(localStorage.getItem('planner.taps.v1') || '[]').length") == 0


async def test_other_without_a_time_shows_the_message_at_the_field_and_keeps_the_mark(server, world, tablet):
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.goto(f"{server}/roll/{world.session}")
    row = tablet.locator("ul.roll > li").first
    await row.locator("button.tap").tap()
    await expect(row.locator(".saved")).to_be_visible()
    await row.locator("summary").tap()
    await row.get_by_label("Mark").select_option("late")
    await row.get_by_role("button", name="Save").tap()
    message = row.get_by_text("Give the time of arrival.")
    await expect(message).to_be_visible()  # the panel is open on it
    await expect(row.get_by_label("Arrived at (late)")).to_have_attribute("aria-invalid", "true")
    await expect(row.locator(".state")).to_have_text("present")
    await expect(tablet.locator("#pending")).to_be_hidden()
    assert (await Mark.select(Mark.status).first())["status"] == "present"


async def test_another_process_holding_the_database_never_freezes_the_app(server, world, tablet, engine):
    import time

    import httpx
    from piccolo.engine.postgres import PostgresEngine

    if isinstance(engine, PostgresEngine):
        pytest.skip("SQLite's whole-database write lock; PostgreSQL locks rows")
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.goto(f"{server}/roll/{world.session}")
    with write_lock_held_elsewhere(engine, busy_wait=3.0):
        async with tablet.expect_response(lambda r: "/taps" in r.url, timeout=15000) as answer:
            await tablet.locator("ul.roll > li").first.locator("button.tap").tap()
            await asyncio.sleep(0.3)  # the tap now waits for the lock
            cookies = {c["name"]: c["value"] for c in await tablet.context.cookies()}
            async with httpx.AsyncClient(base_url=server, cookies=cookies) as http:
                for path in ("/healthz", f"/roll/{world.session}", "/today"):  # the tablet's own pages
                    started = time.monotonic()
                    assert (await http.get(path)).status_code == 200
                    assert time.monotonic() - started < 1.0, f"{path} waited for the database"
        assert (await answer.value).status == 503
        await expect(tablet.locator("#pending")).to_have_text("Not sent yet: 1 person")
        assert await Mark.count() == 0
    await expect(tablet.locator("#pending")).to_be_hidden(timeout=15000)
    assert await Mark.count().where(Mark.status == "present") == 1 and await MarkEvent.count() == 1


async def test_bulk_actions_their_undo_and_notes_wait_offline_and_arrive_once(server, world, tablet):
    # issue 18: "everyone present", its undo and a note, all made without network, counted as people waiting
    from planner.attendance.tables import MarkRemark

    await enrol_many(world, 2)
    await open_roll_for_offline(tablet, server, world)
    rows = tablet.locator("ul.roll > li")
    await tablet.context.set_offline(True)
    await rows.nth(0).get_by_role("button", name="Absent").tap()
    await expect(rows.nth(0)).to_have_class("person unexcused waiting")
    await tablet.get_by_role("button", name="Everyone present").tap()
    notice = tablet.locator("#bulk-done")
    await expect(notice).to_contain_text("2 people marked present.")
    await expect(tablet.locator("ul.roll > li.present.waiting")).to_have_count(2)
    await expect(tablet.locator("#pending")).to_have_text("Not sent yet: 3 people")
    await notice.get_by_role("button", name="Undo").tap()
    await expect(tablet.locator("ul.roll > li.unmarked.waiting")).to_have_count(2)

    await rows.nth(1).locator("summary").tap()
    await rows.nth(1).get_by_label("Note (printed on the attendance sheet)").fill("Came with her daughter.")
    await rows.nth(1).get_by_role("button", name="Record the note").tap()
    await expect(tablet.locator("#pending")).to_have_text("Not sent yet: 3 people")  # still the same three
    assert await Mark.count() == 0 and await MarkRemark.count() == 0

    await tablet.context.set_offline(False)
    await expect(tablet.locator("#pending")).to_be_hidden(timeout=15000)
    await expect(tablet.locator("ul.roll .remark-text")).to_have_text("Came with her daughter.")
    statuses = sorted(m["status"] for m in await Mark.select(Mark.status))
    assert statuses == ["", "", "unexcused"]  # the undo cleared what "everyone present" had set
    assert await MarkEvent.count() == 5  # one tap, two marked present, two cleared: each once
    assert [r["remark"] for r in await MarkRemark.select(MarkRemark.remark)] == ["Came with her daughter."]


async def test_today_keeps_the_days_rolls_for_offline_use_and_says_so(server, world, tablet):
    # issue 18: the facilitator opens Today with network in the morning; the roll then opens without it
    from planner.modules.tables import Session

    today = (await Session.insert(Session(module=world.module, day=i18n.today(), starts_at=dt.time(13, 30),
                                          ends_at=dt.time(16, 0))).returning(Session.id))[0]["id"]
    await sign_in(tablet, server, world.facilitator["email"])
    await tablet.goto(f"{server}/today")
    await tablet.evaluate("navigator.serviceWorker.ready.then(() => true)")
    await tablet.reload()  # through the service worker now, which keeps Today itself for offline moments too
    state = tablet.locator("#today-rolls .offline-state")
    await expect(state).to_have_text("Kept on this tablet: opens without network.")
    await tablet.context.set_offline(True)
    await tablet.goto(f"{server}/roll/{today}")
    await expect(tablet.locator("#roll")).to_have_attribute("data-session", str(today))
    await expect(tablet.locator("#roll h1")).to_contain_text("Switch activation group")

    # a roll the tablet lost (storage cleared): Today, itself from the offline copy, says it cannot open it.
    # Cleared from Today, not from the roll: an open roll keeps its own copy fresh when the tablet is idle.
    await tablet.goto(f"{server}/today")
    await tablet.evaluate(f"caches.open('planner-pages-v1').then(c => c.delete('/roll/{today}'))")
    await tablet.reload()
    await expect(state).to_have_text("Not kept on this tablet: open it once with network.")
    await tablet.context.set_offline(False)
