"""The evaluation screen (issue 15, PIIS-30, -34, -40..42) on both engines: what was said, the appointment moved
with the later ones following, the register's evidence since the last evaluation, and the worker's calendar."""

import datetime as dt

import icalendar

from planner import i18n
from planner.attendance.tables import Mark
from planner.enrolment.tables import Enrolment
from planner.invites import actions as invites
from planner.modules.tables import Session
from planner.piis import queries
from planner.piis.tables import AccessLog, Evaluation, Piis
from tests.conftest import login, make_user, post

D = dt.date
STATUSES = [("present", "", None), ("late", "", dt.time(10, 30)), ("excused", "illness", None),
            ("unexcused", "", None), ("excused", "told_beforehand", None), (None, "", None)]


async def _marked_sessions(world, first: dt.date, step: dt.timedelta = dt.timedelta(weeks=1)) -> list[int]:
    """Six SWITCH sessions from `first`, one every `step` (9:30-12:30) with Zoé's marks of each status, the last one left
    unrecorded, and a seventh session cancelled; Zoé enrolled from the PIIS's start."""
    await Enrolment.update({Enrolment.start_date: D(2026, 10, 1)}).where(Enrolment.id == world.enrolment)
    await Session.delete().where(Session.module == world.module)
    ids = []
    now = dt.datetime.now(dt.timezone.utc)
    for n, (status, reason, arrived) in enumerate(STATUSES + [("cancelled", "", None)]):
        session = (await Session.insert(Session(
            module=world.module, day=first + n * step, starts_at=dt.time(9, 30), ends_at=dt.time(12, 30),
            status="cancelled" if status == "cancelled" else "planned")).returning(Session.id))[0]["id"]
        ids.append(session)
        if status and status != "cancelled":
            await Mark.insert(Mark(session=session, beneficiary=world.beneficiary, status=status, reason=reason,
                                   arrived_at=arrived, device_time=now, received_at=now))
    return ids


async def test_the_evidence_counts_each_status_of_the_register_since_the_last_evaluation(world):
    await _marked_sessions(world, D(2026, 10, 5))
    piis = await Piis.select().where(Piis.id == world.piis).first()
    [switch] = await queries.commitment_evidence(piis, D(2026, 9, 30), dt.datetime(2027, 1, 1))
    f = switch["evidence"].figures
    assert (f.expected, f.present, f.late, f.excused, f.unexcused, f.not_recorded) == (6, 1, 1, 2, 1, 1)
    assert f.hours_attended == 5.0  # 3 h present + 2 h after arriving at 10:30
    assert switch["evidence"].reasons == (("illness", 1), ("told_beforehand", 1))
    assert switch["evidence"].to_discuss  # for a conversation, never a sanction
    # Since a later evaluation, only the sessions after it count.
    [later] = await queries.commitment_evidence(piis, D(2026, 10, 19), dt.datetime(2027, 1, 1))
    assert (later["evidence"].figures.expected, later["evidence"].figures.unexcused) == (3, 1)


async def test_the_evaluation_screen_shows_the_evidence_and_flags_absences_to_discuss(client, world):
    # daily, in the week before today: after the world's PIIS was signed (20 November 2026)
    await _marked_sessions(world, i18n.today() - dt.timedelta(days=8), dt.timedelta(days=1))
    await login(client, world.social_worker)
    response = await client.get(f"/piis/evaluations/{world.evaluation}")
    assert response.status_code == 200
    assert "Attendance since the last evaluation" in response.text and "SWITCH" in response.text
    assert "1 absence without a known reason: something to talk about together" in response.text
    assert "sanction" in response.text and "never proposes or starts a sanction" in response.text
    assert "Illness: 1" in response.text
    [entry] = await AccessLog.select().where(AccessLog.record_id == world.piis)
    assert (entry["user"], entry["record_kind"]) == (world.social_worker["id"], "piis")


async def test_piis_34_recording_what_was_said_keeps_it_with_the_objectives_status(client, world):
    await login(client, world.social_worker)
    objective = (await queries.objective_ids(world.piis))[0]
    day = i18n.today().isoformat()
    response = await post(client, f"/piis/evaluations/{world.evaluation}", {
        "version": "1", "held_on": day, "kind": "interview", "done": "Came to SWITCH", "agreements": "Bus pass",
        "person_words": "J'aime le groupe", f"objective-{objective}": "on_track", "heard_before_sanction": "1"})
    assert response.status_code == 303
    row = await Evaluation.select().where(Evaluation.id == world.evaluation).first()
    assert (row["held_on"].isoformat(), row["person_words"], row["heard_before_sanction"]) == (day, "J'aime le groupe", True)
    assert row["objectives"] == f'{{"{objective}": "on_track"}}'
    page = await client.get(f"/piis/evaluations/{world.evaluation}")
    assert "J&#39;aime le groupe" in page.text and "Took place on" in page.text


