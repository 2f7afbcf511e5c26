"""The signed contract as scanned (issue 15): stored in the database like invoices, typed from its content
with the spending area's scan rules (one way of accepting a scan in the app)."""

from __future__ import annotations

from planner.db import write_transaction
from planner.files import upload_name
from planner.piis.actions.common import Saved, now_utc
from planner.piis.tables import PiisVersion, SignedScan
from planner.spending.rules import check_scan, scan_type


async def attach_scan(piis_id: int, file_name: str, content: bytes, user_id: int) -> Saved:
    """Store the scan (its id in Saved.id) under the PIIS's last agreed version (0 before the signature);
    refused (SCAN findings, nothing written) when empty, too large or not a PDF, JPEG or PNG. Earlier scans
    are kept: an amendment's signed copy joins the contract's."""
    findings = check_scan(content)
    if findings or not content:
        return Saved(None, tuple(findings))
    async with write_transaction():
        last = await PiisVersion.select(PiisVersion.number).where(PiisVersion.piis == piis_id).order_by(
            PiisVersion.number, ascending=False).first()
        row = SignedScan(piis=piis_id, version_number=last["number"] if last else 0,
                         file_name=upload_name(file_name, scan_type(content[:8]), f"piis-{piis_id}"),
                         media_type=scan_type(content[:8]), size=len(content), content=content,
                         uploaded_by=user_id, uploaded_at=now_utc())
        return Saved((await SignedScan.insert(row).returning(SignedScan.id))[0]["id"])
