"""Pure rules for the participants' pages (issue 18): the CPAS's phone as a `tel:` link, a room's address as a
map link, the next sessions shown on "I cannot come", a person's own double bookings on the schedule card.
No database, no clock."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote_plus

MAP_SEARCH = "https://www.openstreetmap.org/search?query="  # a plain link: no script, nothing loaded from it
SHOWN_AT_FIRST = 3  # "I cannot come" shows the next three sessions, "more" three more each time
SHOWN_AT_MOST = 200


def tel_uri(phone: str) -> str:
    """A Belgian phone number as written on a form ("02 123 45 67", "0470/12.34.56", "+32 2 123 45 67",
    "0032 2 123 45 67") -> "tel:+3221234567"; "" when it is not a Belgian number (8 or 9 digits after the
    leading 0 or +32), so the page shows the text without a link rather than a link that dials nothing."""
    digits = re.sub(r"[\s./()-]", "", phone or "")
    if digits.startswith("+32"):
        national = digits[3:]
    elif digits.startswith("0032"):
        national = digits[4:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        return ""
    national = national.removeprefix("0")  # "+32 (0)2 …"
    if not national.isdigit() or len(national) not in (8, 9):
        return ""
    return "tel:+32" + national


def address_line(street: str | None, postcode: str | None, city: str | None) -> str:
    """"Rue du Test 1, 1000 Bruxelles" from a site's address fields; "" when all are empty."""
    town = f"{postcode or ''} {city or ''}".strip()
    return ", ".join(part for part in ((street or "").strip(), town) if part)


def map_url(address: str) -> str:
    """An OpenStreetMap search link for an address line; "" for no address."""
    return MAP_SEARCH + quote_plus(address.strip()) if address.strip() else ""


def shown_count(asked: str | None, available: int) -> int:
    """How many coming sessions "I cannot come" lists: three, or what the "more" link asks (a number of
    sessions, clamped to [3, 200]; anything that is not a number is three), never more than there are."""
    try:
        wanted = int(asked or SHOWN_AT_FIRST)
    except ValueError:
        wanted = SHOWN_AT_FIRST
    return min(max(wanted, SHOWN_AT_FIRST), SHOWN_AT_MOST, available)


def double_bookings(sessions: Iterable[tuple[int, dt.date, dt.time, dt.time]]) -> set[int]:
    """The ids of the sessions (id, day, starts_at, ends_at) that overlap another of the same person on the
    same day: 9:00-11:00 and 10:30-12:00 overlap; 9:00-10:00 and 10:00-11:00 (one ends as the other starts)
    do not."""
    by_day: dict[dt.date, list[tuple[dt.time, dt.time, int]]] = {}
    for session_id, day, starts, ends in sessions:
        by_day.setdefault(day, []).append((starts, ends, session_id))
    clashing: set[int] = set()
    for spans in by_day.values():
        spans.sort()
        latest_end, latest_id = None, None
        for starts, ends, session_id in spans:
            if latest_end is not None and starts < latest_end:
                clashing.update((session_id, latest_id))
            if latest_end is None or ends > latest_end:
                latest_end, latest_id = ends, session_id
    return clashing


def chronological(items: Sequence[dict]) -> list[dict]:
    """Sessions of several modules ({day, starts_at, ...}) as one list by day then time (the schedule card)."""
    return sorted(items, key=lambda s: (s["day"], s["starts_at"]))
