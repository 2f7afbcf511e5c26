"""The due list of a social worker, its counts for a coordinator, the CPAS's cadence setting (issue 15), on both
engines: the groups on §6.4's cadence case, the worker's own files or the whole CPAS, numbers without names."""

import datetime as dt

from planner import i18n
from planner.auth.tables import Membership
from planner.piis import actions, queries
from planner.piis.actions import FileInput
from planner.piis.tables import Evaluation, PiisPolicy
from tests.conftest import login, make_beneficiary, make_user, post
from tests.piis.test_actions import signed_switch_piis

D = dt.date


async def _six_four(world) -> int:
    """§6.4: signed 2017-02-10, the first evaluation moved to 30/05 (the later ones follow)."""
    piis = await signed_switch_piis(world)
    first = (await Evaluation.select(Evaluation.id).where((Evaluation.piis == piis) & (Evaluation.number == 1))
             .first())["id"]
    await actions.move_evaluation(first, D(2017, 5, 30))
    return piis


async def test_piis_30_the_due_list_groups_6_4s_evaluations_by_urgency(world):
    piis = await _six_four(world)
    mine = {world.rivebelle}
    sofie = world.social_worker["id"]
    soon = await queries.due_items(mine, sofie, D(2017, 5, 20))
    assert [(i["piis"], i["number"], i["day"], i["days"]) for i in soon["due"]] == [(piis, 1, D(2017, 5, 30), 10)]
    assert soon["late"] == [] and soon["silent"] == [] and soon["ending"] == []
    late = await queries.due_items(mine, sofie, D(2017, 6, 12))
    assert [(i["number"], i["days"]) for i in late["late"]] == [(1, 13)]
    assert [i["piis"] for i in late["silent"]] == [piis]  # PIIS-31: signed 10/02, nothing held for 4 months
    ending = await queries.due_items(mine, sofie, D(2018, 1, 20))
    assert [(i["piis"], i["day"]) for i in ending["ending"]] == [(piis, D(2018, 2, 9))]
    # Another worker's files are in "all workers" only.
    assert (await queries.due_items(mine, world.coordinator["id"], D(2017, 6, 12)))["late"] == []
    assert len((await queries.due_items(mine, None, D(2017, 6, 12)))["late"]) == 1


async def test_piis_01_piis_10_a_new_ri_beneficiary_without_a_piis_is_listed_with_the_days_left(world):
    bruno = await make_beneficiary(world.rivebelle, "Bruno", "Neuf", file_reference="RIV-2")
    await actions.save_file(world.rivebelle, bruno, None, FileInput(ri_granted_on=D(2017, 5, 1),
                                                                  social_worker=world.social_worker["id"]), 1)
    items = (await queries.due_items({world.rivebelle}, world.social_worker["id"], D(2017, 6, 2)))["needs_piis"]
    assert [(i["person_id"], i["day"], i["days"]) for i in items] == [(bruno, D(2017, 8, 1), 60)]
    late = (await queries.due_items({world.rivebelle}, world.social_worker["id"], D(2017, 8, 11)))["needs_piis"]
    assert [i["days"] for i in late] == [-10]


async def test_the_due_list_page_shows_the_workers_evaluations_with_links_and_no_name_in_urls(client, world):
    today = i18n.today()
    await Evaluation.update({Evaluation.planned_on: today - dt.timedelta(days=3)}).where(
        Evaluation.id == world.evaluation)
    await login(client, world.social_worker)
    response = await client.get("/piis/due")
    assert response.status_code == 200
    assert "Evaluations late" in response.text and "3 days late" in response.text
    assert f'href="/piis/evaluations/{world.evaluation}"' in response.text and "Quennevilleprivate" in response.text
    everyone = await client.get("/piis/due", params={"who": "all"}, headers={"hx-request": "true"})
    assert everyone.status_code == 200 and everyone.text.lstrip().startswith('<div id="due">')


async def test_an_empty_due_list_says_nothing_is_due(client, world):
    await login(client, world.social_worker)
    await Evaluation.delete().where(Evaluation.piis == world.piis)
    response = await client.get("/piis/due")
    assert response.status_code == 200 and "Nothing is due" in response.text


async def test_a_coordinator_sees_the_counts_of_the_cpas_without_names(client, world):
    await Evaluation.update({Evaluation.planned_on: i18n.today() - dt.timedelta(days=1)}).where(
        Evaluation.id == world.evaluation)
    await login(client, world.coordinator)
    response = await client.get("/piis/due/counts", params={"cpas": str(world.rivebelle)})
    assert response.status_code == 200
    assert '<td id="count-late">1</td>' in response.text
    assert "Quennevilleprivate" not in response.text and "RIV-1" not in response.text
    assert (await client.get("/piis/due")).status_code == 404  # the names are for social workers


