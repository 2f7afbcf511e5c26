"""iCalendar text for a reader's events of one module: the invitation mailed to them (iTIP REQUEST/CANCEL) and the
subscribable feed.

The sessions of the module's rule are one master VEVENT plus one VEVENT per override (RECURRENCE-ID), never one
VEVENT per session: a year of weekly sessions stays a few components, which keeps the feed fast and lets mail
clients update the series in place. A session outside the rule is a VEVENT with its own UID (rules.single_uid);
no RDATE anywhere (rules.py says why). A mailed invitation holds ONE of these events (one UID): Outlook reads only
the first event of an iMIP message and ignores the rest. The feed holds them all. A cancelled instance or event
says so twice: STATUS:CANCELLED, and a SUMMARY that starts with "Cancelled:" in the reader's language, since
several clients show the status nowhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from icalendar import Calendar, Component, Event, vCalAddress, vDuration

from planner.invites.rules import Override, SeriesShape, Slot, single_uid, slot_span

PRODID = "-//planner//planner//EN"
METHODS = ("REQUEST", "CANCEL")
REFRESH = dt.timedelta(hours=1)
# One more whenever feed() writes the same schedule differently: it is part of a feed's ETag, so a phone that
# holds the older text gets the new one after an upgrade instead of "304 Not Modified" until the next change.
# 2: X-WR-TIMEZONE, SEQUENCE that rises, texts without control characters.
FEED_FORMAT = 2

# Written out rather than cal.add_missing_timezones(): its default 1970-2038 RDATE lists are misread by ical.js
# (every date at UTC+1), and this RRULE form is the one every client understands.
VTIMEZONE_TEXT = """\
BEGIN:VTIMEZONE
TZID:Europe/Brussels
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""
VTIMEZONE = Component.from_ical(VTIMEZONE_TEXT)  # parsed once; only ever read when a calendar is serialised


@dataclass(frozen=True)
class Person:
    email: str
    name: str


@dataclass(frozen=True)
class SeriesEvent:
    uid: str
    sequence: int
    summary: str
    description: str
    shape: SeriesShape
    organizer: Person  # the address the mail comes From, with the CPAS's name
    attendee: Person | None  # the participant or facilitator (None in feeds)
    stamp: dt.datetime  # DTSTAMP, aware UTC
    url: str = ""  # optional URL property
    cancelled_summary: str = ""  # SUMMARY of what is cancelled: "Cancelled: <title>" in the reader's language


@dataclass(frozen=True)
class DayEvent:
    """A one-day appointment of a staff member (a PIIS evaluation): all day, its own UID, a SEQUENCE that goes up
    each time it moves."""
    uid: str
    sequence: int
    summary: str
    day: dt.date
    stamp: dt.datetime  # DTSTAMP, aware UTC
    url: str = ""


def _day_event(event: DayEvent) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", event.stamp)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", event.day)
    vevent.add("dtend", event.day + dt.timedelta(days=1))
    vevent.add("summary", text(event.summary))
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "TRANSPARENT")  # a reminder of the day, not a busy slot: the hour is agreed with the person
    if event.url:
        vevent.add("url", event.url)
    return vevent


# RFC 5545 3.3.11: TEXT holds no control character but HTAB and the escaped line break; icalendar writes the
# others as they are (a title pasted from a document, an import), and strict parsers refuse the whole calendar
CONTROLS = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])


def text(value: str) -> str:
    """A TEXT value as RFC 5545 allows it: line breaks as LF (icalendar escapes them as \\n), other control
    characters dropped."""
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(CONTROLS)


def one_line(value: str) -> str:
    """Text on one line: line breaks and other control characters (C0, DEL, C1, U+2028/9) as one space, runs of
    spaces as one; no-break spaces kept (French writes "Invitation :" with one)."""
    return re.sub(" {2,}", " ", re.sub("[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", value)).strip()


def common_name(name: str) -> str:
    """A CN parameter every client reads back as written: one line, no double quote, which a parameter value
    cannot hold (icalendar writes RFC 6868's ^', which Outlook and Google show as such), and no backslash (left
    unquoted before the next ";", parsers took it for an escape and read the next parameter as the name)."""
    return one_line(name).replace('"', "'").replace("\\", "/")


