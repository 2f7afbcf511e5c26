"""Personnel time (COST-09): a staff member's share of working time on collective modules, charged to one
source's strand, recorded, corrected (optimistic `version`) and removed. Refused when a rule blocks (COST-09,
RULESET, STRAND-CATEGORY, COST-01, SUB-PIIS-05); a warning (COST-01 near the cap) is written only when the user
ticked "save anyway", and then the line records who went on."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from planner.db import for_update, write_transaction
from planner.i18n import N_
from planner.spending.actions.common import (
    Saved, ShareInput, lock_cpas, no_ruleset, now_utc, personnel_cap_findings, ruleset_for,
)
from planner.spending.queries import charges, piis_shares
from planner.spending.rules import (
    BLOCK, WARN, Finding, blocks, check_category, check_piis_double_funding, personnel_charge,
)
from planner.spending.tables import StaffAllocation


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


STAFF_STALE = Finding("VERSION", BLOCK, N_("Someone changed this staff time while you were editing it: look at "
                                           "it again before saving."))


async def check_staff_time(organisation_id: int, data: StaffTimeInput,
                           allocation_id: int | None = None) -> list[Finding]:
    """Inside a transaction: every rule the line meets (COST-09, RULESET, STRAND-CATEGORY, SUB-PIIS-05 when a
    module's bilan social or progress measurement is charged to an excluded strand, COST-01 against what the
    CPAS already charged to the strand, this line's earlier version left out)."""
    charge = personnel_charge(data.full_time_annual_cents, data.fte_bp, data.time_share_bp, data.starts_on,
                              data.ends_on, data.year, dict(data.tasks_bp))
    if charge.findings:
        return list(charge.findings)
    try:
        ruleset = await ruleset_for(organisation_id, data.source, data.year)
    except LookupError:
        return [no_ruleset(data.source, data.year)]
    findings = check_category("personnel", data.strand, ruleset)
    if blocks(findings):
        return findings
    if data.module is not None:
        for _task, share in await piis_shares(data.module, data.year, data.strand, ruleset, charge.per_task):
            findings += check_piis_double_funding(share.amount_cents, share, data.strand)
    if blocks(findings):
        return findings
    share = ShareInput(data.source, data.year, data.strand, 10_000)
    return findings + await personnel_cap_findings(
        organisation_id, share, charge.cents, await charges(organisation_id, data.year, exclude_allocation=allocation_id),
        ruleset.strand(data.strand).personnel_cap_bp, ruleset.warn_from_bp)


def _refused(findings: list[Finding], go_on: bool) -> bool:
    """Blocked, or warned and the user did not tick "save anyway"."""
    return blocks(findings) or (not go_on and any(f.level == WARN for f in findings))


def _columns(data: StaffTimeInput) -> dict:
    return {StaffAllocation.staff_name: data.staff_name,
            StaffAllocation.full_time_annual_cents: data.full_time_annual_cents,
            StaffAllocation.fte_bp: data.fte_bp, StaffAllocation.time_share_bp: data.time_share_bp,
            StaffAllocation.starts_on: data.starts_on, StaffAllocation.ends_on: data.ends_on,
            StaffAllocation.tasks: json.dumps(dict(data.tasks_bp)), StaffAllocation.module: data.module,
            StaffAllocation.source: data.source, StaffAllocation.year: data.year, StaffAllocation.strand: data.strand}


def _warned(findings: list[Finding]) -> str:
    return ",".join(sorted({f.rule for f in findings if f.level == WARN}))


async def record_staff_time(organisation_id: int, data: StaffTimeInput, user_id: int, go_on: bool = False) -> Saved:
    """A new line of staff time; with warnings, written only when go_on (the user ticked "save anyway")."""
    async with write_transaction():
        await lock_cpas(organisation_id)
        findings = await check_staff_time(organisation_id, data)
        if _refused(findings, go_on):
            return Saved(None, tuple(findings))
        now = now_utc()
        values = {column._meta.name: value for column, value in _columns(data).items()}
        row = StaffAllocation(organisation=organisation_id, warnings=_warned(findings), created_by=user_id,
                              created_at=now, updated_by=user_id, updated_at=now, **values)
        return Saved((await StaffAllocation.insert(row).returning(StaffAllocation.id))[0]["id"], tuple(findings))


async def update_staff_time(allocation_id: int, version: int, data: StaffTimeInput, user_id: int,
                            go_on: bool = False) -> Saved:
    """Refused (VERSION) when the line is no longer at `version`, the one the user's form was made from."""
    async with write_transaction():
        owner = await StaffAllocation.select(StaffAllocation.organisation).where(
            StaffAllocation.id == allocation_id).first()
        if owner is None:
            return Saved(None, (STAFF_STALE,))
        await lock_cpas(owner["organisation"])  # the CPAS first, as record_staff_time: no deadlock between them
        current = await for_update(StaffAllocation.select(StaffAllocation.version).where(
            StaffAllocation.id == allocation_id)).first()
        if current["version"] != version:
            return Saved(None, (STAFF_STALE,))
        findings = await check_staff_time(owner["organisation"], data, allocation_id)
        if _refused(findings, go_on):
            return Saved(None, tuple(findings))
        await StaffAllocation.update({**_columns(data), StaffAllocation.warnings: _warned(findings),
                                      StaffAllocation.version: version + 1, StaffAllocation.updated_by: user_id,
                                      StaffAllocation.updated_at: now_utc()}).where(StaffAllocation.id == allocation_id)
    return Saved(allocation_id, tuple(findings))


async def delete_staff_time(allocation_id: int) -> bool:
    """A wrong line removed (the routes confirm first); False when it was already gone."""
    async with write_transaction():
        owner = await StaffAllocation.select(StaffAllocation.organisation).where(
            StaffAllocation.id == allocation_id).first()
        if owner is None:
            return False
        await lock_cpas(owner["organisation"])
        await StaffAllocation.delete().where(StaffAllocation.id == allocation_id)
    return True
