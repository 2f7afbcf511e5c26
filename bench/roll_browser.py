"""The roll on a cheap tablet: Chromium with its CPU slowed 4x, a landscape 10" viewport, a roll of 15.

    .venv/bin/python bench/roll_browser.py            # Chromium at /usr/bin/chromium, the app on SQLite

The app runs under `planner serve` (bench/servers.py); playwright drives Debian's Chromium with the flags of
tests/browser/conftest.py, and the DevTools protocol slows its CPU (Emulation.setCPUThrottlingRate, 4).
Timings are taken in the page (performance.now(), the touch event's own timeStamp), so playwright's round
trips are not in them:
  - tap-ready: from the start of the roll's navigation to the first tap's row change on screen (LOADS loads);
  - tap -> row: from the finger down to the frame that shows the row's new state;
  - the breakdown of a tap: finger_to_up (playwright's finger on the glass), finger_to_click (Chromium's
    click after the finger lifts), handled_to_change (roll.js, from the event it acts on to the row's change),
    change_to_frame; changed_before_click: the share of taps (%) whose row changed before the click came;
  - tap -> saved: online, to the server's "saved" in the row; offline, to the tap kept in the tablet's queue
    (the row shows it waiting).
Prints medians and maxima, the machine's load, then one TARGET line per target (issue 18).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import os
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from servers import planner_server, prepare, temp_folder  # noqa: E402
from planner.i18n import today as brussels_today  # noqa: E402  the sessions' calendar day, not UTC's

TMP = temp_folder("roll-browser")
PEOPLE, LOADS, THROTTLE = 15, 7, 4
BREAKDOWN: dict[str, list[float]] = {}  # where a tap's time goes: the browser, roll.js, the frame
WORST: list[tuple[float, float, float, float]] = []  # per tap: (tap -> row, finger_to_up, handled_to_change, change_to_frame)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # as tests/browser/conftest.py
TABLET = {"viewport": {"width": 1280, "height": 800}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}

# In the page before anything else: the finger's time, the frame that shows the row's change, and "saved".
PROBE = """
(function () {
  var B = window.__bench = { start: 0, row: 0, saved: 0, id: "", before: "", offline: false };
  function down(e) {
    var li = e.target && e.target.closest && e.target.closest("li.person");
    if (!li || B.start) return;
    B.start = e.timeStamp; B.id = li.id; B.before = li.className;
  }
  document.addEventListener("touchstart", down, { capture: true, passive: true });
  document.addEventListener("pointerdown", down, { capture: true, passive: true });
  document.addEventListener("pointerup", function () { if (B.start && !B.up) B.up = performance.now(); }, true);
  document.addEventListener("click", function () { if (B.start && !B.click) B.click = performance.now(); }, true);
  new MutationObserver(function () {
    if (!B.start) return;
    var li = document.getElementById(B.id);
    if (!li) return;
    if (!B.rowSeen && li.className !== B.before) {
      B.rowSeen = true;
      B.mutation = performance.now();
      requestAnimationFrame(function () { B.row = performance.now(); });
      if (B.offline && li.classList.contains("waiting")) B.saved = performance.now();
    }
    if (!B.saved && !B.offline && li.querySelector(".saved")) B.saved = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
})();
"""


async def seed() -> int:
    from planner.auth.passwords import hash_password
    from planner.auth.tables import Membership, User
    from planner.enrolment.tables import Enrolment
    from planner.modules.tables import Module, ModuleFacilitator, Session
    from planner.orgs.tables import Organisation
    from planner.people.tables import Beneficiary

    async def insert(row) -> int:
        return (await type(row).insert(row).returning(type(row).id))[0]["id"]

    org = await insert(Organisation(kind="cpas", name_fr="CPAS de Banc", region="wallonia"))
    user = await insert(User(email="tablet@cpas.example", full_name="Tablet", language="en",
                             password_hash=hash_password("bench-password")))
    await Membership.insert(Membership(user=user, organisation=org, role="facilitator"))
    module = await insert(Module(organisation=org, title="Bench", module_type="language", strand="B",
                                 aim="social_activation", composition="mixed", capacity=PEOPLE, minimum_size=1,
                                 languages="fr"))
    await ModuleFacilitator.insert(ModuleFacilitator(module=module, user=user))
    session = await insert(Session(module=module, day=brussels_today(), starts_at=dt.time(9), ends_at=dt.time(12)))
    for n in range(PEOPLE):
        person = await insert(Beneficiary(organisation=org, first_name=f"Prénom{n}", last_name=f"Nom de famille {n:02d}",
                                          gender="F", birth_date=dt.date(1990, 1, 1), language="fr", status="ri"))
        await Enrolment.insert(Enrolment(module=module, beneficiary=person, organisation=org, status="enrolled",
                                         start_date=brussels_today() - dt.timedelta(days=7)))
    return session


async def wait_js(page, expression: str, timeout: float = 30) -> None:
    """Poll an expression in the page (wait_for_function evaluates a string, which the CSP refuses)."""
    for _ in range(int(timeout / 0.02)):
        if await page.evaluate(expression):
            return
        await asyncio.sleep(0.02)
    raise TimeoutError(expression)


async def tap_and_time(page, button) -> tuple[float, float]:
    """(tap -> row, tap -> saved) in ms for one tap on `button`."""
    await page.evaluate("Object.assign(window.__bench, {start: 0, row: 0, saved: 0, up: 0, click: 0, rowSeen: false})")
    await button.tap()
    await wait_js(page, "window.__bench.row && window.__bench.saved && window.__bench.click")
    start, up, click, mutation, row, saved = await page.evaluate(
        "[window.__bench.start, window.__bench.up, window.__bench.click, window.__bench.mutation, window.__bench.row,"
        " window.__bench.saved]")
    # roll.js acts on the finger lifting (pointerup) and eats the click that follows; were it to act on the
    # click, the row would change after it. handled: whichever of the two came before the row's change.
    handled = up if up <= mutation < click else click
    BREAKDOWN.setdefault("finger_to_up", []).append(up - start)
    BREAKDOWN.setdefault("finger_to_click", []).append(click - start)
    BREAKDOWN.setdefault("handled_to_change", []).append(mutation - handled)
    BREAKDOWN.setdefault("change_to_frame", []).append(row - mutation)
    BREAKDOWN.setdefault("changed_before_click", []).append(100.0 if mutation < click else 0.0)
    WORST.append((row - start, up - start, mutation - handled, row - mutation))
    return row - start, saved - start


async def measure(base: str, session: int) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    figures: dict[str, list[float]] = {"ready": [], "row_online": [], "saved_online": [], "row_offline": [],
                                       "saved_offline": []}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(**TABLET)
        await context.add_init_script(PROBE)
        page = await context.new_page()
        await page.goto(f"{base}/login")
        await page.fill("input[name=email]", "tablet@cpas.example")
        await page.fill("input[name=password]", "bench-password")
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(lambda url: "/login" not in url)
        url = f"{base}/roll/{session}"
        html = await (await page.request.get(url)).body()
        assets = [html] + [await (await page.request.get(base + path)).body() for path in re.findall(
            r'<(?:script src|link rel="stylesheet" href)="(/static/[^"]+)"', html.decode())]
        figures["weight_kb"] = [sum(len(gzip.compress(a)) for a in assets) / 1024]
        await page.goto(url)  # the service worker installs, the page is cached: as on a tablet in use
        await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        cdp = await context.new_cdp_session(page)
        await cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})

        rows = page.locator("ul.roll > li")
        for n in range(LOADS):  # page load -> first tap handled, one row a load
            await page.goto(url, wait_until="commit")
            await wait_js(page, "performance.getEntriesByName('roll-ready').length > 0")
            await page.evaluate("Object.assign(window.__bench, {start: 0, row: 0, saved: 0, rowSeen: false})")
            await rows.nth(n).locator("button.tap").tap()
            await wait_js(page, "window.__bench.row && window.__bench.saved")
            marks = await page.evaluate("(() => { var n = performance.getEntriesByType('navigation')[0]; return ["
                                        "n.responseEnd, n.domInteractive, n.domContentLoadedEventEnd,"
                                        "performance.getEntriesByName('roll-ready')[0].startTime, window.__bench.start]; })()")
            for key, value in zip(("answer_received", "dom_interactive", "dom_loaded", "script_ready", "finger_down"), marks):
                figures.setdefault(key, []).append(value)
            # playwright's tap waits for the button to hold still and scrolls it into view: the finger comes
            # down later than a person's would. Tap-ready: the script ready to take the tap and the page's
            # start-up done (DOMContentLoaded handled), plus that tap's own time to the row's change on screen.
            start, row = await page.evaluate("[window.__bench.start, window.__bench.row]")
            figures["ready"].append(max(figures["script_ready"][-1], figures["dom_loaded"][-1]) + (row - start))

        await page.goto(url)
        await wait_js(page, "performance.getEntriesByName('roll-ready').length > 0")
        for n in range(PEOPLE):  # online: every row, "Late" (a status button, the time of the tap)
            row, saved = await tap_and_time(page, rows.nth(n).locator("button.st").first)
            figures["row_online"].append(row)
            figures["saved_online"].append(saved)

        await context.set_offline(True)
        await page.evaluate("window.__bench.offline = true")
        for n in range(PEOPLE):  # offline: every row again, "Absent"
            row, saved = await tap_and_time(page, rows.nth(n).locator("button.st").last)
            figures["row_offline"].append(row)
            figures["saved_offline"].append(saved)
        await context.set_offline(False)
        await page.evaluate("window.dispatchEvent(new Event('online'))")
        await page.locator("#pending").wait_for(state="hidden", timeout=60000)
        await browser.close()
    return figures


def main() -> None:
    url = f"sqlite:///{TMP / 'bench.sqlite'}"
    env = {"PLANNER_DATABASE_URL": url, "PLANNER_SECRET": "bench", "PLANNER_DEFAULT_LANGUAGE": "en"}
    prepare("sqlite", url, env)
    session = asyncio.run(seed())
    with planner_server(env) as base:
        load_before = os.getloadavg()[0]
        figures = asyncio.run(measure(base, session))
    print(f"load average (1 min): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores; "
          f"CPU slowed {THROTTLE}x; roll of {PEOPLE}; viewport {TABLET['viewport']}")
    weight = figures.pop("weight_kb")[0]
    print(f"roll page of {PEOPLE} on the wire (HTML + CSS + JS, gzip): {weight:.1f} KB")
    for name, values in {**figures, **BREAKDOWN}.items():
        unit = "%" if name == "changed_before_click" else " ms"
        if unit == "%":
            print(f"{name}: {statistics.mean(values):.0f}% ({len(values)} samples)")
            continue
        print(f"{name}: median {statistics.median(values):.0f}{unit}, max {max(values):.0f}{unit} ({len(values)} samples)")
    worst = max(WORST)  # is the slowest tap the harness's finger, roll.js or the frame?
    print(f"slowest tap: {worst[0]:.0f} ms = finger_to_up {worst[1]:.0f} + handled_to_change {worst[2]:.0f}"
          f" + change_to_frame {worst[3]:.0f} (+ the rest: the event's dispatch to roll.js)")
    ready, row_max = statistics.median(figures["ready"]), max(figures["row_online"] + figures["row_offline"])
    saved = statistics.median(figures["saved_online"])
    print(f"TARGET roll_page_weight {weight:.1f}KB target <=60KB {'ok' if weight <= 60 else 'MISS'}")
    print(f"TARGET roll_tap_ready {ready:.0f}ms target <=500ms {'ok' if ready <= 500 else 'MISS'}")
    print(f"TARGET roll_tap_to_row_max {row_max:.0f}ms target <=50ms {'ok' if row_max <= 50 else 'MISS'}")
    print(f"TARGET roll_tap_to_saved_median {saved:.0f}ms target <=150ms {'ok' if saved <= 150 else 'MISS'}")


if __name__ == "__main__":
    main()
