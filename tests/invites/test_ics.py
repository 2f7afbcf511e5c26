"""What a calendar (Outlook, Gmail, Apple) shows from our .ics: parsed back and expanded like a client would."""

import datetime as dt

import pytest
import recurring_ical_events
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from planner.invites import ics
from planner.invites.rules import Slot, part_uids, series_shape
from planner.modules.rules.recurrence import Recurrence, candidate_dates, local_span
from tests.invites.series import BXL, ELEVEN, NINE, ROOM, UTC, planned, replace, weekly

CPAS = ics.Person("insertion@cpas-namur.be", "CPAS de Namur")
ANN = ics.Person("ann.peeters@example.org", "Ann Peeters")
STAMP = dt.datetime(2026, 1, 15, 8, 30, tzinfo=UTC)


UID = "planner-m7-e12@planner.example.org"


def event(shape, sequence=0, uid=UID, attendee=ANN):
    return ics.SeriesEvent(uid=uid, sequence=sequence, summary="Atelier CV", description="Apportez votre CV.",
                           shape=shape, organizer=CPAS, attendee=attendee, stamp=STAMP,
                           cancelled_summary="Annulé : Atelier CV")


def invite(rule, slots, first_day=None, last_day=None):
    return invitations(series_shape(rule, slots, first_day, last_day))


def invitations(shape):
    """Every invitation the reader gets for the shape, one per event (UID), put together in one calendar."""
    bodies = [ics.invitation("REQUEST", event(shape), uid) for uid in part_uids(shape, UID)]
    for body in bodies:  # Outlook reads the first event of an invitation only
        assert len({str(v["UID"]) for v in Calendar.from_ical(body).walk("VEVENT")}) == 1
    cal = Calendar.from_ical(bodies[0])
    for body in bodies[1:]:
        for vevent in Calendar.from_ical(body).walk("VEVENT"):
            cal.add_component(vevent)
    return cal.to_ical()


def occurrences(body):
    """(start, end, status, location) of every instance a client shows, cancelled ones included."""
    cal = Calendar.from_ical(body)
    found = recurring_ical_events.of(cal).between(dt.date(2020, 1, 1), dt.date(2030, 1, 1))
    return sorted((o["DTSTART"].dt, o["DTEND"].dt, str(o["STATUS"]), str(o["LOCATION"])) for o in found)


def shown(body):
    return [(start, end) for start, end, status, _ in occurrences(body) if status != "CANCELLED"]


def cancelled(body):
    return [(start, end) for start, end, status, _ in occurrences(body) if status == "CANCELLED"]


def spans(slots):
    return sorted(local_span(s.day, s.starts_at, s.ends_at) for s in slots if not s.cancelled)


def vevents(body):
    return Calendar.from_ical(body).walk("VEVENT")


def test_a_weekly_series_skips_belgian_holidays_and_keeps_its_time_across_dst():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 6, 29), 0)
    slots = planned(rule)
    body = invite(rule, slots)

    assert shown(body) == spans(slots)
    days = [start.date() for start, _ in shown(body)]
    assert dt.date(2026, 4, 6) not in days  # Easter Monday
    assert dt.date(2026, 5, 25) not in days  # Whit Monday
    assert len(days) == 16
    master = vevents(body)[0]
    assert [d.dt for d in master["EXDATE"].dts] == [dt.datetime(2026, 4, 6, 9, tzinfo=BXL),
                                                   dt.datetime(2026, 5, 25, 9, tzinfo=BXL)]
    first, *_, last = shown(body)
    assert first[0].utcoffset() == dt.timedelta(hours=1)  # winter
    assert last[0].utcoffset() == dt.timedelta(hours=2)  # summer, still 09:00 on the wall clock
    assert {start.time() for start, _ in shown(body)} == {NINE}


def test_every_two_weeks_on_tuesday_and_thursday():
    # starts on a Thursday: the first week has only Thursday, then every other week both days
    rule = weekly(dt.date(2026, 1, 8), dt.date(2026, 7, 2), 1, 3, interval=2)
    slots = planned(rule)
    body = invite(rule, slots)

    assert shown(body) == spans(slots)
    assert [s.day for s in slots][:3] == [dt.date(2026, 1, 8), dt.date(2026, 1, 20), dt.date(2026, 1, 22)]
    assert dt.date(2026, 5, 14) not in [s.day for s in slots]  # Ascension fell on an "on" Thursday
    assert dt.datetime(2026, 5, 14, 9, tzinfo=BXL) in [d.dt for d in vevents(body)[0]["EXDATE"].dts]


