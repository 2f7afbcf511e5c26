import datetime as dt
import re

import pytest

from planner import i18n
from planner.attendance.tables import Mark, MarkEvent
from planner.enrolment.tables import Enrolment
from planner.modules.tables import Session
from tests.conftest import another_device, login, make_beneficiary, make_user, post, write_lock_held_elsewhere


def minutes_ago(minutes: int) -> str:
    return (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=minutes)).isoformat()


def tap(world, status="present", client_id="tablet-1-0001", device_time=None, **extra) -> dict:
    device_time = device_time or minutes_ago(1)
    return {"person": str(world.beneficiary), "status": status, "client_id": client_id, "device_time": device_time,
            **extra}


async def mark_of(world) -> dict | None:
    return await Mark.select().where((Mark.session == world.session) & (Mark.beneficiary == world.beneficiary)).first()


async def test_one_tap_marks_present_and_says_saved(client, world):
    await login(client, world.facilitator)
    response = await post(client, f"/roll/{world.session}/taps", tap(world), htmx=True)
    assert response.status_code == 200
    assert "saved" in response.text and response.text.lstrip().startswith(f'<li id="person-{world.beneficiary}"')
    assert (await mark_of(world))["status"] == "present"


async def test_a_replayed_tap_is_applied_once(client, world):
    await login(client, world.facilitator)
    for _ in range(3):
        await post(client, f"/roll/{world.session}/taps", tap(world), htmx=True)
    assert await MarkEvent.count() == 1 and await Mark.count() == 1


async def test_the_later_tap_wins_and_both_stay_in_the_history(client, world):
    await login(client, world.facilitator)
    await post(client, f"/roll/{world.session}/taps", tap(world, "unexcused", "b-1", minutes_ago(5)), htmx=True)
    # sent later (it waited offline) but tapped earlier: history keeps it, the mark does not change
    late = await post(client, f"/roll/{world.session}/taps", tap(world, "present", "a-1", minutes_ago(10)), htmx=True)
    assert (await mark_of(world))["status"] == "unexcused"
    assert "unexcused absence" in late.text  # the tablet is shown the mark as it stands
    events = await MarkEvent.select(MarkEvent.new_status, MarkEvent.applied, MarkEvent.user).order_by(MarkEvent.id)
    assert [(e["new_status"], e["applied"]) for e in events] == [("unexcused", True), ("present", False)]
    assert all(e["user"] == world.facilitator["id"] for e in events)


async def test_every_change_keeps_old_and_new_in_the_history(client, world):
    await login(client, world.facilitator)
    await post(client, f"/roll/{world.session}/taps", tap(world, "present", "c-1", minutes_ago(10)), htmx=True)
    await post(client, f"/roll/{world.session}/taps", tap(world, "late", "c-2", minutes_ago(5),
                                                           arrived_at="10:05"), htmx=True)
    last = await MarkEvent.select().order_by(MarkEvent.id, ascending=False).first()
    assert (last["old_status"], last["new_status"], last["arrived_at"]) == ("present", "late", dt.time(10, 5))


async def test_an_excused_absence_needs_its_reason(client, world):
    await login(client, world.facilitator)
    response = await post(client, f"/roll/{world.session}/taps", tap(world, "excused"), htmx=True)
    assert response.status_code == 422
    assert "Choose why the absence is excused." in response.text
    assert await Mark.count() == 0
    ok = await post(client, f"/roll/{world.session}/taps", tap(world, "excused", "e-2", reason="childcare"), htmx=True)
    assert ok.status_code == 200 and (await mark_of(world))["reason"] == "childcare"


async def test_someone_who_joined_later_is_not_on_earlier_rolls(client, world):
    late_joiner = await make_beneficiary(world.rivebelle, "Nour", "Latecomer")
    await Enrolment.insert(Enrolment(module=world.module, beneficiary=late_joiner, organisation=world.rivebelle,
                                     status="enrolled", start_date=dt.date(2026, 12, 14),
                                     proposed_at=dt.datetime.now(dt.timezone.utc)))
    await login(client, world.facilitator)
    page = await client.get(f"/roll/{world.session}")
    assert "Quennevilleprivate" in page.text and "Latecomer" not in page.text


