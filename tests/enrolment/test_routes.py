import asyncio
import datetime as dt

from babel.dates import format_date
from litestar.testing import AsyncTestClient

from planner import i18n
from planner.enrolment.tables import Enrolment
from planner.modules.tables import Module, Session
from tests.conftest import another_device, login, make_beneficiary, make_user, post


async def propose(world, person: int) -> int:
    from planner.enrolment.actions import propose as do_propose

    return await do_propose(world.module, person, world.rivebelle, "", world.social_worker["id"])


async def status_of(enrolment_id: int) -> str:
    return (await Enrolment.select(Enrolment.status).where(Enrolment.id == enrolment_id).first())["status"]


async def test_a_social_worker_proposes_someone_of_their_cpas(client, world):
    person = await make_beneficiary(world.rivebelle, "Omar", "Haddad", gender="M")
    await login(client, world.social_worker)
    response = await post(client, f"/modules/{world.module}/proposals", {"beneficiary": str(person), "note": "motivated"})
    assert response.status_code == 303
    row = await Enrolment.select().where(Enrolment.beneficiary == person).first()
    assert row["status"] == "proposed" and row["note"] == "motivated"


async def test_a_social_worker_cannot_propose_someone_of_another_cpas(client, world):
    await login(client, world.social_worker)
    response = await post(client, f"/modules/{world.module}/proposals", {"beneficiary": str(world.outsider_beneficiary)})
    assert response.status_code == 404
    assert await Enrolment.count().where(Enrolment.beneficiary == world.outsider_beneficiary) == 0


async def test_the_coordinator_accepts_until_the_group_is_full_then_the_waitlist_starts(client, world):
    first, second = (await make_beneficiary(world.rivebelle, "A", "One"), await make_beneficiary(world.rivebelle, "B", "Two"))
    one, two = await propose(world, first), await propose(world, second)
    await login(client, world.coordinator)
    await post(client, f"/enrolments/{one}/accept", {})  # capacity 2: Zoé + this one
    response = await post(client, f"/enrolments/{two}/accept", {})
    assert await status_of(one) == "enrolled"
    assert await status_of(two) == "waitlisted"
    page = await client.get(response.headers["location"])
    assert "The group is full: the person is on the waitlist." in page.text
    assert "Waitlist" in page.text


async def test_the_last_place_goes_to_one_of_two_concurrent_accepts(app, world):
    await Enrolment.update({Enrolment.status: "ended"}).where(Enrolment.id == world.enrolment)
    await Module.update({Module.capacity: 1}).where(Module.id == world.module)
    people = [await make_beneficiary(world.rivebelle, "P", f"Person{i}") for i in range(2)]
    proposals = [await propose(world, p) for p in people]
    second_coordinator = await make_user("dora@rivebelle.example", "Dora", [(world.rivebelle, "coordinator")])
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8000") as a, another_device(app) as b:
        await login(a, world.coordinator)
        await login(b, second_coordinator)
        responses = await asyncio.gather(post(a, f"/enrolments/{proposals[0]}/accept", {}),
                                         post(b, f"/enrolments/{proposals[1]}/accept", {}))
    assert [r.status_code for r in responses] == [303, 303]
    assert sorted([await status_of(p) for p in proposals]) == ["enrolled", "waitlisted"]


async def test_a_man_is_refused_in_a_women_only_group_unless_the_coordinator_writes_why(client, world):
    await Module.update({Module.composition: "women", Module.capacity: 5}).where(Module.id == world.module)
    man = await propose(world, await make_beneficiary(world.rivebelle, "Ali", "Man", gender="M"))
    await login(client, world.coordinator)
    response = await post(client, f"/enrolments/{man}/accept", {})
    page = await client.get(response.headers["location"])
    assert "This group is for women only." in page.text
    assert await status_of(man) == "proposed"
    await post(client, f"/enrolments/{man}/accept", {"override_reason": "Trans woman, asked to join"})
    assert await status_of(man) == "enrolled"


