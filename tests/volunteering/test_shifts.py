"""A placement's shifts are its own module's sessions (issue 17): planned through the modules' actions with the
volunteer enrolled, shown to the host (both engines)."""

import datetime as dt

from planner.enrolment.tables import Enrolment
from planner.modules import actions as modules
from planner.modules.tables import Module
from planner.volunteering.tables import Placement
from tests.conftest import login, post
from tests.volunteering.test_host import host_path


async def test_planning_shifts_makes_the_placements_module_with_the_volunteer_enrolled(client, world, monkeypatch):
    await login(client, world.coordinator)
    response = await post(client, f"/volunteering/{world.placement}/shifts", {})
    placement = await Placement.select(Placement.module, Placement.enrolment).where(
        Placement.id == world.placement).first()
    assert response.status_code == 303 and response.headers["location"] == f"/modules/{placement['module']}#schedule"
    module = await Module.select().where(Module.id == placement["module"]).first()
    assert (module["module_type"], module["title"], module["organisation"]) == (
        "volunteering", "Accès-Sport Rivebelle", world.rivebelle)
    enrolment = await Enrolment.select().where(Enrolment.id == placement["enrolment"]).first()
    assert (enrolment["beneficiary"], enrolment["status"], enrolment["start_date"]) == (
        world.beneficiary, "enrolled", dt.date(2026, 10, 5))
    assert (await client.get(f"/modules/{placement['module']}#schedule")).status_code == 200
    again = await post(client, f"/volunteering/{world.placement}/shifts", {})  # a second click: the same module
    assert again.headers["location"] == response.headers["location"] and await Module.count() == 2
    assert f'href="/modules/{placement["module"]}#schedule"' in (await client.get(f"/volunteering/{world.placement}")).text
    await modules.add_session(placement["module"], dt.date(2099, 3, 4), dt.time(9), dt.time(12), None)
    await post(client, "/logout", {})
    path = await host_path(client, world)
    page = (await client.get(path)).text
    assert "Next shifts" in page and "2099" in page


async def test_another_cpas_cannot_plan_the_shifts(client, world, neighbour_admin):
    await login(client, world.outsider)
    assert (await post(client, f"/volunteering/{world.placement}/shifts", {})).status_code == 404
    await login(client, world.facilitator)
    assert (await post(client, f"/volunteering/{world.placement}/shifts", {})).status_code == 403
    assert await Module.count() == 1
