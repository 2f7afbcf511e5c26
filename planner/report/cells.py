"""The figures a workbook cell may hold, by name (issue 16; domain.md §4.1–4.3): what a column map
(planner/report/maps/) may ask for. Pure: plain data in, cell values out.

A sheet of the map iterates over one ROWS kind: "modules" (the §4.1 rows), "staff_A|B|C" (§4.2 per strand),
"expenses_A|C" (the strand-A and strand-C expense lists), "piis_subsidy" (the 10 % PIIS subsidy's justification,
§2.7 SUB-PIIS-05, RU-05: one row per person, then one per cost charged to it), "cpas" (one row per CPAS: E1–E4,
the qualitative answers, the personnel totals) or "cells" (one CPAS, each figure at a fixed cell). Every figure
belongs to one kind. No figure gives a beneficiary's name or national register number: a map cannot ask for one
(the PIIS rows name a person by the CPAS's file reference).

Values: integers, text, dates, money in cents, shares in basis points, durations in seconds; `cell_value`
turns them into what a spreadsheet shows (euros, fractions, hours).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.report.rules import ModuleRow, StaffLine, SubsidyCost, SubsidyPerson, YearFigures

PIIS_SUBSIDY = "piis_subsidy"  # the row kind of the 10 % PIIS subsidy's justification; ExpenseLine.strand of its costs
ROW_KINDS = ("modules", "staff_A", "staff_B", "staff_C", "expenses_A", "expenses_C", PIIS_SUBSIDY, "cpas", "cells")
FORMATS = {  # the map's `format` -> the spreadsheet's number format
    "text": "@", "integer": "0", "decimal": "0.00", "money": "#,##0.00", "percent": "0.0%", "hours": "0.00",
    "date": "dd/mm/yyyy",
}
ANSWERS = ("objectives_reached", "partnerships", "not_reached")  # §4.3's qualitative questions (issue 16)


@dataclass(frozen=True)
class ExpenseLine:
    """One row of a strand-A or strand-C expense list (§4.1, strand A and C sheets): the expense, what it cost the
    CPAS and what its shares charge to the strand; no person is named."""
    id: int
    strand: str
    day: dt.date
    category: str
    description: str
    supplier: str
    cost_cents: int
    charged_cents: int
    reference: str = ""


@dataclass(frozen=True)
class CpasReport:
    """Everything one CPAS's year puts in the workbook: its name as the report shows it, the figures (report.rules),
    the strand-A and strand-C expenses, the qualitative answers (ANSWERS -> text)."""
    organisation: int
    name: str
    figures: YearFigures
    expenses: tuple[ExpenseLine, ...] = ()
    answers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """`get(item, report)` -> the raw value; `unit` tells cell_value how to show it (cents, bp, seconds, plain)."""
    rows: str
    get: Callable[[Any, CpasReport], Any]
    unit: str = "plain"  # plain | cents | bp | seconds


def _m(get: Callable[[ModuleRow], Any], unit: str = "plain") -> Figure:
    return Figure("modules", lambda row, _r: get(row), unit)


MODULE_FIGURES = {
    "module.cpas": Figure("modules", lambda _row, r: r.name),
    "module.number": _m(lambda r: r.module.number),
    "module.code": _m(lambda r: r.module.code),
    "module.title": _m(lambda r: r.module.title),
    "module.type": _m(lambda r: r.module.module_type),
    "module.objectives": _m(lambda r: r.module.objectives),
    "module.target_public": _m(lambda r: r.module.target_public),
    "module.starts_on": _m(lambda r: r.module.starts_on),
    "module.ends_on": _m(lambda r: r.module.ends_on),
    "module.sessions": _m(lambda r: r.sessions),
    "module.average_hours": _m(lambda r: r.average_seconds, "seconds"),
    "module.hours": _m(lambda r: r.seconds, "seconds"),
    "module.place": _m(lambda r: r.module.place),
    "module.organised_by": _m(lambda r: r.module.organised_by),
    "module.partners": _m(lambda r: ", ".join(r.module.partners)),
    "module.participants": _m(lambda r: r.participants),
    "module.users": _m(lambda r: len(r.users)),
    "module.ri": _m(lambda r: len(r.ri)),
    "module.piis": _m(lambda r: len(r.piis)),
    "module.piis_subsidy": _m(lambda r: len(r.piis_subsidy)),
    "module.men": _m(lambda r: len(r.by_gender["M"])),
    "module.women": _m(lambda r: len(r.by_gender["F"])),
    "module.gender_x": _m(lambda r: len(r.by_gender["X"])),
    "module.under_25": _m(lambda r: len(r.by_age["under_25"])),
    "module.age_25_49": _m(lambda r: len(r.by_age["25_49"])),
    "module.age_50_plus": _m(lambda r: len(r.by_age["50_plus"])),
    "module.attendance": _m(lambda r: r.attendance_bp, "bp"),
    "module.staff": _m(lambda r: r.staff_cents, "cents"),
    "module.operating": _m(lambda r: r.operating_cents, "cents"),
    "module.subcontracting": _m(lambda r: r.subcontracting_cents, "cents"),
    "module.investment": _m(lambda r: r.investment_cents, "cents"),
    "module.total": _m(lambda r: r.total_cents, "cents"),
    "module.other_funding": _m(lambda r: r.other_funding_cents, "cents"),
    "module.charged": _m(lambda r: r.charged_cents, "cents"),
    "module.references": _m(lambda r: r.module.references),
    "module.comment": _m(lambda r: r.module.comment),
}


def _staff_figures(strand: str) -> dict[str, Figure]:
    rows = f"staff_{strand}"

    def f(get: Callable[[StaffLine], Any], unit: str = "plain") -> Figure:
        return Figure(rows, lambda line, _r: get(line), unit)
    p = f"staff_{strand}."
    return {
        p + "cpas": Figure(rows, lambda _line, r: r.name),
        p + "name": f(lambda s: s.staff.name),
        p + "fte": f(lambda s: s.staff.fte_bp, "bp"),
        p + "starts_on": f(lambda s: s.staff.starts_on),
        p + "ends_on": f(lambda s: s.staff.ends_on),
        p + "annual_cost": f(lambda s: s.staff.full_time_annual_cents, "cents"),
        p + "time_share": f(lambda s: s.staff.time_share_bp, "bp"),
        p + "tasks": f(lambda s: ", ".join(task for task, _bp in s.staff.tasks_bp)),
        p + "charged": f(lambda s: s.charged_cents, "cents"),
    }


def _expense_figures(strand: str) -> dict[str, Figure]:
    rows = f"expenses_{strand}"

    def f(get: Callable[[ExpenseLine], Any], unit: str = "plain") -> Figure:
        return Figure(rows, lambda e, _r: get(e), unit)
    p = f"expenses_{strand}."
    return {
        p + "cpas": Figure(rows, lambda _e, r: r.name),
        p + "id": f(lambda e: e.id), p + "day": f(lambda e: e.day), p + "category": f(lambda e: e.category),
        p + "description": f(lambda e: e.description), p + "supplier": f(lambda e: e.supplier),
        p + "cost": f(lambda e: e.cost_cents, "cents"), p + "charged": f(lambda e: e.charged_cents, "cents"),
        p + "reference": f(lambda e: e.reference),
    }


def _staff_cost_name(cost: SubsidyCost, report: CpasReport) -> str:
    """A staff line of the justification: the staff member as the CPAS typed them and the module's code."""
    line = next((s for s in report.figures.strand("B").lines if s.staff.id == cost.staff), None)
    row = report.figures.module(cost.module)
    return " · ".join(t for t in (line.staff.name if line else "", row.module.code if row else "") if t)