async def test_ending_an_enrolment_promotes_the_first_who_fits_the_group(client, world):
    await Module.update({Module.composition: "women", Module.capacity: 1}).where(Module.id == world.module)
    man = await make_beneficiary(world.rivebelle, "Ali", "Man", gender="M")
    woman = await make_beneficiary(world.rivebelle, "Ines", "Woman", gender="F")
    now = dt.datetime.now(dt.timezone.utc)
    for person, minutes in ((man, 10), (woman, 5)):
        await Enrolment.insert(Enrolment(module=world.module, beneficiary=person, organisation=world.rivebelle,
                                         status="waitlisted", queued_at=now - dt.timedelta(minutes=minutes),
                                         proposed_at=now))
    await login(client, world.coordinator)
    response = await post(client, f"/enrolments/{world.enrolment}/end", {"end_date": "2026-12-08", "reason": "job"})
    assert response.status_code == 303
    statuses = {r["beneficiary"]: r["status"] for r in await Enrolment.select(Enrolment.beneficiary, Enrolment.status)}
    assert statuses[woman] == "enrolled" and statuses[man] == "waitlisted"
    ended = await Enrolment.select().where(Enrolment.id == world.enrolment).first()
    assert ended["end_reason"] == "job" and ended["end_date"] == dt.date(2026, 12, 8)


async def test_an_early_end_needs_a_reason(client, world):
    from planner.modules.tables import Session

    await Session.insert(Session(module=world.module, day=dt.date(2027, 3, 1), starts_at=dt.time(9), ends_at=dt.time(12)))
    await login(client, world.coordinator)
    response = await post(client, f"/enrolments/{world.enrolment}/end", {"end_date": "2026-12-08", "reason": ""},
                          htmx=True)
    assert await status_of(world.enrolment) == "enrolled"
    assert response.status_code == 422
    assert "Choose why the enrolment ends." in response.text
    # the form stays open with the day that was typed
    assert '<details open><summary>End the enrolment' in response.text
    assert f'id="f-end-{world.enrolment}" type="date" name="end_date" value="2026-12-08"' in response.text


async def test_a_promotion_can_be_recorded_as_told_by_phone(client, world):
    await Enrolment.update({Enrolment.promoted_at: dt.datetime.now(dt.timezone.utc)}).where(
        Enrolment.id == world.enrolment)
    await login(client, world.coordinator)
    await post(client, f"/enrolments/{world.enrolment}/phone")
    assert (await Enrolment.select(Enrolment.told_by_phone).where(Enrolment.id == world.enrolment).first())[
        "told_by_phone"]


async def test_in_a_cluster_module_each_cpas_sees_only_its_own_people(client, world):
    from planner.orgs.tables import ClusterMember

    await Module.update({Module.cluster: world.cluster, Module.capacity: 5}).where(Module.id == world.module)
    neighbour = next(r["cpas"] for r in await ClusterMember.select(ClusterMember.cpas).where(
        ClusterMember.cluster == world.cluster) if r["cpas"] != world.rivebelle)
    nina = await make_user("nina@montfleuri.example", "Nina", [(neighbour, "social_worker")])
    own = await make_beneficiary(neighbour, "Mia", "Montfleurienne")
    await login(client, nina)
    response = await post(client, f"/modules/{world.module}/proposals", {"beneficiary": str(own)})
    assert response.status_code == 303
    page = await client.get(f"/modules/{world.module}")
    assert "Montfleurienne" in page.text
    assert "Quennevilleprivate" not in page.text  # Rivebelle's participant
    assert "followed by another CPAS" in page.text


async def test_facilitators_and_the_organising_coordinator_see_every_participant(client, world):
    from planner.orgs.tables import ClusterMember

    await Module.update({Module.cluster: world.cluster, Module.capacity: 5}).where(Module.id == world.module)
    neighbour = next(r["cpas"] for r in await ClusterMember.select(ClusterMember.cpas).where(
        ClusterMember.cluster == world.cluster) if r["cpas"] != world.rivebelle)
    other = await make_beneficiary(neighbour, "Mia", "Montfleurienne")
    await Enrolment.insert(Enrolment(module=world.module, beneficiary=other, organisation=neighbour, status="enrolled",
                                     proposed_at=dt.datetime.now(dt.timezone.utc)))
    for person in (world.facilitator, world.coordinator):
        await login(client, person)
        page = await client.get(f"/modules/{world.module}")
        assert "Montfleurienne" in page.text and "Quennevilleprivate" in page.text
        await post(client, "/logout")