async def test_everyone_present_then_the_rest_absent_then_close(client, world):
    other = await make_beneficiary(world.rivebelle, "Omar", "Haddad")
    await Enrolment.insert(Enrolment(module=world.module, beneficiary=other, organisation=world.rivebelle,
                                     status="enrolled", start_date=dt.date(2026, 12, 1),
                                     proposed_at=dt.datetime.now(dt.timezone.utc)))
    await login(client, world.facilitator)
    await post(client, f"/roll/{world.session}/taps", tap(world, "unexcused"), htmx=True)
    await post(client, f"/roll/{world.session}/everyone-present")
    statuses = {m["beneficiary"]: m["status"] for m in await Mark.select(Mark.beneficiary, Mark.status)}
    assert statuses == {world.beneficiary: "unexcused", other: "present"}  # exceptions already tapped are kept
    await post(client, f"/roll/{world.session}/close", {"guests": "3"})
    session = await Session.select().where(Session.id == world.session).first()
    assert session["roll_closed_at"] is not None and session["guests"] == 3
    refused = await post(client, f"/roll/{world.session}/taps", tap(world, "present", "z-9"), htmx=True)
    assert refused.status_code == 403


async def test_a_coordinator_reopens_a_closed_roll(client, world):
    await Session.update({Session.roll_closed_at: dt.datetime.now(dt.timezone.utc)}).where(Session.id == world.session)
    await login(client, world.coordinator)
    await post(client, f"/roll/{world.session}/reopen")
    assert (await Session.select(Session.roll_closed_at).where(Session.id == world.session).first())[
        "roll_closed_at"] is None


async def test_a_facilitator_who_does_not_lead_the_module_gets_nothing(client, world):
    colleague = await make_user("gina@rivebelle.example", "Gina", [(world.rivebelle, "facilitator")])
    await login(client, colleague)
    assert (await client.get(f"/roll/{world.session}")).status_code == 404
    response = await post(client, f"/roll/{world.session}/taps", tap(world), htmx=True)
    assert response.status_code == 404 and await Mark.count() == 0


async def test_today_lists_the_sessions_the_facilitator_leads(client, world):
    # Brussels: the server's date is another day around midnight
    await Session.update({Session.day: i18n.today()}).where(Session.id == world.session)
    await login(client, world.facilitator)
    page = await client.get("/today")
    assert "Switch activation group" in page.text and f"/roll/{world.session}" in page.text


async def test_a_new_recurrence_keeps_sessions_with_attendance(client, world):
    await login(client, world.facilitator)
    await post(client, f"/roll/{world.session}/taps", tap(world), htmx=True)
    await post(client, "/logout")
    await login(client, world.coordinator)
    await post(client, f"/modules/{world.module}/schedule", {
        "kind": "weekly", "weekdays": ["3"], "interval": "1", "start": "2027-01-01", "end": "2027-01-31",
        "starts_at": "09:30", "ends_at": "12:00", "action": "save"})
    assert await Session.exists().where(Session.id == world.session)


async def test_a_tablet_clock_far_ahead_is_trusted_only_five_minutes_past_arrival(client, world):
    await login(client, world.facilitator)
    await post(client, f"/roll/{world.session}/taps", tap(world, "unexcused", "f-1", "2030-01-01T00:00:00Z"), htmx=True)
    await post(client, f"/roll/{world.session}/taps", tap(world, "present", "f-2"), htmx=True)
    assert (await mark_of(world))["status"] == "unexcused"  # clamped to arrival + 5 min, still the latest
    event = await MarkEvent.select(MarkEvent.device_time).where(MarkEvent.client_id == "f-1").first()
    assert event["device_time"].year == dt.datetime.now().year


