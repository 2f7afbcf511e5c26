"""/spending/staff, personnel time (COST-09, COST-01, SUB-PIIS-05; domain.md §6.4): lines added, corrected and
removed by the CPAS's spending managers, the charge computed, warnings gone past on purpose, outsiders refused
(both engines)."""

import datetime as dt

from planner.enrolment.tables import Enrolment
from planner.people.tables import Beneficiary
from planner.spending import actions, queries
from planner.spending.actions import StaffTimeInput
from planner.spending.rules import BLOCK
from planner.spending.tables import StaffAllocation
from tests.conftest import login, make_beneficiary, post
from tests.spending.test_routes import shown


def staff_form(world, **changes) -> dict:
    """SWITCH's animator (domain.md §6.4): 0.8 FTE × €52,000 × 35 % over 2017, all facilitation."""
    return {"organisation": str(world.rivebelle), "year": "2017", "staff_name": "Animator SWITCH",
            "annual_cost": "52,000.00", "fte": "80", "time_share": "35", "starts_on": "2017-01-01",
            "ends_on": "2017-12-31", "task_facilitation": "100", "module": str(world.module), "line": "fonds-pas:B",
            **changes}


def animator(world, **changes) -> StaffTimeInput:
    values = dict(staff_name="Animator SWITCH", full_time_annual_cents=5_200_000, fte_bp=8_000, time_share_bp=3_500,
                  starts_on=dt.date(2017, 1, 1), ends_on=dt.date(2017, 12, 31), source="fonds-pas", year=2017,
                  strand="B", module=world.module)
    return StaffTimeInput(**{**values, **changes})


async def test_switch_animator_is_charged_14560_and_counts_against_strand_b(client, world):
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 4_600_000, world.coordinator["id"])
    await login(client, world.coordinator)
    response = await post(client, "/spending/staff", staff_form(world, annual_cost="52000"))
    assert response.status_code == 303 and response.headers["location"] == f"/spending/staff?cpas={world.rivebelle}&year=2017"
    page = shown(await client.get(response.headers["location"]))
    assert "The staff time has been saved." in page and "Animator SWITCH" in page and "€14,560.00" in page
    assert "Facilitation 100 %: €14,560.00" in page and "365 days of 365" in page
    assert "€14,560.00 of the cap of €46,000.00 (31.65 %)" in page and "within the limit" in page
    [line] = await queries.budget(world.rivebelle, 2017)
    assert line["line"].spent_cents == 1_456_000


async def test_tasks_are_split_and_must_add_up_to_100(client, world):
    await login(client, world.coordinator)
    response = await post(client, "/spending/staff", staff_form(world, task_facilitation="60", task_preparation="30"))
    assert response.status_code == 422
    assert "The tasks' shares add up to 90 %; they must add up to 100 %." in shown(response)
    assert 'value="60"' in response.text and 'value="30"' in response.text
    response = await post(client, "/spending/staff", staff_form(world, task_facilitation="60", task_preparation="30",
                                                                  task_coordination="10", module=""))
    assert response.status_code == 303, shown(response)[-3000:]
    page = shown(await client.get("/spending/staff?year=2017"))
    assert "Preparation 30 %: €4,368.00" in page and "Coordination meetings 10 %: €1,456.00" in page


async def test_bad_input_keeps_what_was_typed_and_writes_nothing(client, world):
    await login(client, world.coordinator)
    for change, message in (({"annual_cost": "12,5,0"}, "cannot be read"), ({"annual_cost": "-3"}, "cannot be negative"),
                            ({"annual_cost": "9" * 20}, "at most 12 digits"), ({"fte": "0"}, "above 0"),
                            ({"time_share": "120"}, "from 0 to 100"), ({"ends_on": "2016-12-31"}, "before it starts"),
                            ({"staff_name": ""}, "name or job"), ({"line": "fonds-pas:Z"}, "from the list"),
                            ({"module": "999999"}, "Choose a module"), ({"year": "x"}, "Choose a year")):
        response = await post(client, "/spending/staff", staff_form(world, **change))
        assert response.status_code == 422, change
        page = shown(response)
        assert message in page, change
        typed = next(iter(change.values()))
        if typed and "annual_cost" in change:
            assert f'value="{typed}"' in page and 'aria-describedby="e-annual_cost"' in page
    # a period outside the year is the rule's (COST-09), with the dates
    response = await post(client, "/spending/staff", staff_form(world, starts_on="2018-01-01", ends_on="2018-06-30"))
    assert response.status_code == 422 and "is not in 2017" in shown(response)
    assert await StaffAllocation.count() == 0


