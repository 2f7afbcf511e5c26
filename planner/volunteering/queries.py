"""Reads of the volunteering area for its pages and its actions."""

from __future__ import annotations

from planner.volunteering.rules import Allowance, days_in_year
from planner.volunteering.tables import Placement


async def allowances_of_year(beneficiary_id: int, year: int, exclude: int | None = None) -> list[Allowance]:
    """The person's placements' allowances projected on `year` (VOL-03's running total counts every host)."""
    rows = await Placement.select(Placement.id, Placement.allowance_kind, Placement.allowance_per_day_cents,
                                  Placement.days_per_week, Placement.starts_on, Placement.ends_on).where(
        Placement.beneficiary == beneficiary_id)
    return [Allowance(r["allowance_kind"], r["allowance_per_day_cents"],
                      days_in_year(r["starts_on"], r["ends_on"], r["days_per_week"], year))
            for r in rows if r["id"] != exclude and days_in_year(r["starts_on"], r["ends_on"], 7, year)]
