"""A placement recorded when no rule blocks, with who went on past a warning (VOL-01..05)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from planner.db import for_update, write_transaction
from planner.findings import Saved
from planner.i18n import N_
from planner.orgs.tables import Organisation
from planner.people.tables import Beneficiary
from planner.spending.rules import BLOCK, WARN, Finding, blocks
from planner.volunteering.caps import caps_of
from planner.volunteering.queries import allowances_of_year
from planner.volunteering.rules import (
    ALLOWANCE_KINDS, Allowance, check_allowance, check_availability, check_host, check_informed, days_in_year,
)
from planner.volunteering.tables import Placement


@dataclass(frozen=True)
class PlacementInput:
    beneficiary: int
    host: int
    host_kind: str
    tasks: str
    minutes_per_week: int
    starts_on: dt.date
    ends_on: dt.date | None = None
    informed_on: dt.date | None = None
    availability_note: str = ""
    allowance_kind: str = "none"
    allowance_per_day_cents: int = 0
    days_per_week: int = 1
    piis_objective: bool = False
    paid_same_tasks: bool = False
    insurance: str = ""
    contact_first_name: str = ""
    contact_phone: str = ""


async def placement_findings(organisation_id: int, data: PlacementInput, placement_id: int | None = None
                             ) -> list[Finding]:
    """Every rule the placement meets (VOL-01..04, VOL-03 for each year it runs in); ValueError for a person or
    host not of the CPAS, or an unknown allowance kind."""
    if data.allowance_kind not in ALLOWANCE_KINDS:
        raise ValueError(f"unknown allowance kind {data.allowance_kind!r}")
    person = await Beneficiary.select(Beneficiary.status).where(
        (Beneficiary.id == data.beneficiary) & (Beneficiary.organisation == organisation_id)).first()
    host = await Organisation.exists().where((Organisation.id == data.host) & (Organisation.kind == "partner")
                                             & (Organisation.owner == organisation_id))
    if person is None or not host:
        raise ValueError("person or host of another CPAS")
    findings = check_host(data.host_kind, data.paid_same_tasks) + check_informed(data.starts_on, data.informed_on)
    findings += check_availability(data.availability_note, person["status"] == "ri")
    last_year = data.ends_on.year if data.ends_on else data.starts_on.year  # open-ended: its first year
    for year in range(data.starts_on.year, last_year + 1):
        allowance = Allowance(data.allowance_kind, data.allowance_per_day_cents,
                              days_in_year(data.starts_on, data.ends_on, data.days_per_week, year))
        try:
            caps = caps_of(year)
        except LookupError:
            if data.allowance_kind == "flat_rate":
                findings.append(Finding("VOL-03", WARN, N_("The allowance caps of %(year)s are not known yet: "
                                                           "check the amount by hand."), {"year": str(year)}))
            continue
        findings += check_allowance(allowance, await allowances_of_year(data.beneficiary, year, placement_id), caps)
    return findings


async def record_placement(organisation_id: int, data: PlacementInput, user_id: int, go_on: bool = False) -> Saved:
    """A new placement: refused on a BLOCK, and on a WARN unless `go_on` (the user read it; recorded)."""
    async with write_transaction():
        findings = await placement_findings(organisation_id, data)
        if blocks(findings) or (findings and not go_on):
            return Saved(None, tuple(findings))
        now = dt.datetime.now(dt.timezone.utc)
        warned = ",".join(sorted({f.rule for f in findings if f.level == WARN}))
        row = Placement(organisation=organisation_id, warnings=warned, warned_by=user_id if warned else None,
                        version=1, created_by=user_id, created_at=now, updated_at=now, status="active",
                        **{name: getattr(data, name) for name in PlacementInput.__dataclass_fields__})
        placement_id = (await Placement.insert(row).returning(Placement.id))[0]["id"]
    return Saved(placement_id, tuple(findings))


async def update_placement(organisation_id: int, placement_id: int, version: int, data: PlacementInput, user_id: int,
                           go_on: bool = False) -> Saved:
    """An edit at `version` (a stale form is refused with the finding "version"), against the same rules as a
    new placement, its other placements counted for VOL-03. The person stays the same."""
    async with write_transaction():
        row = await for_update(Placement.select(Placement.version, Placement.beneficiary).where(
            (Placement.id == placement_id) & (Placement.organisation == organisation_id))).first()
        if row is None:
            raise ValueError("no such placement")
        if row["version"] != version:
            return Saved(None, (Finding("version", BLOCK, N_("Someone changed this placement meanwhile: look at it "
                                                             "again.")),))
        data = replace(data, beneficiary=row["beneficiary"])
        findings = await placement_findings(organisation_id, data, placement_id)
        if blocks(findings) or (findings and not go_on):
            return Saved(None, tuple(findings))
        warned = ",".join(sorted({f.rule for f in findings if f.level == WARN}))
        await Placement.update({
            **{getattr(Placement, name): getattr(data, name) for name in PlacementInput.__dataclass_fields__},
            Placement.warnings: warned, Placement.warned_by: user_id if warned else None,
            Placement.version: version + 1, Placement.updated_at: dt.datetime.now(dt.timezone.utc),
        }).where(Placement.id == placement_id)
    return Saved(placement_id, tuple(findings))


async def end_placement(organisation_id: int, placement_id: int, today: dt.date) -> bool:
    """The placement ends: status "ended", its last day today unless it ended earlier. False if already ended."""
    async with write_transaction():
        row = await for_update(Placement.select(Placement.status, Placement.ends_on, Placement.version).where(
            (Placement.id == placement_id) & (Placement.organisation == organisation_id))).first()
        if row is None or row["status"] == "ended":
            return False
        ends_on = min(row["ends_on"], today) if row["ends_on"] else today
        await Placement.update({Placement.status: "ended", Placement.ends_on: ends_on,
                                Placement.version: row["version"] + 1,
                                Placement.updated_at: dt.datetime.now(dt.timezone.utc)}).where(
            Placement.id == placement_id)
    return True
