"""A reader's sessions of one module as calendar events: ONE series (RRULE, EXDATE, overrides) for the sessions
the module's rule planned, and one single event per session outside the rule. Pure rules.

Calendars expand a series as DTSTART + RRULE - EXDATE, then replace the instances that have an override (same UID,
RECURRENCE-ID): a moved, re-timed, re-roomed or cancelled session is an override of the instance it was planned
for. A session that is on no instance of the rule (added by hand, or moved from a day outside the reader's window)
is a VEVENT of its own, with its own stable UID (`single_uid`), never an RDATE: Outlook keeps an RDATE only as a
moved instance with its EXDATE and drops a series without an RRULE, and Google hides an RDATE after the rule's
end. A module without a rule (or with none of its days in the window) is a set of single events, no series.
Also when a reminder goes out (the end of the file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from planner.modules.rules.recurrence import Recurrence, candidate_dates, local_span
from planner.i18n import N_


BRUSSELS = ZoneInfo("Europe/Brussels")
# the outbox's words for a mail's status and kind, shown to administrators and on the person page
STATUS_LABELS = {"queued": N_("waiting"), "sending": N_("being sent"), "sent": N_("sent"),
                 "refused": N_("refused by the receiving server"), "failed": N_("not delivered: gave up")}
KIND_LABELS = {"invite": N_("invitation"), "update": N_("change of schedule"), "cancel": N_("cancellation"),
               "reminder": N_("reminder")}
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
    """What a reader's calendar holds for one module. The series (`rrule` not None) starts at `start` and
    ends its first instance at `end` (aware Europe/Brussels, dates in an all-day series); without a rule
    they are None and every session is in `singles`."""

    start: dt.datetime | dt.date | None  # DTSTART of the series
    end: dt.datetime | dt.date | None  # DTEND of that first instance
    rrule: dict | None  # icalendar vRecur items; None = no series, singles only
    exdates: tuple
    overrides: tuple[Override, ...]
    singles: tuple[Slot, ...]  # sessions on no instance of the rule: one VEVENT each, their own UID
    location: str  # the usual location of the series
    slots: tuple[Slot, ...]  # the sessions in the window, sorted (for mail texts and tests)
    all_day: bool  # dates rather than times, DTEND the next day


def single_uid(series_uid: str, session_id: int) -> str:
    """The UID of a session outside the rule: stable for the reader and the session, whatever else changes."""
    local, _at, host = series_uid.partition("@")
    return f"{local}-s{session_id}@{host}" if host else f"{local}-s{session_id}"


def part_uids(shape: SeriesShape | None, series_uid: str) -> tuple[str, ...]:
    """Every UID this shape puts in the reader's calendar: the series (when it has a rule), then the singles."""
    return tuple(part_tags(shape, series_uid))


def part_tags(shape: SeriesShape | None, series_uid: str, *texts: str) -> dict[str, str]:
    """{UID: tag} of each event of the shape (see part_uids): a tag changes when what that one event shows
    changes (with the texts: title, description...), so an update goes out for that event only."""
    if shape is None:
        return {}
    tags = {}
    if shape.rrule is not None:
        master = (shape.start, shape.end, shape.rrule, shape.exdates, shape.overrides, shape.location, shape.all_day)
        tags[series_uid] = hashlib.sha256(repr((master, texts)).encode()).hexdigest()[:16]
    for slot in shape.singles:
        tags[single_uid(series_uid, slot.session_id)] = hashlib.sha256(
            repr((slot, shape.all_day, texts)).encode()).hexdigest()[:16]
    return tags


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
    """The reader's events for the sessions between first_day and last_day (inclusive, None = open): the series
    (master, EXDATEs, overrides) and the singles; None when no session falls in the window."""
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
    if not days:  # no rule (or none of its days in the window): every session is an event of its own
        return SeriesShape(start=None, end=None, rrule=None, exdates=(), overrides=(), singles=tuple(kept),
                           location=location, slots=tuple(kept), all_day=all_day)
    # the rule's instance on each day, as DTSTART + RRULE give it
    instance_of = {c: c if all_day else local_span(c, rule.starts_at, rule.ends_at)[0] for c in days}
    start = instance_of[days[0]]
    end = start + ONE_DAY if all_day else local_span(days[0], rule.starts_at, rule.ends_at)[1]
    instances = list(instance_of.values())
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
    if not taken:  # every instance would be excluded: a series that shows nothing confuses clients
        return SeriesShape(start=None, end=None, rrule=None, exdates=(), overrides=(), singles=tuple(kept),
                           location=location, slots=tuple(kept), all_day=all_day)
    # 3. The rest (added by hand, a second session at an instant already taken) are events of their own.
    singles = tuple(s for s in kept if id(s) not in placed)
    overrides = [Override(i, s) for i, s in taken.items() if not plain(s, i)]
    return SeriesShape(
        start=start, end=end, rrule=_rrule(rule, instances[-1]),
        exdates=tuple(i for i in instances if i not in taken),
        overrides=tuple(sorted(overrides, key=lambda o: o.recurrence_id)),
        singles=singles, location=location, slots=tuple(kept), all_day=all_day)


def shape_tag(shape: SeriesShape | None, *texts: str) -> str:
    """sha256 hex of a canonical text of the shape and the texts (summary, description...):
    equal tags = nothing to resend. The repr of these frozen dataclasses of dates, times and
    tuples is canonical, and ten times cheaper than dataclasses.asdict (a feed computes one per series)."""
    return hashlib.sha256(repr((shape, texts)).encode()).hexdigest()


# -- when a reminder mail goes out: the day before each session -----------------------------------------------

REMINDER_SETTINGS = ("auto", "on", "off")
# "auto": a short series gets reminders; in a long one a mail every week becomes noise.
LONG_SERIES = 10
SEND_FROM = dt.time(9, 0)  # Brussels wall-clock, the day before: not a mail at night


def reminders_on(setting: str, planned_sessions: int) -> bool:
    if setting == "on":
        return True
    if setting == "off":
        return False
    return planned_sessions <= LONG_SERIES


def reminder_days(now: dt.datetime) -> tuple[dt.date, ...]:
    """The session days whose reminders are due at this instant: tomorrow once it is 9:00 in Brussels.
    Today is included so a worker that was down at 9:00 the day before still sends before the session
    (the caller keeps only sessions that have not started)."""
    local = now.astimezone(BRUSSELS)
    tomorrow = local.date() + dt.timedelta(days=1)
    return (local.date(), tomorrow) if local.time() >= SEND_FROM else (local.date(),)
