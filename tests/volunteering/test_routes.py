"""The volunteering screens (issue 17): the list, a new placement past warnings, the placement page with its
allowance against the cap, hours approved or declined, who is refused (both engines)."""

import datetime as dt
import html

from planner.volunteering import actions
from planner.volunteering.tables import HoursEntry, HoursEvent, Placement
from tests.conftest import login, post
from tests.volunteering.test_actions import grocery, grocery_placement  # noqa: F401 (fixture)

D = dt.date


def shown(response) -> str:
    return html.unescape(response.text).replace("\xa0", " ").replace("\u202f", " ")


def form(world, host: int, **changes) -> dict:
    values = {"organisation": str(world.rivebelle), "beneficiary": str(world.beneficiary), "host": str(host),
              "host_kind": "non_profit", "tasks": "Shelves, till", "hours_per_week": "4", "days_per_week": "1",
              "starts_on": "2026-03-02", "ends_on": "2026-08-30", "informed_on": "2026-02-20",
              "availability_note": "Mornings only", "allowance_kind": "flat_rate", "allowance_amount": "20,00",
              "insurance": "Ethias 45.120", "contact_first_name": "Nadia", "contact_phone": "0470 12 34 56"}
    return {**values, **changes}


async def placed(world, host: int, **changes) -> int:
    saved = await actions.record_placement(world.rivebelle, grocery_placement(world, host, **changes),
                                           world.social_worker["id"])
    assert saved.id
    return saved.id


async def test_vol_05_a_social_worker_records_a_placement_and_sees_it_in_the_list(client, world, grocery):
    await login(client, world.social_worker)
    page = shown(await client.get("/volunteering/new"))
    assert "Épicerie sociale Rivebelle" in page and "Zoé Quennevilleprivate" in page
    response = await post(client, "/volunteering/new", form(world, grocery))
    assert response.status_code == 303
    placement = await Placement.select().where(Placement.id != world.placement).first()
    assert response.headers["location"] == f"/volunteering/{placement['id']}"
    assert (placement["allowance_per_day_cents"], placement["minutes_per_week"], placement["contact_phone"]) == (
        2000, 240, "0470 12 34 56")
    page = shown(await client.get(f"/volunteering/{placement['id']}"))
    assert "The placement has been saved." in page and "€520.00" in page and "€1,760.83" in page
    page = shown(await client.get("/volunteering"))
    assert "Zoé Quennevilleprivate" in page and "Épicerie sociale Rivebelle" in page and "4 h" in page


async def test_vol_01_a_warning_is_shown_by_its_field_and_saving_anyway_is_recorded(client, world, grocery):
    await login(client, world.social_worker)
    response = await post(client, "/volunteering/new", form(world, grocery, informed_on="2026-03-09"))
    assert response.status_code == 422
    page = shown(response)
    assert "VOL-01" in page and "before the CPAS was told" in page and 'name="go_on"' in page
    assert 'value="Shelves, till"' not in page and "Shelves, till" in page  # a textarea keeps it
    assert await Placement.count() == 1  # the world's own
    response = await post(client, "/volunteering/new", form(world, grocery, informed_on="2026-03-09", go_on="1"))
    assert response.status_code == 303
    assert (await Placement.select(Placement.warned_by).where(Placement.id != world.placement).first())["warned_by"] == world.social_worker["id"]


async def test_vol_04_a_block_offers_no_save_anyway(client, world, grocery):
    await login(client, world.coordinator)
    response = await post(client, "/volunteering/new", form(world, grocery, paid_same_tasks="1", go_on="1"))
    assert response.status_code == 422
    page = shown(response)
    assert "VOL-04" in page and 'name="go_on"' not in page
    assert await Placement.count() == 1  # the world's own


async def test_a_bad_amount_keeps_what_was_typed_with_the_message(client, world, grocery):
    await login(client, world.social_worker)
    for typed, message in (("12,5,0", "cannot be read"), ("-3", "cannot be negative"), ("9" * 20, "at most 12 digits")):
        response = await post(client, "/volunteering/new", form(world, grocery, allowance_amount=typed), htmx=True)
        assert response.status_code == 422, typed
        page = shown(response)
        assert message in page and f'value="{typed}"' in page and 'aria-describedby="e-allowance_amount"' in page
        assert not page.lstrip().lower().startswith("<!doctype")
    assert await Placement.count() == 1  # the world's own


async def test_vol_03_the_placement_page_shows_the_running_total_near_the_cap(client, world, grocery):
    await placed(world, grocery, allowance_per_day_cents=4000)
    second = await actions.record_placement(world.rivebelle, grocery_placement(
        world, grocery, tasks="Repair café", starts_on=D(2026, 9, 1), ends_on=D(2026, 12, 31),
        allowance_per_day_cents=3100), world.social_worker["id"], go_on=True)
    await login(client, world.social_worker)
    page = shown(await client.get(f"/volunteering/{second.id}"))
    assert "€1,598.00" in page and "Near the cap." in page


