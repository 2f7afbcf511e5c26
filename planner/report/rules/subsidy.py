"""The 10 % PIIS subsidy's justification (domain.md §2.7 SUB-PIIS-05, COST-03, RU-05..07): the people for whom
the CPAS received it, the months it covers in the year, and the support and activation costs that belong to it
rather than to strand B: the bilan-social and progress-measurement time of collective-module staff spent on
those people, and the expenses a coordinator charged to the subsidy (spending's source "piis-subsidy"). Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.report.rules.inputs import ExpenseFact, SubsidyFact
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
    reference: str = ""  # the CPAS's file reference


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
class SubsidyExpense:
    """An expense charged (in part) to the 10 % PIIS subsidy: `cents` what that share charges, in cents.
    `in_strand_b_cents` what the same expense also charges to strand B (spending refuses it when saved,
    SUB-PIIS-05; an expense saved before that rule, or under another year's rule set, is still caught here)."""
    expense: int  # Expense id
    module: int | None
    category: str
    cents: int
    in_strand_b_cents: int = 0


@dataclass(frozen=True)
class SubsidyJustification:
    people: tuple[SubsidyPerson, ...]
    costs: tuple[SubsidyCost, ...]
    expenses: tuple[SubsidyExpense, ...] = ()

    @property
    def months(self) -> int:
        return sum(p.months for p in self.people)

    @property
    def staff_cents(self) -> int:
        return sum(c.cents for c in self.costs)

    @property
    def expense_cents(self) -> int:
        return sum(e.cents for e in self.expenses)

    @property
    def cost_cents(self) -> int:
        """Everything the justification charges to the subsidy: staff time and expenses, in cents."""
        return self.staff_cents + self.expense_cents

    @property
    def double_cents(self) -> int:
        return sum(c.in_strand_b_cents for c in self.costs) + sum(e.in_strand_b_cents for e in self.expenses)


def justification(subsidy: Sequence[SubsidyFact], strand_b: Sequence[StaffLine], rows: Mapping[int, ModuleRow],
                  year: int, expenses: Sequence[ExpenseFact] = ()) -> SubsidyJustification:
    """SUB-PIIS-05: a strand-B line on a module with P participants of whom S have the 10 % spends S/P of its
    bilan and progress time on them (rounded up, so strand B keeps the floor spending.rules.piis_chargeable
    allows). Lines without a module or without such tasks have no part. The expenses with a share charged to
    the subsidy follow, by id; one also charged to strand B is counted in `in_strand_b_cents` (COST-03)."""
    people = tuple(SubsidyPerson(s.person, s.covered_from, s.covered_until,
                                 months_covered(s.covered_from, s.covered_until, year), s.reference)
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
    charged = tuple(SubsidyExpense(e.id, e.module, e.category, e.piis_subsidy_cents,
                                   e.charged_cents if e.strand == "B" else 0)
                    for e in sorted(expenses, key=lambda e: e.id) if e.piis_subsidy_cents)
    return SubsidyJustification(people, tuple(costs), charged)
