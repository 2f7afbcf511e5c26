"""iCalendar text for one series: the invitation mailed to a reader (iTIP REQUEST/CANCEL) and the subscribable feed.

A series is one master VEVENT plus one VEVENT per override, never one VEVENT per session: a year of weekly
sessions stays a few components, which keeps the feed fast and lets mail clients update the series in place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from icalendar import Calendar, Component, Event, vCalAddress, vDuration

from planner.invites.rules import Override, SeriesShape, slot_span

PRODID = "-//planner//planner//EN"
METHODS = ("REQUEST", "CANCEL")
REFRESH = dt.timedelta(hours=1)

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
    organizer: Person  # the CPAS's address
    attendee: Person | None  # the participant or facilitator (None in feeds)
    stamp: dt.datetime  # DTSTAMP, aware UTC
    url: str = ""  # optional URL property


def _address(person: Person, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = person.name
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


def _vevent(event: SeriesEvent, start: dt.date, end: dt.date, location: str, cancelled: bool,
            attendee: Person | None) -> Event:
    """The properties every VEVENT of the series carries (master and overrides alike)."""
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", event.stamp)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", event.summary)
    vevent.add("description", event.description)
    vevent.add("location", location)
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
    if shape.rrule is not None:
        vevent.add("rrule", shape.rrule)
    if shape.rdates:
        vevent.add("rdate", list(shape.rdates))
    if shape.exdates:
        vevent.add("exdate", list(shape.exdates))
    return vevent


def _override(event: SeriesEvent, override: Override, attendee: Person | None) -> Event:
    start, end = slot_span(override.slot, event.shape.all_day)
    vevent = _vevent(event, start, end, override.slot.location, override.slot.cancelled, attendee)
    vevent.add("recurrence-id", override.recurrence_id)
    return vevent


def _add_series(cal: Calendar, event: SeriesEvent, attendee: Person | None) -> None:
    cal.add_component(_master(event, False, attendee))
    for override in event.shape.overrides:
        cal.add_component(_override(event, override, attendee))


def _to_ical(cal: Calendar) -> bytes:
    missing = cal.get_missing_tzids()
    if missing:  # a time zone other than Brussels slipped in: its times would be read in the wrong zone
        raise ValueError(f"no VTIMEZONE for {sorted(missing)}")
    return cal.to_ical()


def invitation(method: str, event: SeriesEvent) -> bytes:
    """A VCALENDAR with METHOD:REQUEST (the series, its EXDATEs/RDATEs, and one extra VEVENT per Override with the
    same UID, RECURRENCE-ID, same SEQUENCE, STATUS:CANCELLED when the slot is cancelled) or METHOD:CANCEL (the master
    VEVENT only, STATUS:CANCELLED). Attendee: CN, ROLE=REQ-PARTICIPANT, PARTSTAT=NEEDS-ACTION, RSVP=FALSE.
    ORGANIZER with CN."""
    if method not in METHODS:
        raise ValueError(f"unknown method: {method!r}")
    cal = _calendar(method)
    if method == "CANCEL":
        # a master with STATUS:CANCELLED and no RECURRENCE-ID removes the whole series, its overrides included
        cal.add_component(_master(event, True, event.attendee))
    else:
        _add_series(cal, event, event.attendee)
    return _to_ical(cal)


def feed(events: Sequence[SeriesEvent], name: str) -> bytes:
    """A subscribable calendar: METHOD:PUBLISH, X-WR-CALNAME/NAME, REFRESH-INTERVAL (PT1H) and X-PUBLISHED-TTL,
    every series with its overrides (cancelled sessions stay in it, marked STATUS:CANCELLED), no attendee.
    Deterministic output for equal input."""
    cal = _calendar("PUBLISH")
    cal.add("name", name)  # RFC 7986
    cal.add("x-wr-calname", name)  # what Outlook, Google and Apple actually read
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})  # RFC 7986 requires VALUE here
    cal.add("x-published-ttl", vDuration(REFRESH))  # Outlook's name for the same hint
    for event in sorted(events, key=lambda e: e.uid):  # independent of the order rows came from the database
        _add_series(cal, event, None)
    return _to_ical(cal)
