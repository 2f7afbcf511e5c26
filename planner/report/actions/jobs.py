"""Writes of the export jobs: asked for, claimed by a worker (like the outbox, invites/actions/outbox.py),
their progress, their end; and the access log.

The claim: one write transaction takes the oldest queued job, or a running one whose lease ended (its
process died), FOR UPDATE SKIP LOCKED on PostgreSQL so two processes never take the same row; on SQLite,
BEGIN IMMEDIATE holds the whole database. Each claim adds one to `attempts`, and every later write of the
worker names that attempt: a worker whose lease ended and whose job was taken again writes nothing more.
"""

from __future__ import annotations

import datetime as dt
import json

from planner.db import on_postgres, write_transaction
from planner.report.tables import ReportAccessLog, ReportJob

LEASE = dt.timedelta(minutes=2)  # renewed by every progress report; a pack writes one every few documents
MAX_ATTEMPTS = 3  # a job that made its process die three times is failed, not taken a fourth time


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def log_access(organisation_id: int, user_id: int | None, action: str, job_id: int | None) -> None:
    """One line of the report access log: `action` export | download."""
    await ReportAccessLog.insert(ReportAccessLog(organisation=organisation_id, user=user_id, action=action,
                                                 job=job_id, at=utcnow()))


async def ask_for_job(organisation_id: int, user_id: int, kind: str, parameters: dict) -> int:
    """Queue a job and log the export; returns its id."""
    async with write_transaction():
        job_id = (await ReportJob.insert(ReportJob(
            organisation=organisation_id, kind=kind, requested_by=user_id, parameters=json.dumps(parameters),
            state="queued", done=0, total=0, error="", attempts=0, created_at=utcnow())).returning(ReportJob.id)
        )[0]["id"]
        await log_access(organisation_id, user_id, "export", job_id)
    return job_id


def _due(now: dt.datetime):
    return (ReportJob.state == "queued") | ((ReportJob.state == "running") & (ReportJob.claimed_until < now))


async def claim_next(now: dt.datetime | None = None, lease: dt.timedelta = LEASE) -> dict | None:
    """Take the oldest due job for this worker until now + lease: {id, kind, organisation, parameters (dict),
    attempts (this claim's)}; None when there is none. A job whose lease ended MAX_ATTEMPTS times is
    failed ("stopped") instead."""
    now = now or utcnow()
    async with write_transaction():
        while True:
            query = ReportJob.select(ReportJob.id, ReportJob.kind, ReportJob.organisation, ReportJob.parameters,
                                     ReportJob.attempts).where(_due(now)).order_by(ReportJob.id).limit(1)
            if on_postgres():
                query = query.lock_rows(skip_locked=True)
            rows = await query
            if not rows:
                return None
            job = rows[0]
            if job["attempts"] >= MAX_ATTEMPTS:
                await ReportJob.update({ReportJob.state: "failed", ReportJob.error: "stopped",
                                        ReportJob.finished_at: now, ReportJob.claimed_until: None}).where(
                    ReportJob.id == job["id"])
                continue
            job["attempts"] += 1
            await ReportJob.update({ReportJob.state: "running", ReportJob.attempts: job["attempts"],
                                    ReportJob.started_at: now, ReportJob.claimed_until: now + lease,
                                    ReportJob.done: 0}).where(ReportJob.id == job["id"])
            job["parameters"] = json.loads(job["parameters"])
            return job


def _held(job: dict):
    return (ReportJob.id == job["id"]) & (ReportJob.attempts == job["attempts"]) & (ReportJob.state == "running")


async def report_progress(job: dict, done: int, total: int, lease: dt.timedelta = LEASE) -> bool:
    """Progress of a claimed job, its lease renewed; False when this worker no longer holds it."""
    rows = await ReportJob.update({ReportJob.done: done, ReportJob.total: total,
                                   ReportJob.claimed_until: utcnow() + lease}).where(_held(job)).returning(
        ReportJob.id)
    return bool(rows)


async def finish(job: dict, content: bytes, name: str, media_type: str, total: int) -> bool:
    """The job's file is ready; False when this worker no longer held it (nothing written)."""
    rows = await ReportJob.update({ReportJob.state: "done", ReportJob.result: content, ReportJob.result_name: name,
                                   ReportJob.result_type: media_type, ReportJob.finished_at: utcnow(),
                                   ReportJob.claimed_until: None, ReportJob.done: total,
                                   ReportJob.total: total}).where(
        _held(job)).returning(ReportJob.id)
    return bool(rows)


async def fail(job: dict, error: str) -> None:
    """The job stopped on an error: `error` a code of jobs.ERRORS (the page words it)."""
    await ReportJob.update({ReportJob.state: "failed", ReportJob.error: error[:32], ReportJob.finished_at: utcnow(),
                            ReportJob.claimed_until: None}).where(_held(job))
