"""/piis/instruments (issue 15, domain.md §5.5): social workers and coordinators of a CPAS see its instruments;
its coordinators define its own, with answer scales several instruments share. Both engines."""

import html
import json

import pytest

from planner.piis.actions.instruments import sync_builtin_instruments
from planner.piis.tables import AnswerScale, Instrument
from tests.conftest import login, post


def shown(response) -> str:
    return html.unescape(response.text).replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
async def builtin(world) -> None:
    await sync_builtin_instruments()


MPSA = {"name_nl": "MPSA", "domains_nl": "Werk\nWonen\nGezondheid", "scale": "new",
        "levels_nl": "Geen\nWeinig\nVoldoende\nGoed", "progress_rule": "any_domain"}


async def test_a_coordinator_defines_an_instrument_and_a_second_one_reuses_its_scale(client, world, builtin):
    await login(client, world.coordinator)
    page = shown(await client.get("/piis/instruments"))
    assert "Participation ladder" in page and "Self-sufficiency matrix (ZRM)" in page and "Agreement (1–5)" in page
    response = await post(client, "/piis/instruments", {"organisation": str(world.rivebelle), **MPSA})
    assert response.status_code == 303 and response.headers["location"] == f"/piis/instruments?cpas={world.rivebelle}"
    own = await Instrument.select().where(Instrument.organisation == world.rivebelle).first()
    assert (own["scale"], own["low"], own["high"], own["progress_rule"]) == ("matrix", 1, 4, "any_domain")
    assert [d["names"]["nl"] for d in json.loads(own["domains"])] == ["Werk", "Wonen", "Gezondheid"]
    scale = await AnswerScale.select().where(AnswerScale.organisation == world.rivebelle).first()
    assert own["answer_scale"] == scale["id"] and json.loads(scale["levels"])[3]["names"] == {"nl": "Goed"}
    response = await post(client, "/piis/instruments", {"organisation": str(world.rivebelle), "name_fr": "Bien-être",
                                                         "scale": str(scale["id"]), "progress_rule": "sum"})
    assert response.status_code == 303
    second = await Instrument.select().where(Instrument.code == "own_2").first()
    assert second["answer_scale"] == scale["id"] and second["scale"] == "ordinal" and second["high"] == 4
    await login(client, world.social_worker)
    page = shown(await client.get(f"/piis/instruments?cpas={world.rivebelle}"))
    assert "MPSA" in page and "Bien-être" in page and "Define an instrument" not in page


@pytest.mark.parametrize("change,message", [
    ({"levels_nl": ""}, "Write from 2 to 20 lines"),  # a custom instrument with 0 levels
    ({"levels_nl": "Alleen"}, "Write from 2 to 20 lines"),
    ({"name_nl": ""}, "Give the instrument a name"),
    ({"domains_fr": "Travail"}, "Write as many lines in each language"),
    ({"scale": "999999"}, "Choose an answer scale from the list."),
    ({"progress_rule": "magic"}, "Choose how progress is counted."),
])
async def test_an_instrument_that_cannot_be_used_is_refused_with_what_was_typed(client, world, builtin, change,
                                                                                 message):
    await login(client, world.coordinator)
    form = {"organisation": str(world.rivebelle), **MPSA, **change}
    response = await post(client, "/piis/instruments", form, htmx=True)
    assert response.status_code == 422 and message in shown(response) and 'id="define"' in response.text
    assert "Werk\nWonen" in shown(response)  # what was typed is kept
    assert await Instrument.count().where(Instrument.organisation == world.rivebelle) == 0


async def test_another_cpas_scale_cannot_be_picked(client, world, builtin):
    other = (await AnswerScale.insert(AnswerScale(organisation=world.elsewhere, code="own_scale_1",
                                                  names='{"fr": "Secret"}', low=1, high=2, levels="[]")
                                      ).returning(AnswerScale.id))[0]["id"]
    await login(client, world.coordinator)
    page = shown(await client.get("/piis/instruments"))
    assert "Secret" not in page
    response = await post(client, "/piis/instruments", {"organisation": str(world.rivebelle), "name_fr": "X",
                                                         "scale": str(other), "progress_rule": "sum"})
    assert response.status_code == 422 and await Instrument.count().where(Instrument.organisation.is_not_null()) == 0


async def test_social_workers_do_not_define_and_other_cpas_see_nothing(client, world, builtin, neighbour_admin):
    await login(client, world.social_worker)
    assert (await post(client, "/piis/instruments", {"organisation": str(world.rivebelle), **MPSA})).status_code == 403
    await login(client, world.facilitator)
    assert (await client.get("/piis/instruments")).status_code == 403
    await login(client, world.outsider)
    assert (await client.get(f"/piis/instruments?cpas={world.rivebelle}")).status_code == 404
    assert (await post(client, "/piis/instruments", {"organisation": str(world.rivebelle), **MPSA})).status_code == 404
    await login(client, world.coordinator)  # Carl also coordinates the cluster: a cluster is no CPAS of his files
    from planner.auth.tables import Membership
    assert await Membership.exists().where((Membership.user == world.coordinator["id"])
                                           & (Membership.organisation == world.cluster))
    assert (await client.get(f"/piis/instruments?cpas={world.cluster}")).status_code == 404
    assert (await post(client, "/piis/instruments", {"organisation": str(world.cluster), **MPSA})).status_code == 404
    assert await Instrument.count().where(Instrument.organisation.is_not_null()) == 0
