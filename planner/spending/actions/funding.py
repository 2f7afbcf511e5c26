"""What a CPAS is granted, whether it recovers VAT, its staff time (COST-09) and its partners' conventions."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from planner.db import write_transaction
from planner.i18n import N_
from planner.spending.actions.common import (
    Saved, ShareInput, lock_cpas, no_ruleset, now_utc, personnel_cap_findings,
)
from planner.spending.queries import charges
from planner.spending.rules import BLOCK, Finding, blocks, check_category, personnel_charge
from planner.spending.rulesets import load_ruleset
from planner.spending.tables import PRICE_BASES, FundingGrant, PartnerConvention, StaffAllocation, VatPolicy


async def set_grant(organisation_id: int, source: str, year: int, strand: str, granted_cents: int,
                    user_id: int) -> Saved:
    """The amount granted to the CPAS for a strand of a source's year (replaces the previous one)."""
    try:
        ruleset = load_ruleset(source, year)
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


@dataclass(frozen=True)
class StaffTimeInput:
    staff_name: str
    full_time_annual_cents: int
    fte_bp: int
    time_share_bp: int
    starts_on: dt.date
    ends_on: dt.date
    source: str
    year: int
    strand: str
    tasks_bp: tuple[tuple[str, int], ...] = (("facilitation", 10_000),)
    module: int | None = None


async def record_staff_time(organisation_id: int, data: StaffTimeInput, user_id: int) -> Saved:
    """COST-09: a staff member's time on collective modules, charged to one source's strand; refused when the
    figures are impossible (COST-09), the source's year unknown (RULESET), the strand does not take personnel
    (STRAND-CATEGORY) or the charge would pass the strand's personnel cap (COST-01, which may also warn)."""
    charge = personnel_charge(data.full_time_annual_cents, data.fte_bp, data.time_share_bp, data.starts_on,
                              data.ends_on, data.year, dict(data.tasks_bp))
    findings = list(charge.findings)
    if findings:
        return Saved(None, tuple(findings))
    try:
        ruleset = load_ruleset(data.source, data.year)
    except LookupError:
        return Saved(None, (no_ruleset(data.source, data.year),))
    findings += check_category("personnel", data.strand, ruleset)
    if blocks(findings):
        return Saved(None, tuple(findings))
    async with write_transaction():
        await lock_cpas(organisation_id)
        share = ShareInput(data.source, data.year, data.strand, 10_000)
        findings += await personnel_cap_findings(organisation_id, share, charge.cents,
                                         await charges(organisation_id, data.year),
                                         ruleset.strand(data.strand).personnel_cap_bp, ruleset.warn_from_bp)
        if blocks(findings):
            return Saved(None, tuple(findings))
        row = StaffAllocation(
            organisation=organisation_id, staff_name=data.staff_name, full_time_annual_cents=data.full_time_annual_cents,
            fte_bp=data.fte_bp, time_share_bp=data.time_share_bp, starts_on=data.starts_on, ends_on=data.ends_on,
            tasks=json.dumps(dict(data.tasks_bp)), module=data.module, source=data.source, year=data.year,
            strand=data.strand, created_by=user_id, created_at=now_utc())
        return Saved((await StaffAllocation.insert(row).returning(StaffAllocation.id))[0]["id"], tuple(findings))


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


async def save_convention(organisation_id: int, data: ConventionInput, user_id: int) -> int:
    """A partner's convention with the CPAS (the routes check the partner is the CPAS's and the dates)."""
    if data.price_basis not in PRICE_BASES or data.ends_on < data.starts_on:
        raise ValueError("price basis or period")
    async with write_transaction():
        row = PartnerConvention(
            organisation=organisation_id, partner=data.partner, starts_on=data.starts_on, ends_on=data.ends_on,
            deliverables=data.deliverables, price_basis=data.price_basis, price_cents=data.price_cents,
            subcontracting=data.subcontracting, overheads_cents=data.overheads_cents, contact=data.contact,
            created_by=user_id, created_at=now_utc())
        return (await PartnerConvention.insert(row).returning(PartnerConvention.id))[0]["id"]