async def test_the_social_worker_sees_the_persons_current_modules(client, world):
    await login(client, world.social_worker)
    page = await client.get(f"/people/{world.beneficiary}")
    assert "Switch activation group" in page.text and "enrolled" in page.text


async def test_someone_enrolled_again_before_their_last_day_starts_the_day_after_it(client, world):
    # An enrolment ended with a last day to come, then the person is enrolled again: two periods that
    # overlapped would put them twice on the roll, count those sessions twice and send a second series.
    from planner.i18n import wall_clock_now
    from planner.modules.tables import Session

    today = wall_clock_now().date()
    last = today + dt.timedelta(days=14)
    await Session.update({Session.day: today + dt.timedelta(days=7)}).where(Session.id == world.session)
    await Session.insert(Session(module=world.module, day=today + dt.timedelta(days=21), starts_at=dt.time(9, 30),
                                 ends_at=dt.time(12, 30)))
    await Enrolment.update({Enrolment.start_date: today - dt.timedelta(days=7)}).where(
        Enrolment.id == world.enrolment)
    await login(client, world.coordinator)
    response = await post(client, f"/enrolments/{world.enrolment}/end", {"end_date": last.isoformat(), "reason": "job"})
    assert response.status_code == 303 and await status_of(world.enrolment) == "ended"
    again = await propose(world, world.beneficiary)
    response = await post(client, f"/enrolments/{again}/accept", {})
    assert response.status_code == 303
    row = await Enrolment.select(Enrolment.status, Enrolment.start_date).where(Enrolment.id == again).first()
    assert row == {"status": "enrolled", "start_date": last + dt.timedelta(days=1)}
    roll = await client.get(f"/roll/{world.session}")
    assert roll.text.count(f'id="person-{world.beneficiary}"') == 1


async def test_someone_promoted_when_a_place_frees_later_starts_after_the_last_day_of_who_left(client, world):
    # The place is free only after the leaver's last day: both on the roll before it would be one over capacity.
    from planner.i18n import wall_clock_now
    from planner.modules.tables import Session

    today = wall_clock_now().date()
    last = today + dt.timedelta(days=7)
    await Session.update({Session.day: last}).where(Session.id == world.session)
    later = (await Session.insert(Session(module=world.module, day=today + dt.timedelta(days=14),
                                          starts_at=dt.time(9, 30), ends_at=dt.time(12, 30))).returning(Session.id))
    await Module.update({Module.capacity: 1}).where(Module.id == world.module)
    await Enrolment.update({Enrolment.start_date: today - dt.timedelta(days=7)}).where(
        Enrolment.id == world.enrolment)
    waiting = await make_beneficiary(world.rivebelle, "Ines", "Waiting")
    now = dt.datetime.now(dt.timezone.utc)
    await Enrolment.insert(Enrolment(module=world.module, beneficiary=waiting, organisation=world.rivebelle,
                                     status="waitlisted", queued_at=now, proposed_at=now))
    await login(client, world.coordinator)
    response = await post(client, f"/enrolments/{world.enrolment}/end", {"end_date": last.isoformat(), "reason": "job"})
    assert response.status_code == 303
    promoted = await Enrolment.select(Enrolment.status, Enrolment.start_date).where(
        Enrolment.beneficiary == waiting).first()
    assert promoted == {"status": "enrolled", "start_date": today + dt.timedelta(days=14)}
    on_last_day = await client.get(f"/roll/{world.session}")
    assert f'id="person-{world.beneficiary}"' in on_last_day.text
    assert f'id="person-{waiting}"' not in on_last_day.text
    assert f'id="person-{waiting}"' in (await client.get(f"/roll/{later[0]['id']}")).text


