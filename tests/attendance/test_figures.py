"""The module's attendance figures, the rolls to chase on Today, and the monthly sheet: one mark per session."""

import datetime as dt

import pytest

from planner.i18n import wall_clock_now
from planner.attendance.tables import Mark
from planner.enrolment.tables import Enrolment
from planner.modules.tables import Module, Session
from tests.conftest import login, make_beneficiary, make_user, post

TODAY = wall_clock_now().date()


async def add_session(world, day: dt.date, start: dt.time, end: dt.time, status: str = "planned") -> int:
    row = Session(module=world.module, day=day, starts_at=start, ends_at=end, room=world.room, status=status)
    return (await Session.insert(row).returning(Session.id))[0]["id"]


async def mark(session: int, person: int, status: str) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    await Mark.insert(Mark(session=session, beneficiary=person, status=status, device_time=now, received_at=now))


def later_today() -> dt.time | None:
    """A start later today on the Brussels clock; None in the last hour of the day."""
    later = wall_clock_now() + dt.timedelta(hours=1)
    return later.time().replace(second=0, microsecond=0) if later.date() == TODAY else None


def row_of(html: str, name: str) -> list[str]:
    """The cells after the name in that person's row of the figures table."""
    row = html.split(name)[1].split("</tr>")[0]
    return [c.split("<")[0] for c in row.split("<td>")[1:]]


async def enrolled_since(world, day: dt.date) -> None:
    # the fixture's own session is moved a week ahead, so it never becomes a past session in these tests
    await Session.update({Session.day: TODAY + dt.timedelta(days=7)}).where(Session.id == world.session)
    await Enrolment.update({Enrolment.start_date: day}).where(Enrolment.id == world.enrolment)


async def test_two_sessions_on_one_day_each_count_with_their_own_mark(client, world):
    await enrolled_since(world, TODAY - dt.timedelta(days=28))
    for weeks in (4, 3, 2, 1):
        await mark(await add_session(world, TODAY - dt.timedelta(weeks=weeks), dt.time(13, 30), dt.time(15, 30)),
                   world.beneficiary, "present")
    await mark(await add_session(world, TODAY - dt.timedelta(weeks=1), dt.time(16), dt.time(18)),
               world.beneficiary, "unexcused")
    if later_today():
        await add_session(world, TODAY, later_today(), dt.time(23, 59))  # not started: not missed either
    await login(client, world.coordinator)
    page = await client.get(f"/modules/{world.module}/attendance")
    # expected, present, late, left early, excused, unexcused, not recorded, hours, rate
    assert row_of(page.text, "Quennevilleprivate") == ["5", "4", "0", "0", "0", "1", "0", "8", "80 %"]
    assert "5 sessions held so far." in page.text and "Every roll so far is recorded." in page.text


async def test_someone_promoted_from_the_waitlist_this_morning_has_nothing_expected_and_no_rate(client, world):
    if later_today() is None:
        pytest.skip("no later today in the last hour of the day")
    await enrolled_since(world, TODAY)
    await add_session(world, TODAY, later_today(), dt.time(23, 59))
    await login(client, world.coordinator)
    page = await client.get(f"/modules/{world.module}/attendance")
    assert row_of(page.text, "Quennevilleprivate") == ["0", "0", "0", "0", "0", "0", "0", "0", "—"]
    assert "0 sessions held so far." in page.text


def earlier_today() -> dt.time:
    """A start that has passed today on the Brussels clock (midnight in the first hour of the day)."""
    earlier = wall_clock_now() - dt.timedelta(hours=1)
    return earlier.time().replace(second=0, microsecond=0) if earlier.date() == TODAY else dt.time(0)


async def test_someone_promoted_after_todays_session_began_starts_at_the_next_one(client, world):
    # Promoted at 14:00, after the 13:30 session began: that session was never theirs, so it is neither
    # expected of them nor a roll to chase; their enrolment starts with the next session.
    await enrolled_since(world, TODAY - dt.timedelta(days=7))
    begun = await add_session(world, TODAY, earlier_today(), dt.time(23, 59))
    await mark(begun, world.beneficiary, "present")
    await Module.update({Module.capacity: 1}).where(Module.id == world.module)
    waiting = await make_beneficiary(world.rivebelle, "Wanda", "Waitlistperson")
    now = dt.datetime.now(dt.timezone.utc)
    await Enrolment.insert(Enrolment(module=world.module, beneficiary=waiting, organisation=world.rivebelle,
                                     status="waitlisted", queued_at=now, proposed_at=now))
    next_week = TODAY + dt.timedelta(days=7)  # the fixture's session, moved there by enrolled_since
    await login(client, world.coordinator)
    response = await post(client, f"/enrolments/{world.enrolment}/end",
                          {"end_date": next_week.isoformat(), "reason": "job"})
    assert response.status_code == 303
    promoted = await Enrolment.select(Enrolment.status, Enrolment.start_date).where(
        Enrolment.beneficiary == waiting).first()
    assert promoted == {"status": "enrolled", "start_date": next_week}
    page = await client.get(f"/modules/{world.module}/attendance")
    assert row_of(page.text, "Waitlistperson") == ["0", "0", "0", "0", "0", "0", "0", "0", "—"]
    assert "Every roll so far is recorded." in page.text