def test_monthly_on_the_last_friday_skips_christmas():
    rule = Recurrence("monthly", dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.time(13, 30), dt.time(16),
                      nth=-1, weekday=4)
    slots = planned(rule)
    body = invite(rule, slots)

    assert shown(body) == spans(slots)
    assert len(shown(body)) == 11  # 25 December 2026 is the last Friday, and a holiday
    assert "BYDAY=-1FR" in body.decode()


def test_monthly_on_the_second_tuesday():
    rule = Recurrence("monthly", dt.date(2026, 2, 1), dt.date(2026, 11, 30), NINE, ELEVEN, nth=2, weekday=1)
    slots = planned(rule)
    assert shown(invite(rule, slots)) == spans(slots)


def test_a_moved_session_shows_on_its_new_day_and_time_only():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 4, 27), 0)
    slots = replace(planned(rule), 3, day=dt.date(2026, 3, 18), starts_at=dt.time(14), ends_at=dt.time(16, 30),
                    original_day=dt.date(2026, 3, 16))
    body = invite(rule, slots)

    assert shown(body) == spans(slots)
    starts = [start for start, _ in shown(body)]
    assert dt.datetime(2026, 3, 18, 14, tzinfo=BXL) in starts
    assert dt.datetime(2026, 3, 16, 9, tzinfo=BXL) not in starts
    moved = [v for v in vevents(body) if "RECURRENCE-ID" in v]
    assert [v["RECURRENCE-ID"].dt for v in moved] == [dt.datetime(2026, 3, 16, 9, tzinfo=BXL)]


def test_a_session_in_another_room_shows_that_room_and_the_others_the_usual_one():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 3, 30), 0)
    elsewhere = "Salle 2, Rue de Fer 1, 5000 Namur"
    slots = replace(planned(rule), 2, location=elsewhere)
    occ = occurrences(invite(rule, slots))

    assert [(start, end) for start, end, _, _ in occ] == spans(slots)
    assert [location for start, _, _, location in occ if start.date() == dt.date(2026, 3, 9)] == [elsewhere]
    assert {location for start, _, _, location in occ if start.date() != dt.date(2026, 3, 9)} == {ROOM}


def test_a_cancelled_session_shows_as_cancelled_at_its_time_not_as_planned():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 3, 30), 0)
    slots = replace(planned(rule), 2, cancelled=True)
    body = invite(rule, slots)

    assert shown(body) == spans(slots)
    assert cancelled(body) == [local_span(dt.date(2026, 3, 9), NINE, ELEVEN)]
    assert len(occurrences(body)) == 5  # the cancelled one replaces its instance, nothing is added
    override = [v for v in vevents(body) if "RECURRENCE-ID" in v]
    assert [(str(v["STATUS"]), v["RECURRENCE-ID"].dt) for v in override] == [
        ("CANCELLED", dt.datetime(2026, 3, 9, 9, tzinfo=BXL))]
    assert "EXDATE" not in vevents(body)[0]


def test_a_cancelled_session_or_event_says_cancelled_in_its_title_too():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 3, 30), 0)
    slots = [*replace(planned(rule), 2, cancelled=True), Slot(99, dt.date(2026, 3, 19), NINE, ELEVEN, cancelled=True)]
    body = invite(rule, slots)

    titles = {(str(v["SUMMARY"]), str(v["STATUS"])) for v in vevents(body)}
    assert titles == {("Atelier CV", "CONFIRMED"), ("Annulé : Atelier CV", "CANCELLED")}
    assert len([v for v in vevents(body) if str(v["STATUS"]) == "CANCELLED"]) == 2  # the override and the single
    cancel = ics.invitation("CANCEL", event(series_shape(rule, slots)))
    assert [str(v["SUMMARY"]) for v in vevents(cancel)] == ["Annulé : Atelier CV"]


def test_a_session_added_by_hand_off_the_rule_shows_with_its_own_times():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 3, 30), 0)
    extra = Slot(99, dt.date(2026, 3, 19), dt.time(13), dt.time(17), location=ROOM)
    slots = [*planned(rule), extra]
    body = invite(rule, slots)

    assert shown(body) == spans(slots)
    assert (dt.datetime(2026, 3, 19, 13, tzinfo=BXL), dt.datetime(2026, 3, 19, 17, tzinfo=BXL)) in shown(body)
    # an event of its own (Outlook and Google lose RDATEs), with a UID that stays the session's
    assert b"RDATE" not in body
    [single] = [v for v in vevents(body) if str(v["UID"]) == "planner-m7-e12-s99@planner.example.org"]
    assert "RRULE" not in single and "RECURRENCE-ID" not in single
    assert single["DTSTART"].dt == dt.datetime(2026, 3, 19, 13, tzinfo=BXL)
    assert {v["SEQUENCE"] for v in vevents(body)} == {0}