async def test_figures_count_only_sessions_held_while_enrolled(client, world):
    past = dt.date.today() - dt.timedelta(days=14)
    await Session.update({Session.day: past}).where(Session.id == world.session)
    earlier = (await Session.insert(Session(module=world.module, day=past - dt.timedelta(days=7), starts_at=dt.time(9, 30),
                                            ends_at=dt.time(12, 30))).returning(Session.id))[0]["id"]
    await Enrolment.update({Enrolment.start_date: past}).where(Enrolment.id == world.enrolment)
    await Mark.insert(Mark(session=world.session, beneficiary=world.beneficiary, status="late",
                           arrived_at=dt.time(10, 30), device_time=dt.datetime.now(dt.timezone.utc),
                           received_at=dt.datetime.now(dt.timezone.utc)))
    await login(client, world.coordinator)
    page = await client.get(f"/modules/{world.module}/attendance")
    row = page.text.split("Quennevilleprivate")[1].split("</tr>")[0]
    # joined on the later session: the earlier one is not expected; 2 hours there of 3; rate 100 %
    assert [c.split("<")[0] for c in row.split("<td>")[1:]] == ["1", "0", "1", "0", "0", "0", "0", "2", "100 %"]
    assert await Session.exists().where(Session.id == earlier)  # held, but before Zoé joined


async def test_another_cpas_social_worker_sees_no_figures_of_rivebelle_people(client, world):
    await login(client, world.outsider)
    assert (await client.get(f"/modules/{world.module}/attendance")).status_code == 404


async def test_the_coordinator_sees_todays_marks_live(client, world, app):
    await Session.update({Session.day: i18n.today()}).where(Session.id == world.session)
    await Enrolment.update({Enrolment.start_date: i18n.today()}).where(Enrolment.id == world.enrolment)
    await login(client, world.coordinator)
    before = await client.get("/today", headers={"hx-request": "true"})
    assert 'hx-trigger="every 5s"' in before.text and "0 here of 1 (0 marked)" in before.text
    async with another_device(app) as tablet:
        await login(tablet, world.facilitator)
        await post(tablet, f"/roll/{world.session}/taps", tap(world), htmx=True)
    after = await client.get("/today", headers={"hx-request": "true"})
    assert "1 here of 1 (1 marked)" in after.text
    assert "<html" not in after.text


async def test_the_session_sheet_is_in_the_cpas_language_with_a_signature_column(client, world):
    await login(client, world.facilitator)  # Fred reads English; Rivebelle is in Brussels: French sheet
    sheet = await client.get(f"/roll/{world.session}/sheet")
    assert sheet.status_code == 200
    assert '<html lang="fr">' in sheet.text and "Quennevilleprivate" in sheet.text and "Signature" in sheet.text


async def test_the_monthly_grid_shows_marks_and_greys_days_before_enrolment(client, world):
    later = (await Session.insert(Session(module=world.module, day=dt.date(2026, 12, 21), starts_at=dt.time(9, 30),
                                          ends_at=dt.time(12, 30))).returning(Session.id))[0]["id"]
    await Enrolment.update({Enrolment.start_date: dt.date(2026, 12, 14)}).where(Enrolment.id == world.enrolment)
    await Mark.insert(Mark(session=later, beneficiary=world.beneficiary, status="present",
                           device_time=dt.datetime.now(dt.timezone.utc), received_at=dt.datetime.now(dt.timezone.utc)))
    await login(client, world.coordinator)
    sheet = await client.get(f"/modules/{world.module}/sheet?month=2026-12")
    row = sheet.text.split("Quennevilleprivate")[1].split("</tr>")[0]
    assert 'class="not-enrolled"' in row and "présent" in row


async def test_someone_proposed_can_come_for_a_trial_session(client, world):
    trial = await make_beneficiary(world.rivebelle, "Tara", "Trial")
    await Enrolment.insert(Enrolment(module=world.module, beneficiary=trial, organisation=world.rivebelle,
                                     status="proposed", proposed_at=dt.datetime.now(dt.timezone.utc)))
    stranger = await make_beneficiary(world.rivebelle, "Sam", "Stranger")
    await login(client, world.facilitator)
    page = await client.get(f"/roll/{world.session}")
    assert "Trial, Tara" in page.text and "Stranger" not in page.text
    response = await post(client, f"/roll/{world.session}/taps", {"person": str(trial), "status": "present"})
    assert response.status_code == 303
    mark = await Mark.select().where(Mark.beneficiary == trial).first()
    assert mark["walk_in"] and mark["status"] == "present"
    refused = await post(client, f"/roll/{world.session}/taps", {"person": str(stranger), "status": "present"})
    assert refused.status_code == 404


# ---- issue 12: every roll form answers, as htmx, as the tablet's queue and as a plain form ----------------

QUEUE = {"x-planner-queue": "1"}


