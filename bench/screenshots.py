"""Screenshots of the screens issue 18 names, on the demo CPAS, for the closing note and for looking at.

    .venv/bin/python bench/screenshots.py            # Chromium at /usr/bin/chromium, the app on SQLite

Loads the demo as `make run` does (planner migrate, planner load-demo) into a fresh SQLite file, serves it under
`planner serve` (bench/servers.py), signs in as the demo coordinator and facilitator in Chromium (the flags of
tests/browser/conftest.py) and writes PNGs to bench/screenshots/:
  desk.png (coordinator, 1280x800), roll-portrait.png (facilitator, 10" tablet 800x1280), roll-landscape.png
  (1280x800), planning.png (coordinator, 1440x900), cant-come.png (participant's phone, 360x740); and, for the
  module colours, today.png (facilitator, 1280x800) and module.png (the roll's module page, coordinator).
The roll is the facilitator's session with the most people on or before today (a later one is refused), three
of them marked first; the
"can't come" page is an enrolled participant's link, issued here as a mail would carry it.
Pages are in French, the demo CPAS's language. Full-page shots are capped at 2.5 screens so each PNG stays small.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from servers import free_port, prepare, start  # noqa: E402
from planner.i18n import today as brussels_today  # noqa: E402  the sessions' calendar day, not UTC's

TMP = Path(tempfile.mkdtemp(prefix="planner-bench-screenshots-"))
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
OUT = ROOT / "bench" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # as tests/browser/conftest.py
DEMO_PASSWORD = "rivebelle-demo"  # fixtures/demo.py
COORDINATOR, FACILITATOR = "coordinator@rivebelle.example", "facilitator@rivebelle.example"
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
WIDE = {"viewport": {"width": 1440, "height": 900}}
TABLET_PORTRAIT = {"viewport": {"width": 800, "height": 1280}, "has_touch": True, "is_mobile": True}
TABLET_LANDSCAPE = {"viewport": {"width": 1280, "height": 800}, "has_touch": True, "is_mobile": True}
PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}


async def pick() -> tuple[int, int, str]:
    """(the roll's session id, its module, the path of a "can't come" page) in the demo just loaded."""
    from planner.auth.tables import User
    from planner.enrolment.tables import Enrolment
    from planner.invites.actions import cant_come_url
    from planner.modules.tables import ModuleFacilitator, Session

    today = brussels_today()
    facilitator = (await User.select(User.id).where(User.email == FACILITATOR).first())["id"]
    modules = [r["module"] for r in await ModuleFacilitator.select(ModuleFacilitator.module)
               .where(ModuleFacilitator.user == facilitator)]
    enrolled = await Enrolment.select(Enrolment.id, Enrolment.module, Enrolment.organisation).where(
        Enrolment.status == "enrolled")
    size: dict[int, int] = {}
    for e in enrolled:
        size[e["module"]] = size.get(e["module"], 0) + 1
    biggest = sorted(modules, key=lambda m: -size.get(m, 0))[0]
    session = await Session.select(Session.id).where(
        (Session.module == biggest) & (Session.day <= today) & (Session.status == "planned")
    ).order_by(Session.day, ascending=False).first()
    # The demo has recorded its past rolls (fixtures/demo_rolls.py): this one is shown as it is being taken.
    from planner.attendance.tables import Mark

    await Mark.delete().where(Mark.session == session["id"])
    await Session.update({Session.roll_closed_at: None}).where(Session.id == session["id"])
    future = {r["module"] for r in await Session.select(Session.module).where(Session.day > today)}
    participant = next(e for e in enrolled if e["module"] in future)
    url = await cant_come_url(participant["id"], participant["organisation"])
    return session["id"], biggest, "/cant-come/" + url.rsplit("/cant-come/", 1)[1]


async def mark_some(page) -> None:
    """A roll in progress: the first person present, the second late, the third absent, the rest not marked."""
    rows = page.locator("li.person")
    await rows.nth(0).locator("button.tap").click()
    await rows.nth(1).locator("button.st[value=late]").click()
    await rows.nth(2).locator("button.st[value=unexcused]").click()
    await page.locator("#pending").wait_for(state="hidden", timeout=30000)
    await page.wait_for_load_state("networkidle")


async def shoot(base: str, session: int, module: int, cant_come: str) -> list[Path]:
    from playwright.async_api import async_playwright

    written: list[Path] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        async def snap(who: str | None, context_args: dict, path: str, name: str, before=None) -> None:
            # a tablet in Belgium: its clock gives a late arrival's time
            context = await browser.new_context(**context_args, locale="fr-BE", timezone_id="Europe/Brussels")
            page = await context.new_page()
            if who:
                await page.goto(f"{base}/login")
                await page.fill("input[name=email]", who)
                await page.fill("input[name=password]", DEMO_PASSWORD)
                await page.locator("form button[type=submit]").last.click()
                await page.wait_for_url(lambda url: "/login" not in url)
            await page.goto(base + path)
            await page.wait_for_load_state("networkidle")
            if before:
                await before(page)
            view = context_args["viewport"]
            height = min(await page.evaluate("document.documentElement.scrollHeight"), int(view["height"] * 2.5))
            target = OUT / name
            await page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": view["width"], "height": height},
                                  full_page=True)
            written.append(target)
            await context.close()

        await snap(COORDINATOR, DESKTOP, "/", "desk.png")
        await snap(FACILITATOR, TABLET_PORTRAIT, f"/roll/{session}", "roll-portrait.png", before=mark_some)
        await snap(FACILITATOR, TABLET_LANDSCAPE, f"/roll/{session}", "roll-landscape.png")
        await snap(COORDINATOR, WIDE, "/planning", "planning.png")
        await snap(FACILITATOR, DESKTOP, "/today", "today.png")
        await snap(COORDINATOR, DESKTOP, f"/modules/{module}", "module.png")
        await snap(None, PHONE, cant_come, "cant-come.png")
        await browser.close()
    return written


def main() -> None:
    url = f"sqlite:///{TMP / 'demo.sqlite'}"
    env = {"PLANNER_DATABASE_URL": url, "PLANNER_SECRET": "bench", "PLANNER_DEFAULT_LANGUAGE": "fr",
           "PLANNER_MAIL_WORKER": "0", "PLANNER_JOB_WORKER": "0"}
    prepare("sqlite", url, env)
    subprocess.run([sys.executable, "-m", "planner", "load-demo"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    session, module, cant_come = asyncio.run(pick())
    port = free_port()
    server = start([sys.executable, "-m", "planner", "serve", "--port", str(port)], env, port)
    OUT.mkdir(exist_ok=True)
    try:
        written = asyncio.run(shoot(f"http://127.0.0.1:{port}", session, module, cant_come))
    finally:
        server.terminate()
        server.wait()
    for path in written:
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
