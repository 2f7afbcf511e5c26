"""What waits for a coordinator (issue 18, the desk): one count per kind, each read through the owning area's
queries and scoped with that area's own access rule, so a count only holds what its link lets the person open.
The rolls not recorded are counted by the database (COUNT), the budget lines from the budget's summed charges
(SUM), as the pages their links open compute them.

Every function returns DeskItem rows; the template words them (ngettext) by `kind`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.attendance import queries as attendance
from planner.auth.access import CurrentUser
from planner.auth.rules import Role
from planner.enrolment import queries as enrolment
from planner.invites import queries as invites
from planner.invites.access import outbox_organisations
from planner.modules import queries as modules
from planner.modules.access import managed_module_ids
from planner.piis.access import worker_organisations
from planner.piis.queries import due_items
from planner.spending import queries as spending
from planner.spending.access import spending_organisations
from planner.volunteering.access import placement_organisations
from planner.volunteering.queries import count_pending_hours

DUE_GROUPS = ("late", "due")  # the PIIS due list's evaluations (the other groups are files, not evaluations)


@dataclass(frozen=True)
class DeskItem:
    kind: str  # proposals, rolls, sessions, waitlists, refused, failed, invoices, caps, piis, hours
    count: int
    href: str  # opens exactly these items
    cpas: str = ""  # the CPAS's name when the person works for several (caps, PIIS counts)


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week of `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def cpas_of(user: CurrentUser, *roles: str) -> list[int]:
    """The CPAS (not clusters nor partners) where the person holds one of these roles."""
    return sorted({g.organisation_id for g in user.grants if g.kind == "cpas" and g.role in roles})


async def desk_items(user: CurrentUser, now: dt.datetime, names: dict[int, str]) -> list[DeskItem]:
    """Everything that waits for this coordinator, in the order of the page, kinds with nothing left out.
    now: Brussels wall-clock; names: organisation id -> name, for the items given per CPAS."""
    today = now.date()
    managed = await managed_module_ids(user)
    coordinated = user.organisations(Role.COORDINATOR)
    several = len(cpas_of(user, Role.COORDINATOR, Role.ADMINISTRATOR, Role.SOCIAL_WORKER)) > 1
    items = [DeskItem("proposals", await enrolment.count_proposals(managed), "/desk/proposals"),
             DeskItem("rolls", await attendance.count_unrecorded_rolls(coordinated, now), "/today#not-recorded"),
             DeskItem("sessions", len(await modules.week_problems(managed, *week_of(today))), "/desk/sessions"),
             DeskItem("waitlists", len(await enrolment.free_places_with_waitlist(managed)), "/desk/waitlists")]
    undelivered = await invites.undelivered_counts(outbox_organisations(user))
    items += [DeskItem(status, undelivered.get(status, 0), f"/outbox?status={status}") for status in ("refused", "failed")]
    items.append(DeskItem("invoices", await spending.count_without_scan(spending_organisations(user)), "/desk/invoices"))
    for org in cpas_of(user, Role.COORDINATOR, Role.ADMINISTRATOR):
        items.append(DeskItem("caps", await spending.caps_near(org, today.year),
                              f"/spending?cpas={org}&year={today.year}", names.get(org, "") if several else ""))
    if user.has_role(Role.SOCIAL_WORKER):  # their own evaluations, with the names, on their due list
        groups = await due_items(worker_organisations(user), user.id, today)
        items.append(DeskItem("piis", sum(len(groups[g]) for g in DUE_GROUPS), "/piis/due"))
    else:  # a coordinator reads the CPAS's figures only (piis/access.py::FIGURE_READERS)
        for org in cpas_of(user, Role.COORDINATOR):
            groups = await due_items({org}, None, today)
            items.append(DeskItem("piis", sum(len(groups[g]) for g in DUE_GROUPS), f"/piis/due/counts?cpas={org}",
                                  names.get(org, "") if several else ""))
    items.append(DeskItem("hours", await count_pending_hours(placement_organisations(user)), "/volunteering"))
    return [item for item in items if item.count]
