"""Every list of people in the other areas (module page, roll, sheets, figures, mails) sorts and shows
names the one way (planner/names.py): issue 12, section 4."""

import datetime as dt

from markupsafe import escape

from planner.enrolment import actions as enrolment
from planner.enrolment.tables import Enrolment
from planner.invites.tables import OutboxMail
from planner.invites.worker import send_due
from planner.modules import actions as modules
from planner.modules.rules.recurrence import Recurrence, plan_dates
from planner.modules.tables import Module, Session
from tests.conftest import login, make_beneficiary

# The order a reader expects; enrolled in another order.
ISSUE_PEOPLE = [("Çelik", "Deniz"), ("D'Hondt", "Gaëlle"), ("de Smet", "Noël"), ("Évrard", "Jérôme"),
                ("Goossens", "Anna"), ("Özdemir", "Zoë"), ("Van Damme", "Cœline"), ("Wauters", "François")]


async def enrol_issue_people(world) -> None:
    await Module.update({Module.capacity: 20}).where(Module.id == world.module)
    for last, first in sorted(ISSUE_PEOPLE, key=lambda p: p[1]):
        person = await make_beneficiary(world.rivebelle, first, last)
        await Enrolment.insert(Enrolment(module=world.module, beneficiary=person, organisation=world.rivebelle,
                                         status="enrolled", start_date=dt.date(2026, 12, 1),
                                         proposed_at=dt.datetime.now(dt.timezone.utc)))


def assert_in_reader_order(page: str, names: list[str]) -> None:
    positions = [page.index(str(escape(name))) for name in names]
    assert positions == sorted(positions), [n for _p, n in sorted(zip(positions, names))]


LISTED = [f"{last}, {first}" for last, first in ISSUE_PEOPLE]


async def test_the_module_page_lists_participants_in_reader_order(client, world):
    await enrol_issue_people(world)
    await login(client, world.coordinator)
    assert_in_reader_order((await client.get(f"/modules/{world.module}")).text, LISTED)


async def test_the_roll_and_its_sheets_list_people_in_reader_order(client, world):
    await enrol_issue_people(world)
    await login(client, world.facilitator)
    for url in (f"/roll/{world.session}", f"/roll/{world.session}/sheet",
                f"/modules/{world.module}/sheet?month=2026-12"):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert_in_reader_order(response.text, LISTED)


async def test_the_attendance_figures_list_people_in_reader_order(client, world):
    await enrol_issue_people(world)
    await login(client, world.coordinator)
    response = await client.get(f"/modules/{world.module}/attendance")
    assert response.status_code == 200
    assert_in_reader_order(response.text, LISTED)


async def test_a_person_with_one_name_is_on_the_roll_and_the_sheet_by_that_name(client, world):
    person = await make_beneficiary(world.rivebelle, "", "Sukarno")
    await Enrolment.insert(Enrolment(module=world.module, beneficiary=person, organisation=world.rivebelle,
                                     status="enrolled", start_date=dt.date(2026, 12, 1)))
    await login(client, world.facilitator)
    roll = (await client.get(f"/roll/{world.session}")).text
    assert '<span class="name">Sukarno</span>' in roll and ", Sukarno" not in roll
    sheet = (await client.get(f"/modules/{world.module}/sheet?month=2026-12")).text
    assert "Sukarno" in sheet and ", Sukarno" not in sheet


async def test_a_person_with_one_name_is_greeted_by_that_name_in_mails(world, smtp):
    await OutboxMail.delete().where(OutboxMail.id == world.mail)
    person = await make_beneficiary(world.rivebelle, "", "Sukarno", email="sukarno@mail.example")
    enrolment_id = await enrolment.propose(world.module, person, world.rivebelle, "", world.coordinator["id"])
    await Module.update({Module.capacity: 10}).where(Module.id == world.module)
    assert (await enrolment.accept(enrolment_id, world.coordinator["id"], None, "")).decision.outcome == "enrol"
    rule = Recurrence(kind="weekly", start=dt.date(2026, 12, 7), end=dt.date(2027, 1, 25), starts_at=dt.time(9, 30),
                      ends_at=dt.time(12, 30), weekdays=(0,))
    await Session.delete().where(Session.module == world.module)
    await modules.save_schedule(world.module, rule, plan_dates(rule, "brussels", {}, "fr")[0], world.room)
    await send_due(smtp.config(retry_seconds=0.01))
    mails = smtp.inbox.to("sukarno@mail.example")
    assert mails
    for mail in mails:
        body = mail.get_body(preferencelist=("plain",)).get_content()
        assert body.splitlines()[0].rstrip().endswith(" Sukarno,")  # "Bonjour Sukarno,", not "Bonjour ,"


async def test_the_users_list_sorts_staff_names_as_a_reader_expects(client, world):
    from tests.conftest import make_user

    for name in ("Zoë Wauters", "Ömer Kaya", "Émilie Dubois", "de Smet Anna"):
        await make_user(f"{len(name)}-{name[1]}@rivebelle.example", name, [(world.rivebelle, "facilitator")])
    await login(client, world.administrator)
    assert_in_reader_order((await client.get("/users")).text, [
        "Alice Admin", "Carl Coordinator", "de Smet Anna", "Émilie Dubois", "Fred Facilitator", "Ömer Kaya",
        "Sofie Worker", "Zoë Wauters"])
