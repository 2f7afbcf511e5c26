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
