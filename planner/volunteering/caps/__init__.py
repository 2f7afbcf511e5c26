"""The allowance caps files: `<year>.toml`, one per year, read with tomllib (rules/caps.py validates)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from planner.volunteering.rules.caps import Caps, CapsError, parse_caps

FOLDER = Path(__file__).resolve().parent


def years() -> tuple[int, ...]:
    return tuple(sorted(int(p.stem) for p in FOLDER.glob("*.toml") if p.stem.isdigit()))


@cache
def caps_of(year: int) -> Caps:
    """The validated caps of year. LookupError when no file gives them (the screens say so), CapsError when the
    file is invalid or names another year."""
    if year not in years():
        raise LookupError(f"no volunteer allowance caps for {year}; known: {years()}")
    name = f"planner/volunteering/caps/{year}.toml"
    try:
        with (FOLDER / f"{year}.toml").open("rb") as f:
            caps = parse_caps(tomllib.load(f), name)
    except tomllib.TOMLDecodeError as error:
        raise CapsError(f"{name}: {error}") from error
    if caps.year != year:
        raise CapsError(f"{name}: year: {caps.year} but the file is {year}.toml")
    return caps
