"""The export worker: every app process runs `run()` in the background (started in app.py beside the mail
worker) and `python -m planner run-jobs` runs the due jobs once. The claim, the lease and the fencing of a
worker that lost its job are in actions/jobs.py; this file is the loop and the kinds of job.

A job's work is written as `async def work(job, progress) -> (bytes, file name, media type, total)`; it calls
`await progress(done, total)` often (each call renews the lease) and stops when that returns False. The log
names jobs by id only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from planner.report.actions import jobs

log = logging.getLogger("planner.report")

Progress = Callable[[int, int], Awaitable[bool]]


class LostJob(Exception):
    """The lease ended and another worker took the job: stop without writing."""


def _kinds() -> dict:
    from planner.report.pack import build_pack  # WeasyPrint loads only when a pack is made

    return {"inspection_pack": build_pack}


async def run_one(job: dict) -> str:
    """Run a claimed job to its end; returns its final state (done | failed | lost)."""
    async def progress(done: int, total: int) -> None:
        if not await jobs.report_progress(job, done, total):
            raise LostJob()

    work = _kinds().get(job["kind"])
    if work is None:
        await jobs.fail(job, "unknown")
        return "failed"
    try:
        content, name, media_type, total = await work(job, progress)
    except LostJob:
        log.warning("report job %d: taken by another worker, stopped", job["id"])
        return "lost"
    except Exception:
        log.exception("report job %d failed", job["id"])
        await jobs.fail(job, "error")
        return "failed"
    return "done" if await jobs.finish(job, content, name, media_type, total) else "lost"


async def run_due() -> int:
    """Run every due job, one after another; returns how many were run."""
    count = 0
    while (job := await jobs.claim_next()) is not None:
        await run_one(job)
        count += 1
    return count


async def run(stop: asyncio.Event, interval: float = 5.0) -> None:
    """Until `stop` is set: run the due jobs, then wait `interval` seconds. A database error is logged and
    the loop goes on."""
    while not stop.is_set():
        try:
            await run_due()
        except Exception:
            log.exception("report worker: claim failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            pass
