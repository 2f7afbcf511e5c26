"""Progress instruments and answer scales (§5.5): the built-in ones written by `migrate`, a CPAS's own ones
from its coordinators."""

from __future__ import annotations

import json
from typing import Any

from planner.db import for_update, write_transaction
from planner.piis.instruments import builtin_instruments
from planner.piis.rules.instruments import InstrumentDef, Scale
from planner.piis.tables import AnswerScale, Instrument


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def scale_columns(scale: Scale) -> dict:
    return {"code": scale.code, "names": _json(dict(scale.names)), "low": scale.low, "high": scale.high,
            "levels": _json([{"level": lv.level, "names": dict(lv.names)} for lv in scale.levels])}


def instrument_columns(instrument: InstrumentDef) -> dict:
    return {"code": instrument.code, "names": _json(dict(instrument.names)), "scale": instrument.kind,
            "low": instrument.scale.low, "high": instrument.scale.high, "progress_rule": instrument.progress_rule,
            "domains": _json([{"code": d.code, "names": dict(d.names), **({"dimension": d.dimension}
                                                                          if d.dimension else {})}
                              for d in instrument.domains]),
            "levels": "[]"}  # the levels are the answer scale's


async def sync_builtin_instruments() -> str:
    """Write the instrument files as rows every CPAS may use (organisation null), matched by code; a file
    changed since (a label, a translation) updates its row and its version. Run by `migrate`: the files are the
    truth, so a new label needs no new migration, and a migration would freeze today's files. Returns a line."""
    added = changed = 0
    async with write_transaction():
        for instrument in builtin_instruments():
            values = scale_columns(instrument.scale)
            scale = await for_update(AnswerScale.select(AnswerScale.id, AnswerScale.names, AnswerScale.levels).where(
                AnswerScale.organisation.is_null() & (AnswerScale.code == instrument.scale.code))).first()
            if scale is None:
                scale_id = (await AnswerScale.insert(AnswerScale(organisation=None, **values)).returning(
                    AnswerScale.id))[0]["id"]
            else:
                scale_id = scale["id"]
                if (scale["names"], scale["levels"]) != (values["names"], values["levels"]):
                    await AnswerScale.update({AnswerScale.names: values["names"], AnswerScale.low: values["low"],
                                              AnswerScale.high: values["high"], AnswerScale.levels: values["levels"]}
                                             ).where(AnswerScale.id == scale_id)
            columns = {**instrument_columns(instrument), "answer_scale": scale_id}
            row = await for_update(Instrument.select().where(
                Instrument.organisation.is_null() & (Instrument.code == instrument.code))).first()
            if row is None:
                await Instrument.insert(Instrument(organisation=None, version=1, **columns))
                added += 1
            elif any(row[k] != v for k, v in columns.items()):
                await Instrument.update({**{getattr(Instrument, k): v for k, v in columns.items()},
                                         Instrument.version: row["version"] + 1}).where(Instrument.id == row["id"])
                changed += 1
    return f"progress instruments: {added} added, {changed} updated"


async def create_instrument(organisation_id: int, instrument: InstrumentDef, scale_id: int | None) -> int:
    """A CPAS's own instrument with an existing answer scale (scale_id, one the CPAS may use: checked by the
    caller) or, when None, its new scale written first (then reusable by the CPAS's next instruments).
    Its code is made unique in the CPAS."""
    async with write_transaction():
        if scale_id is None:
            count = await AnswerScale.count().where(AnswerScale.organisation == organisation_id)
            values = {**scale_columns(instrument.scale), "code": f"own_scale_{count + 1}"}
            scale_id = (await AnswerScale.insert(AnswerScale(organisation=organisation_id, **values)).returning(
                AnswerScale.id))[0]["id"]
        count = await Instrument.count().where(Instrument.organisation == organisation_id)
        columns = {**instrument_columns(instrument), "code": f"own_{count + 1}", "answer_scale": scale_id}
        return (await Instrument.insert(Instrument(organisation=organisation_id, version=1, **columns)).returning(
            Instrument.id))[0]["id"]
