"""Scanned invoices: which files are accepted (issue 14: PDF, JPEG or PNG, at most 10 MB, the type checked
from the content). Pure: the caller passes the bytes."""

from __future__ import annotations

from planner.i18n import N_
from planner.spending.rules.common import BLOCK, Finding

# Issue 14, "the scanned invoice (PDF, JPEG or PNG, ≤ 10 MB)": 10 MiB, the size a phone's scan stays under.
MAX_SCAN_BYTES = 10 * 1024 * 1024

# The first bytes of each accepted format (its "magic number"), and the media type stored for it.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def scan_type(first_bytes: bytes) -> str | None:
    """The media type of a scan from its first bytes; None when it is none of PDF, JPEG or PNG. The file's name
    and the type the browser sent are never asked: a PNG named .pdf is a PNG."""
    return next((media for magic, media in SIGNATURES if first_bytes.startswith(magic)), None)


def check_scan(content: bytes) -> list[Finding]:
    """SCAN: an empty file, one above MAX_SCAN_BYTES or one that is not a PDF, JPEG or PNG is refused."""
    if len(content) > MAX_SCAN_BYTES:
        return [Finding("SCAN", BLOCK, N_("A scanned invoice can be at most %(limit)s MB; this file is too "
                                          "large."), {"limit": MAX_SCAN_BYTES // (1024 * 1024)})]
    if scan_type(content[:8]) is None:
        return [Finding("SCAN", BLOCK, N_("A scanned invoice must be a PDF, JPEG or PNG file."))]
    return []
