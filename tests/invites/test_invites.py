"""Invitations as participants and facilitators receive them: through a real SMTP server, parsed with the
standard library, the calendar expanded with icalendar + recurring-ical-events."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest
import recurring_ical_events

from planner.attendance.tables import Mark, MarkEvent
from planner.enrolment import actions as enrolment
from planner.invites.tables import CalendarLink, OutboxMail
from planner.invites.worker import send_due
from planner.modules import actions as modules
from planner.modules.rules.recurrence import Recurrence, plan_dates
from planner.modules.tables import Module, ModuleFacilitator, Session
from tests.conftest import login, make_beneficiary, post

BXL = zoneinfo.ZoneInfo("Europe/Brussels")
# Mondays from 7 December 2026 to 29 March 2027: Easter Monday (29 March) is skipped.
RULE = Recurrence(kind="weekly", start=dt.date(2026, 12, 7), end=dt.date(2027, 3, 29), starts_at=dt.time(9, 30),
                  ends_at=dt.time(12, 30), weekdays=(0,))
DAYS, SKIPPED = plan_dates(RULE, "brussels", {}, "fr")


def at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=BXL)


async def deliver(server) -> int:
    """Send everything due now through the test SMTP server."""
    return await send_due(server.config(retry_seconds=0.01))


def calendar_of(message) -> tuple[str, icalendar.Calendar]:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return part.get_param("method"), icalendar.Calendar.from_ical(part.get_content())


def occurrences(cal: icalendar.Calendar) -> list[tuple[dt.datetime, dt.datetime, str]]:
    events = recurring_ical_events.of(cal).between(dt.datetime(2026, 1, 1, tzinfo=BXL),
                                                    dt.datetime(2028, 1, 1, tzinfo=BXL))
    return sorted((e["DTSTART"].dt, e["DTEND"].dt, str(e.get("STATUS", "CONFIRMED"))) for e in events)


def planned(cal: icalendar.Calendar) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(s, e) for s, e, status in occurrences(cal) if status != "CANCELLED"]


def master(cal: icalendar.Calendar) -> icalendar.Event:
    return next(e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e)


async def plan(world) -> None:
    await OutboxMail.delete().where(OutboxMail.id == world.mail)  # the fixture's own sample mail
    await Module.update({Module.bring: "Un stylo"}).where(Module.id == world.module)
    await Session.delete().where(Session.module == world.module)
    await modules.save_schedule(world.module, RULE, DAYS, world.room)


async def add_person(world, first: str, language: str, email: str, start: dt.date | None = None) -> int:
    person = await make_beneficiary(world.rivebelle, first, "Test", language=language, email=email)
    enrolment_id = await enrolment.propose(world.module, person, world.rivebelle, "", world.coordinator["id"])
    await Module.update({Module.capacity: 10}).where(Module.id == world.module)
    outcome = await enrolment.accept(enrolment_id, world.coordinator["id"], start, "")
    assert outcome.decision.outcome == "enrol"
    return enrolment_id


async def test_planning_invites_the_enrolled_participant_and_the_facilitator_once(world, smtp):
    controller, inbox = smtp, smtp.inbox
    await plan(world)
    assert await deliver(controller) == 2
    assert await deliver(controller) == 0  # nothing twice
    [zoe] = inbox.to("zoe.q@mail.example")
    [fred] = inbox.to("fred@rivebelle.example")
    method, cal = calendar_of(zoe)
    assert method == "REQUEST" and cal["METHOD"] == "REQUEST"
    assert planned(cal) == [(at(d, dt.time(9, 30)), at(d, dt.time(12, 30))) for d in DAYS]
    assert dt.date(2027, 3, 29) not in {s.date() for s, _e in planned(cal)}  # Easter Monday is not in it
    assert cal.get_missing_tzids() == set() and cal.walk("VTIMEZONE")
    event = master(cal)
    assert "mailto:zoe.q@mail.example" in str(event["ATTENDEE"])
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert event["SEQUENCE"] == 0
    # the participant's language (French), whoever clicked; plain text and HTML both there
    assert zoe["Subject"] == "Invitation : Switch activation group" or zoe["Subject"].startswith("Invitation")
    assert zoe["Content-Language"] == "fr"
    body = zoe.get_body(preferencelist=("plain",)).get_content()
    assert "Un stylo" in body and "Fred" in body and "Salle Meuse" in body
    assert zoe.get_body(preferencelist=("html",)) is not None
    assert "Facilitator" not in body  # no English in a French mail
    assert calendar_of(fred)[1].walk("VEVENT")[0]["UID"] != event["UID"]


async def test_accepting_one_more_participant_mails_only_them_in_their_language(world, smtp):
    controller, inbox = smtp, smtp.inbox
    await plan(world)
    await deliver(controller)
    before = len(inbox.messages)
    await add_person(world, "Nina", "nl", "nina@mail.example")
    assert await deliver(controller) == 1
    assert len(inbox.messages) == before + 1
    [nina] = inbox.to("nina@mail.example")
    assert nina["Content-Language"] == "nl" and nina["Subject"].startswith("Uitnodiging")
    body = nina.get_body(preferencelist=("plain",)).get_content()
    assert "Begeleider" in body or "begeleider" in body.lower()


async def test_a_moved_and_a_cancelled_session_update_the_same_invitation_for_those_concerned(world, smtp):
    controller, inbox = smtp, smtp.inbox
    await plan(world)
    # Nina joins in February: a December change is none of her business
    await add_person(world, "Nina", "en", "nina@mail.example", start=dt.date(2027, 2, 1))
    await deliver(controller)
    [first] = inbox.to("zoe.q@mail.example")
    uid = master(calendar_of(first)[1])["UID"]

    december = await Session.select(Session.id).where((Session.module == world.module)
                                                       & (Session.day == dt.date(2026, 12, 14))).first()
    await modules.move_session(december["id"], dt.date(2026, 12, 15), dt.time(13, 0), dt.time(16, 0), world.room)
    assert await deliver(controller) == 2  # Zoé and Fred, not Nina
    assert len(inbox.to("nina@mail.example")) == 1
    update = inbox.to("zoe.q@mail.example")[-1]
    method, cal = calendar_of(update)
    assert method == "REQUEST" and master(cal)["UID"] == uid and master(cal)["SEQUENCE"] == 1
    assert all(e["UID"] == uid and e["SEQUENCE"] == 1 for e in cal.walk("VEVENT"))
    starts = [s for s, _e in planned(cal)]
    assert at(dt.date(2026, 12, 15), dt.time(13, 0)) in starts
    assert at(dt.date(2026, 12, 14), dt.time(9, 30)) not in starts
    assert len(starts) == len(DAYS)  # moved, not added

    february = await Session.select(Session.id).where((Session.module == world.module)
                                                       & (Session.day == dt.date(2027, 2, 8))).first()
    await modules.cancel_session(february["id"], "Facilitator ill")
    assert await deliver(controller) == 3  # now Nina too
    method, cal = calendar_of(inbox.to("zoe.q@mail.example")[-1])
    assert master(cal)["UID"] == uid and master(cal)["SEQUENCE"] == 2  # keeps going up after the second change
    cancelled = [s for s, _e, status in occurrences(cal) if status == "CANCELLED"]
    assert cancelled == [at(dt.date(2027, 2, 8), dt.time(9, 30))]  # shown as cancelled, not a new event
    assert at(dt.date(2027, 2, 8), dt.time(9, 30)) not in [s for s, _e in planned(cal)]
    assert len({e["UID"] for e in cal.walk("VEVENT")}) == 1
    nina_cal = calendar_of(inbox.to("nina@mail.example")[-1])[1]
    assert planned(nina_cal)[0][0] == at(dt.date(2027, 2, 1), dt.time(9, 30))
    assert master(nina_cal)["SEQUENCE"] == 1

    await modules.restore_session(february["id"])
    await deliver(controller)
    assert master(calendar_of(inbox.to("zoe.q@mail.example")[-1])[1])["SEQUENCE"] == 3


async def test_ending_an_enrolment_before_its_first_session_cancels_the_series_with_method_cancel(world, smtp):
    controller, inbox = smtp, smtp.inbox
    await plan(world)
    await deliver(controller)
    uid = master(calendar_of(inbox.to("zoe.q@mail.example")[0])[1])["UID"]
    await enrolment.end(world.enrolment, dt.date.today(), "found_work")
    assert await deliver(controller) == 1
    last = inbox.to("zoe.q@mail.example")[-1]
    method, cal = calendar_of(last)
    assert method == "CANCEL" and cal["METHOD"] == "CANCEL"
    event = master(cal)
    assert event["UID"] == uid and event["SEQUENCE"] == 1 and event["STATUS"] == "CANCELLED"
    assert "RECURRENCE-ID" not in event and str(event["SUMMARY"]).startswith("Annulé")
    # nothing more goes to her when the schedule changes afterwards
    await modules.cancel_session((await Session.select(Session.id).where(Session.module == world.module).first())["id"], "x")
    await deliver(controller)
    assert inbox.to("zoe.q@mail.example")[-1] is last


async def test_ending_an_enrolment_with_a_future_last_day_keeps_the_sessions_until_then(client, world, smtp):
    from planner.invites.actions import queue_reminders

    controller, inbox = smtp, smtp.inbox
    await Module.update({Module.reminders: "on"}).where(Module.id == world.module)
    await plan(world)
    await deliver(controller)
    uid = master(calendar_of(inbox.to("zoe.q@mail.example")[0])[1])["UID"]
    last_day = dt.date(2027, 1, 15)  # a Friday: her last Monday is 11 January
    await enrolment.end(world.enrolment, last_day, "found_work")
    assert await deliver(controller) == 1
    update = inbox.to("zoe.q@mail.example")[-1]
    method, cal = calendar_of(update)
    assert method == "REQUEST" and cal["METHOD"] == "REQUEST"  # an update, not a cancellation of it all
    assert master(cal)["UID"] == uid and master(cal)["SEQUENCE"] == 1
    kept = [d for d in DAYS if d <= last_day]
    assert planned(cal) == [(at(d, dt.time(9, 30)), at(d, dt.time(12, 30))) for d in kept]
    assert master(cal)["RRULE"]["UNTIL"] == [at(dt.date(2027, 1, 11), dt.time(9, 30)).astimezone(dt.timezone.utc)]
    body = update.get_body(preferencelist=("plain",)).get_content()
    assert "11 janvier 2027" in body and "18 janvier 2027" not in body
    # her reminders go on until then, and none after
    eve = dt.datetime.combine(dt.date(2027, 1, 10), dt.time(10), tzinfo=BXL)
    assert await queue_reminders(eve) == 1
    assert await queue_reminders(eve + dt.timedelta(days=7)) == 0
    # her "can't come" link still lists the sessions she attends (all of them: "more" until none are left)
    url = re.search(r"http://127\.0\.0\.1:8000(/cant-come/[\w-]+)", body).group(1)
    page = await client.get(url + "?shown=50")
    assert page.status_code == 200 and "11 janvier 2027" in page.text and "18 janvier 2027" not in page.text


async def test_a_session_added_outside_the_rule_is_an_event_of_its_own_that_follows_its_changes(world, smtp):
    controller, inbox = smtp, smtp.inbox
    await plan(world)
    await deliver(controller)
    series_uid = str(master(calendar_of(inbox.to("zoe.q@mail.example")[0])[1])["UID"])
    added = await modules.add_session(world.module, dt.date(2026, 12, 17), dt.time(13, 45), dt.time(16), world.room)
    assert await deliver(controller) == 2  # Zoé and Fred: that session alone, the series is as it was
    method, cal = calendar_of(inbox.to("zoe.q@mail.example")[-1])
    single_uid = series_uid.replace("@", f"-s{added}@")
    [single] = cal.walk("VEVENT")  # one event per invitation: Outlook reads no further
    assert method == "REQUEST" and str(single["UID"]) == single_uid and single["SEQUENCE"] == 1
    assert "RRULE" not in single and "RDATE" not in single
    assert planned(cal) == [(at(dt.date(2026, 12, 17), dt.time(13, 45)), at(dt.date(2026, 12, 17), dt.time(16)))]

    await modules.move_session(added, dt.date(2026, 12, 18), dt.time(13, 45), dt.time(16), world.room)
    assert await deliver(controller) == 2
    _method, cal = calendar_of(inbox.to("zoe.q@mail.example")[-1])
    [single] = cal.walk("VEVENT")  # the same event, moved
    assert str(single["UID"]) == single_uid and single["SEQUENCE"] == 2
    assert single["DTSTART"].dt == at(dt.date(2026, 12, 18), dt.time(13, 45))

    await modules.cancel_session(added, "Room flooded")
    assert await deliver(controller) == 2
    _method, cal = calendar_of(inbox.to("zoe.q@mail.example")[-1])
    [single] = cal.walk("VEVENT")
    assert str(single["UID"]) == single_uid and single["SEQUENCE"] == 3 and str(single["STATUS"]) == "CANCELLED"
    assert str(single["SUMMARY"]) == "Annulé\u00a0: Switch activation group"

    # she leaves before it: the rest of her series is updated, the added session cancelled by its UID
    await enrolment.end(world.enrolment, dt.date(2026, 12, 16), "found_work")
    assert await deliver(controller) == 2
    request, cancel = inbox.to("zoe.q@mail.example")[-2:]
    method, cal = calendar_of(request)
    assert method == "REQUEST" and {str(e["UID"]) for e in cal.walk("VEVENT")} == {series_uid}
    method, cal = calendar_of(cancel)
    assert method == "CANCEL" and [(str(e["UID"]), e["SEQUENCE"]) for e in cal.walk("VEVENT")] == [(single_uid, 4)]


async def test_a_facilitator_taken_off_the_team_gets_a_cancellation(world, smtp):
    controller, inbox = smtp, smtp.inbox
    await plan(world)
    await deliver(controller)
    await ModuleFacilitator.delete().where(ModuleFacilitator.module == world.module)
    from planner.invites.actions import sync_module_now

    assert await sync_module_now(world.module) == 2  # Fred's cancellation; Zoé's invitation no longer names him
    await deliver(controller)
    method, _cal = calendar_of(inbox.to("fred@rivebelle.example")[-1])
    assert method == "CANCEL"
    assert "Fred" not in inbox.to("zoe.q@mail.example")[-1].get_body(preferencelist=("plain",)).get_content()


async def test_a_person_without_email_gets_no_mail_and_nothing_breaks(world, smtp):
    controller = smtp
    await plan(world)
    await add_person(world, "Noemail", "fr", "")
    await deliver(controller)
    assert await OutboxMail.count().where(OutboxMail.to_address == "") == 0


async def test_without_a_mail_server_mails_wait_in_the_outbox_and_an_administrator_reads_them(client, world):
    await plan(world)
    assert await OutboxMail.count().where(OutboxMail.status == "queued") == 2
    await login(client, world.administrator)
    page = await client.get("/outbox")
    assert page.status_code == 200
    assert "No mail server is set up" in page.text
    assert "zoe.q@mail.example" in page.text
    mail = await OutboxMail.select(OutboxMail.id).where(OutboxMail.to_address == "zoe.q@mail.example").first()
    one = await client.get(f"/outbox/{mail['id']}")
    assert one.status_code == 200 and "Un stylo" in one.text and "BEGIN:VCALENDAR" in one.text


async def test_the_outbox_of_another_cpas_is_refused(client, world):
    await plan(world)
    mail = await OutboxMail.select(OutboxMail.id).first()
    await login(client, world.outsider)
    assert (await client.get(f"/outbox/{mail['id']}")).status_code == 404
    assert "zoe.q@mail.example" not in (await client.get("/outbox")).text
    assert (await post(client, f"/outbox/{mail['id']}/retry")).status_code == 404
    await login(client, world.social_worker)
    assert (await client.get("/outbox")).status_code == 403


async def test_a_refused_address_is_shown_to_the_coordinator_who_can_send_again(client, world, smtp):
    controller, inbox = smtp, smtp.inbox
    inbox.refuse["zoe.q@mail.example"] = "550 5.1.1 Mailbox unknown"
    await plan(world)
    await deliver(controller)
    row = await OutboxMail.select().where(OutboxMail.to_address == "zoe.q@mail.example").first()
    assert row["status"] == "refused" and "550" in row["last_error"]
    await login(client, world.coordinator)
    person = await client.get(f"/people/{world.beneficiary}")
    assert "do not arrive" in person.text
    inbox.refuse.clear()
    response = await post(client, f"/outbox/{row['id']}/retry")
    assert response.status_code == 303
    await deliver(controller)
    assert len(inbox.to("zoe.q@mail.example")) == 1


async def feed_link(client, world) -> str:
    await login(client, world.coordinator)
    response = await post(client, f"/people/{world.beneficiary}/calendar/feed", htmx=True)
    assert response.status_code == 200
    return re.search(r'id="feed-url"[^>]*value="([^"]+)"', response.text).group(1)


async def test_the_personal_feed_has_every_session_cancelled_ones_marked_and_answers_conditional_requests(client, world):
    await plan(world)
    url = await feed_link(client, world)
    path = url.removeprefix("http://127.0.0.1:8000")
    token = path.removeprefix("/feed/").removesuffix(".ics")
    assert re.fullmatch(r"/feed/[A-Za-z0-9_-]{43}\.ics", path)  # a secret token only: no name, no id
    assert await CalendarLink.count().where(CalendarLink.token_hash == token) == 0  # only a hash is stored
    client.cookies.clear()  # a phone has no session
    first = await client.get(path)
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(first.content)
    assert planned(cal) == [(at(d, dt.time(9, 30)), at(d, dt.time(12, 30))) for d in DAYS]
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert (await client.get(path, headers={"If-None-Match": etag})).status_code == 304
    assert (await client.get(path, headers={"If-Modified-Since": modified})).status_code == 304

    session = await Session.select(Session.id).where(Session.module == world.module).first()
    await modules.cancel_session(session["id"], "Strike")
    changed = await client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    cal = icalendar.Calendar.from_ical(changed.content)
    assert [s for s, _e, status in occurrences(cal) if status == "CANCELLED"] == [at(DAYS[0], dt.time(9, 30))]
    [override] = [e for e in cal.walk("VEVENT") if "RECURRENCE-ID" in e]  # in Zoé's language, beside the status
    assert (str(override["SUMMARY"]), str(override["STATUS"])) == ("Annulé\u00a0: Switch activation group", "CANCELLED")


async def test_a_coordinator_revokes_the_feed_and_issues_a_new_one(client, world):
    await plan(world)
    old = (await feed_link(client, world)).removeprefix("http://127.0.0.1:8000")
    response = await post(client, f"/people/{world.beneficiary}/calendar/feed/renew", htmx=True)
    new = re.search(r'id="feed-url"[^>]*value="([^"]+)"', response.text).group(1).removeprefix("http://127.0.0.1:8000")
    assert new != old
    gone = await client.get(old, headers={"Accept-Language": "nl-BE"})
    assert gone.status_code == 410  # Gone: a phone stops asking; a person who opens it reads why
    assert "Deze link werd stopgezet" in gone.text
    assert (await client.get(new)).status_code == 200
    await post(client, f"/people/{world.beneficiary}/calendar/feed/revoke", htmx=True)
    assert (await client.get(new)).status_code == 410
    assert (await client.head(new)).status_code == 410


async def test_a_social_worker_cannot_revoke_a_feed(client, world):
    await plan(world)
    await feed_link(client, world)
    await login(client, world.social_worker)
    assert (await post(client, f"/people/{world.beneficiary}/calendar/feed/revoke")).status_code == 403


async def test_the_cant_come_link_records_an_excused_absence_told_beforehand(client, world, smtp):
    controller, inbox = smtp, smtp.inbox
    await plan(world)
    await deliver(controller)
    body = inbox.to("zoe.q@mail.example")[0].get_body(preferencelist=("plain",)).get_content()
    url = re.search(r"http://127\.0\.0\.1:8000(/cant-come/[\w-]+)", body).group(1)
    page = await client.get(url)
    assert page.status_code == 200 and 'lang="fr"' in page.text
    first = await Session.select(Session.id, Session.day).where(Session.module == world.module).order_by(Session.day).first()
    response = await post(client, url, {"session": str(first["id"]), "answer": "absent"}, htmx=True)
    assert response.status_code == 200
    mark = await Mark.select().where((Mark.session == first["id"]) & (Mark.beneficiary == world.beneficiary)).first()
    assert mark["status"] == "excused" and mark["reason"] == "told_beforehand"
    assert (await MarkEvent.select(MarkEvent.device).first())["device"] == "participant link"
    # the facilitator's roll shows it
    await login(client, world.facilitator)
    roll = await client.get(f"/roll/{first['id']}")
    assert "told" in roll.text.lower() or "beforehand" in roll.text.lower()
    # another session of another module cannot be reached with this link
    client.cookies.clear()
    assert (await post(client, url, {"session": str(first["id"] + 10_000), "answer": "absent"})).status_code == 422


async def test_a_wrong_or_ended_cant_come_link_shows_nothing(client, world):
    assert (await client.get("/cant-come/" + "x" * 43)).status_code == 404
    assert (await client.get("/feed/" + "x" * 43 + ".ics")).status_code == 404


async def test_the_schedule_card_is_in_the_persons_language_with_a_qr_code_of_the_feed(client, world):
    await plan(world)
    await feed_link(client, world)
    card = await client.get(f"/people/{world.beneficiary}/schedule-card")
    assert card.status_code == 200
    # The printed card is in the person's language; the staff controls around it stay in the reader's.
    assert '<div class="printed" lang="fr">' in card.text and "<svg" in card.text
    assert "lundi 7 décembre 2026" in card.text
    assert "Switch activation group" in card.text


async def test_reminders_leave_the_day_before_from_nine_once(world):
    from planner.invites.actions import queue_reminders

    await Module.update({Module.reminders: "on"}).where(Module.id == world.module)
    await plan(world)
    first = DAYS[0]
    eve = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(8, 0), tzinfo=BXL)
    assert await queue_reminders(eve) == 0
    assert await queue_reminders(eve.replace(hour=9, minute=30)) == 1  # Zoé (Fred leads, gets no reminder)
    assert await queue_reminders(eve.replace(hour=18)) == 0
    mail = await OutboxMail.select().where(OutboxMail.kind == "reminder").first()
    assert mail["to_address"] == "zoe.q@mail.example" and mail["language"] == "fr"


async def test_a_long_series_has_no_reminders_by_default(world):
    from planner.invites.actions import queue_reminders

    await plan(world)  # 16 Mondays: "auto" means off
    eve = dt.datetime.combine(DAYS[0] - dt.timedelta(days=1), dt.time(10, 0), tzinfo=BXL)
    assert await queue_reminders(eve) == 0


@pytest.mark.parametrize("language,word", [("fr", "Bonjour"), ("nl", "Hallo"), ("de", "Hallo"), ("en", "Hello")])
@pytest.mark.parametrize("kind", ["invite", "update", "cancel", "reminder"])
def test_every_mail_exists_in_every_language(kind, language, word):
    from planner.invites import mail
    from planner.invites.rules import Slot

    slot = Slot(session_id=1, day=dt.date(2027, 1, 4), starts_at=dt.time(9, 30), ends_at=dt.time(12, 30),
                location="Salle Meuse")
    letter = mail.Letter(kind=kind, language=language, to_name="Ann Test", to_email="ann@example.org",
                         first_name="Ann", title="Switch", cpas_name="CPAS", cpas_phone="02 555 00 00",
                         cpas_email="", place="Salle Meuse", facilitators="Fred", bring="Un stylo",
                         sessions=(slot,), cant_come_url="http://x/cant-come/abc")
    subject, text, html = mail.render(letter)
    english = mail.render(mail.Letter(**{**letter.__dict__, "language": "en"}))
    assert text.startswith(word) and word in html
    if language != "en":
        assert subject != english[0] and text != english[1]
    assert "Switch" in subject and "02 555 00 00" in text


def keep_raw(server) -> list[bytes]:
    """The bytes of every mail the test SMTP server receives, as they came over the wire."""
    raw: list[bytes] = []
    parse = server.inbox.handle_DATA

    async def handle_DATA(smtp_server, session, envelope):
        raw.append(envelope.original_content)
        return await parse(smtp_server, session, envelope)

    server.inbox.handle_DATA = handle_DATA
    return raw


async def test_every_calendar_part_has_crlf_line_ends_and_one_charset_even_with_accents(world, smtp):
    from email import message_from_bytes, policy

    from planner.orgs.tables import Room

    raw = keep_raw(smtp)
    await Room.update({Room.name: "Salle « Forêt », 2ᵉ étage"}).where(Room.id == world.room)
    await Module.update({Module.title: "Atelier français : découvrir l'été"}).where(Module.id == world.module)
    await plan(world)
    await deliver(smtp)
    assert len(raw) == 2
    for data in raw:
        message = message_from_bytes(data, policy=policy.default)
        calendars = [p for p in message.walk() if p.get_content_type() in ("text/calendar", "application/ics")]
        assert [p.get_content_type() for p in calendars] == ["text/calendar", "application/ics"]
        for part in calendars:
            body = part.get_payload(decode=True)
            assert "Forêt".encode() in body and "découvrir".encode() in body
            assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")  # CRLF, no bare LF
        for part in message.walk():  # every MIME part, the mail's own header included
            assert str(part.get("Content-Type", "")).lower().count("charset") <= 1
        [calendar] = calendars[:1]
        assert calendar.get_param("charset") == "utf-8" and calendar.get_param("method") == "REQUEST"


async def test_the_organizer_is_the_address_the_mail_comes_from_and_replies_go_to_the_cpas(world, smtp):
    from email.utils import parseaddr

    from planner.orgs.tables import Organisation

    await Organisation.update({Organisation.email: "insertion@rivebelle.example"}).where(
        Organisation.id == world.rivebelle)
    await plan(world)
    await deliver(smtp)
    for message in smtp.inbox.to("zoe.q@mail.example") + smtp.inbox.to("fred@rivebelle.example"):
        name, sender = parseaddr(message["From"])
        _method, cal = calendar_of(message)
        for event in cal.walk("VEVENT"):  # Gmail and Outlook apply an update only from its organizer
            assert str(event["ORGANIZER"]) == f"mailto:{sender}"
            assert event["ORGANIZER"].params["CN"] == name == "CPAS de Rivebelle"
        assert parseaddr(message["Reply-To"])[1] == "insertion@rivebelle.example"


async def test_the_feed_answers_head_with_the_headers_of_get_and_no_body(client, world):
    await plan(world)
    path = (await feed_link(client, world)).removeprefix("http://127.0.0.1:8000")
    client.cookies.clear()
    got = await client.get(path)
    head = await client.head(path)
    assert head.status_code == 200 and head.content == b""
    for name in ("content-type", "etag", "last-modified", "cache-control", "content-disposition"):
        assert head.headers[name] == got.headers[name]
    assert int(head.headers["content-length"]) == len(got.content)
    assert got.headers["content-type"].lower().count("charset") == 1
    assert got.headers["content-type"].replace(" ", "") == "text/calendar;charset=utf-8"
    not_modified = await client.head(path, headers={"If-None-Match": got.headers["etag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert (await client.head("/feed/" + "x" * 43 + ".ics")).status_code == 404  # a token never issued
