"""Report: the inspection pack (REP-04) of one module of an Antwerp-size CPAS's year, as the job runs it.

    .venv/bin/python bench/report_pack.py
    PLANNER_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/report_pack.py

A year of 500 modules, 20,000 participants (40 a module), about 400,000 marks and 20,000 expenses is seeded
with bulk inserts. The measured module is larger than the average: 48 weekly sessions of 40 people (1,920
marks), 40 invoices with a 150 KB scan each and 3 lines of staff time. The pack is asked for as a coordinator
would (actions.jobs.ask_for_job) and run by the worker (worker.run_due) in this process: claim, reads, every
PDF, the zip and storing it. Prints figures, then one TARGET line per engine (issue 16: at most 10 s).

Measured 30 Nov 2026, SQLite, on 2 cores shared with five other agents' test runs (load average 11 to 16):
- every PDF laid out in one thread: 69.9 s for the 63 PDFs and 40 scans (one 40-row page: 0.55 s at that load;
  one 48-page document costs as much as 48 one-page ones: the layout is the cost, not the document).
- laid out in worker processes (pack/render.py): 55.7 s. TARGET MISS under that load.
Measured 30 Nov 2026 on the same 2 cores idle (load average 0.1): SQLite 4.51-4.60 s, PostgreSQL 5.71 s:
TARGET MET on both engines.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from servers import engines, prepare, temp_folder  # noqa: E402

TMP = temp_folder("report-pack")
ENGINES = engines(TMP)
os.environ.update({"PLANNER_SECRET": "bench-secret", "PLANNER_DATABASE_URL": ENGINES["sqlite"]})

MODULES, PEOPLE_PER_MODULE, SESSIONS, BIG_SESSIONS, EXPENSES, BIG_INVOICES = 500, 40, 20, 48, 20_000, 40
YEAR, TARGET_SECONDS, BATCH = 2025, 10.0, 2_000


async def _batched(table, rows: list) -> list[int]:
    from planner.db import write_transaction

    ids = []
    # PostgreSQL takes at most 32,767 parameters a statement: a wide table gets smaller batches.
    batch = min(BATCH, 30_000 // len(table._meta.columns))
    for start in range(0, len(rows), batch):
        async with write_transaction():
            ids += [r["id"] for r in await table.insert(*rows[start:start + batch]).returning(table.id)]
    return ids


async def seed() -> tuple[int, int, int]:
    """(CPAS id, coordinator id, the measured module's id)."""
    from planner.attendance.tables import Mark
    from planner.auth.tables import Membership, User
    from planner.enrolment.tables import Enrolment
    from planner.modules.tables import Module, Session
    from planner.orgs.tables import Organisation
    from planner.people.rules import derived_columns
    from planner.people.tables import Beneficiary
    from planner.spending.tables import Expense, InvoiceScan, StaffAllocation

    rng = random.Random(16)
    now = dt.datetime.now(dt.timezone.utc)
    org = (await Organisation.insert(Organisation(kind="cpas", name_fr="CPAS d'Anvers", name_nl="OCMW Antwerpen",
                                                  region="flanders", street="Lange Gasthuisstraat 39",
                                                  postcode="2000", city="Antwerpen")).returning(Organisation.id))[0]["id"]
    user = (await User.insert(User(email="c@anvers.example", full_name="Coordinator", language="nl",
                                   password_hash="x")).returning(User.id))[0]["id"]
    await Membership.insert(Membership(user=user, organisation=org, role="coordinator"))
    modules = await _batched(Module, [Module(
        organisation=org, title=f"Module {n}", code=f"M{n}", module_type="language", strand="B",
        aim="social_activation", composition="mixed", capacity=40, minimum_size=6, languages="nl")
        for n in range(MODULES)])
    big = modules[0]
    people = await _batched(Beneficiary, [Beneficiary(
        organisation=org, first_name=f"Voornaam{n}", last_name=f"Familienaam{n}", gender="X",
        birth_date=dt.date(1980, 1, 1), language="nl", status="ri", email="", file_reference=f"A-{n}",
        **derived_columns(f"Voornaam{n}", f"Familienaam{n}", f"A-{n}")) for n in range(MODULES * PEOPLE_PER_MODULE)])
    enrolments, sessions = [], []
    for i, module in enumerate(modules):
        for person in people[i * PEOPLE_PER_MODULE:(i + 1) * PEOPLE_PER_MODULE]:
            enrolments.append(Enrolment(module=module, beneficiary=person, organisation=org, status="enrolled",
                                        start_date=dt.date(YEAR, 1, 1), proposed_at=now))
        count = BIG_SESSIONS if module == big else SESSIONS
        first = dt.date(YEAR, 1, 6) + dt.timedelta(days=i % 7)
        for week in range(count):
            sessions.append(Session(module=module, day=first + dt.timedelta(weeks=week), starts_at=dt.time(9, 30),
                                    ends_at=dt.time(12, 30)))
    await _batched(Enrolment, enrolments)
    session_ids = await _batched(Session, sessions)
    marks, k = [], 0
    for i, module in enumerate(modules):
        count = BIG_SESSIONS if module == big else SESSIONS
        for session in session_ids[k:k + count]:
            for person in people[i * PEOPLE_PER_MODULE:(i + 1) * PEOPLE_PER_MODULE]:
                status = rng.choices(("present", "late", "excused", "unexcused"), weights=(80, 8, 7, 5))[0]
                marks.append(Mark(session=session, beneficiary=person, status=status, reason="",
                                  arrived_at=dt.time(10, 0) if status == "late" else None, device_time=now,
                                  received_at=now))
        k += count
    await _batched(Mark, marks)
    expenses = await _batched(Expense, [Expense(
        organisation=org, day=dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365)),
        supplier=f"Leverancier {rng.randrange(400)}", category="operating",
        amount_excl_vat_cents=rng.randrange(1_000, 49_000), vat_cents=0, status="paid",
        module=big if n < BIG_INVOICES else rng.choice(modules), activity="", invoice_reference=f"F-{n}", warnings="",
        created_by=user, created_at=now, updated_by=user, updated_at=now) for n in range(EXPENSES)])
    scan = b"%PDF-1.4\n" + os.urandom(150 * 1024) + b"\n%%EOF\n"
    await _batched(InvoiceScan, [InvoiceScan(
        expense=e, file_name="scan.pdf", media_type="application/pdf", size=len(scan), sha256="0" * 64, content=scan,
        uploaded_by=user, uploaded_at=now) for e in expenses[:BIG_INVOICES]])
    await _batched(StaffAllocation, [StaffAllocation(
        organisation=org, staff_name=f"Begeleider {n}", full_time_annual_cents=5_200_000, fte_bp=8_000,
        time_share_bp=3_500, starts_on=dt.date(YEAR, 1, 1), ends_on=dt.date(YEAR, 12, 31),
        tasks=json.dumps({"facilitation": 10_000}), module=big if n < 3 else rng.choice(modules),
        source="fonds-pas", year=YEAR, strand="B", created_at=now) for n in range(60)])
    return org, user, big


