"""The personnel figures per strand (domain.md §4.2, RU-03: one screen per strand A, B, C), with the COST-01 caps of
the year's rule set (10 % of the strand for A and C, 100 % for B). Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.report.rules.inputs import StaffFact
from planner.spending.rules import personnel_charge, personnel_cap_cents

STRANDS = ("A", "B", "C")


@dataclass(frozen=True)
class StaffLine:
    """One §4.2 row: the allocation and what it charges over the year (COST-09), per task."""
    staff: StaffFact
    charged_cents: int
    per_task: Mapping[str, int]
    days: int


@dataclass(frozen=True)
class StrandPersonnel:
    """A strand's personnel screen: its lines, their total, the grant and the cap (COST-01; `cap_bp` from the
    year's rule set; `cap_cents` None when the CPAS has no grant recorded for the strand)."""
    strand: str
    lines: tuple[StaffLine, ...]
    granted_cents: int | None
    cap_bp: int | None  # None: the rule set sets no cap
    expense_cents: int = 0  # expenses of category "personnel" charged to the strand (an interim agency's bill)

    @property
    def total_cents(self) -> int:
        return sum(line.charged_cents for line in self.lines) + self.expense_cents

    @property
    def cap_cents(self) -> int | None:
        if self.granted_cents is None or self.cap_bp is None:
            return None
        return personnel_cap_cents(self.granted_cents, self.cap_bp)

    @property
    def within_cap(self) -> bool:
        return self.cap_cents is None or self.total_cents <= self.cap_cents


def staff_line(staff: StaffFact, year: int) -> StaffLine:
    """COST-09 through spending.rules.personnel_charge (SWITCH's animator: 0.8 FTE × €52,000 × 35 % = €14,560)."""
    charge = personnel_charge(staff.full_time_annual_cents, staff.fte_bp, staff.time_share_bp, staff.starts_on,
                              staff.ends_on, year, dict(staff.tasks_bp))
    return StaffLine(staff, charge.cents, charge.per_task, charge.days)


def personnel(staff: Sequence[StaffFact], year: int, granted: Mapping[str, int],
              cap_bp: Mapping[str, int | None], expense_cents: Mapping[str, int] | None = None
              ) -> tuple[StrandPersonnel, ...]:
    """§4.2 per strand, always A, B and C in that order (a strand without staff has no line). `expense_cents`:
    strand -> personnel expenses charged to it, counted against the cap too."""
    lines = [staff_line(s, year) for s in staff]
    expense_cents = expense_cents or {}
    return tuple(StrandPersonnel(code, tuple(line for line in lines if line.staff.strand == code),
                                 granted.get(code), cap_bp.get(code), expense_cents.get(code, 0))
                 for code in STRANDS)