async def test_an_impossible_day_or_a_huge_text_is_a_translated_422_with_what_was_typed(client, world):
    await login(client, world.social_worker)
    response = await post(client, f"/piis/evaluations/{world.evaluation}", {
        "version": "1", "held_on": "2026-02-31", "kind": "interview", "done": "Came twice"}, htmx=True)
    assert response.status_code == 422 and "Give the day of the evaluation" in response.text
    assert 'value="2026-02-31"' in response.text and "Came twice" in response.text
    assert response.text.lstrip().startswith('<section class="card" id="record">')
    huge = await post(client, f"/piis/evaluations/{world.evaluation}", {
        "version": "1", "held_on": i18n.today().isoformat(), "kind": "interview", "person_words": "x" * 5001})
    assert huge.status_code == 422 and "At most 5000 characters." in huge.text
    future = await post(client, f"/piis/evaluations/{world.evaluation}", {
        "version": "1", "held_on": (i18n.today() + dt.timedelta(days=2)).isoformat(), "kind": "interview"})
    assert future.status_code == 422
    stale = await post(client, f"/piis/evaluations/{world.evaluation}", {
        "version": "7", "held_on": i18n.today().isoformat(), "kind": "interview"})
    assert stale.status_code == 409 and "Someone changed this" in stale.text
    assert (await Evaluation.select(Evaluation.held_on).where(Evaluation.id == world.evaluation).first())["held_on"] is None


async def _feed(client, world) -> str:
    url = await invites.renew_feed(world.rivebelle, user=world.social_worker["id"])
    response = await client.get(url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    return response.text.replace("\r\n ", "")


async def test_a_moved_appointment_moves_the_later_ones_and_the_same_event_in_the_workers_calendar(client, world):
    await login(client, world.social_worker)
    before = await _feed(client, world)
    uid = f"UID:planner-piis-e{world.evaluation}@127.0.0.1"
    assert uid in before and "PIIS evaluation 1 · RIV-1" in before and "DTSTART;VALUE=DATE:20270320" in before
    assert "Quennevilleprivate" not in before and "Zoé" not in before
    response = await post(client, f"/piis/evaluations/{world.evaluation}/move", {"day": "2027-03-13"})
    assert response.status_code == 303
    days = await Evaluation.select(Evaluation.planned_on, Evaluation.sequence).where(
        Evaluation.piis == world.piis).order_by(Evaluation.number)
    assert [(d["planned_on"], d["sequence"]) for d in days] == [
        (D(2027, 3, 13), 1), (D(2027, 7, 13), 1), (D(2027, 11, 12), 1)]
    after = icalendar.Calendar.from_ical(await _feed(client, world))
    [event] = [e for e in after.walk("VEVENT") if e["uid"] == uid.removeprefix("UID:")]
    assert (event.decoded("dtstart"), event["sequence"]) == (D(2027, 3, 13), 1)


async def test_a_move_to_an_impossible_day_or_after_the_end_changes_nothing(client, world):
    await login(client, world.social_worker)
    for day, message in (("31/02/2027", "Give the new day"), ("2027-02-31", "Give the new day"),
                         ("2027-12-01", "after the PIIS ends"), ("2026-01-01", "before the PIIS was signed")):
        response = await post(client, f"/piis/evaluations/{world.evaluation}/move", {"day": day}, htmx=True)
        assert response.status_code == 422 and message in response.text, day
        assert f'value="{day}"' in response.text
    row = await Evaluation.select(Evaluation.planned_on).where(Evaluation.id == world.evaluation).first()
    assert row["planned_on"] == D(2027, 3, 20)


async def test_the_evaluation_is_the_cpass_social_workers_only(client, world, neighbour_admin):
    neighbour = await make_user("nina@montfleuri.example", "Nina", [(neighbour_admin["cpas"], "social_worker")])
    url = f"/piis/evaluations/{world.evaluation}"
    form = {"version": "1", "held_on": "2026-11-25", "kind": "interview", "done": "taken", "day": "2027-01-10"}
    for person, status in ((world.outsider, 404), (neighbour, 404), (world.coordinator, 404),
                           (world.facilitator, 404), (world.partner_facilitator, 404), (neighbour_admin, 404)):
        await login(client, person)
        response = await client.get(url)
        assert response.status_code == status and "Quennevilleprivate" not in response.text
        assert (await post(client, url, form)).status_code == status
        assert (await post(client, f"{url}/move", form)).status_code == status
    row = await Evaluation.select().where(Evaluation.id == world.evaluation).first()
    assert (row["held_on"], row["planned_on"], row["done"]) == (None, D(2027, 3, 20), "")
    assert await AccessLog.count() == 0


async def test_my_calendar_lists_the_workers_coming_evaluations_by_file_reference(client, world):
    await login(client, world.social_worker)
    response = await client.get("/my-calendar")
    assert response.status_code == 200
    assert "PIIS evaluation 1 · RIV-1" in response.text and f'href="/piis/evaluations/{world.evaluation}"' in response.text
    assert "Quennevilleprivate" not in response.text
    renewed = await post(client, "/my-calendar/feed", {"action": "renew"})
    assert renewed.status_code == 200 and "PIIS evaluation 1 · RIV-1" in renewed.text
    await login(client, world.facilitator)
    assert "PIIS evaluation" not in (await client.get("/my-calendar")).text