async def test_closing_the_session_takes_the_facilitator_to_today_saying_it_is_closed(client, world):
    await login(client, world.facilitator)
    response = await post(client, f"/roll/{world.session}/close", {"guests": "3"})
    assert response.status_code == 303 and response.headers["location"] == "/today"
    today = await client.get("/today")
    assert today.status_code == 200 and "The roll is closed." in today.text
    session = await Session.select().where(Session.id == world.session).first()
    assert session["roll_closed_at"] is not None and session["guests"] == 3
    roll = await client.get(f"/roll/{world.session}")
    assert "roll closed" in roll.text and "Close the session" not in roll.text


async def test_reopening_the_roll_shows_it_open_again(client, world):
    await Session.update({Session.roll_closed_at: dt.datetime.now(dt.timezone.utc)}).where(Session.id == world.session)
    await login(client, world.coordinator)
    response = await post(client, f"/roll/{world.session}/reopen")
    assert response.status_code == 303 and response.headers["location"] == f"/roll/{world.session}"
    roll = await client.get(f"/roll/{world.session}")
    assert "The roll is open again." in roll.text and "Close the session" in roll.text


async def test_a_tap_posted_as_a_plain_form_comes_back_to_the_roll_with_the_result(client, world):
    await login(client, world.facilitator)
    response = await post(client, f"/roll/{world.session}/taps",
                          {"person": str(world.beneficiary), "status": "present"})
    assert response.status_code == 303 and response.headers["location"] == f"/roll/{world.session}"
    roll = await client.get(f"/roll/{world.session}")
    assert "Zoé Quennevilleprivate: present, saved." in roll.text
    assert (await mark_of(world))["status"] == "present"


async def test_a_refused_plain_form_tap_shows_the_roll_with_the_message_at_the_field(client, world):
    await login(client, world.facilitator)
    await post(client, f"/roll/{world.session}/taps", tap(world, "present", "p-1"), htmx=True)
    response = await post(client, f"/roll/{world.session}/taps",
                          {"person": str(world.beneficiary), "status": "late", "arrived_at": ""})
    assert response.status_code == 422 and "<html" in response.text
    row = response.text.split(f'id="person-{world.beneficiary}"')[1].split("</li>")[0]
    assert "<details open>" in row and "Give the time of arrival." in row
    # the message sits with the time field, the mark shown is still the one saved before
    assert row.index("f-arrived-") < row.index("Give the time of arrival.") < row.index("f-left-")
    assert '<span class="state">present' in row and '<option value="late" selected>' in row
    assert (await mark_of(world))["status"] == "present"


async def test_other_without_a_reason_keeps_the_mark_and_opens_the_panel_on_the_message(client, world):
    await login(client, world.facilitator)
    await post(client, f"/roll/{world.session}/taps", tap(world, "present", "p-1"), htmx=True)
    response = await post(client, f"/roll/{world.session}/taps", tap(world, "excused", "p-2"), htmx=True)
    assert response.status_code == 422 and response.headers["x-roll-refused"] == "p-2"
    assert response.text.lstrip().startswith(f'<li id="person-{world.beneficiary}" class="person present">')
    assert "<details open>" in response.text and 'aria-describedby="e-reason-' in response.text
    assert '<option value="excused" selected>' in response.text
    assert (await mark_of(world))["status"] == "present"


async def test_everyone_present_and_the_rest_absent_as_plain_forms_say_how_many(client, world):
    await login(client, world.facilitator)
    response = await post(client, f"/roll/{world.session}/everyone-present")
    assert response.status_code == 303 and response.headers["location"] == f"/roll/{world.session}"
    roll = (await client.get(f"/roll/{world.session}")).text
    assert "1 person marked present." in roll
    assert f'action="/roll/{world.session}/undo"' in roll  # the undo, as a form, for a page without JavaScript
    assert "1 person marked present." not in (await client.get(f"/roll/{world.session}")).text  # shown once
    response = await post(client, f"/roll/{world.session}/rest-absent")
    assert response.status_code == 303
    roll = (await client.get(f"/roll/{world.session}")).text
    assert "Everyone already has a mark." in roll and 'id="bulk-undo"' not in roll  # nothing to undo
    assert (await mark_of(world))["status"] == "present"


