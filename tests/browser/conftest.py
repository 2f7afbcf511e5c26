"""A real app under uvicorn on a free 127.0.0.1 port, and Debian's Chromium driven by playwright."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from tests.conftest import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TABLET = {"viewport": {"width": 800, "height": 1280}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}


@pytest.fixture(scope="session")
def server():
    from planner.app import create_app
    from tests.conftest import app_settings

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(app_settings()), host="127.0.0.1", port=port,
                                        log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("the app server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(5)


@pytest.fixture
async def browser():
    # The async API: the sync one keeps an event loop running that the database fixtures trip on.
    if not Path(CHROMIUM).exists():
        if os.environ.get("PLANNER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing (install Debian's chromium)")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@pytest.fixture
async def tablet(browser):
    context = await browser.new_context(**TABLET)
    page = await context.new_page()
    yield page
    await context.close()


# The accessibility audit (issue 18): axe-core from npm (a pinned dev dependency, installed by make), WCAG 2.x A/AA.
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


async def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.x A/AA violations on the page as it is now: one "rule id: help — target" line per
    element at fault, [] when there is none. The app's CSP refuses an injected <script>, so the file's text is
    evaluated through the DevTools protocol instead (tests only; the app's CSP is left as it is)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run make (npm ci installs axe-core)")
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        await page.evaluate(AXE.read_text(encoding="utf-8"))
    found = await page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.flatMap(v => v.nodes.map(n => `${v.id}: ${v.help} — ${n.target.join(" ")}`));
        }""", WCAG_TAGS)
    return found


async def assert_accessible(page, what: str = "") -> None:
    """Fails with axe-core's list of violations (rule id, help, target) if the page has any."""
    found = await axe_violations(page)
    assert found == [], f"accessibility violations on {what or page.url}:\n" + "\n".join(found)