async def test_the_due_list_and_counts_are_refused_outside_the_cpas(client, world, neighbour_admin):
    await login(client, world.outsider)  # every CPAS role, in another CPAS
    response = await client.get("/piis/due", params={"who": "all"})
    assert response.status_code == 200 and "Quennevilleprivate" not in response.text
    assert (await client.get("/piis/due/counts", params={"cpas": str(world.rivebelle)})).status_code == 404
    # A social worker of Montfleuri, in Rivebelle's cluster; Carl also coordinates in that cluster.
    montfleuri = neighbour_admin["cpas"]
    neighbour = await make_user("nina@montfleuri.example", "Nina", [(montfleuri, "social_worker")])
    await login(client, neighbour)
    assert (await client.get("/piis/due/counts", params={"cpas": str(world.rivebelle)})).status_code == 404
    assert "Quennevilleprivate" not in (await client.get("/piis/due", params={"who": "all"})).text
    await login(client, world.coordinator)
    assert (await client.get("/piis/due/counts", params={"cpas": str(world.cluster)})).status_code == 404
    assert (await client.get("/piis/due/counts", params={"cpas": str(montfleuri)})).status_code == 404
    for person in (world.facilitator, world.partner_facilitator):
        await login(client, person)
        assert (await client.get("/piis/due")).status_code == 404  # piis/access.py: not even a hint
        assert (await client.get("/piis/due/counts")).status_code == 403


async def test_piis_31_a_coordinator_chooses_the_quarterly_rhythm_and_plans_made_before_keep_theirs(client, world):
    await login(client, world.coordinator)
    page = await client.get("/piis/settings")
    assert page.status_code == 200 and "3 evaluations a year" in page.text
    response = await post(client, "/piis/settings", {"organisation": str(world.rivebelle), "cadence": "quarterly"})
    assert response.status_code == 303
    assert (await PiisPolicy.select(PiisPolicy.cadence).first())["cadence"] == "quarterly"
    assert await Evaluation.count().where(Evaluation.piis == world.piis) == 3  # the world's PIIS keeps its three
    refused = await post(client, "/piis/settings", {"organisation": str(world.rivebelle), "cadence": "weekly"})
    assert refused.status_code == 422 and "Choose one of the two rhythms." in refused.text


async def test_the_cadence_is_set_only_by_the_cpass_own_coordinators(client, world, neighbour_admin):
    await Membership.insert(Membership(user=world.coordinator["id"], organisation=world.cluster, role="coordinator"))
    await login(client, world.outsider)
    assert (await client.get("/piis/settings", params={"cpas": str(world.rivebelle)})).status_code == 404
    response = await post(client, "/piis/settings", {"organisation": str(world.rivebelle), "cadence": "quarterly"})
    assert response.status_code == 404 and await PiisPolicy.count() == 0
    await login(client, world.coordinator)
    assert (await client.get("/piis/settings", params={"cpas": str(world.cluster)})).status_code == 404
    for person in (world.social_worker, world.facilitator, world.partner_facilitator):
        await login(client, person)
        assert (await client.get("/piis/settings")).status_code == 403
    await login(client, neighbour_admin)
    assert (await client.get("/piis/settings", params={"cpas": str(world.rivebelle)})).status_code == 403


async def test_every_piis_screen_is_reached_from_the_menu_by_who_may_open_it(client, world):
    """The tools are links, not addresses to know: a coordinator's menu opens the counts, which link the
    instruments and the cadence; a social worker's "What is due" links the instruments; an administrator's
    menu opens the access log."""
    await login(client, world.coordinator)
    page = (await client.get("/modules")).text
    assert 'href="/piis/due/counts"' in page
    page = (await client.get("/piis/due/counts")).text
    assert 'href="/piis/instruments"' in page and 'href="/piis/settings"' in page and "/piis/access-log" not in page
    for url in ("/piis/instruments", "/piis/settings"):
        assert (await client.get(url)).status_code == 200
    await login(client, world.social_worker)
    page = (await client.get("/piis/due")).text
    assert 'href="/piis/instruments"' in page and 'href="/piis/settings"' not in page
    await login(client, world.administrator)
    page = (await client.get("/account")).text
    assert 'href="/piis/access-log"' in page
    assert (await client.get("/piis/access-log")).status_code == 200


async def test_a_long_group_shows_its_first_items_and_a_link_to_all_of_them(client, world, monkeypatch):
    from planner.piis.routes import due

    monkeypatch.setattr(due, "SHOWN", 1)  # a whole CPAS's thousands, in small
    for n in (2, 3):
        person = await make_beneficiary(world.rivebelle, "Bruno", f"Neuf{n}", file_reference=f"RIV-{n}")
        await actions.save_file(world.rivebelle, person, None, FileInput(
            ri_granted_on=i18n.today() - dt.timedelta(days=10 * n), social_worker=world.social_worker["id"]), 1)
    await login(client, world.social_worker)
    page = (await client.get("/piis/due", params={"who": "all"})).text
    section = page.split('id="g-needs_piis"')[1].split("</section>")[0]
    assert section.count("<li>") == 1 and "RIV-3" in section  # the most urgent first
    assert 'href="/piis/due?who=all&amp;show=needs_piis#g-needs_piis">Show all 2</a>' in section
    page = (await client.get("/piis/due", params={"who": "all", "show": "needs_piis"})).text
    section = page.split('id="g-needs_piis"')[1].split("</section>")[0]
    assert section.count("<li>") == 2 and "Show all" not in section
