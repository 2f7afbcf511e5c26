"""The inspection pack's shape (REP-04), pure: which months a year has, the paths of its files in the zip
(module codes and dates only: never a beneficiary's name), the progress shown while it is made.

REP-04: invoices, time sheets and attendance lists stay at the CPAS for the on-site inspection, which checks
the accounts per measure and per beneficiary file; the pack gathers them for one year (or one module).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

SCAN_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/tiff": "tif",
                   "image/heic": "heic", "image/webp": "webp"}


def months_of(year: int) -> list[tuple[dt.date, dt.date]]:
    """The 12 (first day, last day) pairs of `year`."""
    months = []
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
        months.append((first, nxt - dt.timedelta(days=1)))
    return months


def slug(text: str, fallback: str) -> str:
    """A file-name-safe ASCII form of a module code ("Café 1" -> "Cafe-1"); `fallback` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:40]
    return cleaned or fallback


def module_folder(module_id: int, code: str) -> str:
    """modules/<code>-<id>: the id keeps two modules with one code apart."""
    return f"modules/{slug(code, 'module')}-{module_id}"


def session_sheet_path(folder: str, day: dt.date, starts_at: dt.time, session_id: int) -> str:
    """The attendance sheet of one session: <folder>/sessions/2026-12-07_0930_<id>.pdf."""
    return f"{folder}/sessions/{day.isoformat()}_{starts_at.strftime('%H%M')}_{session_id}.pdf"


def month_grid_path(folder: str, first: dt.date) -> str:
    return f"{folder}/months/{first.strftime('%Y-%m')}.pdf"


def invoice_path(day: dt.date, expense_id: int, scan_id: int, media_type: str) -> str:
    """An invoice's scan by date and ids: the uploaded file's own name may name anyone."""
    return f"invoices/{day.isoformat()}_expense-{expense_id}_{scan_id}.{SCAN_EXTENSIONS.get(media_type, 'bin')}"


def time_sheet_path(allocation_id: int, year: int) -> str:
    return f"staff/time-sheet-{year}-{allocation_id}.pdf"


def pack_name(year: int, cpas_id: int, module: tuple[int, str] | None) -> str:
    """The zip's name: inspection-pack-2026-cpas-3.zip, or ...-SWITCH-12.zip for one module."""
    tail = f"-{slug(module[1], 'module')}-{module[0]}" if module else ""
    return f"inspection-pack-{year}-cpas-{cpas_id}{tail}.zip"


def percent(done: int, total: int) -> int:
    """Whole percent of a job done, 0..100; 0 while the total is unknown."""
    if total <= 0:
        return 0
    return max(0, min(100, done * 100 // total))


def session_hours(starts_at: dt.time, ends_at: dt.time) -> float:
    """A session's planned length in hours (the sheet's "hours" column for a full presence)."""
    minutes = (ends_at.hour * 60 + ends_at.minute) - (starts_at.hour * 60 + starts_at.minute)
    return max(0, minutes) / 60
