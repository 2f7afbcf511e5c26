"""Stored feed bodies: a phone's poll reads one row, and every change a feed shows forgets the body.

A forget also bumps the link's generation, and a body is stored only if the generation it was read
with is still current: a body built from data a concurrent change just replaced is served once, never
kept. Callers, each inside the transaction of its change:
- `sync_module` (schedule, team, enrolments, title, what to bring) and the team edit, before the old
  team is removed, so that someone taken off a module loses it from their feed;
- the rare edits every feed may show: a CPAS's name, phone or region, a room, a staff member's name;
- a person's or staff member's own language;
- the entry points after a migration (a new version may word or build feeds differently).
"""

from __future__ import annotations

from planner.db import fetch
from planner.enrolment.tables import Enrolment
from planner.invites.queries import Feed, build_feed, stored_feed
from planner.invites.tables import CalendarLink
from planner.modules.tables import ModuleFacilitator
from planner.settings import Settings

# Hand-written: one per rebuilt feed (bench/invites.py, "first poll after a change" 10.7 ms on SQLite, where a
# Piccolo query costs about 0.2 ms more than this one).
STORE_FEED_SQL = """
UPDATE calendar_link SET content_body = {}, content_tag = {}, content_changed_at = {}, content_modules = {},
                         content_sequence = {}
WHERE id = {} AND content_generation = {}"""


async def forget_feeds_of_module(module_id: int) -> None:
    """The feeds that show this module, or will: its participants, its team, and past holders of it."""
    await _forget(CalendarLink.content_modules.like(f"%,{int(module_id)},%")
                  | CalendarLink.beneficiary.is_in(Enrolment.select(Enrolment.beneficiary).where(
                      Enrolment.module == module_id))
                  | CalendarLink.user.is_in(ModuleFacilitator.select(ModuleFacilitator.user).where(
                      ModuleFacilitator.module == module_id)))


def _forget(where=None):
    where = CalendarLink.kind == "feed" if where is None else (CalendarLink.kind == "feed") & where
    return CalendarLink.update({CalendarLink.content_body: None,
                                CalendarLink.content_generation: CalendarLink.content_generation + 1}).where(where)


async def forget_feeds_of_person(*, beneficiary: int | None = None, user: int | None = None) -> None:
    """The feed of a participant or of a staff member (their language changed)."""
    if beneficiary is not None:
        await _forget(CalendarLink.beneficiary == beneficiary)
    if user is not None:
        await _forget(CalendarLink.user == user)


async def forget_all_feeds() -> None:
    """Every feed: a change every feed may show (a CPAS's name, a room, a facilitator's name), a migration."""
    await _forget()


async def feed_for(link: dict, settings: Settings | None = None) -> Feed:
    """The stored calendar of a link (a row of queries.feed_link) when nothing it shows changed since; else
    built and stored."""
    stored = stored_feed(link)
    if stored is not None:
        return stored
    feed = await build_feed(link, settings)
    # Not stored when a change came in since the link was read: the next poll builds it again.
    await fetch(STORE_FEED_SQL, feed.body.decode(), feed.tag, feed.changed_at, feed.modules, feed.sequence,
                link["id"], link["content_generation"], writes=True)
    return feed