async def test_out_of_range_numbers_are_a_404_for_ids_and_a_message_for_counts(client, world):
    await login(client, world.facilitator)
    huge = "9" * 20
    assert (await client.get(f"/roll/{huge}")).status_code == 404
    assert (await post(client, f"/roll/{huge}/taps", tap(world), htmx=True)).status_code == 404
    for person in (huge, "-1", "1e3", "٣"):
        response = await post(client, f"/roll/{world.session}/taps", {**tap(world), "person": person}, htmx=True)
        assert response.status_code == 404, person
    for guests in (huge, "-1", "abc", "1000"):
        response = await post(client, f"/roll/{world.session}/close", {"guests": guests})
        assert response.status_code == 422, guests
        assert "Give a whole number from 0 to 999." in response.text and 'id="e-guests"' in response.text
    assert (await Session.select(Session.roll_closed_at).where(Session.id == world.session).first())[
        "roll_closed_at"] is None
    from planner.auth.tables import User

    await User.update({User.language: "fr"}).where(User.id == world.facilitator["id"])
    response = await post(client, f"/roll/{world.session}/close", {"guests": huge})
    assert response.status_code == 422 and "Indiquez un nombre entier de 0 à 999." in response.text


async def test_the_queue_is_told_which_tap_was_stored_and_a_replay_is_stored_once(client, world):
    await login(client, world.facilitator)
    for _ in range(2):
        response = await post(client, f"/roll/{world.session}/taps", tap(world, client_id="q-1"), headers=QUEUE,
                              htmx=True)
        assert response.status_code == 200 and response.headers["x-roll-stored"] == "q-1"
    assert await MarkEvent.count() == 1


async def test_an_expired_session_answers_the_queue_401_not_a_redirect(client, world):
    from planner.auth.tables import WebSession

    await login(client, world.facilitator)
    await WebSession.delete(force=True)
    response = await post(client, f"/roll/{world.session}/taps", tap(world, client_id="q-2"), headers=QUEUE,
                          htmx=True)
    assert response.status_code == 401 and response.json()["sign_in"].startswith("/login")
    assert "x-roll-stored" not in response.headers
    assert (await client.get("/roll/csrf-token", headers=QUEUE)).status_code == 401
    assert await Mark.count() == 0


async def test_a_fresh_csrf_token_lets_the_queue_send_after_the_browser_lost_its_cookie(client, world):
    await login(client, world.facilitator)
    stale = client.cookies["csrftoken"]
    client.cookies.delete("csrftoken")
    refused = await client.post(f"/roll/{world.session}/taps", data=tap(world, client_id="q-3"),
                                headers={**QUEUE, "x-csrftoken": stale})
    assert refused.status_code == 403 and "x-roll-stored" not in refused.headers
    fresh = await client.get("/roll/csrf-token", headers=QUEUE)
    assert fresh.status_code == 200 and fresh.headers["cache-control"] == "no-store"
    response = await client.post(f"/roll/{world.session}/taps", data=tap(world, client_id="q-3"),
                                 headers={**QUEUE, "x-csrftoken": fresh.json()["token"]})
    assert response.status_code == 200 and response.headers["x-roll-stored"] == "q-3"


async def test_a_replayed_everyone_present_or_close_is_applied_once(client, world):
    await login(client, world.facilitator)
    everyone = {"client_id": "bulk-1", "device_time": minutes_ago(3)}
    first = await post(client, f"/roll/{world.session}/everyone-present", everyone, headers=QUEUE)
    assert first.status_code == 204 and first.headers["x-roll-stored"] == "bulk-1"
    await post(client, f"/roll/{world.session}/taps", tap(world, "", "clear-1", minutes_ago(2)), htmx=True)
    again = await post(client, f"/roll/{world.session}/everyone-present", everyone, headers=QUEUE)
    assert again.headers["x-roll-stored"] == "bulk-1"
    assert (await mark_of(world))["status"] == ""  # the replay did not mark Zoé present again
    assert await MarkEvent.count() == 2

    closing = {"client_id": "close-1", "guests": "2"}
    assert (await post(client, f"/roll/{world.session}/close", closing, headers=QUEUE)).headers[
        "x-roll-stored"] == "close-1"
    await post(client, "/logout")
    await login(client, world.coordinator)
    await post(client, f"/roll/{world.session}/reopen")
    await post(client, "/logout")
    await login(client, world.facilitator)
    replay = await post(client, f"/roll/{world.session}/close", closing, headers=QUEUE)
    assert replay.headers["x-roll-stored"] == "close-1"
    assert (await Session.select(Session.roll_closed_at).where(Session.id == world.session).first())[
        "roll_closed_at"] is None


