"""The rule-set files: `<source>/<year>.toml`, one per funding source and year, read with tomllib.

A funding source's rules are data because they change by royal decree every year and the Fonds PAS itself
ends after 2025 (domain.md §0, §7). A new year is a new file; the code does not change.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from planner.spending.rules.ruleset import RuleSet, RuleSetError, parse_ruleset

FOLDER = Path(__file__).resolve().parent


def sources() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in FOLDER.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))))


def available(source: str) -> tuple[int, ...]:
    """The years for which source has a rule set, in order; () for an unknown source."""
    folder = FOLDER / source
    if source not in sources():
        return ()
    return tuple(sorted(int(p.stem) for p in folder.glob("*.toml") if p.stem.isdigit()))


@cache
def load_ruleset(source: str, year: int) -> RuleSet:
    """The validated rule set of source for year. Raises LookupError if there is none, RuleSetError
    ("<file>: <field>: <problem>") if the file is invalid or disagrees with its name."""
    if year not in available(source):
        raise LookupError(f"no rule set for {source!r} in {year}; available: {available(source)}")
    path = FOLDER / source / f"{year}.toml"
    name = str(path.relative_to(FOLDER.parent.parent.parent))
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as error:
        raise RuleSetError(f"{name}: {error}") from error
    ruleset = parse_ruleset(data, name)
    if ruleset.source != source:
        raise RuleSetError(f"{name}: source: {ruleset.source!r} but the file is in {source}/")
    if ruleset.year != year:
        raise RuleSetError(f"{name}: year: {ruleset.year} but the file is {year}.toml")
    return ruleset
