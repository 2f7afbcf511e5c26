"""PIIS load: a CPAS with 5,000 signed PIIS and two years of attendance marks, one social worker following 300
of them; the due list (hers, and the whole CPAS's) and the evaluation screen through HTTP.

    .venv/bin/python bench/piis.py            # SQLite in a temporary folder
    PLANNER_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/piis.py

Prints the figures (median and p95), then one TARGET line per target. Response times are compared with a bare
Litestar route answering the same number of bytes, measured in the same run. The rows are written with the
database driver in bulk (a million marks through the app would take an hour); the app then reads them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from servers import bare_app, one_engine, prepare, serving_in_thread, sign_in  # noqa: E402
from planner.i18n import today as brussels_today  # noqa: E402  the sessions' calendar day, not UTC's

_FOLDER, ENGINE, URL = one_engine("piis")

import httpx  # noqa: E402
import logging  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)

PIIS, MINE, WORKERS, MODULES, REQUESTS = 5000, 300, 17, 50, 40
TODAY = brussels_today()
FIRST_DAY = TODAY - dt.timedelta(days=730)  # two years of sessions and marks
PASSWORD = "bench-password"


def add_months(day: dt.date, months: int) -> dt.date:
    from planner.piis.rules import add_months as add

    return add(day, months)


def rows_to_write() -> dict[str, tuple[list[str], list[tuple]]]:
    """table → (columns, rows), parents first; ids given explicitly (1..n) so children can name them."""
    from planner.auth.passwords import hash_password

    rng = random.Random(15)
    now = dt.datetime.now(dt.timezone.utc)
    tables: dict[str, tuple[list[str], list[tuple]]] = {}
    tables["organisation"] = (["id", "kind", "name_fr", "region"], [(1, "cpas", "CPAS de Banc", "wallonia")])
    password = hash_password(PASSWORD)
    tables["account"] = (["id", "email", "full_name", "language", "password_hash"],
                         [(n, f"worker{n}@cpas.example", f"Worker {n}", "fr", password) for n in range(1, WORKERS + 1)])
    tables["membership"] = (["id", "user", "organisation", "role"],
                            [(n, n, 1, "social_worker") for n in range(1, WORKERS + 1)])
    tables["beneficiary"] = (["id", "organisation", "first_name", "last_name", "gender", "birth_date", "language",
                              "status", "file_reference"],
                             [(n, 1, f"Person{n}", f"Bench{n}", "F", dt.date(1980, 1, 1), "fr", "ri", f"BNC-{n}")
                              for n in range(1, PIIS + 1)])
    tables["module"] = (["id", "organisation", "code", "title", "module_type", "strand", "aim", "composition",
                         "capacity", "minimum_size", "languages"],
                        [(n, 1, f"M{n}", f"Module {n}", "activation_group", "B", "social_activation", "mixed", 120, 6,
                          "fr") for n in range(1, MODULES + 1)])
    days = [FIRST_DAY + dt.timedelta(days=d) for d in range((TODAY - FIRST_DAY).days)
            if (FIRST_DAY + dt.timedelta(days=d)).weekday() in (0, 3)]
    sessions, by_module = [], {}
    for m in range(1, MODULES + 1):
        for day in days:
            sessions.append((len(sessions) + 1, m, day, dt.time(9, 30), dt.time(12, 30)))
            by_module.setdefault(m, []).append(len(sessions))
    tables["module_session"] = (["id", "module", "day", "starts_at", "ends_at"], sessions)
    tables["enrolment"] = (["id", "module", "beneficiary", "organisation", "status", "start_date", "proposed_at"],
                           [(n, n % MODULES + 1, n, 1, "enrolled", FIRST_DAY, now) for n in range(1, PIIS + 1)])
    statuses = ["present"] * 80 + ["late"] * 6 + ["excused"] * 7 + ["unexcused"] * 5 + [""] * 2
    marks = []
    for n in range(1, PIIS + 1):
        for session in by_module[n % MODULES + 1]:
            status = rng.choice(statuses)
            if status:
                marks.append((len(marks) + 1, session, n, status, "illness" if status == "excused" else "", now, now))
    tables["mark"] = (["id", "session", "beneficiary", "status", "reason", "device_time", "received_at"], marks)
    files, piis, objectives, commitments, evaluations = [], [], [], [], []
    for n in range(1, PIIS + 1):
        worker = 1 if n <= MINE else 2 + n % (WORKERS - 1)
        signed = TODAY - dt.timedelta(days=rng.randint(20, 340))
        ends = add_months(signed, 12) - dt.timedelta(days=1)
        files.append((n, 1, n, worker, signed - dt.timedelta(days=30), now))
        piis.append((n, 1, n, worker, "signed", 11, "social_activation", signed, ends, signed - dt.timedelta(days=6),
                     signed, now, now))
        objectives.append((n, n, 1, "Take part in the group"))
        commitments.append((n, n, n, n))
        for number in (1, 2, 3):
            planned = add_months(signed, 4 * number) if number < 3 else ends
            held = planned if planned < TODAY - dt.timedelta(days=rng.randint(0, 10)) else None
            evaluations.append((len(evaluations) + 1, n, number, planned, "interview" if number < 3 else "other",
                                held, "{}"))
    tables["piis_file"] = (["id", "organisation", "beneficiary", "social_worker", "ri_granted_on", "updated_at"], files)
    tables["piis"] = (["id", "organisation", "beneficiary", "social_worker", "status", "type_code", "orientation",
                       "starts_on", "ends_on", "proposed_on", "signed_on", "created_at", "updated_at"], piis)
    tables["piis_objective"] = (["id", "piis", "position", "title"], objectives)
    tables["piis_commitment"] = (["id", "piis", "objective", "enrolment"], commitments)
    tables["evaluation"] = (["id", "piis", "number", "planned_on", "kind", "held_on", "objectives"], evaluations)
    return tables


async def write_postgres(tables) -> None:
    import asyncpg

    connection = await asyncpg.connect(URL)
    try:
        for name, (columns, rows) in tables.items():
            await connection.copy_records_to_table(name, records=rows, columns=columns)
            await connection.execute(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), {len(rows)})")
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def write_sqlite(tables) -> None:
    import sqlite3

    connection = sqlite3.connect(URL.removeprefix("sqlite:///"))
    with connection:
        for name, (columns, rows) in tables.items():
            quoted = ", ".join(f'"{c}"' for c in columns)
            connection.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({", ".join("?" * len(columns))})',
                                   [tuple(v.isoformat() if isinstance(v, (dt.date, dt.time)) else v for v in row)
                                    for row in rows])
    connection.execute("ANALYZE")
    connection.close()


def timed_gets(client: httpx.Client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm-up
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.95) - 1] * 1000, len(response.content)


def main() -> None:
    prepare(ENGINE, URL, {"PLANNER_DATABASE_URL": URL})
    started = time.perf_counter()
    tables = rows_to_write()
    if URL.startswith("postgres"):
        asyncio.run(write_postgres(tables))
    else:
        write_sqlite(tables)
    print(f"engine: {ENGINE}")
    print(f"{PIIS} PIIS ({MINE} followed by the bench's social worker), {len(tables['module_session'][1])} sessions, "
          f"{len(tables['mark'][1])} marks over two years, {len(tables['evaluation'][1])} evaluations: "
          f"written in {time.perf_counter() - started:.1f} s")
    mine = next(e[0] for e in tables["evaluation"][1] if e[1] <= MINE and e[5] is None)

    from planner.app import create_app
    from planner.settings import Settings

    figures = {}
    with serving_in_thread(create_app(Settings.from_env())) as base, \
            httpx.Client(base_url=base, follow_redirects=False, timeout=60) as client:
        sign_in(client, "worker1@cpas.example", PASSWORD)
        figures["due-list"] = timed_gets(client, "/piis/due")
        figures["due-list of the whole CPAS"] = timed_gets(client, "/piis/due?who=all")
        figures["evaluation screen"] = timed_gets(client, f"/piis/evaluations/{mine}")
    with serving_in_thread(bare_app(figures["due-list"][2])) as base, httpx.Client(base_url=base, timeout=30) as client:
        bare_ms, bare_p95, _size = timed_gets(client, "/")
    print(f"bare Litestar route: median {bare_ms:.1f} ms, p95 {bare_p95:.1f} ms")
    for name, (median, p95, size) in figures.items():
        print(f"{name}: median {median:.1f} ms, p95 {p95:.1f} ms, {size / 1024:.0f} KB "
              f"(ratio to the bare route {median / bare_ms:.1f}x)")
    for name, key in (("due-list", "due-list"), ("evaluation-screen", "evaluation screen")):
        median = figures[key][0]
        print(f"TARGET {name} median ≤ 100 ms: {median:.0f} ms {'OK' if median <= 100 else 'MISS'}")


if __name__ == "__main__":
    main()
