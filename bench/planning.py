"""Planning load: a year of sessions for 300 modules, and the month planning view on top of it.

    .venv/bin/python bench/planning.py            # SQLite in a temporary folder
    PLANNER_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/planning.py

Prints the figures, then one TARGET line per target. Response times are compared with a bare
Litestar route answering the same number of bytes, measured in the same run.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from servers import bare_app, one_engine, prepare, serving_in_thread, sign_in  # noqa: E402
from planner.i18n import today as brussels_today  # noqa: E402  the sessions' calendar day, not UTC's

_FOLDER, ENGINE, URL = one_engine("planning")

import httpx  # noqa: E402
import logging  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)

MODULES, ROOMS, REQUESTS = 300, 40, 30
YEAR = brussels_today().year


async def seed() -> tuple[float, float, int]:
    from planner.auth.passwords import hash_password
    from planner.auth.tables import Membership, User
    from planner.db import write_transaction
    from planner.modules.rules.recurrence import Recurrence, plan_dates
    from planner.modules.actions import insert_sessions
    from planner.modules.tables import Module
    from planner.orgs.tables import Organisation, Room, Site

    org = (await Organisation.insert(Organisation(kind="cpas", name_fr="CPAS de Banc", region="wallonia"))
           .returning(Organisation.id))[0]["id"]
    user = (await User.insert(User(email="bench@cpas.example", full_name="Bench", language="fr",
                                   password_hash=hash_password("bench-password"))).returning(User.id))[0]["id"]
    await Membership.insert(Membership(user=user, organisation=org, role="coordinator"))
    site = (await Site.insert(Site(organisation=org, name="Site")).returning(Site.id))[0]["id"]
    rooms = [(await Room.insert(Room(site=site, organisation=org, name=f"Room {n}", capacity=15))
              .returning(Room.id))[0]["id"] for n in range(ROOMS)]
    module_ids = [(await Module.insert(Module(organisation=org, title=f"Module {n}", code=f"M{n}",
                                              module_type="language", strand="B", aim="social_activation",
                                              composition="mixed", capacity=12, minimum_size=6, languages="fr"))
                   .returning(Module.id))[0]["id"] for n in range(MODULES)]

    started = time.perf_counter()
    plans = []
    for n, module in enumerate(module_ids):
        rule = Recurrence(kind="weekly", start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31),
                          starts_at=dt.time(9 + n % 6), ends_at=dt.time(11 + n % 6), weekdays=(n % 5, (n + 2) % 5))
        days, _skipped = plan_dates(rule, "wallonia", {}, "fr")
        plans.append((module, rule, days, rooms[n % ROOMS]))
    computed = time.perf_counter() - started
    count = 0
    async with write_transaction():
        for module, rule, days, room in plans:
            await insert_sessions([(module, d, rule.starts_at, rule.ends_at, room) for d in days])
            count += len(days)
    return computed, time.perf_counter() - started, count


def timed_gets(client: httpx.Client, url: str) -> tuple[float, int]:
    client.get(url)  # warm-up
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return statistics.median(times) * 1000, len(response.content)


def main() -> None:
    prepare(ENGINE, URL, {"PLANNER_DATABASE_URL": URL})
    computed, generated, count = asyncio.run(seed())
    print(f"engine: {ENGINE}")
    print(f"{MODULES} modules, {count} sessions in {YEAR}: dates computed in {computed:.2f} s, "
          f"computed and saved in {generated:.2f} s")

    from planner.app import create_app
    from planner.settings import Settings

    with serving_in_thread(create_app(Settings.from_env())) as base, \
            httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        sign_in(client, "bench@cpas.example", "bench-password")
        month = f"/planning?view=month&day={YEAR}-03-10"
        month_ms, size = timed_gets(client, month)
        week_ms, week_size = timed_gets(client, f"/planning?view=week&day={YEAR}-03-10")
    with serving_in_thread(bare_app(size)) as base, httpx.Client(base_url=base, timeout=30) as client:
        bare_ms, _ = timed_gets(client, "/")
    print(f"month planning view: median {month_ms:.1f} ms for {size / 1024:.0f} KB "
          f"(bare Litestar route, same size: {bare_ms:.1f} ms; ratio {month_ms / bare_ms:.1f}x)")
    print(f"week planning view: median {week_ms:.1f} ms for {week_size / 1024:.0f} KB")
    print(f"TARGET generate_year_300_modules {generated:.2f}s target <=2s {'ok' if generated <= 2 else 'MISS'}")
    print(f"TARGET month_view_median {month_ms:.0f}ms target <=150ms {'ok' if month_ms <= 150 else 'MISS'}")


if __name__ == "__main__":
    main()