async def test_someone_enrolled_twice_has_one_row_counting_only_their_two_periods(client, world):
    # Enrolled weeks 1-2, ended, enrolled again from week 4: one row, weeks 1, 2 and 4 expected, never week 3.
    await enrolled_since(world, TODAY - dt.timedelta(weeks=5))
    sessions = [await add_session(world, TODAY - dt.timedelta(weeks=w), dt.time(9), dt.time(11)) for w in (5, 4, 3, 2)]
    await Enrolment.update({Enrolment.status: "ended", Enrolment.end_date: TODAY - dt.timedelta(weeks=4)}).where(
        Enrolment.id == world.enrolment)
    now = dt.datetime.now(dt.timezone.utc)
    await Enrolment.insert(Enrolment(module=world.module, beneficiary=world.beneficiary, organisation=world.rivebelle,
                                     status="enrolled", start_date=TODAY - dt.timedelta(weeks=2), proposed_at=now))
    for session in (sessions[0], sessions[1], sessions[3]):
        await mark(session, world.beneficiary, "present")
    await login(client, world.coordinator)
    page = await client.get(f"/modules/{world.module}/attendance")
    assert page.text.count("Quennevilleprivate") == 1
    assert row_of(page.text, "Quennevilleprivate") == ["3", "3", "0", "0", "0", "0", "0", "6", "100 %"]
    assert "Every roll so far is recorded." in page.text
    sheet = await client.get(f"/modules/{world.module}/sheet?month={(TODAY - dt.timedelta(weeks=3)):%Y-%m}")
    assert sheet.text.count("Quennevilleprivate") == 1


async def test_rolls_never_taken_are_not_recorded_listed_to_chase_and_left_out_of_the_rate(client, world):
    await enrolled_since(world, TODAY - dt.timedelta(days=35))
    sessions = [await add_session(world, TODAY - dt.timedelta(weeks=w), dt.time(9, 30), dt.time(12, 30))
                for w in (5, 4, 3, 2, 1)]
    await mark(sessions[-1], world.beneficiary, "present")  # DIGI: only the last of five rolls was taken
    await login(client, world.coordinator)
    page = await client.get(f"/modules/{world.module}/attendance")
    assert row_of(page.text, "Quennevilleprivate") == ["5", "1", "0", "0", "0", "0", "4", "3", "100 %"]
    chase = page.text.split('id="not-recorded"')[1]
    assert "4 sessions still have someone without a mark." in chase
    assert [f'href="/roll/{s}"' in chase for s in sessions] == [True, True, True, True, False]
    assert chase.count("1 of 1 person without a mark") == 4
    assert chase.index(f'/roll/{sessions[3]}"') < chase.index(f'/roll/{sessions[0]}"')  # latest first


async def test_the_coordinators_today_counts_the_rolls_not_recorded_per_module(client, world):
    await enrolled_since(world, TODAY - dt.timedelta(days=35))
    for weeks in (3, 2, 1):
        await add_session(world, TODAY - dt.timedelta(weeks=weeks), dt.time(9, 30), dt.time(12, 30))
    await add_session(world, TODAY - dt.timedelta(days=1), dt.time(9, 30), dt.time(12, 30), status="cancelled")
    await login(client, world.coordinator)
    today = await client.get("/today")
    section = today.text.split('id="not-recorded"')[1].split("</section>")[0]
    assert f'href="/modules/{world.module}/attendance#not-recorded"' in section
    assert "SWITCH · Switch activation group" in section and "3 sessions not recorded" in section
    # the live block the page polls does not carry them
    assert 'id="not-recorded"' not in (await client.get("/today", headers={"hx-request": "true"})).text


async def test_today_says_when_every_roll_is_recorded_and_facilitators_see_no_such_section(client, world):
    await enrolled_since(world, TODAY - dt.timedelta(days=35))
    await mark(await add_session(world, TODAY - dt.timedelta(weeks=1), dt.time(9, 30), dt.time(12, 30)),
               world.beneficiary, "excused")
    await login(client, world.coordinator)
    assert "Every roll of your modules so far is recorded." in (await client.get("/today")).text
    page = await client.get(f"/modules/{world.module}/attendance")
    assert "Every roll so far is recorded." in page.text
    await login(client, world.facilitator)
    assert 'id="not-recorded"' not in (await client.get("/today")).text


