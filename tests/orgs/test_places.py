"""Rooms, sites and closure days: a refused form comes back with what was typed and the real rule."""

import datetime as dt
import html

from planner.orgs.tables import ClosureDay, Room, Site
from tests.conftest import login, post


def shown(response) -> str:
    return html.unescape(response.text)


async def test_a_room_with_too_many_places_is_refused_with_the_rule_and_what_was_typed(client, world):
    await login(client, world.coordinator)
    site = (await Room.select(Room.site).where(Room.id == world.room).first())["site"]
    for places in ("1000", "0", "-3", "9" * 40, "twelve"):
        response = await post(client, "/rooms", {"site": str(site), "name": "Salle Jardin", "capacity": places,
                                                 "notes": "Ground floor", "accessible": "1"})
        assert response.status_code == 422, places
        page = shown(response)
        assert "The number of places is a whole number from 1 to 999." in page
        assert 'value="Salle Jardin"' in page and f'value="{places}"' in page and 'value="Ground floor"' in page
        assert 'aria-describedby="e-room-capacity"' in page
    assert await Room.count().where(Room.name == "Salle Jardin") == 0
    response = await post(client, "/rooms", {"site": str(site), "name": "Salle Jardin", "capacity": "999"})
    assert response.status_code == 303
    assert (await Room.select(Room.capacity).where(Room.name == "Salle Jardin").first())["capacity"] == 999


async def test_editing_a_room_keeps_what_was_typed_when_refused(client, world):
    await login(client, world.administrator)
    response = await post(client, f"/rooms/{world.room}", {"name": "Salle Escaut", "capacity": "1200"})
    assert response.status_code == 422
    page = shown(response)
    assert 'value="Salle Escaut"' in page and 'value="1200"' in page
    assert f'id="e-room-{world.room}-capacity"' in page and "from 1 to 999" in page
    assert (await Room.select(Room.name).where(Room.id == world.room).first())["name"] == "Salle Meuse"


async def test_text_longer_than_its_column_is_refused_on_the_field_not_stored_or_cut(client, world):
    await login(client, world.coordinator)
    long_name = "Maison " + "x" * 200  # Site.name holds 200
    response = await post(client, "/rooms/sites", {"organisation": str(world.rivebelle), "name": long_name,
                                                    "postcode": "1000", "city": "Bruxelles"})
    assert response.status_code == 422
    page = shown(response)
    assert "At most 200 characters." in page and f'value="{long_name}"' in page
    assert await Site.count().where(Site.name.like("Maison x%")) == 0
    response = await post(client, "/rooms/sites", {"organisation": str(world.rivebelle), "name": "Annexe",
                                                    "postcode": "1" * 11})
    assert response.status_code == 422 and "At most 10 characters." in shown(response)
    site = (await Room.select(Room.site).where(Room.id == world.room).first())["site"]
    response = await post(client, "/rooms", {"site": str(site), "name": "R" * 101, "capacity": "10"})
    assert response.status_code == 422 and "At most 100 characters." in shown(response)
    response = await post(client, "/rooms/closures", {"organisation": str(world.rivebelle), "day": "2026-12-31",
                                                       "label": "y" * 201})
    assert response.status_code == 422 and "At most 200 characters." in shown(response)
    assert await ClosureDay.count().where(ClosureDay.day == dt.date(2026, 12, 31)) == 0


async def test_an_impossible_closure_day_is_refused_and_the_reason_kept(client, world):
    await login(client, world.coordinator)
    response = await post(client, "/rooms/closures", {"organisation": str(world.rivebelle), "day": "2026-02-30",
                                                       "label": "Team day"})
    assert response.status_code == 422
    page = shown(response)
    assert "Give the day the CPAS is closed." in page and 'value="Team day"' in page and 'value="2026-02-30"' in page


async def test_a_name_that_looks_like_a_formula_is_stored_as_typed_and_shown_as_text(client, world):
    await login(client, world.coordinator)
    name = '=HYPERLINK("http://x.example","Salle")'
    response = await post(client, "/rooms/sites", {"organisation": str(world.rivebelle), "name": name})
    assert response.status_code == 303
    assert await Site.count().where(Site.name == name) == 1
    assert "=HYPERLINK(&#34;http://x.example&#34;,&#34;Salle&#34;)" in (await client.get("/rooms")).text


async def test_the_rooms_forms_work_as_plain_posts_and_land_back_on_the_page(client, world):
    await login(client, world.coordinator)
    response = await post(client, "/rooms/closures", {"organisation": str(world.rivebelle), "day": "2026-12-31",
                                                       "label": "Réveillon"})
    assert response.status_code == 303 and response.headers["location"] == "/rooms"
    page = await client.get("/rooms")
    assert "The closure day has been added." in page.text and "Réveillon" in page.text


async def test_the_rule_is_told_in_the_language_of_the_person(client, world):
    from planner.auth.tables import User

    await User.update({User.language: "nl"}).where(User.id == world.coordinator["id"])
    await login(client, world.coordinator)
    response = await post(client, f"/rooms/{world.room}", {"name": "Zaal Maas", "capacity": "1000"})
    assert response.status_code == 422
    assert "Het aantal plaatsen is een geheel getal van 1 tot 999." in shown(response)
    response = await post(client, f"/rooms/{world.room}", {"name": "Z" * 101, "capacity": "10"})
    assert "Hoogstens 100 tekens." in shown(response)