def _piis(person: Callable[[SubsidyPerson], Any] | None = None,
          staff: Callable[[SubsidyCost, CpasReport], Any] | None = None,
          expense: Callable[[ExpenseLine], Any] | None = None, unit: str = "plain") -> Figure:
    """A figure of the PIIS rows: each kind of row (person, staff cost, expense) gives it or leaves it empty."""
    def get(item: Any, report: CpasReport) -> Any:
        if isinstance(item, SubsidyPerson):
            return person(item) if person else None
        if isinstance(item, SubsidyCost):
            return staff(item, report) if staff else None
        return expense(item) if expense else None
    return Figure(PIIS_SUBSIDY, get, unit)


PIIS_FIGURES = {
    "piis.cpas": Figure(PIIS_SUBSIDY, lambda _item, r: r.name),
    "piis.file_reference": _piis(person=lambda p: p.reference),
    "piis.covered_from": _piis(person=lambda p: p.covered_from),
    "piis.covered_until": _piis(person=lambda p: p.covered_until),
    "piis.months": _piis(person=lambda p: p.months),
    "piis.cost_kind": _piis(staff=lambda _c, _r: "personnel", expense=lambda e: e.category),
    "piis.description": _piis(staff=_staff_cost_name, expense=lambda e: e.description),
    "piis.supplier": _piis(expense=lambda e: e.supplier),
    "piis.day": _piis(expense=lambda e: e.day),
    "piis.document": _piis(expense=lambda e: e.reference),
    "piis.charged": _piis(staff=lambda c, _r: c.cents, expense=lambda e: e.charged_cents, unit="cents"),
}