async def test_a_warning_needs_save_anyway_and_records_who_went_on(client, world):
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 1_600_000, world.coordinator["id"])  # 91 % used
    await login(client, world.coordinator)
    response = await post(client, "/spending/staff", staff_form(world))
    assert response.status_code == 422
    page = shown(response)
    assert "reach €14,560.00, 91 % of their cap of €16,000.00" in page and 'name="go_on"' in page
    assert await StaffAllocation.count() == 0
    response = await post(client, "/spending/staff", staff_form(world, go_on="1"))
    assert response.status_code == 303
    row = await StaffAllocation.select().first()
    assert (row["warnings"], row["updated_by"]) == ("COST-01", world.coordinator["id"])
    assert "saved past a warning (COST-01) by Carl Coordinator" in shown(await client.get("/spending/staff?year=2017"))
    # past the cap it blocks, ticked or not
    response = await post(client, "/spending/staff", staff_form(world, go_on="1", staff_name="Coordinator"))
    assert response.status_code == 422 and "can be at most €16,000.00" in shown(response)
    assert 'name="go_on"' not in response.text and await StaffAllocation.count() == 1


async def test_a_line_is_corrected_with_its_version_and_a_stale_form_is_refused(client, world):
    saved = await actions.record_staff_time(world.rivebelle, animator(world), world.coordinator["id"])
    await login(client, world.administrator)
    page = shown(await client.get(f"/spending/staff?year=2017&edit={saved.id}"))
    assert "Change the staff time of Animator SWITCH" in page and 'value="52000.00"' in page and 'value="80"' in page
    response = await post(client, f"/spending/staff/{saved.id}", staff_form(world, time_share="50", version="1"))
    assert response.status_code == 303
    assert "€20,800.00" in shown(await client.get("/spending/staff?year=2017"))
    stale = await post(client, f"/spending/staff/{saved.id}", staff_form(world, time_share="10", version="1"))
    assert stale.status_code == 409 and "Someone changed this staff time" in shown(stale)
    assert 'name="version" value="2"' in stale.text
    row = await StaffAllocation.select().first()
    assert (row["time_share_bp"], row["version"], row["updated_by"]) == (5_000, 2, world.administrator["id"])


async def test_editing_a_line_does_not_count_it_twice_against_the_cap(world):
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 2_000_000, world.coordinator["id"])
    saved = await actions.record_staff_time(world.rivebelle, animator(world), world.coordinator["id"])
    again = await actions.update_staff_time(saved.id, 1, animator(world, staff_name="Animator"), world.coordinator["id"])
    assert again.id == saved.id and again.findings == ()


async def test_a_wrong_line_is_removed_after_a_confirm_step(client, world):
    saved = await actions.record_staff_time(world.rivebelle, animator(world), world.coordinator["id"])
    await login(client, world.coordinator)
    response = await post(client, f"/spending/staff/{saved.id}/delete", {})
    assert response.status_code == 200 and "Remove this staff time?" in shown(response)
    assert await StaffAllocation.count() == 1
    response = await post(client, f"/spending/staff/{saved.id}/delete", {"confirm": "1"})
    assert response.status_code == 303 and await StaffAllocation.count() == 0
    page = shown(await client.get(response.headers["location"]))
    assert "The staff time of Animator SWITCH has been removed." in page and "No staff time recorded for 2017 yet." in page


async def test_who_may_not_touch_staff_time(client, world, neighbour_admin):
    saved = await actions.record_staff_time(world.rivebelle, animator(world), world.coordinator["id"])
    for person in (world.social_worker, world.facilitator, world.partner_facilitator):
        await login(client, person)
        assert (await client.get("/spending/staff")).status_code == 403
        for url in ("/spending/staff", f"/spending/staff/{saved.id}", f"/spending/staff/{saved.id}/delete"):
            assert (await post(client, url, staff_form(world, version="1", confirm="1"))).status_code == 403, url
    for person in (neighbour_admin, world.outsider):
        await login(client, person)
        for url in (f"/spending/staff?cpas={world.rivebelle}", f"/spending/staff?edit={saved.id}"):
            assert (await client.get(url)).status_code == 404, url
        assert "Animator SWITCH" not in (await client.get("/spending/staff?year=2017")).text
        for url in ("/spending/staff", f"/spending/staff/{saved.id}", f"/spending/staff/{saved.id}/delete"):
            response = await post(client, url, staff_form(world, version="1", confirm="1"))
            assert response.status_code == 404, url
    assert await StaffAllocation.count() == 1
    assert (await StaffAllocation.select().first())["version"] == 1


async def test_an_htmx_error_swaps_the_form_block_only(client, world):
    await login(client, world.coordinator)
    response = await post(client, "/spending/staff", staff_form(world, fte="x"), htmx=True)
    assert response.status_code == 422 and 'id="staff-form"' in response.text
    assert not response.text.lstrip().lower().startswith("<!doctype")


# ---- SUB-PIIS-05 -----------------------------------------------------------------------------------------

