"""The PIIS law's figures as data (planner/piis/law/<in force from>.toml), validated when loaded.

Deadlines, cadences and the 10 % subsidy's months change with the law (the 2016 reform changed them all):
they are read from the file in force on the day a rule is applied, never written in code (domain.md §2, §7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class LawError(ValueError):
    """A law file that cannot be used: "<file>: <field>: <problem>"."""


@dataclass(frozen=True)
class TypeCode:
    """A PIIS type code of the subsidy forms (domain.md §2.5) and the days it may be used on."""
    code: int
    valid_from: dt.date
    valid_until: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class PiisLaw:
    in_force_from: dt.date
    new_if_no_ri_for_months: int  # PIIS-01
    mandatory_for: str  # "all" | "under_25" (PIIS-01, PIIS-02)
    conclude_within_months: int  # PIIS-10
    reflection_days: int  # PIIS-25
    interview_within_working_days: int  # PIIS-25
    no_new_bilan_if_job_under_months: int  # PIIS-12
    evaluations_per_year: int  # PIIS-30
    interviews_per_year: int  # PIIS-30
    subsidy_rate_bp: int  # SUB-PIIS-01
    subsidy_first_grant_months: int  # SUB-PIIS-02
    subsidy_max_months: int  # SUB-PIIS-02
    sanction_max_months: int  # PIIS-40
    sanction_repeat_max_months: int  # PIIS-41
    types: tuple[TypeCode, ...]

    def type_code(self, code: int) -> TypeCode | None:
        return next((t for t in self.types if t.code == code), None)


_INTEGERS = ("new_if_no_ri_for_months", "conclude_within_months", "reflection_days",
             "interview_within_working_days", "no_new_bilan_if_job_under_months", "evaluations_per_year",
             "interviews_per_year", "subsidy_rate_bp", "subsidy_first_grant_months", "subsidy_max_months",
             "sanction_max_months", "sanction_repeat_max_months")
_FIELDS = {"in_force_from", "mandatory_for", "types", *_INTEGERS}


def parse_law(data: Mapping[str, Any], name: str) -> PiisLaw:
    """A PiisLaw from a parsed TOML table; LawError naming the file and field for anything missing, unknown,
    of the wrong type or impossible (e.g. more interviews than evaluations)."""
    def fail(field: str, problem: str) -> LawError:
        return LawError(f"{name}: {field}: {problem}")

    unknown = set(data) - _FIELDS
    if unknown:
        raise fail(sorted(unknown)[0], "unknown field")
    for field in sorted(_FIELDS - set(data)):
        raise fail(field, "missing")
    if not isinstance(data["in_force_from"], dt.date) or isinstance(data["in_force_from"], dt.datetime):
        raise fail("in_force_from", "not a date")
    if data["mandatory_for"] not in ("all", "under_25"):
        raise fail("mandatory_for", "not 'all' or 'under_25'")
    for field in _INTEGERS:
        value = data[field]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise fail(field, "not a whole number ≥ 0")
    if data["interviews_per_year"] > data["evaluations_per_year"]:
        raise fail("interviews_per_year", "more than evaluations_per_year")
    if data["subsidy_first_grant_months"] > data["subsidy_max_months"]:
        raise fail("subsidy_first_grant_months", "more than subsidy_max_months")
    if not 0 < data["subsidy_rate_bp"] <= 10_000:
        raise fail("subsidy_rate_bp", "not a share between 0 and 10000")
    types = []
    if not isinstance(data["types"], Mapping) or not data["types"]:
        raise fail("types", "not a table of type codes")
    for code, table in data["types"].items():
        if not str(code).isdigit() or not isinstance(table, Mapping) or set(table) - {"valid_from", "valid_until"}:
            raise fail(f"types.{code}", "not a code with valid_from and an optional valid_until")
        start, end = table.get("valid_from"), table.get("valid_until")
        if not isinstance(start, dt.date) or (end is not None and (not isinstance(end, dt.date) or end < start)):
            raise fail(f"types.{code}", "valid_from missing, or valid_until before it")
        types.append(TypeCode(int(code), start, end))
    values = {field: data[field] for field in _INTEGERS}
    return PiisLaw(in_force_from=data["in_force_from"], mandatory_for=data["mandatory_for"],
                   types=tuple(sorted(types, key=lambda t: t.code)), **values)
