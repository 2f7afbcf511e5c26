"""Partners' conventions with the CPAS: what a partner delivers over a period and at what price; changed
with the optimistic `version` (an edit made on an older version is refused)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.db import for_update, write_transaction
from planner.i18n import N_
from planner.orgs.tables import Organisation
from planner.spending.actions.common import Saved, lock_cpas, now_utc
from planner.spending.rules import BLOCK, Finding
from planner.spending.tables import PRICE_BASES, PartnerConvention


@dataclass(frozen=True)
class ConventionInput:
    partner: int
    starts_on: dt.date
    ends_on: dt.date
    price_basis: str
    price_cents: int
    deliverables: str = ""
    subcontracting: bool = False
    overheads_cents: int = 0
    contact: str = ""


CONVENTION_STALE = Finding("VERSION", BLOCK, N_("Someone changed this convention while you were editing it: look "
                                                "at it again before saving."))


async def _check(organisation_id: int, data: ConventionInput) -> None:
    """The routes show these as messages on the fields; an action called with them is a programming error."""
    if data.price_basis not in PRICE_BASES or data.ends_on < data.starts_on:
        raise ValueError("price basis or period")
    if data.price_cents < 0 or data.overheads_cents < 0:
        raise ValueError("a price cannot be negative")  # money.parse_cents refuses "-3" before
    if not await Organisation.exists().where((Organisation.id == data.partner) & (Organisation.kind == "partner")
                                             & (Organisation.owner == organisation_id)):
        raise ValueError(f"organisation {data.partner} is not a partner of organisation {organisation_id}")


def _columns(data: ConventionInput) -> dict:
    return {PartnerConvention.starts_on: data.starts_on, PartnerConvention.ends_on: data.ends_on,
            PartnerConvention.deliverables: data.deliverables, PartnerConvention.price_basis: data.price_basis,
            PartnerConvention.price_cents: data.price_cents, PartnerConvention.subcontracting: data.subcontracting,
            PartnerConvention.overheads_cents: data.overheads_cents, PartnerConvention.contact: data.contact}


async def save_convention(organisation_id: int, data: ConventionInput, user_id: int) -> int:
    """A partner's new convention with the CPAS that registered the partner."""
    async with write_transaction():
        await lock_cpas(organisation_id)
        await _check(organisation_id, data)
        values = {column._meta.name: value for column, value in _columns(data).items()}
        row = PartnerConvention(organisation=organisation_id, partner=data.partner, created_by=user_id,
                                created_at=now_utc(), **values)
        return (await PartnerConvention.insert(row).returning(PartnerConvention.id))[0]["id"]


async def update_convention(convention_id: int, version: int, data: ConventionInput) -> Saved:
    """Refused (VERSION) when the convention is no longer at `version`; its partner never changes."""
    async with write_transaction():
        owner = await PartnerConvention.select(PartnerConvention.organisation, PartnerConvention.partner).where(
            PartnerConvention.id == convention_id).first()
        if owner is None:
            return Saved(None, (CONVENTION_STALE,))
        await lock_cpas(owner["organisation"])
        if data.partner != owner["partner"]:
            raise ValueError("a convention stays with its partner")
        await _check(owner["organisation"], data)
        current = await for_update(PartnerConvention.select(PartnerConvention.version).where(
            PartnerConvention.id == convention_id)).first()
        if current["version"] != version:
            return Saved(None, (CONVENTION_STALE,))
        await PartnerConvention.update({**_columns(data), PartnerConvention.version: version + 1}).where(
            PartnerConvention.id == convention_id)
    return Saved(convention_id)
