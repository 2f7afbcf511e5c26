"""The host's secret link (issue 17): issued and stopped by the CPAS, the host records hours on it with first
names only, a stopped link is 410 (both engines)."""

import datetime as dt
import html
from urllib.parse import urlsplit

from planner.invites.tables import CalendarLink
from planner.volunteering.tables import HoursEntry
from tests.conftest import login, post

D = dt.date


def shown(response) -> str:
    return html.unescape(response.text).replace("\xa0", " ").replace("\u202f", " ")


async def host_path(client, world) -> str:
    await login(client, world.social_worker)
    response = await post(client, f"/volunteering/{world.placement}/link", {})
    assert response.status_code == 303
    page = shown(await client.get(f"/volunteering/{world.placement}"))
    assert "The host's link is ready" in page
    url = page.split('id="host-link-url" readonly value="')[1].split('"')[0]
    await post(client, "/logout", {})
    return urlsplit(url).path


async def test_the_host_records_hours_with_first_names_only_and_they_wait_for_approval(client, world):
    path = await host_path(client, world)
    assert path.startswith("/host/")
    page = shown(await client.get(path))
    assert "Hello Nadia" in page and "Zoé" in page and "Accès-Sport Rivebelle" in page
    assert "Quennevilleprivate" not in page and "0470" not in page and "Welcoming members" not in page
    assert "waiting for approval" in page  # the world's entry
    response = await post(client, path, {"day": "2026-10-12", "time": "2:30", "note": "Reception"}, htmx=True)
    assert response.status_code == 200 and "The hours are recorded" in shown(response)
    row = await HoursEntry.select().where(HoursEntry.day == D(2026, 10, 12)).first()
    assert (row["minutes"], row["recorded_by_kind"], row["recorded_by"], row["state"]) == (150, "host", None, "pending")


async def test_a_day_before_the_placement_or_no_time_is_refused_with_what_was_typed(client, world):
    path = await host_path(client, world)
    response = await post(client, path, {"day": "2026-09-01", "time": "3"})
    assert response.status_code == 422 and "This day is outside the placement." in shown(response)
    response = await post(client, path, {"day": "2026-10-06", "time": "lots"})
    assert response.status_code == 422 and "Give the time done" in shown(response) and 'value="lots"' in response.text
    assert await HoursEntry.count() == 1


async def test_a_stopped_link_is_gone_and_a_made_up_one_unknown(client, world):
    path = await host_path(client, world)
    await login(client, world.coordinator)
    response = await post(client, f"/volunteering/{world.placement}/link/revoke", {})
    assert response.status_code == 303
    assert "The host's link has been stopped." in shown(await client.get(f"/volunteering/{world.placement}"))
    await post(client, "/logout", {})
    response = await client.get(path)
    assert response.status_code == 410 and "This link has been stopped" in shown(response)
    assert (await post(client, path, {"day": "2026-10-06", "time": "1"})).status_code == 410
    assert (await client.get("/host/" + "a" * 43)).status_code == 404
    assert await HoursEntry.count() == 1


async def test_the_host_page_speaks_dutch_when_asked(client, world):
    path = await host_path(client, world)
    response = await client.get(path, headers={"accept-language": "nl-BE,nl;q=0.9"})
    assert response.status_code == 200 and 'lang="nl"' in response.text


async def test_another_cpas_cannot_issue_nor_stop_the_link(client, world, neighbour_admin):
    from tests.conftest import make_user

    neighbour = await make_user("nina@montfleuri.example", "Nina", [(neighbour_admin["cpas"], "social_worker"),
                                                                     (world.cluster, "coordinator")])
    for person in (world.outsider, neighbour):
        await login(client, person)
        for url in (f"/volunteering/{world.placement}/link", f"/volunteering/{world.placement}/link/revoke"):
            assert (await post(client, url, {})).status_code == 404
    assert await CalendarLink.count().where(CalendarLink.kind == "host_hours") == 0
