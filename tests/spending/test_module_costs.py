"""A module's costs screen (issue 14: COST-06 mixed public from the register, CLUSTER-SPLIT, cost per participant
and per attended hour), the module page's section, and the COST-06 warning on an expense (both engines)."""

import datetime as dt
import html

from planner.attendance.tables import Mark
from planner.modules.tables import Module, Session
from planner.spending import actions, queries
from planner.spending.actions import ExpenseInput, ShareInput, StaffTimeInput
from planner.spending.rules import WARN
from planner.spending.tables import ClusterCostKey
from tests.conftest import login, make_beneficiary, make_user, post
from tests.spending.test_actions import sport_invoice

NOW = dt.datetime(2017, 12, 31, 12, tzinfo=dt.timezone.utc)


def shown(response) -> str:
    return html.unescape(response.text).replace("\xa0", " ").replace("\u202f", " ")


async def sport_year(world, users: int = 6, guests: int = 14, sessions: int = 10, cpas: int | None = None,
                     first_name: str = "User") -> list[int]:
    """SPORT (domain.md §6.4) on the world's module in 2017: `sessions` sessions of 2 h, `users` CPAS service users
    present at each and `guests` on each roll; returns the sessions' ids."""
    people = [await make_beneficiary(cpas or world.rivebelle, f"{first_name}{i}", "Sport", file_reference=f"S-{i}")
              for i in range(users)]
    ids = []
    for week in range(sessions):
        day = dt.date(2017, 3, 6) + dt.timedelta(weeks=week)
        found = await Session.select(Session.id).where((Session.module == world.module) & (Session.day == day)).first()
        if found:
            session = found["id"]
        else:
            session = (await Session.insert(Session(module=world.module, day=day, starts_at=dt.time(14),
                                                    ends_at=dt.time(16), guests=guests)).returning(Session.id))[0]["id"]
        ids.append(session)
        for person in people:
            await Mark.insert(Mark(session=session, beneficiary=person, status="present", reason="",
                                   device_time=NOW, received_at=NOW))
    return ids


async def test_the_coordinator_sees_sport_720_of_2400_with_its_calculation(client, world):
    await sport_year(world)
    saved = await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner, module=world.module),
                                         world.coordinator["id"])
    assert saved.id and saved.findings == ()  # 30 % charged: within the chargeable share
    await login(client, world.coordinator)
    page = shown(await client.get(f"/spending/modules/{world.module}?year=2017"))
    assert "60 attendances of CPAS service users of 200 → 30 % of €2,400.00 = €720.00" in page
    assert "Accès-Sport Rivebelle" in page and "€2,400.00" in page
    # 6 users and at most 14 guests at a roll: 20 participants, 400 attended hours
    assert "€120.00" in page and "€6.00" in page
    assert "<html" in page  # a visit is the whole page; the module page asks for the fragment
    fragment = await client.get(f"/spending/modules/{world.module}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "in 2026<" in fragment.text  # without a year: its last session's year


async def test_without_a_register_there_is_nothing_to_divide_by(client, world):
    await login(client, world.administrator)
    page = shown(await client.get(f"/spending/modules/{world.module}?year=2026"))
    assert "No expense recorded on this module in 2026." in page
    assert "Nobody is recorded as present yet" in page and page.count("<dd>—</dd>") == 2


async def test_an_expense_charging_more_than_the_chargeable_share_warns(world):
    await sport_year(world)
    whole = sport_invoice(partner=world.partner, module=world.module,
                          shares=(ShareInput("fonds-pas", 2017, "B", 10_000),))
    saved = await actions.record_expense(world.rivebelle, whole, world.coordinator["id"])
    [warning] = [f for f in saved.findings if f.rule == "COST-06"]
    assert saved.id and warning.level == WARN and warning.figures["chargeable"].cents == 72_000
    assert warning.figures["charged"].cents == 240_000 and warning.figures["participants"] == 200


async def test_social_workers_and_facilitators_see_no_costs_on_the_module_page(client, world):
    for person in (world.social_worker, world.facilitator):
        await login(client, person)
        assert (await client.get(f"/spending/modules/{world.module}")).status_code == 403
        page = (await client.get(f"/modules/{world.module}")).text
        assert "/spending/modules/" not in page and "module-costs" not in page
    await login(client, world.coordinator)
    page = (await client.get(f"/modules/{world.module}")).text
    assert f'hx-get="/spending/modules/{world.module}"' in page and f'href="/spending/modules/{world.module}"' in page


async def montfleuri_coordinator(neighbour_admin) -> dict:
    return await make_user("mona@montfleuri.example", "Mona Coordinator", [(neighbour_admin["cpas"], "coordinator")])


async def test_a_cpas_of_the_cluster_is_refused_a_module_not_shared_with_the_cluster(client, world, neighbour_admin):
    for person in (neighbour_admin, await montfleuri_coordinator(neighbour_admin), world.outsider):
        await login(client, person)
        assert (await client.get(f"/spending/modules/{world.module}?year=2017")).status_code == 404
        response = await post(client, f"/spending/modules/{world.module}/key", {"year": "2017"})
        assert response.status_code == 404


async def test_a_cluster_module_is_split_by_attendance_and_each_cpas_sees_only_its_share(client, world,
                                                                                        neighbour_admin):
    montfleuri = neighbour_admin["cpas"]
    await Module.update({Module.cluster: world.cluster}).where(Module.id == world.module)
    await sport_year(world, users=3, guests=0)
    await sport_year(world, users=1, guests=0, cpas=montfleuri, first_name="Mont")
    assert (await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner, module=world.module),
                                         world.coordinator["id"])).id
    await login(client, world.coordinator)
    page = shown(await client.get(f"/spending/modules/{world.module}?year=2017"))
    assert "CPAS de Montfleuri" in page
    assert "30 attendances of 40 in the register → €1,800.00 of €2,400.00" in page
    await login(client, await montfleuri_coordinator(neighbour_admin))
    page = shown(await client.get(f"/spending/modules/{world.module}?year=2017"))
    assert "10 attendances of 40 in the register → €600.00 of €2,400.00" in page
    assert "CPAS de Rivebelle" not in page and "Accès-Sport" not in page and 'name="key_' not in page
    assert "€600.00" in page  # its cost per participant: one person of its own
    assert (await post(client, f"/spending/modules/{world.module}/key", {"year": "2017"})).status_code == 404