async def test_a_roll_with_one_person_forgotten_is_chased_for_that_person(client, world):
    await enrolled_since(world, TODAY - dt.timedelta(days=35))
    other = await make_beneficiary(world.rivebelle, "Ann", "Autre")
    await Enrolment.insert(Enrolment(module=world.module, beneficiary=other, organisation=world.rivebelle,
                                     status="enrolled", start_date=TODAY - dt.timedelta(days=35),
                                     proposed_at=dt.datetime.now(dt.timezone.utc)))
    session = await add_session(world, TODAY - dt.timedelta(weeks=1), dt.time(9, 30), dt.time(12, 30))
    await mark(session, world.beneficiary, "present")
    await Session.update({Session.roll_closed_at: dt.datetime.now(dt.timezone.utc)}).where(Session.id == session)
    await login(client, world.coordinator)
    page = await client.get(f"/modules/{world.module}/attendance")
    assert row_of(page.text, "Autre")[6] == "1" and row_of(page.text, "Quennevilleprivate")[6] == "0"
    assert "1 session still has someone without a mark." in page.text
    assert "1 of 2 people without a mark" in page.text


async def test_a_social_worker_sees_the_rolls_to_chase_without_a_link_to_the_roll(client, world):
    await enrolled_since(world, TODAY - dt.timedelta(days=35))
    session = await add_session(world, TODAY - dt.timedelta(weeks=1), dt.time(9, 30), dt.time(12, 30))
    await login(client, world.social_worker)
    page = await client.get(f"/modules/{world.module}/attendance")
    assert "1 session still has someone without a mark." in page.text
    assert f'href="/roll/{session}"' not in page.text


@pytest.mark.parametrize("language, words", [
    ("fr", ["Présences non encodées", "Non encodé", "1 séance a encore quelqu'un sans présence encodée.",
            "2 séances ont eu lieu jusqu'ici. 1 séance annulée."]),
    ("nl", ["Niet ingevulde aanwezigheidslijsten", "Niet ingevuld", "1 sessie heeft nog iemand zonder aanduiding.",
            "Tot nu toe 2 sessies gehouden. 1 sessie afgelast."]),
    ("de", ["Nicht erfasste Anwesenheitslisten", "Nicht erfasst",
            "1 Sitzung hat noch jemanden ohne Eintrag.", "Bisher 2 Sitzungen abgehalten. 1 Sitzung abgesagt."]),
    ("en", ["Rolls not recorded", "Not recorded", "1 session still has someone without a mark.",
            "2 sessions held so far. 1 session cancelled."]),
])
async def test_the_figures_page_speaks_each_language(client, world, language, words):
    await enrolled_since(world, TODAY - dt.timedelta(days=35))
    await mark(await add_session(world, TODAY - dt.timedelta(weeks=2), dt.time(9, 30), dt.time(12, 30)),
               world.beneficiary, "present")
    await add_session(world, TODAY - dt.timedelta(weeks=1), dt.time(9, 30), dt.time(12, 30))
    await add_session(world, TODAY - dt.timedelta(days=3), dt.time(9, 30), dt.time(12, 30), status="cancelled")
    reader = await make_user(f"coordinator.{language}@rivebelle.example", "Reader", [(world.rivebelle, "coordinator")],
                             language=language)
    await login(client, reader)
    page = await client.get(f"/modules/{world.module}/attendance")
    assert f'<html lang="{language}"' in page.text
    for text in words:
        assert text in page.text, text


async def test_the_monthly_sheet_has_a_column_per_session_when_a_day_has_two(client, world):
    day = dt.date(2026, 12, 14)
    afternoon = await add_session(world, day, dt.time(16), dt.time(18))  # inserted first: the order is the clock's
    morning = await add_session(world, day, dt.time(13, 30), dt.time(15, 30))
    await mark(morning, world.beneficiary, "present")
    await mark(afternoon, world.beneficiary, "unexcused")
    await login(client, world.coordinator)
    sheet = await client.get(f"/modules/{world.module}/sheet?month=2026-12")
    header = sheet.text.split("<thead>")[1].split("</thead>")[0]
    assert "14/12<br>13:30" in header and "14/12<br>16:00" in header and header.index("13:30") < header.index("16:00")
    assert "7/12<br>" not in header  # a day with one session shows just its date
    row = sheet.text.split("Quennevilleprivate")[1].split("</tr>")[0]
    assert row.index("présent") < row.index("absence non excusée")
