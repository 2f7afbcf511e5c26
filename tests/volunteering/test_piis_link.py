"""What volunteering feeds (issue 17): the volunteer's own link to declare hours, the hours in the PIIS
evaluation's evidence, a placement meant as a PIIS objective written into a new PIIS, §4.3 E2c, the ladder's
level 4 suggested (§5.1) and the trajectory outcome "volunteering" (both engines)."""

import datetime as dt
import html
from urllib.parse import urlsplit

import pytest

from planner.piis.actions.instruments import sync_builtin_instruments
from planner.piis.actions.measurements import record_measurement
from planner.piis.queries import person_progress
from planner.piis.tables import Instrument, PiisCommitment
from planner.volunteering import actions
from planner.volunteering.tables import HoursEntry, Placement
from tests.conftest import login, post

D = dt.date


def shown(response) -> str:
    return html.unescape(response.text).replace("\xa0", " ").replace("\u202f", " ")


async def volunteer_path(client, world) -> str:
    await login(client, world.social_worker)
    response = await post(client, f"/volunteering/{world.placement}/volunteer-link", {})
    assert response.status_code == 303
    page = shown(await client.get(f"/volunteering/{world.placement}"))
    assert "The volunteer's link is ready" in page
    url = page.split('id="volunteer-link-url" readonly value="')[1].split('"')[0]
    await post(client, "/logout", {})
    return urlsplit(url).path


async def test_the_volunteer_declares_hours_on_their_own_link_and_they_wait_for_approval(client, world):
    path = await volunteer_path(client, world)
    assert path.startswith("/my-hours/")
    page = shown(await client.get(path))
    assert "Hello Zoé. Here you record the hours you volunteered." in page and "Accès-Sport Rivebelle" in page
    assert "Quennevilleprivate" not in page and "Welcoming members" not in page
    response = await post(client, path, {"day": "2026-10-12", "time": "1:45"}, htmx=True)
    assert response.status_code == 200 and "The hours are recorded" in shown(response)
    row = await HoursEntry.select().where(HoursEntry.day == D(2026, 10, 12)).first()
    assert (row["minutes"], row["recorded_by_kind"], row["state"]) == (105, "volunteer", "pending")
    await login(client, world.social_worker)
    assert "the volunteer" in shown(await client.get(f"/volunteering/{world.placement}")).split('class="entries"')[-1]


async def test_the_volunteers_link_is_not_the_hosts_and_stops_when_revoked(client, world):
    path = await volunteer_path(client, world)
    token = path.rsplit("/", 1)[1]
    assert (await client.get(f"/host/{token}")).status_code == 404  # each link opens its own page only
    await login(client, world.coordinator)
    assert (await post(client, f"/volunteering/{world.placement}/volunteer-link/revoke", {})).status_code == 303
    assert "The volunteer's link has been stopped." in shown(await client.get(f"/volunteering/{world.placement}"))
    await post(client, "/logout", {})
    assert (await client.get(path)).status_code == 410
    assert (await post(client, path, {"day": "2026-10-06", "time": "1"})).status_code == 410
    assert await HoursEntry.count() == 1


async def test_another_cpas_cannot_issue_the_volunteers_link(client, world):
    await login(client, world.outsider)
    for url in (f"/volunteering/{world.placement}/volunteer-link",
                f"/volunteering/{world.placement}/volunteer-link/revoke"):
        assert (await post(client, url, {})).status_code == 404


async def shifts_in_the_piis(world) -> int:
    """Plan the placement's shifts (its module and enrolment) and write them into Zoé's signed PIIS."""
    await actions.plan_shifts(world.rivebelle, world.placement, world.social_worker["id"])
    enrolment = (await Placement.select(Placement.enrolment).where(Placement.id == world.placement).first())["enrolment"]
    await PiisCommitment.insert(PiisCommitment(piis=world.piis, enrolment=enrolment))
    return enrolment


