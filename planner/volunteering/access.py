"""Who sees volunteering (issue 17): the social workers and coordinators of the person's CPAS manage placements
and approve hours. Facilitators and partner staff never see placements; anyone else, a CPAS of the same cluster
included, gets a 404. The host's contact reaches one placement through its secret link only."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser, is_own_row, own_object, requires
from planner.auth.rules import Role
from planner.volunteering.tables import HoursEntry, Placement

PLACEMENT_ROLES = (Role.SOCIAL_WORKER, Role.COORDINATOR)
PLACEMENT_MANAGERS = requires(*PLACEMENT_ROLES)


def placement_organisations(user: CurrentUser) -> list[int]:
    """The organisations whose placements this person manages ([0] matches nothing). A cluster where a
    coordinator also works holds no placement: placements belong to the person's CPAS."""
    return sorted(user.organisations(*PLACEMENT_ROLES)) or [0]


async def get_placement_for_user(user: CurrentUser, placement_id: int) -> dict:
    """The placement's row when its CPAS is one where the person is social worker or coordinator; 404 otherwise
    (no such placement, another CPAS, a CPAS of the same cluster, another role)."""
    row = await Placement.select().where(
        (Placement.id == placement_id) & Placement.organisation.is_in(placement_organisations(user))).first()
    if row is None:
        raise NotFoundException()
    return row


async def get_entry_for_user(user: CurrentUser, entry_id: int) -> tuple[dict, dict]:
    """(hours entry, its placement) for a manager of the placement's CPAS; 404 otherwise."""
    entry = await HoursEntry.select().where(HoursEntry.id == entry_id).first()
    if entry is None:
        raise NotFoundException()
    return entry, await get_placement_for_user(user, entry["placement"])


# A placement or an hours entry of another CPAS is a 404 before any 403 (auth.access.refuse).
own_object("placement_id")(lambda user, placement_id: is_own_row(user, Placement, placement_id))


@own_object("entry_id")
async def is_own_entry(user: CurrentUser, entry_id: int) -> bool:
    row = await HoursEntry.select(HoursEntry.placement).where(HoursEntry.id == entry_id).first()
    return row is not None and await is_own_row(user, Placement, row["placement"])