async def test_a_tap_on_a_closed_roll_is_refused_for_good(client, world):
    await Session.update({Session.roll_closed_at: dt.datetime.now(dt.timezone.utc)}).where(Session.id == world.session)
    await login(client, world.facilitator)
    response = await post(client, f"/roll/{world.session}/taps", tap(world, client_id="c-9"), headers=QUEUE)
    assert response.status_code == 403 and response.headers["x-roll-refused"] == "c-9"
    assert await Mark.count() == 0


async def test_a_tap_the_database_is_too_busy_for_answers_503_and_is_stored_on_retry(client, world, engine):
    """Another process holds SQLite's write lock (the command line, a second server). That the loop keeps
    answering meanwhile is tested with a real server: tests/browser/test_roll_offline.py."""
    from piccolo.engine.postgres import PostgresEngine

    if isinstance(engine, PostgresEngine):
        pytest.skip("SQLite's whole-database write lock; PostgreSQL locks rows")
    await login(client, world.facilitator)
    with write_lock_held_elsewhere(engine, busy_wait=0.5):
        answer = await post(client, f"/roll/{world.session}/taps", tap(world, client_id="busy-1"), headers=QUEUE,
                            htmx=True)
        assert answer.status_code == 503 and answer.headers["retry-after"] == "5"
        assert "x-roll-stored" not in answer.headers and "The database is busy." in answer.text
    assert await Mark.count() == 0
    again = await post(client, f"/roll/{world.session}/taps", tap(world, client_id="busy-1"), headers=QUEUE,
                       htmx=True)
    assert again.status_code == 200 and again.headers["x-roll-stored"] == "busy-1"
    assert (await mark_of(world))["status"] == "present" and await MarkEvent.count() == 1


async def test_hostile_tap_fields_get_an_answer_never_a_server_error(client, world):
    await login(client, world.facilitator)
    for n, (name, value) in enumerate([("client_id", "a\x00b"), ("client_id", "x" * 10_000), ("client_id", "<b>"),
                                       ("device_time", "0001-01-01T00:00:00+14:00"), ("device_time", "9" * 40),
                                       ("device_time", "9999-12-31T23:59:59-12:00"), ("arrived_at", "25:99"),
                                       ("status", "😀"), ("reason", "\x00")]):
        fields = {**tap(world, "late" if name == "arrived_at" else "present", f"h-{n}"), name: value}
        response = await post(client, f"/roll/{world.session}/taps", fields, headers=QUEUE, htmx=True)
        assert response.status_code in (200, 422), (name, value)
    assert await MarkEvent.count() == 7  # all but the impossible time and the unknown status, each once
    event = await MarkEvent.select(MarkEvent.device_time).order_by(MarkEvent.device_time).first()
    assert event["device_time"].year >= dt.date.today().year - 1


async def test_a_typed_arrival_or_leaving_time_outside_the_session_is_refused(client, world):
    await login(client, world.facilitator)
    await post(client, f"/roll/{world.session}/taps", tap(world, "present", "p-1"), htmx=True)
    for n, (status, field, typed) in enumerate((("late", "arrived_at", "08:00"), ("late", "arrived_at", "13:00"),
                                                ("left_early", "left_at", "12:45"))):
        response = await post(client, f"/roll/{world.session}/taps",
                              tap(world, status, f"o-{n}", **{field: typed}), htmx=True)
        assert response.status_code == 422, typed
        assert re.search(r"time must be between 0?9[:.]30\W*(AM)? and 12[:.]30\W*(PM)?, the session", response.text)
        assert (await mark_of(world))["status"] == "present"
    assert (await post(client, f"/roll/{world.session}/taps", tap(world, "late", "o-9", arrived_at="09:45"),
                       htmx=True)).status_code == 200
    assert (await mark_of(world))["arrived_at"] == dt.time(9, 45)
