"""Reads of the orgs area for its pages and its neighbours' forms: organisations to choose from,
cluster members, and the sites, rooms and closure days of a CPAS."""

from __future__ import annotations

import datetime as dt

from planner.orgs.access import name_of
from planner.orgs.tables import ClosureDay, ClusterMember, Organisation, Room, Site

KIND_ORDER = ("cpas", "cluster", "partner")


async def organisation_choices(ids: set[int]) -> list[dict]:
    """{"id", "kind", "name"} of these organisations, CPAS first, then clusters, then partners, by name
    in the current language."""
    rows = await Organisation.select().where(Organisation.id.is_in(list(ids) or [0]))
    choices = [{"id": r["id"], "kind": r["kind"], "name": name_of(r)} for r in rows]
    return sorted(choices, key=lambda c: (KIND_ORDER.index(c["kind"]), c["name"].lower()))


async def all_cpas() -> list[dict]:
    """{"id", "name"} of every CPAS by name: CPAS names are public, any administrator may group their
    CPAS with others in a cluster."""
    rows = await Organisation.select().where(Organisation.kind == "cpas")
    return sorted(({"id": r["id"], "name": name_of(r)} for r in rows), key=lambda c: c["name"].lower())


async def cluster_members(cluster_id: int) -> list[int]:
    """Ids of the CPAS in this cluster (none for a CPAS or a partner)."""
    rows = await ClusterMember.select(ClusterMember.cpas).where(ClusterMember.cluster == cluster_id)
    return [r["cpas"] for r in rows]


async def places(organisations: list[int], closures_since: dt.date) -> dict:
    """The sites and rooms of these CPAS by name, and their closure days from `closures_since` on, by
    day: {"sites", "rooms", "closures"}, lists of rows."""
    return {
        "sites": await Site.select().where(Site.organisation.is_in(organisations)).order_by(Site.name),
        "rooms": await Room.select().where(Room.organisation.is_in(organisations)).order_by(Room.name),
        "closures": await ClosureDay.select().where(
            ClosureDay.organisation.is_in(organisations) & (ClosureDay.day >= closures_since)
        ).order_by(ClosureDay.day),
    }
