"""What strict parsers and validators (RFC 5545, 5546, 7986) ask of every calendar we emit, for modules with awkward
names: long Dutch and German words, ; , \\ characters, emoji, a line break pasted into a text, a session on each DST
change day, a cancelled session, a moved one. Parsed back with icalendar and expanded with recurring-ical-events,
as a client would."""

import datetime as dt
import re

import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from planner.invites import ics
from planner.invites.rules import Slot, part_uids, series_shape
from planner.modules.rules.recurrence import local_span
from tests.invites.series import BXL, ELEVEN, NINE, UTC, planned, replace, weekly

TITLE = ("Zinderin(g) – groupe de femmes; Parler pour agir, FLE \\ 🌷 "
         "Arbeitsmarktintegrationsmaßnahmenbegleitung en Loopbaanbegeleidingsverantwoordelijkheden")
PLACE = "Salle « Forêt »; 2ᵉ étage, Rue de l'Église 12, bte 3, 5000 Namur"
BRING = "Un stylo;\r\nun cahier\\classeur, et 😀\x0b\x01"  # a textarea sends CRLF; a paste may carry controls
CPAS = ics.Person("planner@cpas-namur.be", 'CPAS de Namur "Insertion"')
ANN = ics.Person("ann.peeters@example.org", 'Ann "Annie" Peeters-Van den Broeck, Jr.')
UID = "planner-m7-e12@planner.example.org"
STAMP = dt.datetime(2026, 9, 15, 8, 30, tzinfo=UTC)
# Sundays from 4 October 2026 to 4 April 2027: 25 October 2026 and 28 March 2027 are the DST change days
RULE = weekly(dt.date(2026, 10, 4), dt.date(2027, 4, 4), 6)
CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")  # what TEXT may not hold (CRLF is removed before the check)


def awkward_slots() -> list[Slot]:
    """The planned Sundays (Easter Sunday 2027 is a holiday: none that day) at the long place; the session of
    25 October cancelled, the one of 18 October moved to Tuesday afternoon in a room with no address."""
    slots = planned(RULE, location=PLACE)
    by_day = {s.day: s.session_id for s in slots}
    slots = replace(slots, by_day[dt.date(2026, 10, 25)], cancelled=True)
    slots = replace(slots, by_day[dt.date(2026, 10, 18)], day=dt.date(2026, 10, 20), starts_at=dt.time(14),
                    ends_at=dt.time(16), original_day=dt.date(2026, 10, 18), location="")
    # one added by hand on the spring DST day, off the rule's hour
    return [*slots, Slot(900, dt.date(2027, 3, 28), dt.time(10), dt.time(12), location=PLACE)]


def event(shape, attendee=ANN, sequence=3):
    return ics.SeriesEvent(uid=UID, sequence=sequence, summary=TITLE, description=f"Bring: {BRING}", shape=shape,
                           organizer=CPAS, attendee=attendee, stamp=STAMP, cancelled_summary=f"Annulé : {TITLE}")


def bodies() -> list[bytes]:
    """Every calendar the reader may receive: each invitation (one per event), a cancellation, the feed."""
    shape = series_shape(RULE, awkward_slots())
    found = [ics.invitation("REQUEST", event(shape), uid) for uid in part_uids(shape, UID)]
    found.append(ics.invitation("CANCEL", event(shape, sequence=4)))
    found.append(ics.feed([event(shape, attendee=None)], "Mes séances; Zoé\nCPAS"))
    return found


def assert_strict_rfc5545(body: bytes) -> Calendar:
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")  # CRLF only
    lines = body.split(b"\r\n")[:-1]
    for line in lines:
        assert len(line) <= 75, line  # folded at 75 octets
        line.decode("utf-8")  # a fold never splits a UTF-8 character
        assert not CONTROL.search(line), line
    unfolded = body.decode().replace("\r\n ", "")
    cal = Calendar.from_ical(body)
    assert (str(cal["VERSION"]), str(cal["PRODID"])) == ("2.0", ics.PRODID)
    # every TZID used has its VTIMEZONE, and only Brussels is used
    used = set(re.findall(r";TZID=([^:;]+)", unfolded))
    assert used <= {"Europe/Brussels"} and cal.get_missing_tzids() == set()
    assert [str(v["TZID"]) for v in cal.walk("VTIMEZONE")] == ["Europe/Brussels"]
    for vevent in cal.walk("VEVENT"):
        assert vevent["DTSTAMP"].dt.utcoffset() == dt.timedelta(0)
        assert re.search(r"^DTSTAMP:\d{8}T\d{6}Z\r$", unfolded, re.M)
        for name in ("LOCATION", "DESCRIPTION"):
            assert str(vevent.get(name, "x")).strip(), f"empty {name}"  # left out rather than empty
        for name in ("ORGANIZER", "ATTENDEE"):
            if name in vevent:
                assert str(vevent[name]).startswith("mailto:")
                assert '"' not in vevent[name].params.get("CN", "") and "^" not in unfolded.split(name, 1)[1][:80]
    return cal


def test_ics_every_calendar_we_emit_is_strict_rfc5545_text():
    for body in bodies():
        assert_strict_rfc5545(body)


