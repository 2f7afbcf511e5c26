"""Reads of the export jobs (issue 16)."""

from __future__ import annotations

from planner.report.tables import ReportJob


async def job_result(job_id: int) -> bytes | None:
    """The finished job's file, or None."""
    row = await ReportJob.select(ReportJob.result).where(ReportJob.id == job_id).first()
    return bytes(row["result"]) if row and row["result"] is not None else None
