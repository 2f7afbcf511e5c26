"""The signed volunteering convention's scan, kept in the database like invoices (the newest one counts)."""

from __future__ import annotations

import datetime as dt

from planner.db import write_transaction
from planner.files import upload_name
from planner.i18n import N_
from planner.spending.rules import MAX_SCAN_BYTES, scan_type
from planner.volunteering.tables import ConventionScan


TOO_LARGE = N_("A scan can be at most 10 MB; this file is too large.")


def scan_problem(content: bytes) -> str | None:
    """The untranslated reason a file cannot be the convention's scan: spending's scan rules (PDF, JPEG or PNG
    by their content, at most MAX_SCAN_BYTES), with words about a convention rather than an invoice."""
    if not content:
        return N_("Choose the scanned convention.")
    if len(content) > MAX_SCAN_BYTES:
        return TOO_LARGE
    if scan_type(content[:8]) is None:
        return N_("The scan must be a PDF, JPEG or PNG file.")
    return None


async def attach_convention(placement_id: int, file_name: str, content: bytes, user_id: int) -> str | None:
    """Keep the scan; None when kept, else the untranslated reason it was refused (scan_problem)."""
    problem = scan_problem(content)
    if problem:
        return problem
    async with write_transaction():
        await ConventionScan.insert(ConventionScan(
            placement=placement_id, file_name=upload_name(file_name, scan_type(content[:8]), "convention"),
            media_type=scan_type(content[:8]), size=len(content),
            content=content, uploaded_by=user_id, uploaded_at=dt.datetime.now(dt.timezone.utc)))
    return None
