"""The "I cannot come" page (issue 18): the CPAS's name at the top, its phone as a tel: link, the next three
sessions and a "more" link that works without JS, each session's room with its address as a map link."""

import re
from urllib.parse import urlsplit

from planner.invites import actions as invites
from planner.modules.tables import Session
from planner.orgs.tables import Organisation, Site
from tests.conftest import post
from tests.invites.test_invites import plan

TOLD = "Je ne peux pas venir le"


async def cant_come_path(world) -> str:
    return urlsplit(await invites.cant_come_url(world.enrolment, world.rivebelle)).path


async def test_the_page_shows_who_to_call_and_where_the_next_three_sessions_are(client, world):
    await plan(world)  # Mondays from 7 December 2026, in Salle Meuse
    await Organisation.update({Organisation.phone: "02 123 45 67"}).where(Organisation.id == world.rivebelle)
    await Site.update({Site.street: "Rue de l'Église 4", Site.postcode: "5000", Site.city: "Namur"}).where(
        Site.organisation == world.rivebelle)
    page = await client.get(await cant_come_path(world))
    assert page.status_code == 200
    assert re.search(r'<p class="cpas-name">CPAS de Rivebelle</p>\s*<h1>', page.text)
    assert '<a class="button" href="tel:+3221234567">02 123 45 67</a>' in page.text
    assert page.text.count(TOLD) == 3
    assert "lundi 7 décembre 2026" in page.text and "lundi 21 décembre 2026" in page.text
    assert "lundi 28 décembre 2026" not in page.text
    assert page.text.count('href="https://www.openstreetmap.org/search?query=Rue+de+l%27%C3%89glise+4%2C+5000+Namur"') == 3
    assert "Salle Meuse" in page.text
    more = re.search(r'href="(/cant-come/[\w-]+\?shown=6)#sessions"', page.text)
    assert more, "no 'more' link"
    longer = await client.get(more.group(1))
    assert longer.text.count(TOLD) == 6 and "lundi 28 décembre 2026" in longer.text


async def test_telling_from_the_longer_list_keeps_it_long(client, world):
    await plan(world)
    path = await cant_come_path(world)
    sixth = (await Session.select(Session.id).where(Session.module == world.module).order_by(Session.day)
             .offset(5).first())["id"]
    answer = await post(client, path, {"session": str(sixth), "answer": "absent", "shown": "6"}, htmx=True)
    assert answer.status_code == 200
    assert answer.text.count(TOLD) == 5 and "Je peux venir finalement" in answer.text


async def test_without_a_phone_or_with_a_foreign_one_there_is_no_tel_link(client, world):
    await plan(world)
    await Organisation.update({Organisation.phone: "+33 1 23 45 67 89"}).where(Organisation.id == world.rivebelle)
    page = await client.get(await cant_come_path(world))
    assert "+33 1 23 45 67 89" in page.text and "tel:" not in page.text
    await Organisation.update({Organisation.phone: ""}).where(Organisation.id == world.rivebelle)
    page = await client.get(await cant_come_path(world))
    assert "tel:" not in page.text and "openstreetmap" not in page.text  # the fixture's site has no address
