"""Which organisations a person may manage or see; another CPAS's organisation is a 404."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser
from planner.auth.rules import OrgRef, Role, administered_organisations
from planner.i18n import current_language
from planner.orgs.rules import display_name
from planner.orgs.tables import Organisation


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
    return display_name({lang: row.get(f"{prefix}name_{lang}", "") for lang in ("fr", "nl", "de", "en")},
                        current_language(), row.get(f"{prefix}region", ""))


async def organisation_choices(ids: set[int]) -> list[dict]:
    rows = await Organisation.select().where(Organisation.id.is_in(list(ids) or [0]))
    choices = [{"id": r["id"], "kind": r["kind"], "name": name_of(r)} for r in rows]
    return sorted(choices, key=lambda c: (("cpas", "cluster", "partner").index(c["kind"]), c["name"].lower()))


async def get_organisation_for_user(user: CurrentUser, organisation_id: int) -> dict:
    if organisation_id not in await managed_organisations(user):
        raise NotFoundException()
    return await Organisation.select().where(Organisation.id == organisation_id).first()
