"""Which organisations a person may manage or see; another CPAS's organisation is a 404."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser
from planner.auth.rules import Role
from planner.i18n import current_language
from planner.orgs.rules import display_name
from planner.orgs.tables import ClusterMember, Organisation


async def managed_organisations(user: CurrentUser) -> set[int]:
    """Where the person is administrator, the partners and clusters those CPAS own, and their clusters."""
    own = user.organisations(Role.ADMINISTRATOR)
    if not own:
        return set()
    owned = await Organisation.select(Organisation.id).where(Organisation.owner.is_in(list(own)))
    clusters = await ClusterMember.select(ClusterMember.cluster).where(ClusterMember.cpas.is_in(list(own)))
    return own | {r["id"] for r in owned} | {r["cluster"] for r in clusters}


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