def test_a_session_added_before_the_rule_starts_is_shown_too():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 3, 30), 0)
    slots = [Slot(99, dt.date(2026, 2, 26), NINE, ELEVEN, location=ROOM), *planned(rule)]
    assert shown(invite(rule, slots)) == spans(slots)


def test_a_session_moved_onto_a_holiday_is_shown_on_the_holiday():
    # Easter Monday has no session (EXDATE 06/04 09:00); the session of 13/04 is moved to that very instant
    rule = weekly(dt.date(2026, 3, 30), dt.date(2026, 4, 27), 0)
    slots = replace(planned(rule), 2, day=dt.date(2026, 4, 6), original_day=dt.date(2026, 4, 13))
    body = invite(rule, slots)

    assert shown(body) == spans(slots)
    assert dt.date(2026, 4, 6) in [start.date() for start, _ in shown(body)]
    assert dt.date(2026, 4, 13) not in [start.date() for start, _ in shown(body)]
    # the holiday's instant is used, not excluded: an override sitting on an EXDATE instant would rely on every
    # client applying EXDATE to recurrence ids only
    assert [d.dt for d in vevents(body)[0]["EXDATE"].dts] == [dt.datetime(2026, 4, 13, 9, tzinfo=BXL)]


def test_an_enrolment_from_mid_series_to_an_early_end_shows_only_that_window():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 6, 29), 0)
    slots = planned(rule)
    body = invite(rule, slots, first_day=dt.date(2026, 3, 25), last_day=dt.date(2026, 5, 10))

    window = [s for s in slots if dt.date(2026, 3, 25) <= s.day <= dt.date(2026, 5, 10)]
    assert shown(body) == spans(window)
    master = vevents(body)[0]
    assert master["DTSTART"].dt == dt.datetime(2026, 3, 30, 9, tzinfo=BXL)
    assert master["RRULE"]["UNTIL"] == [dt.datetime(2026, 5, 4, 7, tzinfo=UTC)]


def test_a_module_with_only_hand_added_sessions_is_a_set_of_single_events():
    slots = [Slot(1, dt.date(2026, 3, 3), NINE, ELEVEN, location=ROOM),
             Slot(2, dt.date(2026, 3, 12), dt.time(14), dt.time(15, 30), location=ROOM),
             Slot(3, dt.date(2026, 4, 2), NINE, ELEVEN, location="Salle 2"),
             Slot(4, dt.date(2026, 4, 9), NINE, ELEVEN, location=ROOM, cancelled=True)]
    body = invite(None, slots)

    assert shown(body) == spans(slots)
    assert cancelled(body) == [local_span(dt.date(2026, 4, 9), NINE, ELEVEN)]
    assert not any("RRULE" in v or "RDATE" in v or "RECURRENCE-ID" in v for v in vevents(body))
    assert sorted(str(v["UID"]) for v in vevents(body)) == [f"planner-m7-e12-s{n}@planner.example.org"
                                                            for n in (1, 2, 3, 4)]


def test_all_day_sessions_are_whole_days():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 4, 30), 0, starts_at=dt.time(0), ends_at=dt.time(23, 59))
    slots = replace(planned(rule), 3, cancelled=True)
    slots.append(Slot(99, dt.date(2026, 3, 11), dt.time(0), dt.time(23, 59), location=ROOM))
    body = invite(rule, slots)

    expected = sorted((s.day, s.day + dt.timedelta(days=1)) for s in slots if not s.cancelled)
    assert shown(body) == expected
    assert cancelled(body) == [(dt.date(2026, 3, 16), dt.date(2026, 3, 17))]
    text = body.decode()
    assert "DTSTART;VALUE=DATE:20260302" in text
    assert "EXDATE;VALUE=DATE:20260406" in text
    assert "RRULE:FREQ=WEEKLY;UNTIL=20260427;" in text


def test_cancelling_the_series_keeps_the_uid_with_a_higher_sequence():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 3, 30), 0)
    slots = replace(planned(rule), 2, cancelled=True)
    shape = series_shape(rule, slots)
    request = Calendar.from_ical(ics.invitation("REQUEST", event(shape, sequence=2)))
    cancel = Calendar.from_ical(ics.invitation("CANCEL", event(shape, sequence=3)))

    assert str(cancel["METHOD"]) == "CANCEL"
    [master] = cancel.walk("VEVENT")  # the master alone removes the whole series
    assert str(master["UID"]) == str(request.walk("VEVENT")[0]["UID"])
    assert master["SEQUENCE"] == 3
    assert str(master["STATUS"]) == "CANCELLED"
    assert str(master["ATTENDEE"]) == "mailto:ann.peeters@example.org"