async def test_the_evaluation_shows_the_hours_approved_waiting_and_declined_since_the_last_one(client, world):
    await shifts_in_the_piis(world)
    sofie = world.social_worker["id"]
    for day, minutes, decision in ((D(2026, 11, 21), 150, "approved"), (D(2026, 11, 23), 60, "declined"),
                                   (D(2026, 11, 24), 45, None), (D(2026, 11, 2), 600, "approved")):
        entry, problems = await actions.record_hours(world.placement, day, minutes, "", "host", None, D(2026, 11, 30))
        assert not problems
        if decision:
            version = (await HoursEntry.select(HoursEntry.version).where(HoursEntry.id == entry).first())["version"]
            assert not await actions.decide_hours(entry, version, decision,
                                                  "Not that day" if decision == "declined" else "", sofie)
    await login(client, world.social_worker)
    page = shown(await client.get(f"/piis/evaluations/{world.evaluation}"))
    assert "Accès-Sport Rivebelle" in page
    # only what was done after the PIIS was signed (20 November): 2 h 30 approved, 45 min waiting, 1 h declined
    assert "Volunteering hours approved</th><td>2.5" in page
    assert "Volunteering hours waiting for approval</th><td>0.75" in page
    assert "Volunteering hours declined</th><td>1<" in page


async def test_a_placement_meant_as_a_piis_objective_is_written_into_a_new_piis(client, world):
    enrolment = await shifts_in_the_piis(world)
    await Placement.update({Placement.piis_objective: True}).where(Placement.id == world.placement)
    await login(client, world.social_worker)
    page = shown(await client.get(f"/people/{world.beneficiary}/piis/new"))
    assert 'value="Volunteering at Accès-Sport Rivebelle"' in page
    assert f'value="{enrolment}" checked' in page


@pytest.fixture
async def ladder(world) -> int:
    await sync_builtin_instruments()
    return (await Instrument.select(Instrument.id).where(Instrument.code == "participation_ladder").first())["id"]


async def test_a_placement_started_in_the_year_counts_as_progress_into_volunteering_e2c(world, ladder):
    sofie = world.social_worker["id"]
    await record_measurement(world.rivebelle, world.beneficiary, ladder, D(2026, 9, 1), "start", {"": 2}, sofie)
    await record_measurement(world.rivebelle, world.beneficiary, ladder, D(2026, 11, 25), "end", {"": 3}, sofie)
    [found] = await person_progress(world.rivebelle, world.beneficiary, 2026, "en")
    assert found["progress"].flags == {"autonomy", "volunteering"} and found["progress"].primary == "volunteering"
    [found] = await person_progress(world.rivebelle, world.beneficiary, 2027, "en")  # started in 2026, not 2027
    assert "volunteering" not in found["progress"].flags


async def test_a_running_placement_suggests_the_ladders_level_4_and_the_outcome_volunteering(client, world, ladder):
    await login(client, world.social_worker)
    page = shown(await client.get(f"/people/{world.beneficiary}/measurements/new?instrument={ladder}"))
    assert "Volunteering at Accès-Sport Rivebelle since" in page and "2026: the ladder's level 4 (unpaid work) may fit." in page
    page = shown(await client.get(f"/people/{world.beneficiary}/progress"))
    assert f'id="f-flag-{world.piis}-volunteering" name="flags" value="volunteering" checked' in page
    assert f'id="f-primary-{world.piis}-volunteering" name="primary" value="volunteering" checked' in page
    await Placement.update({Placement.starts_on: D(2027, 12, 1)}).where(Placement.id == world.placement)
    page = shown(await client.get(f"/people/{world.beneficiary}/measurements/new?instrument={ladder}"))
    assert "may fit" not in page  # not volunteering now
    page = shown(await client.get(f"/people/{world.beneficiary}/progress"))
    assert f'id="f-primary-{world.piis}-none" name="primary" value="none" checked' in page