async def pack_seconds(org: int, user: int, module: int) -> tuple[float, int, int]:
    """(seconds from the claim to the stored zip, its size in bytes, documents in it)."""
    from planner.report.actions import jobs
    from planner.report.tables import ReportJob
    from planner.report.worker import run_due

    job_id = await jobs.ask_for_job(org, user, "inspection_pack", {"year": YEAR, "module": module})
    started = time.perf_counter()
    assert await run_due() == 1
    seconds = time.perf_counter() - started
    row = await ReportJob.select(ReportJob.state, ReportJob.total, ReportJob.result).where(ReportJob.id == job_id).first()
    assert row["state"] == "done", row["state"]
    return seconds, len(row["result"]), row["total"]


def main() -> None:
    lines = []
    for engine, url in ENGINES.items():
        prepare(engine, url, {"PLANNER_DATABASE_URL": url, "PLANNER_SECRET": "bench-secret"})
        started = time.perf_counter()
        org, user, module = asyncio.run(seed())
        print(f"{engine}: {MODULES} modules, {MODULES * PEOPLE_PER_MODULE} participants, marks and {EXPENSES} "
              f"expenses seeded in {time.perf_counter() - started:.1f} s")
        asyncio.run(pack_seconds(org, user, module))  # a first run loads WeasyPrint and its fonts
        seconds, size, documents = asyncio.run(pack_seconds(org, user, module))
        print(f"{engine}: inspection pack of one module ({BIG_SESSIONS} sessions of {PEOPLE_PER_MODULE} people, "
              f"{BIG_INVOICES} scans): {seconds:.2f} s, {documents} documents, {size / 1024 / 1024:.1f} MB")
        lines.append(f"TARGET {'MET' if seconds <= TARGET_SECONDS else 'MISS'} {engine}: inspection pack of one "
                     f"module {seconds:.2f} s (target <= {TARGET_SECONDS:.0f} s)")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
