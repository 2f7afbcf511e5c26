"""A phone's poll is answered from the stored calendar; every change the calendar shows reaches the next
poll, whichever screen it was made on, and a calendar built while a change lands is never kept."""

from __future__ import annotations

import icalendar

from planner.db import fetch
from planner.invites import actions as invites
from planner.invites import queries
from planner.invites.tables import CalendarLink
from planner.modules import actions as modules
from planner.modules.tables import Module, Session
from tests.conftest import login, post
from tests.invites.test_invites import feed_link, plan, planned

BASE = "http://127.0.0.1:8000"
# The module form as a coordinator saves it with no one in the team.
MODULE_FORM = {"code": "FLE", "title": "Parler pour agir", "module_type": "language", "strand": "B",
               "aim": "social_activation", "objectives": "Speak French in daily life", "target_public": "Newcomers",
               "composition": "mixed", "capacity": "12", "minimum_size": "6", "languages": ["fr"]}


async def poll(client, path: str, etag: str = "") -> tuple[str, str]:
    """What a phone gets: (ETag, calendar text), or (ETag, "") for a 304."""
    response = await client.get(path, headers={"If-None-Match": etag} if etag else {})
    assert response.status_code in (200, 304)
    return response.headers["etag"], response.text if response.status_code == 200 else ""


async def stored(path: str) -> bool:
    link = await queries.feed_link(path.removeprefix("/feed/").removesuffix(".ics"))
    return link["content_body"] is not None


async def test_a_poll_reads_the_stored_calendar_until_a_change_it_shows(client, world):
    await plan(world)
    path = (await feed_link(client, world)).removeprefix(BASE)
    etag, body = await poll(client, path)
    assert body and await stored(path)
    # A write behind the app's back (no screen does this) is not seen: the poll did not rebuild.
    await Module.update({Module.title: "Hidden"}).where(Module.id == world.module)
    assert await poll(client, path, etag) == (etag, "")
    # The same kind of change made by the app reaches the next poll.
    session = await Session.select(Session.id).where(Session.module == world.module).first()
    await modules.cancel_session(session["id"], "Strike")
    new_etag, body = await poll(client, path, etag)
    assert new_etag != etag and "STATUS:CANCELLED" in body and "Hidden" in body


async def test_changes_made_on_other_screens_reach_the_feed(client, world):
    await plan(world)
    path = (await feed_link(client, world)).removeprefix(BASE)
    etag, _body = await poll(client, path)

    await post(client, f"/rooms/{world.room}", {"name": "Salle Jardin", "capacity": "12"})  # coordinator
    etag, body = await poll(client, path, etag)
    assert "Salle Jardin" in body

    await login(client, world.administrator)
    org = await fetch("SELECT version FROM organisation WHERE id = {}", world.rivebelle)
    response = await post(client, f"/orgs/{world.rivebelle}", {
        "kind": "cpas", "name_fr": "CPAS de Rivebelle", "region": "brussels", "street": "Rue du Test 1",
        "postcode": "1000", "city": "Bruxelles", "phone": "02 555 01 02", "version": str(org[0]["version"])})
    assert response.status_code == 303
    etag, body = await poll(client, path, etag)
    assert "02 555 01 02" in body

    response = await post(client, f"/users/{world.facilitator['id']}", {"full_name": "Frédérique Facile", "language": "fr"})
    assert response.status_code in (200, 303)
    etag, body = await poll(client, path, etag)
    assert "Frédérique" in body.replace("\r\n ", "")  # unfolded: a long line of the feed is folded at 75 octets

    await login(client, world.social_worker)
    person = await fetch("SELECT * FROM beneficiary WHERE id = {}", world.beneficiary)
    p = person[0]
    response = await post(client, f"/people/{world.beneficiary}", {
        "first_name": p["first_name"], "last_name": p["last_name"], "gender": p["gender"] or "F",
        "birth_date": str(p["birth_date"] or ""), "language": "nl", "email": p["email"] or "",
        "phone": p["phone"] or "", "status": p["status"] or "ris", "file_reference": p["file_reference"] or "",
        "version": str(p["version"])})
    assert response.status_code == 303, response.text
    etag, body = await poll(client, path, etag)
    assert "Mijn sessies" in body  # the feed now speaks the person's new language


async def test_a_facilitator_taken_off_the_team_loses_the_module_from_their_feed(client, world):
    await plan(world)
    path = (await invites.feed_url(world.rivebelle, user=world.facilitator["id"], create=True)).removeprefix(BASE)
    etag, body = await poll(client, path)
    assert planned(icalendar.Calendar.from_ical(body))
    await login(client, world.coordinator)
    version = (await Module.select(Module.version).where(Module.id == world.module).first())["version"]
    response = await post(client, f"/modules/{world.module}", {**MODULE_FORM, "version": str(version),
                                                                "organisation": str(world.rivebelle)})
    assert response.status_code == 303, response.text
    etag, body = await poll(client, path, etag)
    assert planned(icalendar.Calendar.from_ical(body)) == []


async def test_a_calendar_built_while_a_change_lands_is_served_but_not_kept(client, world):
    await plan(world)
    path = (await feed_link(client, world)).removeprefix(BASE)
    token = path.removeprefix("/feed/").removesuffix(".ics")
    link = await queries.feed_link(token)  # a poll has read the link (nothing stored yet)...
    session = await Session.select(Session.id).where(Session.module == world.module).first()
    await modules.cancel_session(session["id"], "Strike")  # ...a change lands before it stores its calendar
    await invites.feed_for(link)
    assert not await stored(path)  # the generation moved on: not kept
    etag, body = await poll(client, path)
    assert "STATUS:CANCELLED" in body and await stored(path)
    assert await CalendarLink.count().where(CalendarLink.content_body.is_not_null()) == 1
