"""Reads of the personnel-time screen (/spending/staff): a year's staff lines with their computed charge, and
SUB-PIIS-05's participants with the 10 % PIIS subsidy."""

from __future__ import annotations

import datetime as dt
import json

from planner.enrolment.tables import Enrolment
from planner.modules.tables import Module
from planner.spending.rules import PIIS_TASKS, PiisShare, RuleSet, personnel_charge, piis_chargeable
from planner.spending.tables import StaffAllocation


async def piis_shares(module_id: int, year: int, strand: str, ruleset: RuleSet,
                      per_task: dict[str, int]) -> list[tuple[str, PiisShare]]:
    """SUB-PIIS-05: for each bilan social or progress measurement task with an amount, charged to a strand the
    rule set excludes, the part chargeable: the module's participants of the year (enrolled or ended, their
    enrolment overlapping the year) against those for whom the CPAS receives the 10 % PIIS subsidy that year
    (people.tables.Beneficiary.piis_subsidy_year, until the PIIS area exists)."""
    tasks = [t for t in PIIS_TASKS if per_task.get(t) and strand in ruleset.piis_subsidy_excluded_strands]
    if not tasks:
        return []
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = await Enrolment.select(Enrolment.beneficiary, Enrolment.beneficiary.piis_subsidy_year).where(
        (Enrolment.module == module_id) & Enrolment.status.is_in(["enrolled", "ended"])
        & (Enrolment.start_date.is_null() | (Enrolment.start_date <= last))
        & (Enrolment.end_date.is_null() | (Enrolment.end_date >= first)))
    people = {r["beneficiary"]: r["beneficiary.piis_subsidy_year"] for r in rows}
    with_subsidy = sum(1 for subsidy_year in people.values() if subsidy_year == year)
    return [(task, piis_chargeable(per_task[task], task, strand, len(people), with_subsidy, ruleset))
            for task in sorted(tasks)]


async def staff_of_year(organisation_id: int, year: int) -> list[dict]:
    """The CPAS's staff time of year by name: each row with its tasks ({task: bp}), its module's code and
    title, who last saved it (updated_by.full_name: who went on past a warning) and its charge (rules.PersonnelCharge: total, per task, days)."""
    rows = await StaffAllocation.select(
        *StaffAllocation.all_columns(), StaffAllocation.module.code, StaffAllocation.module.title,
        StaffAllocation.updated_by.full_name).where(
        (StaffAllocation.organisation == organisation_id) & (StaffAllocation.year == year)).order_by(
        StaffAllocation.staff_name).order_by(StaffAllocation.id)
    for row in rows:
        row["tasks"] = json.loads(row["tasks"])
        row["charge"] = personnel_charge(row["full_time_annual_cents"], row["fte_bp"], row["time_share_bp"],
                                         row["starts_on"], row["ends_on"], year, row["tasks"])
    return rows


async def staff_time_of(organisation_id: int, allocation_id: int) -> dict | None:
    """The CPAS's line of staff time, or None (another CPAS's, or none)."""
    row = await StaffAllocation.select().where(
        (StaffAllocation.id == allocation_id) & (StaffAllocation.organisation == organisation_id)).first()
    if row:
        row["tasks"] = json.loads(row["tasks"])
    return row


async def module_choices(organisation_id: int) -> list[dict]:
    """The CPAS's modules a staff line may name: {id, code, title}, by code."""
    return await Module.select(Module.id, Module.code, Module.title).where(
        Module.organisation == organisation_id).order_by(Module.code)