def test_an_invitation_holds_one_event_and_a_cancellation_removes_one_whole():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 3, 30), 0)
    extra = Slot(99, dt.date(2026, 3, 19), dt.time(13), dt.time(17), location=ROOM)
    shape = series_shape(rule, [*replace(planned(rule), 2, cancelled=True), extra])
    single = "planner-m7-e12-s99@planner.example.org"

    assert part_uids(shape, UID) == (UID, single)
    assert [str(v["UID"]) for v in vevents(ics.invitation("REQUEST", event(shape)))] == [UID, UID]  # with its override
    [request] = vevents(ics.invitation("REQUEST", event(shape, sequence=4), single))
    assert (str(request["UID"]), request["SEQUENCE"]) == (single, 4)
    [cancel] = vevents(ics.invitation("CANCEL", event(shape, sequence=4), single))
    assert (str(cancel["UID"]), cancel["SEQUENCE"], str(cancel["STATUS"])) == (single, 4, "CANCELLED")
    assert "RECURRENCE-ID" not in cancel and cancel["DTSTART"].dt == dt.datetime(2026, 3, 19, 13, tzinfo=BXL)
    [gone] = vevents(ics.invitation("CANCEL", event(shape), "planner-m7-e12-s98@planner.example.org"))
    assert "DTSTART" not in gone  # a session that is gone: its UID is enough to remove it
    with pytest.raises(ValueError):
        ics.invitation("REQUEST", event(shape), "planner-m7-e12-s98@planner.example.org")


def test_the_request_and_its_overrides_share_uid_and_sequence():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 3, 30), 0)
    slots = replace(replace(planned(rule), 2, cancelled=True), 4, location="Salle 2")
    cal = Calendar.from_ical(ics.invitation("REQUEST", event(series_shape(rule, slots), sequence=5)))

    assert str(cal["METHOD"]) == "REQUEST"
    found = cal.walk("VEVENT")
    assert len(found) == 3
    assert {(str(v["UID"]), v["SEQUENCE"]) for v in found} == {("planner-m7-e12@planner.example.org", 5)}
    for v in found:
        attendee = v["ATTENDEE"]
        assert (attendee.params["CN"], attendee.params["ROLE"], attendee.params["PARTSTAT"],
                attendee.params["RSVP"]) == ("Ann Peeters", "REQ-PARTICIPANT", "NEEDS-ACTION", "FALSE")
        assert (str(v["ORGANIZER"]), v["ORGANIZER"].params["CN"]) == ("mailto:insertion@cpas-namur.be",
                                                                      "CPAS de Namur")
        for name in ("DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "LOCATION", "STATUS"):
            assert name in v
        assert str(v["TRANSP"]) == "OPAQUE"
        assert v["DTSTART"].params["TZID"] == "Europe/Brussels"


def test_the_brussels_timezone_is_embedded_in_its_rrule_form():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 3, 30), 0)
    body = invite(rule, planned(rule))
    cal = Calendar.from_ical(body)

    [vtimezone] = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Brussels"
    assert [str(c["RRULE"].to_ical(), "ascii") for c in vtimezone.subcomponents] == [
        "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"]
    assert not any("RDATE" in c for c in vtimezone.subcomponents)  # not the 1970-2038 lists ical.js misreads
    assert cal.get_missing_tzids() == set()
    assert (str(cal["PRODID"]), str(cal["VERSION"]), str(cal["CALSCALE"])) == (
        "-//planner//planner//EN", "2.0", "GREGORIAN")


def test_the_text_calendar_part_is_valid_rfc5545_text():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 6, 29), 0, 3)
    long_place = "Salle polyvalente « Les Tilleuls », Chaussée de Charleroi 125, 5000 Namur"  # folds, multi-byte
    slots = replace(planned(rule), 2, location=long_place)
    body = invite(rule, slots)

    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75  # folded, in octets
    assert Calendar.from_ical(body.decode("utf-8")).to_ical() == body  # parses back to the same calendar


