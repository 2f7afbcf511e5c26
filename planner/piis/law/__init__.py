"""The PIIS law files: `<in force from>.toml`, one per reform, read with tomllib (rules/law.py validates)."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from pathlib import Path

from planner.piis.rules.law import LawError, PiisLaw, parse_law

FOLDER = Path(__file__).resolve().parent


@cache
def all_laws() -> tuple[PiisLaw, ...]:
    """Every law file, oldest first. LawError when a file is invalid or its name is not its in_force_from."""
    laws = []
    for path in sorted(FOLDER.glob("*.toml")):
        name = f"planner/piis/law/{path.name}"
        try:
            with path.open("rb") as f:
                law = parse_law(tomllib.load(f), name)
        except tomllib.TOMLDecodeError as error:
            raise LawError(f"{name}: {error}") from error
        if path.stem != law.in_force_from.isoformat():
            raise LawError(f"{name}: in_force_from: {law.in_force_from} but the file is {path.name}")
        laws.append(law)
    return tuple(laws)


def law_on(day: dt.date) -> PiisLaw:
    """The PIIS law in force on day. LookupError before the oldest file (the app keeps no older rules)."""
    in_force = [law for law in all_laws() if law.in_force_from <= day]
    if not in_force:
        raise LookupError(f"no PIIS law file in force on {day}")
    return in_force[-1]
