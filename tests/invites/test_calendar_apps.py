"""Invitations and feeds as Outlook, Google, Apple and Thunderbird receive them, for a module with awkward names:
through a real SMTP server (aiosmtpd) and the feed route, parsed with the standard library and icalendar, expanded
with recurring-ical-events. Both engines."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from email import message_from_bytes, policy

import icalendar
import recurring_ical_events

from planner.enrolment.tables import Enrolment
from planner.invites.tables import OutboxMail
from planner.modules import actions as modules
from planner.modules.rules.recurrence import Recurrence, plan_dates
from planner.modules.tables import Module, Session
from planner.orgs.tables import Room, Site
from planner.people.tables import Beneficiary
from tests.conftest import login, post
from tests.invites.test_invites import deliver, feed_link, keep_raw
from tests.invites.test_itip import Client

BXL = zoneinfo.ZoneInfo("Europe/Brussels")
# Sundays of autumn 2026: 25 October is the day the clocks go back; 1 November (All Saints) is a holiday
RULE = Recurrence(kind="weekly", start=dt.date(2026, 10, 4), end=dt.date(2026, 11, 29), starts_at=dt.time(9, 30),
                  ends_at=dt.time(12, 30), weekdays=(6,))
# pasted from a document: a line break and a control character in a one-line field
TITLE = "Zinderin(g) – groupe de femmes; Parler pour agir, FLE \\ 🌷\r\nArbeitsmarktintegrationsmaßnahmen\x0b"
SHOWN_TITLE = "Zinderin(g) – groupe de femmes; Parler pour agir, FLE \\ 🌷\nArbeitsmarktintegrationsmaßnahmen"


async def awkward(world) -> None:
    """Zoé with quotes, a comma, a semicolon and a colon in her name; the module planned on Sundays from
    4 October, enrolled from September; the session of 25 October cancelled, the one of 18 October moved."""
    await Site.update({Site.street: "Rue de l'Église 12, bte 3", Site.postcode: "5000", Site.city: "Namur"}).where(
        Site.id.is_in(Room.select(Room.site).where(Room.id == world.room)))
    await Room.update({Room.name: "Salle « Forêt »; 2ᵉ étage"}).where(Room.id == world.room)
    await Beneficiary.update({Beneficiary.first_name: 'Zoé "Zozo"', Beneficiary.last_name: "D'Hondt, Van; Der:Berg"}
                             ).where(Beneficiary.id == world.beneficiary)
    await Enrolment.update({Enrolment.start_date: dt.date(2026, 9, 1)}).where(Enrolment.id == world.enrolment)
    await Module.update({Module.title: TITLE, Module.bring: "Un stylo;\r\nun cahier"}).where(Module.id == world.module)
    await OutboxMail.delete().where(OutboxMail.id == world.mail)
    await Session.delete().where(Session.module == world.module)
    await modules.save_schedule(world.module, RULE, plan_dates(RULE, "brussels", {}, "fr")[0], world.room)


async def session_on(world, day: dt.date) -> int:
    found = await Session.select(Session.id).where((Session.module == world.module) & (Session.day == day)).first()
    return found["id"]


def calendar_part(message):
    return next(p for p in message.walk() if p.get_content_type() == "text/calendar")


def occurrences(cal: icalendar.Calendar) -> dict[dt.datetime, tuple[dt.datetime, str]]:
    found = recurring_ical_events.of(cal).between(dt.date(2026, 9, 1), dt.date(2027, 1, 1))
    return {o["DTSTART"].dt: (o["DTEND"].dt, str(o["STATUS"])) for o in found}


def expected_sessions() -> dict[dt.datetime, tuple[dt.datetime, str]]:
    days = plan_dates(RULE, "brussels", {}, "fr")[0]
    shown = {dt.datetime.combine(d, RULE.starts_at, tzinfo=BXL): (dt.datetime.combine(d, RULE.ends_at, tzinfo=BXL),
                                                                  "CONFIRMED") for d in days}
    del shown[dt.datetime(2026, 10, 18, 9, 30, tzinfo=BXL)]
    shown[dt.datetime(2026, 10, 20, 14, tzinfo=BXL)] = (dt.datetime(2026, 10, 20, 16, tzinfo=BXL), "CONFIRMED")
    shown[dt.datetime(2026, 10, 25, 9, 30, tzinfo=BXL)] = (dt.datetime(2026, 10, 25, 12, 30, tzinfo=BXL), "CANCELLED")
    return shown


async def change_schedule(world) -> None:
    await modules.cancel_session(await session_on(world, dt.date(2026, 10, 25)), "ill")
    await modules.move_session(await session_on(world, dt.date(2026, 10, 18)), dt.date(2026, 10, 20), dt.time(14),
                               dt.time(16), world.room)


async def test_every_mail_is_an_itip_invitation_outlook_and_apple_accept(world, smtp):
    raw = keep_raw(smtp)
    await awkward(world)
    await change_schedule(world)
    await deliver(smtp)
    zoe = Client()
    assert len(raw) == 6  # Zoé and Fred: the invitation, then one update per change
    for data in raw:
        message = message_from_bytes(data, policy=policy.default)
        [to] = message["To"].addresses  # one address, whatever the name holds
        assert to.addr_spec in ("zoe.q@mail.example", "fred@rivebelle.example")
        assert "\n" not in str(message["Subject"]) and "Arbeitsmarktintegrationsmaßnahmen" in str(message["Subject"])
        # multipart/mixed > (multipart/alternative > plain, html, calendar) + the .ics attached
        assert message.get_content_type() == "multipart/mixed"
        alternative, attached = message.get_payload()
        assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html",
                                                                             "text/calendar"]
        part = calendar_part(message)
        cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        assert part.get_param("method") == str(cal["METHOD"]) and part.get_param("charset") == "utf-8"
        assert attached.get_content_type() == "application/ics"
        assert attached.get_filename() == attached.get_param("name") == "invite.ics"
        for vevent in cal.walk("VEVENT"):
            assert str(vevent["ORGANIZER"]) == "mailto:planner@localhost"
            assert str(vevent["ATTENDEE"]) == f"mailto:{to.addr_spec}"
            assert str(vevent["SUMMARY"]).endswith(SHOWN_TITLE)
            assert "LOCATION" not in vevent or str(vevent["LOCATION"]).startswith("Salle « Forêt »; 2ᵉ étage, Rue")
        if to.addr_spec == "zoe.q@mail.example":
            assert to.display_name == 'Zoé "Zozo" D\'Hondt, Van; Der:Berg'
            assert vevent["ATTENDEE"].params["CN"] == "Zoé 'Zozo' D'Hondt, Van; Der:Berg"
            zoe.apply(str(cal["METHOD"]), cal)
        else:  # the facilitator's mails say nothing of the participants
            assert b"zoe.q@mail.example" not in data and b"Hondt" not in data and b"Zozo" not in data
    assert occurrences(zoe.calendar()) == expected_sessions()


async def test_the_feed_keeps_cancelled_sessions_and_raises_sequence_on_every_change(client, world):
    await awkward(world)
    path = (await feed_link(client, world)).removeprefix("http://127.0.0.1:8000")
    client.cookies.clear()
    first = await client.get(path)
    assert first.status_code == 200
    assert first.headers["content-type"].replace(" ", "") == "text/calendar;charset=utf-8"
    assert "set-cookie" not in first.headers  # a calendar app polls; it is handed no cookie
    cal = icalendar.Calendar.from_ical(first.content)
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Brussels" and str(cal["X-WR-CALNAME"]) == str(cal["NAME"])
    [master] = cal.walk("VEVENT")
    assert str(master["SUMMARY"]) == SHOWN_TITLE and "ATTENDEE" not in master

    await change_schedule(world)
    second = await client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200 and second.headers["etag"] != first.headers["etag"]
    cal = icalendar.Calendar.from_ical(second.content)
    assert {str(v["UID"]) for v in cal.walk("VEVENT")} == {str(master["UID"])}  # the UID stays
    # a subscribed client replaces an event only when its SEQUENCE rose
    assert {v["SEQUENCE"] for v in cal.walk("VEVENT")} == {master["SEQUENCE"] + 1}
    assert occurrences(cal) == expected_sessions()  # the cancelled session is there, as CANCELLED

    assert (await client.get(path, headers={"If-None-Match": second.headers["etag"]})).status_code == 304
    head = await client.head(path)
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == second.headers["etag"]
    await modules.restore_session(await session_on(world, dt.date(2026, 10, 25)))
    third = icalendar.Calendar.from_ical((await client.get(path)).content)
    assert {v["SEQUENCE"] for v in third.walk("VEVENT")} == {master["SEQUENCE"] + 2}

    await login(client, world.coordinator)
    assert (await post(client, f"/people/{world.beneficiary}/calendar/feed/revoke", htmx=True)).status_code == 200
    client.cookies.clear()
    assert (await client.get(path)).status_code == 410  # the phone drops the subscription
    assert (await client.head(path)).status_code == 410


async def test_a_feed_written_differently_after_an_upgrade_reaches_phones_that_hold_the_old_one(client, world,
                                                                                                 monkeypatch):
    from planner.invites import actions as invites
    from planner.invites import ics

    await awkward(world)
    path = (await feed_link(client, world)).removeprefix("http://127.0.0.1:8000")
    client.cookies.clear()
    before = await client.get(path)
    [event] = icalendar.Calendar.from_ical(before.content).walk("VEVENT")
    monkeypatch.setattr(ics, "FEED_FORMAT", ics.FEED_FORMAT + 1)  # the next release writes feeds differently
    await invites.forget_all_feeds()  # what `migrate` does
    after = await client.get(path, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    [again] = icalendar.Calendar.from_ical(after.content).walk("VEVENT")
    assert (str(again["UID"]), again["SEQUENCE"]) == (str(event["UID"]), event["SEQUENCE"] + 1)


async def test_a_facilitators_own_feed_follows_the_changes_of_the_module_they_lead(client, world):
    import re

    await awkward(world)
    await login(client, world.facilitator)
    issued = await post(client, "/my-calendar/feed", {"action": "renew"})
    path = re.search(r"/feed/[\w-]{43}\.ics", issued.text).group(0)
    client.cookies.clear()
    first = await client.get(path)
    assert first.status_code == 200 and "set-cookie" not in first.headers
    [master] = icalendar.Calendar.from_ical(first.content).walk("VEVENT")
    assert str(master["UID"]).startswith(f"planner-m{world.module}-u{world.facilitator['id']}@")
    assert "ATTENDEE" not in master and b"zoe.q@mail.example" not in first.content and b"Hondt" not in first.content

    await change_schedule(world)
    second = await client.get(path)
    cal = icalendar.Calendar.from_ical(second.content)
    assert {v["SEQUENCE"] for v in cal.walk("VEVENT")} == {master["SEQUENCE"] + 1}
    assert occurrences(cal) == expected_sessions()

    await login(client, world.facilitator)
    await post(client, "/my-calendar/feed", {"action": "revoke"})
    client.cookies.clear()
    assert (await client.get(path)).status_code == 410