def test_the_feed_publishes_every_series_with_cancelled_sessions_marked():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 3, 30), 0)
    cv = series_shape(rule, replace(planned(rule), 2, cancelled=True))
    cooking = series_shape(None, [Slot(50, dt.date(2026, 3, 5), dt.time(14), dt.time(16), location="Cuisine")])
    events = [event(cv, attendee=None), event(cooking, uid="planner-m8-e3@planner.example.org", attendee=None)]
    body = ics.feed(events, "Ann Peeters — CPAS de Namur")
    cal = Calendar.from_ical(body)

    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == str(cal["NAME"]) == "Ann Peeters — CPAS de Namur"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in body
    assert cal.get_missing_tzids() == set()
    assert not any("ATTENDEE" in v for v in cal.walk("VEVENT"))
    assert len(shown(body)) == 5
    assert cancelled(body) == [local_span(dt.date(2026, 3, 9), NINE, ELEVEN)]
    # the same input gives the same bytes, whatever order the series came in
    assert ics.feed(list(reversed(events)), "Ann Peeters — CPAS de Namur") == body


def test_an_empty_feed_is_still_a_valid_calendar():
    cal = Calendar.from_ical(ics.feed([], "Ann"))
    assert cal.walk("VEVENT") == []
    assert cal.get_missing_tzids() == set()


# -- for any weekly module, what the calendar shows is what is planned ---------------------------------------

CHANGES = st.sampled_from(["keep", "keep", "keep", "remove", "cancel", "move", "retime", "room"])


@st.composite
def modules(draw):
    start = dt.date(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 365)))
    end = start + dt.timedelta(weeks=draw(st.integers(1, 30)))
    weekdays = tuple(draw(st.sets(st.integers(0, 6), min_size=1, max_size=3)))
    hour = draw(st.integers(7, 18))
    rule = Recurrence("weekly", start, end, dt.time(hour), dt.time(hour + draw(st.integers(1, 3))),
                      weekdays=weekdays, interval=draw(st.integers(1, 3)))
    slots = []
    for n, day in enumerate(candidate_dates(rule), start=1):
        change = draw(CHANGES)
        slot = Slot(n, day, rule.starts_at, rule.ends_at, location=ROOM)
        if change == "remove":  # a holiday or closure: no session that day
            continue
        if change == "cancel":
            slot = Slot(n, day, rule.starts_at, rule.ends_at, cancelled=True, location=ROOM)
        elif change == "move":
            new_day = day + dt.timedelta(days=draw(st.integers(-6, 6)))
            new_hour = draw(st.integers(7, 19))
            slot = Slot(n, new_day, dt.time(new_hour), dt.time(new_hour + 2), original_day=day, location=ROOM)
        elif change == "retime":
            slot = Slot(n, day, rule.starts_at, dt.time(rule.ends_at.hour, 45), location=ROOM)
        elif change == "room":
            slot = Slot(n, day, rule.starts_at, rule.ends_at, location="Salle 2")
        slots.append(slot)
    for n in range(draw(st.integers(0, 2))):  # added by hand, anywhere near the series
        day = start + dt.timedelta(days=draw(st.integers(-10, (end - start).days + 10)))
        slots.append(Slot(1000 + n, day, dt.time(draw(st.integers(7, 19))), dt.time(21), location=ROOM))
    first_day = draw(st.none() | st.just(start + dt.timedelta(days=draw(st.integers(0, 60)))))
    last_day = draw(st.none() | st.just(end - dt.timedelta(days=draw(st.integers(0, 60)))))
    return rule, slots, first_day, last_day


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_the_calendar_shows_exactly_the_planned_sessions(module):
    rule, slots, first_day, last_day = module
    window = [s for s in slots if (first_day is None or first_day <= s.day) and (last_day is None or s.day <= last_day)]
    starts = [local_span(s.day, s.starts_at, s.ends_at)[0] for s in window if not s.cancelled]
    # recurring-ical-events (3.8.2), the "client" here, keys each instance by its UTC time and by its wall
    # time, both without zone: a session at 12:00 CEST (10:00 UTC) is taken for the one at 10:00 CEST when
    # that one is an override, and disappears. The .ics is right; that reader cannot tell the two apart.
    wall_and_utc = {s.replace(tzinfo=None) for s in starts} & {s.astimezone(UTC).replace(tzinfo=None) for s in starts}
    assume(not wall_and_utc)
    shape = series_shape(rule, slots, first_day, last_day)
    if not window:
        assert shape is None
        return
    body = invitations(shape)

    assert shown(body) == spans(window)
    assert sorted(cancelled(body)) == spans([Slot(**{**s.__dict__, "cancelled": False}) for s in window if s.cancelled])
    assert b"RDATE" not in body
