"""The roll as facilitators prefer it to paper (issue 18): every status on the row, the bulk actions'
undo, a note per person, a later session's roll refused with its date."""

import datetime as dt

from planner.attendance.tables import Mark, MarkEvent, MarkRemark, RollAction
from planner.enrolment.tables import Enrolment
from planner.i18n import wall_clock_now
from planner.modules.tables import Session
from tests.attendance.test_routes import QUEUE, mark_of, minutes_ago, tap
from tests.conftest import login, make_beneficiary, make_user, post


async def enrol(world, first: str, last: str) -> int:
    person = await make_beneficiary(world.rivebelle, first, last)
    await Enrolment.insert(Enrolment(module=world.module, beneficiary=person, organisation=world.rivebelle,
                                     status="enrolled", start_date=dt.date(2026, 12, 1),
                                     proposed_at=dt.datetime.now(dt.timezone.utc)))
    return person


async def test_every_status_is_a_button_on_the_row_and_late_takes_the_time_of_the_tap(client, world):
    await login(client, world.facilitator)
    page = await client.get(f"/roll/{world.session}")
    for label in ("Late", "Left early", "Excused", "Absent"):
        assert f'>{label}<span class="visually-hidden"> · Zoé Quennevilleprivate</span></button>' in page.text
    before = wall_clock_now().replace(second=0, microsecond=0)
    response = await post(client, f"/roll/{world.session}/taps",
                          {"person": str(world.beneficiary), "status": "late", "default_time": "1"})
    assert response.status_code == 303
    mark = await mark_of(world)
    assert mark["status"] == "late"
    arrived = dt.datetime.combine(before.date(), mark["arrived_at"])
    assert before <= arrived <= wall_clock_now()
    # the tablet's own time wins over the server's when it sends one (the tap waited offline)
    await post(client, f"/roll/{world.session}/taps", tap(world, "left_early", "t-2", left_at="11:40",
                                                           device_time=dt.datetime.now(dt.timezone.utc).isoformat(),
                                                           default_time="1"), htmx=True)
    assert (await mark_of(world))["left_at"] == dt.time(11, 40)
    page = await client.get(f"/roll/{world.session}")
    assert 'value="left_early" class="st" aria-pressed="true"' in page.text


async def test_undo_of_everyone_present_clears_those_it_marked_and_keeps_later_taps(client, world):
    omar = await enrol(world, "Omar", "Haddad")
    lina = await enrol(world, "Lina", "Peeters")
    await login(client, world.facilitator)
    bulk = {"client_id": "bulk-7", "device_time": minutes_ago(5)}
    assert (await post(client, f"/roll/{world.session}/everyone-present", bulk, headers=QUEUE)).status_code == 204
    # Lina is corrected after the bulk action: the undo leaves her correction alone
    await post(client, f"/roll/{world.session}/taps", {**tap(world, "late", "t-lina", minutes_ago(4)),
                                                        "person": str(lina), "arrived_at": "09:50"}, htmx=True)
    undo = {"client_id": "undo-7", "of": "bulk-7", "device_time": minutes_ago(3)}
    answer = await post(client, f"/roll/{world.session}/undo", undo, headers=QUEUE)
    assert answer.status_code == 204 and answer.headers["x-roll-stored"] == "undo-7"
    statuses = {m["beneficiary"]: m["status"] for m in await Mark.select(Mark.beneficiary, Mark.status)}
    assert statuses == {world.beneficiary: "", omar: "", lina: "late"}
    page = await client.get(f"/roll/{world.session}")
    assert "1 of 3 here, 2 not marked yet." in page.text
    # the undo sent again by a tablet that lost the answer changes nothing more
    events = await MarkEvent.count()
    again = await post(client, f"/roll/{world.session}/undo", undo, headers=QUEUE)
    assert again.headers["x-roll-stored"] == "undo-7" and await MarkEvent.count() == events
    assert await RollAction.count().where(RollAction.action == "undo") == 1


