"""Writes of the orgs area: organisations and cluster membership; sites, rooms and closure days."""

from __future__ import annotations

import datetime as dt

from planner.auth import actions as auth
from planner.auth.rules import Role
from planner.db import write_transaction
from planner.invites.actions import forget_all_feeds
from planner.orgs.access import NotManaged, administered_by
from planner.orgs.rules import OrganisationForm
from planner.orgs.tables import ClosureDay, ClusterMember, Organisation, Room, Site


def _values(form: OrganisationForm) -> dict:
    cpas, partner = form.kind == "cpas", form.kind == "partner"
    return {
        "name_fr": form.names.get("fr", ""), "name_nl": form.names.get("nl", ""),
        "name_de": form.names.get("de", ""), "name_en": form.names.get("en", ""),
        "region": form.region if cpas else "", "partner_type": form.partner_type if partner else "",
        "street": form.street, "postcode": form.postcode, "city": form.city,
        "phone": form.phone, "email": form.email,
    }


async def create_organisation(form: OrganisationForm, creator_id: int, owner_id: int | None, admin_of: set[int]) -> int:
    """The new organisation's id. A cluster or partner belongs to one of the creator's CPAS
    (`admin_of`: where they are administrator), else NotManaged."""
    if form.kind != "cpas" and owner_id not in admin_of:
        raise NotManaged()
    async with write_transaction():
        org_id = (await Organisation.insert(Organisation(
            kind=form.kind, owner=None if form.kind == "cpas" else owner_id, **_values(form)
        )).returning(Organisation.id))[0]["id"]
        if form.kind == "cpas":
            # Whoever opens a new CPAS administers it, so it is never left without an administrator.
            await auth.add_membership(creator_id, org_id, Role.ADMINISTRATOR)
        if form.kind == "cluster":
            await _set_members(org_id, form.cluster_members)
    return org_id


async def open_cpas(name: str, region: str, language: str) -> int:
    """A new CPAS with its name in the language of its region (the first administrator is given by the
    caller in the same transaction: `python -m planner create-admin`). Returns its id."""
    async with write_transaction():
        return (await Organisation.insert(Organisation(kind="cpas", region=region, **{f"name_{language}": name}))
                .returning(Organisation.id))[0]["id"]


async def update_organisation(org_id: int, version: int, form: OrganisationForm, admin_of: set[int]) -> bool:
    """False when someone else saved since this form was opened (nothing is written then).
    NotManaged unless an administrator of the CPAS `admin_of` administers the organisation."""
    async with write_transaction():
        if org_id not in await administered_by(admin_of):
            raise NotManaged()
        changed = await Organisation.update(
            {**{getattr(Organisation, k): v for k, v in _values(form).items()}, Organisation.version: version + 1}
        ).where((Organisation.id == org_id) & (Organisation.version == version)).returning(Organisation.id)
        if not changed:
            return False
        await forget_all_feeds()  # feeds show the CPAS's name and phone
        if form.kind == "cluster":
            await _set_members(org_id, form.cluster_members)
    return True


async def _set_members(cluster_id: int, cpas_ids: list[int]) -> None:
    await ClusterMember.delete().where(ClusterMember.cluster == cluster_id)
    for cpas_id in sorted(set(cpas_ids)):
        await ClusterMember.insert(ClusterMember(cluster=cluster_id, cpas=cpas_id))


# ---- sites, rooms and closure days (the /rooms screen) --------------------------------------------

async def add_site(organisation_id: int, name: str, street: str, postcode: str, city: str) -> int:
    """The new site's id."""
    async with write_transaction():
        return (await Site.insert(Site(organisation=organisation_id, name=name, street=street, postcode=postcode,
                                       city=city)).returning(Site.id))[0]["id"]


async def add_room(site: dict, name: str, notes: str, capacity: int | None, accessible: bool) -> int:
    """The new room's id; it belongs to the CPAS of `site` (a Site row)."""
    async with write_transaction():
        return (await Room.insert(Room(site=site["id"], organisation=site["organisation"], name=name, notes=notes,
                                       capacity=capacity, accessible=accessible)).returning(Room.id))[0]["id"]


async def update_room(room_id: int, name: str, notes: str, capacity: int | None, accessible: bool) -> None:
    async with write_transaction():
        await Room.update({Room.name: name, Room.notes: notes, Room.capacity: capacity,
                           Room.accessible: accessible}).where(Room.id == room_id)
        await forget_all_feeds()  # feeds show the room's name


async def add_closure(organisation_id: int, day: dt.date, label: str) -> int:
    """The new closure day's id."""
    async with write_transaction():
        return (await ClosureDay.insert(ClosureDay(organisation=organisation_id, day=day, label=label))
                .returning(ClosureDay.id))[0]["id"]


async def delete_closure(closure_id: int, organisations: list[int]) -> bool:
    """False (nothing deleted) unless the closure day belongs to one of `organisations`."""
    async with write_transaction():
        deleted = await ClosureDay.delete().where(
            (ClosureDay.id == closure_id) & ClosureDay.organisation.is_in(organisations)).returning(ClosureDay.id)
    return bool(deleted)