async def test_an_edit_is_saved_and_a_stale_form_is_refused(client, world, grocery):
    placement = await placed(world, grocery)
    await login(client, world.social_worker)
    response = await post(client, f"/volunteering/{placement}", form(world, grocery, tasks="Till only",
                                                                     version="1"))
    assert response.status_code == 303
    row = await Placement.select(Placement.tasks, Placement.version).where(Placement.id == placement).first()
    assert row == {"tasks": "Till only", "version": 2}
    response = await post(client, f"/volunteering/{placement}", form(world, grocery, tasks="Old", version="1"))
    assert response.status_code == 422 and "changed this placement meanwhile" in shown(response)
    response = await post(client, f"/volunteering/{placement}/end", {})
    assert response.status_code == 303
    assert (await Placement.select(Placement.status).where(Placement.id == placement).first())["status"] == "ended"
    assert "Ended on" in shown(await client.get(f"/volunteering/{placement}"))


async def test_hours_are_recorded_approved_and_declined_with_a_reason_and_history(client, world, grocery):
    placement = await placed(world, grocery)
    entry, _problems = await actions.record_hours(placement, D(2026, 3, 3), 240, "Till", "host", None, D(2026, 3, 4))
    await login(client, world.social_worker)
    page = shown(await client.get(f"/volunteering/{placement}"))
    assert "waiting for approval" in page and "by the host" in page
    response = await post(client, f"/volunteering/hours/{entry}", {"version": "1", "state": "declined", "reason": ""},
                          htmx=True)
    assert response.status_code == 422 and "Say why these hours are declined" in shown(response)
    response = await post(client, f"/volunteering/hours/{entry}", {"version": "1", "state": "approved"})
    assert response.status_code == 303
    page = shown(await client.get(f"/volunteering/{placement}"))
    assert "The hours have been approved." in page and "approved, by Sofie Worker" in page
    response = await post(client, f"/volunteering/{placement}/hours", {"day": "2026-03-10", "time": "2:30",
                                                                       "note": "Inventory"})
    assert response.status_code == 303
    assert (await HoursEntry.select(HoursEntry.minutes, HoursEntry.recorded_by_kind).where(
        HoursEntry.day == D(2026, 3, 10)).first()) == {"minutes": 150, "recorded_by_kind": "cpas"}
    response = await post(client, f"/volunteering/{placement}/hours", {"day": "2026-02-01", "time": "x"})
    assert response.status_code == 422 and "Give the time done" in shown(response)
    assert await HoursEvent.count().where(HoursEvent.entry != world.hours_entry) == 3


async def test_facilitators_and_partner_staff_never_see_placements(client, world, grocery):
    placement = await placed(world, grocery)
    for person in (world.facilitator, world.partner_facilitator, world.administrator):
        await login(client, person)
        assert (await client.get("/volunteering")).status_code == 403
        assert (await client.get(f"/volunteering/{placement}")).status_code == 403
        assert 'href="/volunteering"' not in (await client.get("/")).text


async def test_another_cpas_and_one_of_the_same_cluster_get_404(client, world, grocery, neighbour_admin):
    from tests.conftest import make_user

    placement = await placed(world, grocery)
    entry, _problems = await actions.record_hours(placement, D(2026, 3, 3), 240, "", "host", None, D(2026, 3, 4))
    neighbour = await make_user("nina@montfleuri.example", "Nina", [(neighbour_admin["cpas"], "social_worker"),
                                                                     (world.cluster, "coordinator")])
    for person in (world.outsider, neighbour):
        await login(client, person)
        for url in (f"/volunteering/{placement}", f"/volunteering?cpas={world.rivebelle}",
                    f"/volunteering/new?cpas={world.rivebelle}", f"/volunteering?cpas={world.cluster}"):
            assert (await client.get(url)).status_code == 404, url
        for url, data in ((f"/volunteering/{placement}", form(world, grocery, version="1")),
                          (f"/volunteering/{placement}/end", {}), ("/volunteering/new", form(world, grocery)),
                          (f"/volunteering/hours/{entry}", {"version": "1", "state": "approved"}),
                          (f"/volunteering/{placement}/hours", {"day": "2026-03-05", "time": "1"})):
            assert (await post(client, url, data)).status_code == 404, url
        assert "Quennevilleprivate" not in (await client.get("/volunteering")).text
    assert await Placement.count() == 2 and await HoursEntry.count() == 2
    assert {r["state"] for r in await HoursEntry.select(HoursEntry.state)} == {"pending"}


async def test_vol_05_the_host_contact_phone_follows_the_beneficiary_form_s_phone_rule(client, world, grocery):
    await login(client, world.social_worker)
    response = await post(client, "/volunteering/new", form(world, grocery, contact_phone="<script>"))
    assert response.status_code == 422
    page = shown(response)
    assert "A phone number has only digits, spaces and + . / ( ) -." in page and "<script>" not in response.text
    assert await Placement.count() == 1  # the world's own


async def test_vol_05_a_date_that_does_not_exist_is_named_so(client, world, grocery):
    await login(client, world.social_worker)
    response = await post(client, "/volunteering/new", form(world, grocery, starts_on="2026-02-31",
                                                            informed_on="2026-02-30"))
    assert response.status_code == 422
    assert shown(response).count("This date does not exist: check the day, month and year.") == 2
    assert await Placement.count() == 1  # the world's own


async def test_vol_hours_on_a_day_that_does_not_exist_are_named_so(client, world):
    await login(client, world.social_worker)
    response = await post(client, f"/volunteering/{world.placement}/hours", {"day": "2026-02-31", "time": "2"})
    assert response.status_code == 422
    assert "This date does not exist: check the day, month and year." in shown(response)
    response = await post(client, f"/volunteering/{world.placement}/hours", {"day": "", "time": "2"})
    assert response.status_code == 422 and "Give the day." in shown(response)