async def switch_of_2017(world, with_subsidy: int, participants: int = 11, subsidy_year: int = 2017) -> None:
    """SWITCH 2017 (domain.md §6.4): 11 participants, 4 with the 10 % PIIS subsidy."""
    for n in range(participants):
        person = await make_beneficiary(world.rivebelle, f"P{n}", "Switch", file_reference=f"SW-{n}")
        if n < with_subsidy:
            await Beneficiary.update({Beneficiary.piis_subsidy_year: subsidy_year}).where(Beneficiary.id == person)
        await Enrolment.insert(Enrolment(module=world.module, beneficiary=person, organisation=world.rivebelle,
                                         status="enrolled", start_date=dt.date(2017, 1, 9),
                                         proposed_at=dt.datetime.now(dt.timezone.utc)))


async def test_sub_piis_05_bilan_time_for_subsidised_participants_is_refused_on_strand_b_with_the_calculation(
        client, world):
    await switch_of_2017(world, with_subsidy=4)
    await login(client, world.coordinator)
    response = await post(client, "/spending/staff", staff_form(world, task_facilitation="90", task_bilan_social="10"))
    assert response.status_code == 422
    page = shown(response)
    assert "Bilan social (initial assessment): €1,456.00 for 11 participants, 4 of them with the 10 % PIIS subsidy: " \
           "€926.54 can be charged to strand B." in page
    assert "Only €926.54 of this €1,456.00 can be charged to strand B: for 4 of the 11 participants" in page
    assert await StaffAllocation.count() == 0


async def test_sub_piis_05_the_action_refuses_and_other_strands_and_years_are_not_concerned(world):
    await switch_of_2017(world, with_subsidy=4)
    tasks = (("facilitation", 9_000), ("progress_measurement", 1_000))
    refused = await actions.record_staff_time(world.rivebelle, animator(world, tasks_bp=tasks), world.coordinator["id"])
    assert refused.id is None and [(f.rule, f.level) for f in refused.findings] == [("SUB-PIIS-05", BLOCK)]
    own = await actions.record_staff_time(world.rivebelle, animator(world, tasks_bp=tasks, source="own-funds",
                                                                     strand="all"), world.coordinator["id"])
    assert own.id and own.findings == ()
    no_module = await actions.record_staff_time(world.rivebelle, animator(world, tasks_bp=tasks, module=None),
                                                world.coordinator["id"])
    assert no_module.id


async def test_sub_piis_05_a_subsidy_of_another_year_leaves_the_time_chargeable(world):
    await switch_of_2017(world, with_subsidy=4, subsidy_year=2019)
    tasks = (("facilitation", 9_000), ("bilan_social", 1_000))
    saved = await actions.record_staff_time(world.rivebelle, animator(world, tasks_bp=tasks), world.coordinator["id"])
    assert saved.id and saved.findings == ()


async def test_sub_piis_05_the_persons_form_carries_the_subsidy_year(client, world):
    await login(client, world.social_worker)
    page = shown(await client.get(f"/people/{world.beneficiary}/edit"))
    assert "Year the CPAS receives the 10 % PIIS subsidy for this person (optional)" in page
    person = await Beneficiary.select().where(Beneficiary.id == world.beneficiary).first()
    form = {"first_name": person["first_name"], "last_name": person["last_name"], "gender": "F",
            "birth_date": "1990-05-17", "language": "fr", "email": person["email"], "phone": "", "status": "ri",
            "file_reference": "RIV-1", "version": str(person["version"])}
    for typed in ("17", "1999", "x" * 50, "9" * 40):
        response = await post(client, f"/people/{world.beneficiary}", {**form, "piis_subsidy_year": typed})
        assert response.status_code == 422 and "10 % PIIS subsidy as four digits" in shown(response), typed
    response = await post(client, f"/people/{world.beneficiary}", {**form, "piis_subsidy_year": "2017"})
    assert response.status_code == 303
    assert (await Beneficiary.select(Beneficiary.piis_subsidy_year).where(
        Beneficiary.id == world.beneficiary).first())["piis_subsidy_year"] == 2017
    await login(client, world.coordinator)
    assert 'name="piis_subsidy_year" type="text" value="2017"' in shown(await client.get(f"/people/{world.beneficiary}/edit"))
    assert "10 % PIIS subsidy received for the year</dt><dd>2017" in shown(await client.get(f"/people/{world.beneficiary}"))
    response = await post(client, f"/people/{world.beneficiary}", {**form, "version": str(person["version"] + 1),
                                                                   "piis_subsidy_year": ""})
    assert response.status_code == 303
    assert (await Beneficiary.select(Beneficiary.piis_subsidy_year).where(
        Beneficiary.id == world.beneficiary).first())["piis_subsidy_year"] is None


async def test_a_coordinator_of_a_cluster_only_gets_404_on_every_spending_screen(client, world):
    from planner.auth.tables import Membership
    from tests.conftest import make_user

    cluster_only = await make_user("cleo@cluster.example", "Cleo Cluster", [(world.cluster, "coordinator")])
    await login(client, cluster_only)
    for url in ("/spending", "/spending/partners", "/spending/staff"):
        assert (await client.get(url)).status_code == 404, url
    assert await Membership.count().where(Membership.user == cluster_only["id"]) == 1