def _address(person: Person, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if common_name(person.name):
        address.params["CN"] = common_name(person.name)
    address.params.update(params)
    return address


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    # first, so that parsers reading in one pass know the TZID before an event uses it
    cal.add_component(VTIMEZONE)
    return cal


def _vevent(event: SeriesEvent, start: dt.date | None, end: dt.date | None, location: str, cancelled: bool,
            attendee: Person | None, uid: str = "") -> Event:
    """The properties every VEVENT carries (master, overrides and singles alike)."""
    vevent = Event()
    vevent.add("uid", uid or event.uid)
    vevent.add("dtstamp", event.stamp)
    vevent.add("sequence", event.sequence)
    if start is not None:  # unknown only in the cancellation of an event whose session is gone
        vevent.add("dtstart", start)
        vevent.add("dtend", end)
    vevent.add("summary", text((event.cancelled_summary or event.summary) if cancelled else event.summary))
    # an empty LOCATION or DESCRIPTION is left out: several clients show an empty "Location:" line
    if text(event.description).strip():
        vevent.add("description", text(event.description))
    if text(location).strip():
        vevent.add("location", text(location))
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    vevent.add("organizer", _address(event.organizer))
    if attendee is not None:
        # RSVP=FALSE: the CPAS does not collect replies by mail; absences go through the "can't come" link
        vevent.add("attendee", _address(attendee, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="FALSE"))
    if event.url:
        vevent.add("url", event.url)
    return vevent


def _master(event: SeriesEvent, cancelled: bool, attendee: Person | None) -> Event:
    shape = event.shape
    vevent = _vevent(event, shape.start, shape.end, shape.location, cancelled, attendee)
    vevent.add("rrule", shape.rrule)
    if shape.exdates:
        vevent.add("exdate", list(shape.exdates))
    return vevent


def _override(event: SeriesEvent, override: Override, attendee: Person | None) -> Event:
    start, end = slot_span(override.slot, event.shape.all_day)
    vevent = _vevent(event, start, end, override.slot.location, override.slot.cancelled, attendee)
    vevent.add("recurrence-id", override.recurrence_id)
    return vevent


def _single(event: SeriesEvent, slot: Slot, attendee: Person | None) -> Event:
    start, end = slot_span(slot, event.shape.all_day)
    return _vevent(event, start, end, slot.location, slot.cancelled, attendee, single_uid(event.uid, slot.session_id))


def _add_series(cal: Calendar, event: SeriesEvent, attendee: Person | None, uid: str | None = None) -> None:
    """The components of every event of the shape, or of the one whose UID is `uid`."""
    if event.shape.rrule is not None and uid in (None, event.uid):
        cal.add_component(_master(event, False, attendee))
        for override in event.shape.overrides:
            cal.add_component(_override(event, override, attendee))
    for slot in event.shape.singles:
        if uid in (None, single_uid(event.uid, slot.session_id)):
            cal.add_component(_single(event, slot, attendee))


def _cancel(event: SeriesEvent, uid: str) -> Event:
    """A VEVENT without RECURRENCE-ID that removes the whole event `uid` (a series with its overrides), dated as
    the shape knows it when it does. A series is cancelled with its RRULE and EXDATEs (RFC 5546 3.2.5 allows
    them), as Google and Outlook send theirs: the cancellation then describes the series it removes, not one
    meeting on its first day."""
    shape = event.shape
    if shape is not None and uid == event.uid and shape.rrule is not None:
        return _master(event, True, event.attendee)
    slot = next((s for s in (shape.slots if shape else ()) if single_uid(event.uid, s.session_id) == uid), None)
    if slot is None:
        return _vevent(event, None, None, shape.location if shape else "", True, event.attendee, uid)
    start, end = slot_span(slot, shape.all_day)
    return _vevent(event, start, end, slot.location, True, event.attendee, uid)


def _to_ical(cal: Calendar) -> bytes:
    missing = cal.get_missing_tzids()
    if missing:  # a time zone other than Brussels slipped in: its times would be read in the wrong zone
        raise ValueError(f"no VTIMEZONE for {sorted(missing)}")
    return cal.to_ical()


def invitation(method: str, event: SeriesEvent, uid: str | None = None) -> bytes:
    """An iMIP calendar for ONE event of the shape, `uid` (default: the series' own UID): METHOD:REQUEST with the
    series (master with RRULE/EXDATEs, one VEVENT per Override with the same UID and a RECURRENCE-ID,
    STATUS:CANCELLED when the slot is cancelled) or the single session; or METHOD:CANCEL, one VEVENT without
    RECURRENCE-ID, STATUS:CANCELLED, which removes that event whole (the UID of an event no longer in the shape
    is fine). All with the event's SEQUENCE. Attendee: CN, ROLE=REQ-PARTICIPANT, PARTSTAT=NEEDS-ACTION,
    RSVP=FALSE. ORGANIZER with CN. ValueError: unknown method, or a REQUEST for a UID not in the shape."""
    if method not in METHODS:
        raise ValueError(f"unknown method: {method!r}")
    uid = uid or event.uid
    cal = _calendar(method)
    if method == "CANCEL":
        cal.add_component(_cancel(event, uid))
    else:
        _add_series(cal, event, event.attendee, uid)
        if not cal.walk("VEVENT"):
            raise ValueError(f"no event {uid!r} in the shape")
    return _to_ical(cal)


def feed(events: Sequence[SeriesEvent], name: str, days: Sequence[DayEvent] = ()) -> bytes:
    """A subscribable calendar: METHOD:PUBLISH, X-WR-CALNAME/NAME, X-WR-TIMEZONE, REFRESH-INTERVAL (PT1H) and
    X-PUBLISHED-TTL, every series with its overrides and singles, the same UIDs as in the mails (cancelled sessions
    stay in it, marked STATUS:CANCELLED and "Cancelled:"), with the events' own SEQUENCE (the feed's, which rises
    with each change: queries/feed.py), no attendee; then the staff member's one-day appointments (`days`).
    Deterministic output for equal input."""
    cal = _calendar("PUBLISH")
    name = one_line(name)
    cal.add("name", name)  # RFC 7986
    cal.add("x-wr-calname", name)  # what Outlook, Google and Apple actually read
    cal.add("x-wr-timezone", "Europe/Brussels")  # Google shows a subscribed calendar in this zone
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})  # RFC 7986 requires VALUE here
    cal.add("x-published-ttl", vDuration(REFRESH))  # Outlook's name for the same hint
    for event in sorted(events, key=lambda e: e.uid):  # independent of the order rows came from the database
        _add_series(cal, event, None)
    for day in sorted(days, key=lambda e: e.uid):
        cal.add_component(_day_event(day))
    return _to_ical(cal)
