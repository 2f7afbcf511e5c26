"""Stored feed bodies: a phone's poll reads one row, and every change a feed shows forgets the body.

A forget also bumps the link's generation, and a body is stored only if the generation it was read
with is still current: a body built from data a concurrent change just replaced is served once, never
kept. Callers, each inside the transaction of its change:
- `sync_module` (schedule, team, enrolments, title, what to bring) and the team edit, before the old
  team is removed, so that someone taken off a module loses it from their feed;
- the rare edits every feed may show: a CPAS's name, phone or region, a room, a staff member's name;
- a person's or staff member's own language.
Only hand-written SQL here: the areas that call it stay free of import cycles.
"""

from __future__ import annotations

from planner.db import fetch

FORGET = ("UPDATE calendar_link SET content_body = NULL, content_generation = content_generation + 1 "
          "WHERE kind = 'feed'")


async def forget_module(module_id: int) -> None:
    """The feeds that show this module, or will: its participants, its team, and past holders of it."""
    await fetch(FORGET + """ AND (content_modules LIKE {}
        OR beneficiary IN (SELECT beneficiary FROM enrolment WHERE module = {})
        OR "user" IN (SELECT "user" FROM module_facilitator WHERE module = {}))""",
                f"%,{int(module_id)},%", module_id, module_id, writes=True)


async def forget_person(*, beneficiary: int | None = None, user: int | None = None) -> None:
    if beneficiary is not None:
        await fetch(FORGET + " AND beneficiary = {}", beneficiary, writes=True)
    if user is not None:
        await fetch(FORGET + ' AND "user" = {}', user, writes=True)


async def forget_all() -> None:
    await fetch(FORGET, writes=True)
