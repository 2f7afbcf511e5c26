"""Which organisations a person may manage or see; another CPAS's organisation is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from litestar.exceptions import NotFoundException

from planner.auth.rules import OrgRef, Role, administered_organisations
from planner.i18n import current_language
from planner.orgs.rules import display_name
from planner.orgs.tables import Organisation, Room, Site

if TYPE_CHECKING:  # auth.access reads auth.queries, which reads administered_by() here
    from planner.auth.access import CurrentUser

# Sites, rooms and closure days are managed by the coordinators and administrators of the CPAS.
PLACE_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)


class NotManaged(LookupError):
    """Not something this administrator manages (README "Accounts"): the route answers 404."""


async def administered_by(admin_of: set[int]) -> frozenset[int]:
    """The organisations administered by a person who is administrator of the CPAS `admin_of`:
    those CPAS and the clusters and partners they own (auth.rules.administered_organisations)."""
    if not admin_of:
        return frozenset()
    rows = await Organisation.select(Organisation.id, Organisation.kind, Organisation.owner).where(
        Organisation.id.is_in(list(admin_of)) | Organisation.owner.is_in(list(admin_of))
    )
    return administered_organisations(admin_of, (OrgRef(r["id"], r["kind"], r["owner"]) for r in rows))


async def managed_organisations(user: CurrentUser) -> frozenset[int]:
    """What this person administers: the one rule of README "Accounts" (a cluster their CPAS only
    belongs to is not among them)."""
    return await administered_by(user.organisations(Role.ADMINISTRATOR))


def name_of(row: dict, prefix: str = "") -> str:
    """The organisation's name in the current language, from a row's name_* columns (`prefix`: of a join)."""
    return display_name({lang: row.get(f"{prefix}name_{lang}", "") for lang in ("fr", "nl", "de", "en")},
                        current_language(), row.get(f"{prefix}region", ""))


async def get_organisation_for_user(user: CurrentUser, organisation_id: int) -> dict:
    if organisation_id not in await managed_organisations(user):
        raise NotFoundException()
    return await Organisation.select().where(Organisation.id == organisation_id).first()


def place_organisations(user: CurrentUser) -> list[int]:
    """The CPAS whose sites, rooms and closure days this person manages ([0] if none: matches nothing)."""
    return sorted(g.organisation_id for g in user.grants if g.role in PLACE_ROLES and g.kind == "cpas") or [0]


async def get_site_for_user(user: CurrentUser, site_id: int | None) -> dict:
    """The site row if one of this person's CPAS owns it, else 404."""
    site = await Site.select().where((Site.id == site_id) & Site.organisation.is_in(place_organisations(user))).first()
    if site is None:
        raise NotFoundException()
    return site


async def get_room_for_user(user: CurrentUser, room_id: int) -> dict:
    """The room row if one of this person's CPAS owns it, else 404."""
    room = await Room.select().where((Room.id == room_id) & Room.organisation.is_in(place_organisations(user))).first()
    if room is None:
        raise NotFoundException()
    return room