async def test_undo_as_a_plain_form_says_how_many_and_an_unknown_action_is_refused(client, world):
    await login(client, world.facilitator)
    await post(client, f"/roll/{world.session}/rest-absent", {"client_id": "bulk-8"})
    response = await post(client, f"/roll/{world.session}/undo", {"of": "bulk-8"})
    assert response.status_code == 303
    assert "1 mark undone." in (await client.get(response.headers["location"])).text
    assert (await mark_of(world))["status"] == ""
    refused = await post(client, f"/roll/{world.session}/undo", {"of": "nothing-1", "client_id": "u-2"},
                         headers=QUEUE)
    assert refused.status_code == 404 and refused.headers["x-roll-refused"] == "u-2"


async def test_a_note_per_person_is_kept_shown_on_the_roll_and_printed_on_the_sheet(client, world):
    await login(client, world.facilitator)
    note = {"person": str(world.beneficiary), "remark": "Came with her daughter.", "client_id": "n-1",
            "device_time": minutes_ago(2)}
    answer = await post(client, f"/roll/{world.session}/remarks", note, headers=QUEUE)
    assert answer.status_code == 204 and answer.headers["x-roll-stored"] == "n-1"
    # an older note arriving late from another tablet does not replace it
    older = {**note, "remark": "Older note", "client_id": "n-0", "device_time": minutes_ago(9)}
    await post(client, f"/roll/{world.session}/remarks", older, headers=QUEUE)
    assert [r["remark"] for r in await MarkRemark.select(MarkRemark.remark)] == ["Came with her daughter."]
    assert '<p class="remark-text">Came with her daughter.</p>' in (await client.get(f"/roll/{world.session}")).text
    sheet = await client.get(f"/roll/{world.session}/sheet")
    assert '<small class="remark">Came with her daughter.</small>' in sheet.text
    # a tap keeps the note on the row it sends back
    row = await post(client, f"/roll/{world.session}/taps", tap(world), htmx=True)
    assert "Came with her daughter." in row.text
    plain = await post(client, f"/roll/{world.session}/remarks", {"person": str(world.beneficiary), "remark": ""})
    assert plain.status_code == 303 and await MarkRemark.count().where(MarkRemark.remark != "") == 0


async def test_a_later_sessions_roll_refuses_taps_with_its_date(client, world):
    later = (await Session.insert(Session(module=world.module, day=dt.date.today() + dt.timedelta(days=4000),
                                          starts_at=dt.time(9, 30), ends_at=dt.time(12, 30))).returning(Session.id))[0]["id"]
    day = (await Session.select(Session.day).where(Session.id == later).first())["day"]
    await login(client, world.facilitator)
    page = await client.get(f"/roll/{later}")
    expected = f"This session is on {day.strftime('%A')}"
    assert expected in page.text and 'data-too-early="1"' in page.text
    assert page.text.count("disabled") >= 5  # the row's buttons and the bulk actions
    queued = await post(client, f"/roll/{later}/taps", tap(world, client_id="f-1"), headers=QUEUE)
    assert queued.status_code == 409 and queued.headers["x-roll-refused"] == "f-1" and expected in queued.text
    plain = await post(client, f"/roll/{later}/everyone-present", {})
    assert plain.status_code == 409 and expected in plain.text
    closing = await post(client, f"/roll/{later}/close", {"guests": "1"}, htmx=True)
    assert closing.status_code == 409
    assert await Mark.count() == 0 and await MarkEvent.count() == 0
    assert (await Session.select(Session.roll_closed_at).where(Session.id == later).first())["roll_closed_at"] is None


async def test_another_cpas_and_one_of_the_same_cluster_get_404_on_notes_and_undo(client, world, neighbour_admin):
    await login(client, world.facilitator)
    await post(client, f"/roll/{world.session}/everyone-present", {"client_id": "bulk-9"}, headers=QUEUE)
    neighbour = await make_user("nina@montfleuri.example", "Nina", [(neighbour_admin["cpas"], "coordinator")])
    for person in (world.outsider, neighbour):
        await post(client, "/logout")
        await login(client, person)
        for url, data in ((f"/roll/{world.session}/undo", {"of": "bulk-9"}),
                          (f"/roll/{world.session}/remarks", {"person": str(world.beneficiary), "remark": "x"})):
            response = await post(client, url, data)
            assert response.status_code == 404 and "Quennevilleprivate" not in response.text, url
    assert (await mark_of(world))["status"] == "present" and await MarkRemark.count() == 0
