"""The 10 % PIIS subsidy's justification (domain.md §2.7 SUB-PIIS-05, COST-03, RU-05..07): the people for whom
the CPAS received it, the months it covers in the year, and the support and activation costs that belong to it
rather than to strand B: the bilan-social and progress-measurement time of collective-module staff spent on
those people. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.report.rules.inputs import SubsidyFact
from planner.report.rules.modules import ModuleRow
from planner.report.rules.personnel import StaffLine
from planner.spending.rules import PIIS_TASKS, part_of


def months_covered(start: dt.date, until: dt.date, year: int) -> int:
    """Calendar months of the year touched by [start, until] (RU-06: the subsidy runs from the first day of a
    month); 0 when the period misses the year."""
    first, last = max(start, dt.date(year, 1, 1)), min(until, dt.date(year, 12, 31))
    return 0 if last < first else (last.month - first.month) + 1


@dataclass(frozen=True)
class SubsidyPerson:
    person: int
    covered_from: dt.date
    covered_until: dt.date
    months: int


@dataclass(frozen=True)
class SubsidyCost:
    """The part of a strand-B staff line's bilan-social and progress-measurement time that is spent on people
    with the 10 %: it is the subsidy's (SUB-PIIS-05). `in_strand_b_cents` is how much of it strand B charges
    too (the line is charged to strand B whole): that euro would be paid twice (COST-03)."""
    staff: int  # StaffAllocation id
    module: int
    cents: int
    in_strand_b_cents: int


@dataclass(frozen=True)
class SubsidyJustification:
    people: tuple[SubsidyPerson, ...]
    costs: tuple[SubsidyCost, ...]

    @property
    def months(self) -> int:
        return sum(p.months for p in self.people)

    @property
    def cost_cents(self) -> int:
        return sum(c.cents for c in self.costs)

    @property
    def double_cents(self) -> int:
        return sum(c.in_strand_b_cents for c in self.costs)


def justification(subsidy: Sequence[SubsidyFact], strand_b: Sequence[StaffLine], rows: Mapping[int, ModuleRow],
                  year: int) -> SubsidyJustification:
    """SUB-PIIS-05: a strand-B line on a module with P participants of whom S have the 10 % spends S/P of its
    bilan and progress time on them (rounded up, so strand B keeps the floor spending.rules.piis_chargeable
    allows). Lines without a module or without such tasks have no part."""
    people = tuple(SubsidyPerson(s.person, s.covered_from, s.covered_until,
                                 months_covered(s.covered_from, s.covered_until, year))
                   for s in sorted(subsidy, key=lambda s: (s.covered_from, s.person)))
    costs = []
    for line in strand_b:
        row = rows.get(line.staff.module) if line.staff.module is not None else None
        if row is None or not row.participants or not row.piis_subsidy:
            continue
        piis_time = sum(c for task, c in line.per_task.items() if task in PIIS_TASKS)
        if not piis_time:
            continue
        keeps = part_of(piis_time, row.participants - len(row.piis_subsidy), row.participants)
        part = piis_time - keeps
        costs.append(SubsidyCost(line.staff.id, row.module.id, part, part))
    return SubsidyJustification(people, tuple(costs))
