"""Stored feed bodies: a phone's poll reads one row, and every change a feed shows forgets the body.

A forget also bumps the link's generation, and a body is stored only if the generation it was read
with is still current: a body built from data a concurrent change just replaced is served once, never
kept. Callers, each inside the transaction of its change:
- `sync_module` (schedule, team, enrolments, title, what to bring) and the team edit, before the old
  team is removed, so that someone taken off a module loses it from their feed;
- the rare edits every feed may show: a CPAS's name, phone or region, a room, a staff member's name;
- a person's or staff member's own language;
- the entry points after a migration (a new version may word or build feeds differently).
Hand-written SQL: the forgets are single UPDATEs over subqueries, and the store is one guarded UPDATE per
rebuilt feed (bench/invites.py: first poll after a change 10.7 ms on SQLite).
"""

from __future__ import annotations

from planner.db import fetch
from planner.invites.queries import Feed, build_feed, stored_feed
from planner.settings import Settings

FORGET = ("UPDATE calendar_link SET content_body = NULL, content_generation = content_generation + 1 "
          "WHERE kind = 'feed'")
STORE_FEED_SQL = """
UPDATE calendar_link SET content_body = {}, content_tag = {}, content_changed_at = {}, content_modules = {}
WHERE id = {} AND content_generation = {}"""


async def forget_feeds_of_module(module_id: int) -> None:
    """The feeds that show this module, or will: its participants, its team, and past holders of it."""
    await fetch(FORGET + """ AND (content_modules LIKE {}
        OR beneficiary IN (SELECT beneficiary FROM enrolment WHERE module = {})
        OR "user" IN (SELECT "user" FROM module_facilitator WHERE module = {}))""",
                f"%,{int(module_id)},%", module_id, module_id, writes=True)


async def forget_feeds_of_person(*, beneficiary: int | None = None, user: int | None = None) -> None:
    """The feed of a participant or of a staff member (their language changed)."""
    if beneficiary is not None:
        await fetch(FORGET + " AND beneficiary = {}", beneficiary, writes=True)
    if user is not None:
        await fetch(FORGET + ' AND "user" = {}', user, writes=True)


async def forget_all_feeds() -> None:
    """Every feed: a change every feed may show (a CPAS's name, a room, a facilitator's name), a migration."""
    await fetch(FORGET, writes=True)


async def feed_for(link: dict, settings: Settings | None = None) -> Feed:
    """The stored calendar of a link (a row of queries.feed_link) when nothing it shows changed since; else
    built and stored."""
    stored = stored_feed(link)
    if stored is not None:
        return stored
    feed = await build_feed(link, settings)
    # Not stored when a change came in since the link was read: the next poll builds it again.
    await fetch(STORE_FEED_SQL, feed.body.decode(), feed.tag, feed.changed_at, feed.modules, link["id"],
                link["content_generation"], writes=True)
    return feed
