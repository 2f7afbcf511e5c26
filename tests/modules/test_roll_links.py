"""The module page's roll links ("Roll", "Liste de présence" in French) are shown only to those the roll lets in
(attendance.access.may_take_roll, the roll guard's own rule): the module's coordinators and facilitators."""

import re

from planner.modules.tables import Module
from tests.conftest import login, make_user


def roll_link(session_id: int) -> re.Pattern:
    return re.compile(rf'<a href="/roll/{session_id}">\s*Roll\s*</a>')  # the world's staff read English


async def test_the_coordinator_and_the_facilitator_see_the_roll_link_and_it_opens(client, world):
    for person in (world.coordinator, world.facilitator):
        await login(client, person)
        page = await client.get(f"/modules/{world.module}")
        assert page.status_code == 200 and roll_link(world.session).search(page.text), person["email"]
        assert (await client.get(f"/roll/{world.session}")).status_code == 200


async def test_the_administrator_and_the_social_worker_see_the_module_without_a_roll_link(client, world):
    for person in (world.administrator, world.social_worker):
        await login(client, person)
        page = await client.get(f"/modules/{world.module}")
        assert page.status_code == 200 and "Switch activation group" in page.text
        assert f'href="/roll/{world.session}"' not in page.text, person["email"]
        assert (await client.get(f"/roll/{world.session}")).status_code == 403  # their CPAS, not their role


async def test_another_cpas_of_the_cluster_sees_a_shared_module_without_a_roll_link(client, world, neighbour_admin):
    await Module.update({Module.cluster: world.cluster}).where(Module.id == world.module)
    montfleuri_coordinator = await make_user("mc@montfleuri.example", "Marc Coord",
                                             [(neighbour_admin["cpas"], "coordinator")])
    for person in (neighbour_admin, montfleuri_coordinator):
        await login(client, person)
        page = await client.get(f"/modules/{world.module}")
        assert page.status_code == 200 and "Switch activation group" in page.text
        assert f'href="/roll/{world.session}"' not in page.text, person["email"]
        assert (await client.get(f"/roll/{world.session}")).status_code in (403, 404)
    # a coordinator of the cluster itself runs the shared module: the link is there and opens
    await login(client, world.coordinator)  # Carl coordinates Rivebelle and (neighbour_admin) the cluster
    page = await client.get(f"/modules/{world.module}")
    assert roll_link(world.session).search(page.text)
