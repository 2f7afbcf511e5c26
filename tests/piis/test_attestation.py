"""The attestation of attendance (issue 15): a person's modules, sessions attended and hours for a period,
printed in their language, signed by the CPAS. Both engines."""

import datetime as dt
import html

from planner.attendance.tables import Mark
from planner.enrolment.tables import Enrolment
from planner.modules.tables import Session
from planner.people.tables import Beneficiary
from tests.conftest import login

D = dt.date


def shown(response) -> str:
    return html.unescape(response.text).replace("\xa0", " ").replace("\u202f", " ")


async def two_sessions_attended(world) -> None:
    """Zoé in SWITCH since September: present on 5 October (3 h), 30 minutes late on 12 October (2.5 h),
    absent on 19 October; a session in December is outside the period asked for."""
    await Enrolment.update({Enrolment.start_date: D(2026, 9, 1)}).where(Enrolment.id == world.enrolment)
    now = dt.datetime.now(dt.timezone.utc)
    for day, status, arrived in ((D(2026, 10, 5), "present", None), (D(2026, 10, 12), "late", dt.time(10, 0)),
                                 (D(2026, 10, 19), "unexcused", None)):
        session = (await Session.insert(Session(module=world.module, day=day, starts_at=dt.time(9, 30),
                                                ends_at=dt.time(12, 30), room=world.room)).returning(Session.id))[0]["id"]
        await Mark.insert(Mark(session=session, beneficiary=world.beneficiary, status=status, reason="",
                               arrived_at=arrived, device_time=now, received_at=now))


async def test_the_attestation_is_in_the_persons_language_german_with_sessions_and_hours(client, world):
    await two_sessions_attended(world)
    await Beneficiary.update({Beneficiary.language: "de"}).where(Beneficiary.id == world.beneficiary)
    await login(client, world.social_worker)
    response = await client.get(f"/people/{world.beneficiary}/attestation?from=2026-10-01&to=2026-10-31")
    page = shown(response)
    assert response.status_code == 200 and '<div class="printed" lang="de">' in page
    # the period form and the buttons are the social worker's, in English; the sheet is the person's
    assert '<html lang="en">' in page and ">From</label>" in page and ">Show</button>" in page
    assert ">Print</button>" in page and ">Back</a>" in page and "Anwesenheitsbescheinigung" in page
    assert "Switch activation group" in page
    assert '<td class="attended">2</td>' in page and '<td class="hours">5,5</td>' in page  # 3 h + 2.5 h, German
    assert "1. Oktober 2026" in page and "31. Oktober 2026" in page  # the period, in German
    assert "Sofie Worker" in page and "CPAS de Rivebelle" in page  # signed by the staff member and the CPAS
    assert 'href="/static/css/print.css"' in page and "data-print" in page


async def test_coordinators_print_it_in_one_click_from_the_persons_page(client, world):
    await two_sessions_attended(world)
    await login(client, world.coordinator)
    person = shown(await client.get(f"/people/{world.beneficiary}"))
    assert f'href="/people/{world.beneficiary}/attestation"' in person
    assert f'href="/people/{world.beneficiary}/progress"' not in person  # progress is the social workers'
    page = shown(await client.get(f"/people/{world.beneficiary}/attestation"))  # this year so far
    assert '<div class="printed" lang="fr">' in page and '<td class="attended">2</td>' in page
    assert "Carl Coordinator" in page


async def test_bad_dates_get_a_message_and_nothing_else(client, world):
    await two_sessions_attended(world)
    await login(client, world.social_worker)
    for query in ("from=2026-13-01&to=2026-10-31", "from=yesterday", "from=2026-10-31&to=2026-10-01",
                  "from=99999-01-01", "to=" + "9" * 50):
        response = await client.get(f"/people/{world.beneficiary}/attestation?{query}")
        assert response.status_code == 422, query
        page = shown(response)
        assert 'role="alert"' in page and "Switch activation group" not in page, query


async def test_facilitators_and_other_cpas_get_no_attestation(client, world, neighbour_worker):
    for person, refused in ((world.facilitator, 403), (world.partner_facilitator, 403), (world.outsider, 404),
                            (neighbour_worker, 404)):
        await login(client, person)
        response = await client.get(f"/people/{world.beneficiary}/attestation")
        assert response.status_code == refused and "Quennevilleprivate" not in response.text, person["email"]
