"""The built-in progress instruments (domain.md §5): one `<code>.toml` each, read with tomllib and validated
(rules/instruments.py) when loaded. `migrate` writes them as Instrument rows every CPAS may use
(actions.sync_builtin_instruments)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from planner.piis.rules.instruments import InstrumentDef, InstrumentError, parse_instrument

FOLDER = Path(__file__).resolve().parent


@cache
def builtin_instruments() -> tuple[InstrumentDef, ...]:
    """Every instrument file, by file name. InstrumentError when one is invalid, its name is not its code, or
    two files define one answer scale differently (a scale shared by instruments is written once)."""
    found = []
    scales = {}
    for path in sorted(FOLDER.glob("*.toml")):
        name = f"planner/piis/instruments/{path.name}"
        try:
            with path.open("rb") as f:
                instrument = parse_instrument(tomllib.load(f), name)
        except tomllib.TOMLDecodeError as error:
            raise InstrumentError(f"{name}: {error}") from error
        if path.stem != instrument.code:
            raise InstrumentError(f"{name}: code: {instrument.code} but the file is {path.name}")
        if scales.setdefault(instrument.scale.code, instrument.scale) != instrument.scale:
            raise InstrumentError(f"{name}: answer_scale: {instrument.scale.code} is defined otherwise elsewhere")
        found.append(instrument)
    return tuple(found)
