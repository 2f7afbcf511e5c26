"""Export jobs claimed like the outbox (issue 16): one worker per job even when two race, a job whose worker
died taken again after its lease, a worker that lost its job writes nothing, a failure in plain words
(both engines)."""

import asyncio
import datetime as dt

from planner.report.actions import jobs
from planner.report.tables import ReportJob
from planner.report.worker import run_due


async def _job(world, kind: str = "inspection_pack") -> int:
    return await jobs.ask_for_job(world.rivebelle, world.coordinator["id"], kind, {"year": 2026, "module": None})


async def test_two_workers_racing_for_one_job_take_it_once(world):
    job_id = await _job(world)
    first, second = await asyncio.gather(jobs.claim_next(), jobs.claim_next())
    taken = [j for j in (first, second) if j is not None]
    assert len(taken) == 1 and taken[0]["id"] == job_id and taken[0]["attempts"] == 1
    row = await ReportJob.select(ReportJob.state, ReportJob.attempts).where(ReportJob.id == job_id).first()
    assert row == {"state": "running", "attempts": 1}


async def test_two_workers_racing_for_two_jobs_take_one_each(world):
    ids = {await _job(world), await _job(world)}
    first, second = await asyncio.gather(jobs.claim_next(), jobs.claim_next())
    assert {first["id"], second["id"]} == ids


async def test_a_job_whose_worker_died_is_taken_again_after_its_lease_and_the_old_worker_writes_nothing(world):
    job_id = await _job(world)
    now = dt.datetime.now(dt.UTC)
    dead = await jobs.claim_next(now)
    assert await jobs.claim_next(now + dt.timedelta(seconds=30)) is None  # the lease still holds
    again = await jobs.claim_next(now + jobs.LEASE + dt.timedelta(seconds=1))
    assert again["id"] == job_id and again["attempts"] == 2
    assert not await jobs.report_progress(dead, 5, 10)  # the first worker wakes up: fenced off
    assert not await jobs.finish(dead, b"stale", "x.zip", "application/zip", 1)
    assert await jobs.finish(again, b"fresh", "x.zip", "application/zip", 1)
    row = await ReportJob.select(ReportJob.state, ReportJob.result).where(ReportJob.id == job_id).first()
    assert row["state"] == "done" and bytes(row["result"]) == b"fresh"


async def test_a_job_that_killed_its_worker_three_times_is_failed_not_taken_again(world):
    job_id = await _job(world)
    now = dt.datetime.now(dt.UTC)
    for attempt in range(jobs.MAX_ATTEMPTS):
        now += jobs.LEASE + dt.timedelta(seconds=1)
        assert (await jobs.claim_next(now))["attempts"] == attempt + 1
    assert await jobs.claim_next(now + jobs.LEASE + dt.timedelta(seconds=1)) is None
    row = await ReportJob.select(ReportJob.state, ReportJob.error).where(ReportJob.id == job_id).first()
    assert row == {"state": "failed", "error": "stopped"}


async def test_the_worker_runs_every_due_job_and_a_job_of_an_unknown_kind_fails(world):
    good, bad = await _job(world), await _job(world, kind="mystery")
    assert await run_due() == 2
    rows = {r["id"]: r for r in await ReportJob.select(ReportJob.id, ReportJob.state, ReportJob.error,
                                                       ReportJob.done, ReportJob.total)}
    assert rows[good]["state"] == "done" and rows[good]["done"] == rows[good]["total"] > 0
    assert rows[bad]["state"] == "failed" and rows[bad]["error"] == "unknown"
    assert await run_due() == 0