async def test_the_organiser_records_a_fixed_key_adding_up_to_100_percent(client, world, neighbour_admin):
    montfleuri = neighbour_admin["cpas"]
    await Module.update({Module.cluster: world.cluster}).where(Module.id == world.module)
    assert (await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner, module=world.module),
                                         world.coordinator["id"])).id
    await login(client, world.coordinator)
    url = f"/spending/modules/{world.module}/key"
    response = await post(client, url, {"year": "2017", f"key_{world.rivebelle}": "60", f"key_{montfleuri}": "30"},
                          htmx=True)
    assert response.status_code == 422
    assert "The shares add up to 90 %; together they must make 100 %." in shown(response)
    assert 'value="30"' in response.text and "<html" not in response.text
    for typed in ("12,5,0", "-3", "9" * 20):
        response = await post(client, url, {"year": "2017", f"key_{world.rivebelle}": typed, f"key_{montfleuri}": "30"})
        assert response.status_code == 422 and f'value="{typed}"' in shown(response)
        assert f'aria-describedby="e-key_{world.rivebelle}"' in response.text
    response = await post(client, url, {"year": "2017", f"key_{world.rivebelle}": "60", f"key_{montfleuri}": ""})
    assert response.status_code == 422 and "Give every CPAS of the cluster its share" in shown(response)
    assert await ClusterCostKey.count() == 0
    response = await post(client, url, {"year": "2017", f"key_{world.rivebelle}": "62.5", f"key_{montfleuri}": "37.5"})
    assert response.status_code == 303 and response.headers["location"] == f"/spending/modules/{world.module}?year=2017"
    assert await queries.cluster_key(world.module) == {world.rivebelle: 6250, montfleuri: 3750}
    page = shown(await client.get(response.headers["location"]))
    assert "The split key has been saved." in page
    assert "The cluster's fixed key: 62.5 % of €2,400.00 = €1,500.00" in page
    response = await post(client, url, {"year": "2017", f"key_{world.rivebelle}": "", f"key_{montfleuri}": ""})
    assert response.status_code == 303 and await ClusterCostKey.count() == 0


async def test_switch_staff_time_and_operating_costs_make_its_cost_per_participant_and_hour(client, world):
    """SWITCH 2017 (domain.md §6.4): the animator's €14,560 and €1,850 of operating costs; here 11 CPAS users
    at 24 sessions of 2 h (528 attended hours), no guest: everything is chargeable."""
    await sport_year(world, users=11, guests=0, sessions=24)
    animator = StaffTimeInput("Animator SWITCH", 5_200_000, 8_000, 3_500, dt.date(2017, 1, 1), dt.date(2017, 12, 31),
                              "fonds-pas", 2017, "B", module=world.module)
    assert (await actions.record_staff_time(world.rivebelle, animator, world.coordinator["id"])).id
    operating = ExpenseInput(day=dt.date(2017, 5, 2), category="operating", amount_excl_vat_cents=185_000,
                             vat_cents=0, supplier="Maison des associations", module=world.module,
                             shares=(ShareInput("fonds-pas", 2017, "B", 10_000),))
    saved = await actions.record_expense(world.rivebelle, operating, world.coordinator["id"])
    assert saved.id and not [f for f in saved.findings if f.rule == "COST-06"]
    await login(client, world.coordinator)
    page = shown(await client.get(f"/spending/modules/{world.module}?year=2017"))
    assert "Animator SWITCH: €14,560.00" in page and "Maison des associations" in page
    assert "€16,410.00" in page and "Everyone who came is a CPAS service user: all of €16,410.00 may be charged." in page
    assert "€1,491.82" in page and "€31.08" in page  # 16,410 / 11 participants, / 528 hours


async def test_a_year_without_costs_links_the_years_with_costs(client, world):
    """A module running this year with its costs recorded another year (the demo's SPORT): the screen opens on
    its last session's year and links the years where the figures are."""
    await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner, module=world.module),
                                 world.coordinator["id"])
    await Session.insert(Session(module=world.module, day=dt.date(2029, 3, 5), starts_at=dt.time(10),
                                 ends_at=dt.time(12)))
    await login(client, world.coordinator)
    page = shown(await client.get(f"/spending/modules/{world.module}"))
    assert "in 2029" in page and "Other years with costs:" in page
    assert f'href="/spending/modules/{world.module}?year=2017"' in page
    shown_year = shown(await client.get(f"/spending/modules/{world.module}?year=2017"))
    assert "€2,400.00" in shown_year and "Other years with costs:" not in shown_year  # 2017 is the only one
