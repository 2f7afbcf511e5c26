"""A reader's sessions of one module as ONE calendar series: RRULE, EXDATE, RDATE and overrides. Pure rules.

Calendars expand a series as DTSTART + RRULE + RDATE - EXDATE, then replace the instances that have an override
(same UID, RECURRENCE-ID). The shape below is built so that this expansion gives exactly the planned sessions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from planner.modules.recurrence import Recurrence, candidate_dates, local_span

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = dt.date.weekday()
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Slot:
    """One session as a calendar shows it."""

    session_id: int
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time
    cancelled: bool = False
    original_day: dt.date | None = None  # when moved: the day the rule gave it
    location: str = ""  # room and address on one line


@dataclass(frozen=True)
class Override:
    recurrence_id: dt.datetime | dt.date  # aware Brussels (a date in all-day series): the instance it replaces
    slot: Slot


@dataclass(frozen=True)
class SeriesShape:
    start: dt.datetime | dt.date  # DTSTART, aware Europe/Brussels (a date for an all-day series)
    end: dt.datetime | dt.date  # DTEND of that first instance
    rrule: dict | None  # icalendar vRecur items
    exdates: tuple
    rdates: tuple
    overrides: tuple[Override, ...]
    location: str  # the usual location of the series
    slots: tuple[Slot, ...]  # the sessions in the window, sorted (for mail texts and tests)

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)


def is_all_day(slot: Slot) -> bool:
    return slot.starts_at == dt.time(0, 0) and slot.ends_at >= dt.time(23, 59)


def slot_span(slot: Slot, all_day: bool) -> tuple[dt.datetime | dt.date, dt.datetime | dt.date]:
    """(DTSTART, DTEND) of the slot in a series of that kind (all-day: dates, DTEND the next day)."""
    if all_day:
        return slot.day, slot.day + ONE_DAY
    return local_span(slot.day, slot.starts_at, slot.ends_at)


def _exact(start: dt.datetime | dt.date, end: dt.datetime | dt.date) -> dt.timedelta:
    # RFC 5545 gives every instance the EXACT duration of the first one; aware datetimes that share a tzinfo
    # subtract as wall-clock in Python, so go through UTC
    if isinstance(start, dt.datetime):
        return end.astimezone(dt.timezone.utc) - start.astimezone(dt.timezone.utc)
    return end - start


def _usual_location(slots: Sequence[Slot]) -> str:
    counts = Counter(s.location for s in slots)
    best = max(counts.values())
    return next(s.location for s in slots if counts[s.location] == best)  # ties: the first


def _rrule(rule: Recurrence, last: dt.datetime | dt.date) -> dict:
    # UNTIL must be UTC when DTSTART has a TZID, and a date when DTSTART is a date (RFC 5545 3.3.10)
    until = last.astimezone(dt.timezone.utc) if isinstance(last, dt.datetime) else last
    if rule.kind == "monthly":
        return {"FREQ": "MONTHLY", "BYDAY": [f"{rule.nth}{BYDAY[rule.weekday]}"], "UNTIL": until}
    # WKST=MO and DTSTART in the window's first rule week keep the INTERVAL phase of candidate_dates
    return {"FREQ": "WEEKLY", "INTERVAL": rule.interval, "BYDAY": [BYDAY[d] for d in sorted(set(rule.weekdays))],
            "WKST": "MO", "UNTIL": until}


def series_shape(rule: Recurrence | None, slots: Sequence[Slot], first_day: dt.date | None = None,
                 last_day: dt.date | None = None) -> SeriesShape | None:
    """The series as one VEVENT; None when no session falls between first_day and last_day (inclusive, None = open)."""
    kept = sorted((s for s in slots if (first_day is None or first_day <= s.day)
                   and (last_day is None or s.day <= last_day)),
                  key=lambda s: (s.day, s.starts_at, s.ends_at, s.session_id))
    if not kept:
        return None
    all_day = all(is_all_day(s) for s in kept)
    location = _usual_location(kept)
    spans = {id(s): slot_span(s, all_day) for s in kept}  # local_span is the costly part: once per slot

    # the whole rule, then the window: a later start would shift the phase of "every N weeks"
    days = [c for c in candidate_dates(rule) if (first_day is None or first_day <= c)
            and (last_day is None or c <= last_day)] if rule is not None else []
    if days:
        # the rule's instance on each day, as DTSTART + RRULE give it
        instance_of = {c: c if all_day else local_span(c, rule.starts_at, rule.ends_at)[0] for c in days}
        start = instance_of[days[0]]
        end = start + ONE_DAY if all_day else local_span(days[0], rule.starts_at, rule.ends_at)[1]
        rrule = _rrule(rule, instance_of[days[-1]])
    else:  # no rule (or none of its days in the window): the first session starts the series, RDATEs the rest
        first = min(kept, key=lambda s: (spans[id(s)][0], s.cancelled, s.session_id))
        start, end = spans[id(first)]
        instance_of = {}
        rrule = None
    instances = list(instance_of.values()) or [start]
    occurs = set(instances)
    duration = _exact(start, end)

    def plain(slot: Slot, instance: dt.datetime | dt.date) -> bool:  # what the series gives there unaided
        slot_start, slot_end = spans[id(slot)]
        return (not slot.cancelled and slot.location == location and slot_start == instance
                and _exact(slot_start, slot_end) == duration)

    taken: dict[dt.datetime | dt.date, Slot] = {}
    # 1. A session starting exactly at an instance takes it, so no instant is both excluded and added back.
    #    Planned before cancelled, then the one not moved there.
    on_instance = [s for s in kept if spans[id(s)][0] in occurs]
    for slot in sorted(on_instance, key=lambda s: (s.cancelled, (s.original_day or s.day) != s.day,
                                                   not plain(s, spans[id(s)][0]), s.session_id)):
        taken.setdefault(spans[id(slot)][0], slot)
    placed = {id(s) for s in taken.values()}
    rest = sorted((s for s in kept if id(s) not in placed), key=lambda s: (s.cancelled, s.session_id))
    # 2. A moved or re-timed session replaces the instance of the day it was planned for.
    for slot in rest:
        planned_for = instance_of.get(slot.original_day or slot.day)
        if planned_for is not None and planned_for not in taken:
            taken[planned_for] = slot
            placed.add(id(slot))
    # 3. The rest are extra dates at their own start. One VEVENT holds one instance per start: a second session
    #    at the same instant cannot be shown and is left out.
    extra: dict[dt.datetime | dt.date, Slot] = {}
    for slot in rest:
        own = spans[id(slot)][0]
        if id(slot) not in placed and own not in occurs:
            extra.setdefault(own, slot)

    overrides = [Override(i, s) for i, s in {**taken, **extra}.items() if not plain(s, i)]
    return SeriesShape(
        start=start, end=end, rrule=rrule,
        exdates=tuple(i for i in instances if i not in taken),
        rdates=tuple(sorted(extra)),
        overrides=tuple(sorted(overrides, key=lambda o: o.recurrence_id)),
        location=location, slots=tuple(kept))


def shape_tag(shape: SeriesShape | None, *texts: str) -> str:
    """sha256 hex of a canonical text of the shape and the texts (summary, description...):
    equal tags = nothing to resend. The repr of these frozen dataclasses of dates, times and
    tuples is canonical, and ten times cheaper than dataclasses.asdict (a feed computes one per series)."""
    return hashlib.sha256(repr((shape, texts)).encode()).hexdigest()
