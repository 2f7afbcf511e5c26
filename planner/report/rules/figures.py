"""The year's figures of one CPAS (domain.md §4: the modules sheet §4.1, personnel per strand §4.2, the
evaluation §4.3, the PIIS 10 % justification §2.7), computed from a YearInput. Pure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from planner.report.rules.evaluation import Evaluation, evaluation
from planner.report.rules.inputs import YearInput
from planner.report.rules.modules import ModuleRow, module_row
from planner.report.rules.personnel import StrandPersonnel, personnel
from planner.report.rules.subsidy import SubsidyJustification, justification


@dataclass(frozen=True)
class YearFigures:
    organisation: int
    year: int
    source: str
    modules: tuple[ModuleRow, ...]  # by ModuleInput.number
    personnel: tuple[StrandPersonnel, ...]  # A, B, C
    evaluation: Evaluation
    subsidy: SubsidyJustification

    def strand(self, code: str) -> StrandPersonnel:
        return next(p for p in self.personnel if p.strand == code)

    def module(self, module_id: int) -> ModuleRow | None:
        return next((r for r in self.modules if r.module.id == module_id), None)

    @property
    def participants(self) -> int:
        """Distinct people over every module (a person in two modules counts once), plus every module's guests."""
        return len({p for r in self.modules for p in r.people}) + sum(r.guests for r in self.modules)

    @property
    def seconds(self) -> int:
        return sum(r.seconds for r in self.modules)

    @property
    def total_cents(self) -> int:
        return sum(r.total_cents for r in self.modules)

    @property
    def charged_cents(self) -> int:
        return sum(r.charged_cents for r in self.modules)


def year_figures(data: YearInput) -> YearFigures:
    """Everything §4 reports for data.organisation's data.year. A module's staff cost (#22) is the strand-B
    staff time allocated to it (§4.2), charged whole to strand B (COST-09)."""
    strands = personnel(data.staff, data.year, dict(data.granted_cents), dict(data.personnel_cap_bp),
                        _personnel_expenses(data))
    staff_of: dict[int, int] = defaultdict(int)
    for line in next(p for p in strands if p.strand == "B").lines:
        if line.staff.module is not None:
            staff_of[line.staff.module] += line.charged_cents
    people = {p.id: p for p in data.people}
    expenses = defaultdict(list)
    for e in data.expenses:
        if e.module is not None:
            expenses[e.module].append(e)
    rows = tuple(module_row(m, people, expenses[m.id], staff_of[m.id], staff_of[m.id], data.year, data.age_on)
                 for m in sorted(data.modules, key=lambda m: (m.number, m.id)))
    everyone = len({p for r in rows for p in r.people}) + sum(r.guests for r in rows)
    ev = evaluation(data.evaluation, data.instrument, len(rows), everyone, sum(r.seconds for r in rows))
    subsidy = justification(data.subsidy, next(p for p in strands if p.strand == "B").lines,
                            {r.module.id: r for r in rows}, data.year, data.expenses)
    return YearFigures(data.organisation, data.year, data.source, rows, strands, ev, subsidy)


def _personnel_expenses(data: YearInput) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for e in data.expenses:
        if e.category == "personnel" and e.strand:
            out[e.strand] += e.charged_cents
    return out
