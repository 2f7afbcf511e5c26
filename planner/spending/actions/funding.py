"""What a CPAS is granted and whether it recovers VAT."""

from __future__ import annotations

from planner.db import write_transaction
from planner.i18n import N_
from planner.spending.actions.common import Saved, lock_cpas, no_ruleset, now_utc, ruleset_for
from planner.spending.rules import BLOCK, Finding
from planner.spending.tables import FundingGrant, VatPolicy


async def set_grant(organisation_id: int, source: str, year: int, strand: str, granted_cents: int,
                    user_id: int) -> Saved:
    """The amount granted to the CPAS for a strand of a source's year (replaces the previous one)."""
    try:
        ruleset = await ruleset_for(organisation_id, source, year)
    except LookupError:
        return Saved(None, (no_ruleset(source, year),))
    if ruleset.strand(strand) is None:
        return Saved(None, (Finding("STRAND-CATEGORY", BLOCK, N_("This funding source has no strand %(strand)s."),
                                    {"strand": strand}),))
    if granted_cents < 0:
        raise ValueError("a grant cannot be negative")  # money.parse_cents refuses "-3" before
    where = ((FundingGrant.organisation == organisation_id) & (FundingGrant.source == source)
             & (FundingGrant.year == year) & (FundingGrant.strand == strand))
    async with write_transaction():
        await lock_cpas(organisation_id)
        existing = await FundingGrant.select(FundingGrant.id).where(where).first()
        if existing:
            await FundingGrant.update({FundingGrant.granted_cents: granted_cents, FundingGrant.updated_by: user_id,
                                       FundingGrant.updated_at: now_utc()}).where(FundingGrant.id == existing["id"])
            return Saved(existing["id"])
        row = FundingGrant(organisation=organisation_id, source=source, year=year, strand=strand,
                           granted_cents=granted_cents, updated_by=user_id, updated_at=now_utc())
        return Saved((await FundingGrant.insert(row).returning(FundingGrant.id))[0]["id"])


async def set_vat_policy(organisation_id: int, year: int, recovers: bool) -> None:
    async with write_transaction():
        await lock_cpas(organisation_id)
        where = (VatPolicy.organisation == organisation_id) & (VatPolicy.year == year)
        if await VatPolicy.exists().where(where):
            await VatPolicy.update({VatPolicy.recovers_vat: recovers}).where(where)
        else:
            await VatPolicy.insert(VatPolicy(organisation=organisation_id, year=year, recovers_vat=recovers))
