"""The year's allowance caps as data (planner/volunteering/caps/<year>.toml), validated when loaded (VOL-03).

The caps are indexed every year (domain.md §2.8: "Do not hard-code them"): a new year is a new file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class CapsError(ValueError):
    """A caps file that cannot be used: "<file>: <field>: <problem>"."""


@dataclass(frozen=True)
class Caps:
    year: int
    day_cap_cents: int  # a flat-rate allowance never above this a day
    year_cap_cents: int  # all flat-rate allowances of a volunteer in the year, all organisations together
    warn_from_bp: int  # warn from this share of the year's cap


_FIELDS = ("year", "day_cap_cents", "year_cap_cents", "warn_from_bp")


def parse_caps(data: Mapping[str, Any], name: str) -> Caps:
    """Caps from a parsed TOML table; CapsError naming the file and field for anything missing, unknown, not a
    whole number, or impossible (a day cap above the year's, a warning share above 100 %)."""
    for field in sorted(set(data) - set(_FIELDS)):
        raise CapsError(f"{name}: {field}: unknown field")
    for field in _FIELDS:
        value = data.get(field)
        if value is None:
            raise CapsError(f"{name}: {field}: missing")
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise CapsError(f"{name}: {field}: not a whole number > 0")
    if data["day_cap_cents"] > data["year_cap_cents"]:
        raise CapsError(f"{name}: day_cap_cents: more than year_cap_cents")
    if data["warn_from_bp"] > 10_000:
        raise CapsError(f"{name}: warn_from_bp: more than 10000 (100 %)")
    return Caps(**{field: data[field] for field in _FIELDS})
