"""The roll keeps working without network: taps wait, survive a reload, and arrive exactly once."""

import asyncio
import datetime as dt

import pytest
from playwright.async_api import expect

from planner.attendance.tables import Mark, MarkEvent
from planner.enrolment.tables import Enrolment
from tests.browser.test_tablet_login import sign_in
from tests.conftest import make_beneficiary

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
    await expect(pending).to_have_text("Taps waiting to be sent: 10")

    await tablet.reload()
    await expect(pending).to_have_text("Taps waiting to be sent: 10")
    await expect(tablet.locator("ul.roll > li.waiting")).to_have_count(10)
    # Chromium's offline emulation at times lets the first request of the reloaded page (it passes
    # through the service worker) reach the server and drops only its answer: that tap stays waiting
    # and its replay below is harmless. All others wait.
    assert await Mark.count() <= 13

    await tablet.context.set_offline(False)
    await expect(pending).to_be_hidden(timeout=15000)
    assert await Mark.count().where(Mark.status == "present") == 22
    assert await MarkEvent.count() == 22  # every tap exactly once


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
    await expect(tablet.locator("#pending")).to_have_text("Taps waiting to be sent: 3")
    server = await asyncio.to_thread(start)
    await expect(tablet.locator("#pending")).to_be_hidden(timeout=15000)
    server.should_exit = True
    assert await Mark.count().where(Mark.status == "present") == 6
    assert await MarkEvent.count() == 6