def _report_figures(rows: str) -> dict[str, Figure]:
    """The figures of a whole CPAS, for a "cpas" row or a "cells" sheet (`rows`)."""
    def f(get: Callable[[CpasReport], Any], unit: str = "plain") -> Figure:
        return Figure(rows, lambda _item, r: get(r), unit)
    p = "cpas." if rows == "cpas" else ""
    out = {
        p + "name": f(lambda r: r.name),
        p + "e1": f(lambda r: len(r.figures.evaluation.e1)), p + "e2": f(lambda r: len(r.figures.evaluation.e2)),
        p + "e2a": f(lambda r: len(r.figures.evaluation.e2a)), p + "e2b": f(lambda r: len(r.figures.evaluation.e2b)),
        p + "e2c": f(lambda r: len(r.figures.evaluation.e2c)), p + "e3": f(lambda r: r.figures.evaluation.e3),
        p + "e4_modules": f(lambda r: r.figures.evaluation.modules),
        p + "e4_participants": f(lambda r: r.figures.evaluation.participants),
        p + "e4_hours": f(lambda r: r.figures.evaluation.seconds, "seconds"),
    }
    for strand in ("A", "B", "C"):
        out[f"{p}personnel_{strand}"] = f(lambda r, s=strand: r.figures.strand(s).total_cents, "cents")
        out[f"{p}cap_{strand}"] = f(lambda r, s=strand: r.figures.strand(s).cap_cents, "cents")
    for answer in ANSWERS:
        out[f"{p}answer.{answer}"] = f(lambda r, a=answer: r.answers.get(a, ""))
    return out


FIGURES: dict[str, Figure] = {
    **MODULE_FIGURES, **{k: v for s in "ABC" for k, v in _staff_figures(s).items()},
    **{k: v for s in "AC" for k, v in _expense_figures(s).items()}, **PIIS_FIGURES,
    **_report_figures("cpas"), **{f"cell.{k}": v for k, v in _report_figures("cells").items()},
}


def items(rows: str, report: CpasReport) -> list[tuple[str, Any]]:
    """The rows a sheet of kind `rows` gets from one CPAS, each with a stable key (a module's, staff line's or
    expense's id) naming it in the frozen figures and the correction log."""
    if rows == "modules":
        return [(f"m{r.module.id}", r) for r in report.figures.modules]
    if rows.startswith("staff_"):
        return [(f"s{line.staff.id}", line) for line in report.figures.strand(rows[-1]).lines]
    if rows.startswith("expenses_"):
        return [(f"e{e.id}", e) for e in report.expenses if e.strand == rows[-1]]
    if rows == PIIS_SUBSIDY:  # people by the start of their months, then staff time, then expenses by date
        subsidy = report.figures.subsidy
        return [*((f"p{p.person}", p) for p in subsidy.people),
                *((f"s{c.staff}m{c.module}", c) for c in subsidy.costs),
                *((f"e{e.id}", e) for e in report.expenses if e.strand == PIIS_SUBSIDY)]
    return [(f"o{report.organisation}", report)]


def cell_value(figure: Figure, item: Any, report: CpasReport) -> Any:
    """What the cell shows: euros for cents, a fraction for basis points (the cell's format shows a %), hours for
    seconds, dates and text as they are; None stays an empty cell."""
    value = figure.get(item, report)
    if value is None or figure.unit == "plain":
        return value
    if figure.unit == "cents":
        return value / 100
    if figure.unit == "bp":
        return value / 10_000
    return round(value / 3600, 2)