def test_ics_texts_come_back_as_written_escaped_and_without_control_characters():
    for body in bodies():
        cal = Calendar.from_ical(body)
        for vevent in cal.walk("VEVENT"):
            assert str(vevent["SUMMARY"]) in (TITLE, f"Annulé : {TITLE}")
            assert str(vevent["DESCRIPTION"]) == "Bring: Un stylo;\nun cahier\\classeur, et 😀"
            if "LOCATION" in vevent:
                assert str(vevent["LOCATION"]) == PLACE
        text = body.decode().replace("\r\n ", "")
        assert "\\; 2ᵉ étage\\, Rue de l'Église 12\\, bte 3\\, 5000 Namur" in text
        assert "FLE \\\\ 🌷" in text
    names = Calendar.from_ical(bodies()[0]).walk("VEVENT")[0]
    assert names["ATTENDEE"].params["CN"] == "Ann 'Annie' Peeters-Van den Broeck, Jr."
    assert names["ORGANIZER"].params["CN"] == "CPAS de Namur 'Insertion'"
    feed = Calendar.from_ical(bodies()[-1])
    assert str(feed["X-WR-CALNAME"]) == str(feed["NAME"]) == "Mes séances; Zoé CPAS"
    assert str(feed["X-WR-TIMEZONE"]) == "Europe/Brussels"


def test_ics_the_client_shows_exactly_the_planned_sessions_on_both_dst_days():
    invitations = bodies()[:-2]
    cal = Calendar.from_ical(invitations[0])
    for body in invitations[1:]:
        for vevent in Calendar.from_ical(body).walk("VEVENT"):
            cal.add_component(vevent)
    for calendar in (cal, Calendar.from_ical(bodies()[-1])):
        found = recurring_ical_events.of(calendar).between(dt.date(2026, 9, 1), dt.date(2027, 6, 1))
        occurrences = sorted((o["DTSTART"].dt, o["DTEND"].dt, str(o["STATUS"])) for o in found)
        expected = sorted((*local_span(s.day, s.starts_at, s.ends_at), "CANCELLED" if s.cancelled else "CONFIRMED")
                          for s in awkward_slots())
        assert occurrences == expected
        starts = {start: status for start, _end, status in occurrences}
        # the autumn change day at 09:00 CET (08:00 UTC), the spring one at 10:00 CEST (08:00 UTC too)
        assert starts[dt.datetime(2026, 10, 25, 9, tzinfo=BXL)] == "CANCELLED"
        assert dt.datetime(2026, 10, 25, 8, tzinfo=UTC) in starts
        assert starts[dt.datetime(2027, 3, 28, 10, tzinfo=BXL)] == "CONFIRMED"
        assert dt.datetime(2027, 3, 28, 8, tzinfo=UTC) in starts
        assert dt.datetime(2026, 10, 18, 9, tzinfo=BXL) not in starts  # moved away...
        assert starts[dt.datetime(2026, 10, 20, 14, tzinfo=BXL)] == "CONFIRMED"  # ...to here
        assert dt.datetime(2027, 3, 28, 9, tzinfo=BXL) not in starts  # Easter Sunday: no planned session


def test_ics_a_cancellation_is_method_cancel_status_cancelled_same_uid_higher_sequence():
    *requests, cancel, _feed = bodies()
    [master] = [v for v in Calendar.from_ical(requests[0]).walk("VEVENT") if "RECURRENCE-ID" not in v]
    cal = Calendar.from_ical(cancel)
    [gone] = cal.walk("VEVENT")
    assert str(cal["METHOD"]) == "CANCEL"
    assert (str(gone["UID"]), str(gone["STATUS"])) == (str(master["UID"]), "CANCELLED")
    assert gone["SEQUENCE"] > master["SEQUENCE"]
    assert str(gone["ORGANIZER"]) == "mailto:planner@cpas-namur.be"
    assert str(gone["ATTENDEE"]) == "mailto:ann.peeters@example.org"


TEXTS = st.text(st.sampled_from(list("aé;,\\:\"' \n\r\t\x01\x7f😀–ẞ漢") + ["\u2028"]), max_size=120)


@settings(max_examples=150, deadline=None)
@given(title=TEXTS, place=TEXTS, name=TEXTS)
def test_ics_any_text_folds_on_characters_and_comes_back_as_written(title, place, name):
    title = f"a{title}"  # a module always has a title
    slots = [Slot(1, dt.date(2026, 10, 25), NINE, ELEVEN, location=place)]
    shape = series_shape(None, slots)
    body = ics.invitation("REQUEST", ics.SeriesEvent(
        uid=UID, sequence=0, summary=title, description=title, shape=shape, organizer=CPAS,
        attendee=ics.Person("a@example.org", name), stamp=STAMP), part_uids(shape, UID)[0])
    cal = assert_strict_rfc5545(body)
    [vevent] = cal.walk("VEVENT")
    assert str(vevent.get("SUMMARY", "")) == ics.text(title)
    assert str(vevent.get("LOCATION", "")) == (ics.text(place) if ics.text(place).strip() else "")
    assert vevent["ATTENDEE"].params.get("CN", "") == ics.common_name(name)


def test_ics_cancelling_a_series_describes_the_series_it_removes():
    *_requests, cancel, _feed = bodies()
    [gone] = Calendar.from_ical(cancel).walk("VEVENT")
    assert "RECURRENCE-ID" not in gone
    assert gone["RRULE"]["FREQ"] == ["WEEKLY"] and gone["RRULE"]["BYDAY"] == ["SU"]
    assert dt.datetime(2026, 11, 1, 9, tzinfo=BXL) in [d.dt for d in gone["EXDATE"].dts]  # All Saints' Day
