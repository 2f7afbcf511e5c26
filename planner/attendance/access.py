"""Who takes a roll: the module's facilitators and its coordinators. Anyone else, another CPAS's
staff included, gets a 404."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser, requires
from planner.auth.rules import Role
from planner.db import fetch
from planner.modules.access import can_manage, get_module_for_user, is_facilitator

ROLL_TAKER_ROLES = (Role.FACILITATOR, Role.PARTNER_FACILITATOR, Role.COORDINATOR)
ROLL_TAKERS = requires(*ROLL_TAKER_ROLES)


def takes_roll(user: CurrentUser, module: dict, leads: bool) -> bool:
    """The roll's one rule (ROLL_TAKERS and get_roll_for_user; the module page's roll links): a roll-taking role,
    and the person coordinates the module (modules.access.can_manage) or leads it (`leads`: a facilitator of it)."""
    return user.has_role(*ROLL_TAKER_ROLES) and (can_manage(user, module) or leads)


async def may_take_roll(user: CurrentUser, module: dict) -> bool:
    """takes_roll() for a module row (id, organisation, cluster), reading whether the person leads it."""
    return takes_roll(user, module, await is_facilitator(user, module["id"]))

# Session, module and "does this person lead it" in one query. A tap adds the tapped person's row
# to the same query (TAPPED_PERSON): on the roll that day, already marked (an earlier walk-in), or
# allowed to come for a trial (proposed or waitlisted); so a tap never loads the whole roster.
# Hand-written because every tap runs it (bench/attendance.py, TARGET sqlite_marks_per_second: 716/s in
# issue 13 on a quiet machine; actions.py's 342/s is from a loaded one); as Piccolo it would be several
# queries, and the tap's other statements as Piccolo queries already cost a quarter of that figure
# (actions.py, _apply_tap).
ROLL_ACCESS = (
    'SELECT s.id, s.module, s.day, s.starts_at, s.ends_at, s.status, s.roll_closed_at, s.guests, '
    'm.organisation, m.cluster, m.title, m.code, '
    'EXISTS (SELECT 1 FROM module_facilitator f WHERE f.module = s.module AND f."user" = {}) AS leads%s '
    'FROM module_session s JOIN module m ON m.id = s.module%s WHERE s.id = {}')
TAPPED_PERSON = (
    ", b.first_name, b.last_name, "
    "EXISTS (SELECT 1 FROM enrolment e WHERE e.module = s.module AND e.beneficiary = b.id "
    "AND e.status IN ('enrolled', 'ended') AND (e.start_date IS NULL OR e.start_date <= s.day) "
    "AND (e.end_date IS NULL OR e.end_date >= s.day)) AS on_roll, "
    "EXISTS (SELECT 1 FROM mark k WHERE k.session = s.id AND k.beneficiary = b.id) AS marked, "
    "EXISTS (SELECT 1 FROM enrolment e WHERE e.module = s.module AND e.beneficiary = b.id "
    "AND e.status IN ('proposed', 'waitlisted')) AS trial, "
    "(SELECT r.remark FROM mark_remark r WHERE r.session = s.id AND r.beneficiary = b.id) AS remark",
    " LEFT JOIN beneficiary b ON b.id = {}")
SESSION_KEYS = ("id", "module", "day", "starts_at", "ends_at", "status", "roll_closed_at", "guests")


async def get_roll_for_user(user: CurrentUser, session_id: int, person_id: int | None = None,
                            ) -> tuple[dict, dict, bool, dict | None]:
    """(session, module, manage, person) for a session whose roll this person may take: they lead the
    module, or coordinate it (manage: True). Else NotFoundException (404).

    session: SESSION_KEYS; module: id, organisation, cluster, title, code. With person_id, person is that
    person's row (id, first_name, last_name, on_roll, marked, remark), or None when they may not be on this roll."""
    if person_id is None:
        rows = await fetch(ROLL_ACCESS % ("", ""), user.id, session_id)
    else:
        rows = await fetch(ROLL_ACCESS % TAPPED_PERSON, user.id, person_id, session_id)
    if not rows:
        raise NotFoundException()
    row = rows[0]
    module = {"id": row["module"], "organisation": row["organisation"], "cluster": row["cluster"],
              "title": row["title"], "code": row["code"]}
    if not takes_roll(user, module, bool(row["leads"])):
        raise NotFoundException()
    manage = can_manage(user, module)
    person = None
    if person_id is not None and row["first_name"] is not None and (row["on_roll"] or row["marked"] or row["trial"]):
        person = {"id": person_id, "first_name": row["first_name"], "last_name": row["last_name"],
                  "on_roll": bool(row["on_roll"]), "marked": bool(row["marked"]), "remark": row["remark"] or ""}
    return {k: row[k] for k in SESSION_KEYS}, module, manage, person


async def get_module_for_roll_taker(user: CurrentUser, module_id: int) -> dict:
    """The module (its row) when this person leads or coordinates it, as for its rolls; else NotFoundException."""
    module = await get_module_for_user(user, module_id)
    if not await may_take_roll(user, module):
        raise NotFoundException()
    return module