# ---- the type-ahead search and its warnings (issue 18) ----------------------------------------------------------

async def test_the_proposal_search_finds_people_by_part_of_their_name_with_the_query_in_the_body(client, world):
    omar = await make_beneficiary(world.rivebelle, "Omar", "Haddad", gender="M", file_reference="RIV-2")
    await make_beneficiary(world.rivebelle, "Olga", "Petrova", file_reference="RIV-3")
    await login(client, world.social_worker)
    response = await post(client, f"/modules/{world.module}/candidates", {"q": "hadd"}, htmx=True)
    assert response.status_code == 200
    assert f'id="f-candidate-{omar}"' in response.text and "Haddad, Omar (RIV-2)" in response.text
    assert "Petrova" not in response.text and "<html" not in response.text
    assert "1 person matches: choose one." in response.text
    page = (await client.get(f"/modules/{world.module}")).text
    assert "Haddad" not in page and "Petrova" not in page  # no list of the whole CPAS any more


async def test_the_search_leaves_out_people_already_in_the_module_and_other_cpas(client, world):
    await login(client, world.social_worker)
    assert "Quennevilleprivate" not in (await post(client, f"/modules/{world.module}/candidates", {"q": "zoé"},
                                                   htmx=True)).text  # Zoé is enrolled
    assert "Fremdling" not in (await post(client, f"/modules/{world.module}/candidates", {"q": "otto"},
                                          htmx=True)).text
    await login(client, world.outsider)
    assert (await post(client, f"/modules/{world.module}/candidates", {"q": "zoé"}, htmx=True)).status_code == 404


async def test_without_javascript_the_search_answers_the_whole_page_with_the_results(client, world):
    await make_beneficiary(world.rivebelle, "Omar", "Haddad", gender="M", file_reference="RIV-2")
    await login(client, world.social_worker)
    response = await post(client, f"/modules/{world.module}/candidates", {"q": "omar"})
    assert response.text.lstrip().lower().startswith("<!doctype html>") and "Haddad, Omar" in response.text


async def test_the_results_warn_of_a_women_only_group_an_ended_module_and_a_double_booking(client, world):
    await Module.update({Module.composition: "women"}).where(Module.id == world.module)
    omar = await make_beneficiary(world.rivebelle, "Omar", "Haddad", gender="M", file_reference="RIV-2")
    other = (await Module.insert(Module(organisation=world.rivebelle, title="FLE", module_type="language", strand="A",
                                        aim="social_activation", composition="mixed", capacity=10, minimum_size=1,
                                        languages="fr")).returning(Module.id))[0]["id"]
    day = i18n.today() + dt.timedelta(days=7)
    await Session.update({Session.day: day}).where(Session.module == world.module)  # 09:30-12:30
    await Session.insert(Session(module=other, day=day, starts_at=dt.time(10), ends_at=dt.time(11)))
    await Enrolment.insert(Enrolment(module=other, beneficiary=omar, organisation=world.rivebelle, status="enrolled",
                                     proposed_at=dt.datetime.now(dt.timezone.utc)))
    await login(client, world.social_worker)
    found = (await post(client, f"/modules/{world.module}/candidates", {"q": "omar"}, htmx=True)).text
    assert "This group is for women only." in found
    assert f"Already booked elsewhere at the time of 1 session (first: {format_date(day, 'medium', 'en_BE')})." in found
    assert "This module has ended" not in found  # its session is still to come
    await Session.update({Session.day: dt.date(2020, 1, 6)}).where(Session.module == world.module)
    assert "This module has ended: its last session is past." in (await post(
        client, f"/modules/{world.module}/candidates", {"q": "omar"}, htmx=True)).text


async def test_proposing_without_choosing_anyone_says_what_to_do(client, world):
    await login(client, world.social_worker)
    response = await post(client, f"/modules/{world.module}/proposals", {"note": "x"})
    assert response.status_code == 303
    assert "Find the person, choose them in the results, then propose." in (await client.get(f"/modules/{world.module}")).text
