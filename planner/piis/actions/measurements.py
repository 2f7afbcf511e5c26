"""A measurement with a progress instrument (§5.5), and the outcome of a trajectory when its PIIS ends (§4.3)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Mapping

from planner.db import for_update, write_transaction
from planner.piis.actions.common import STALE, Saved, now_utc
from planner.piis.rules import CONTEXTS, check_scores
from planner.piis.rules.measures import check_outcome
from planner.piis.tables import Evaluation, Instrument, Measurement, Outcome, Piis


async def record_measurement(organisation_id: int, beneficiary_id: int, instrument_id: int, day: dt.date,
                             context: str, scores: Mapping[str, int], user_id: int) -> int:
    """One level per domain of the instrument (rules.check_scores). ValueError for an instrument the CPAS may
    not use, an unknown context or scores that do not fit: the route has checked them, this is the last word."""
    async with write_transaction():
        instrument = await Instrument.select().where(Instrument.id == instrument_id).first()
        if instrument is None or instrument["organisation"] not in (None, organisation_id):
            raise ValueError("not an instrument of this CPAS")
        domains = tuple(d["code"] for d in json.loads(instrument["domains"])) or ("",)
        if context not in CONTEXTS or check_scores(dict(scores), domains, instrument["low"], instrument["high"]):
            raise ValueError("context or scores")
        running = await Piis.select(Piis.id).where((Piis.beneficiary == beneficiary_id) & (Piis.status == "signed")
                                                   ).order_by(Piis.id, ascending=False).first()
        row = Measurement(organisation=organisation_id, beneficiary=beneficiary_id, instrument=instrument_id,
                          measured_on=day, context=context, scores=json.dumps(dict(scores), sort_keys=True),
                          piis=running and running["id"], measured_by=user_id, created_at=now_utc())
        return (await Measurement.insert(row).returning(Measurement.id))[0]["id"]


async def end_piis(piis_id: int, version: int, ended_on: dt.date, flags: Collection[str], primary: str,
                   user_id: int) -> Saved:
    """§4.3 E2: a signed PIIS ends on `ended_on` with its outcomes (non-exclusive flags and a primary one, or
    none); its status becomes "ended", its appointments after that day go. STALE when it changed meanwhile or
    is not running; ValueError for outcomes rules.check_outcome refuses (the route shows them first)."""
    async with write_transaction():
        piis = await for_update(Piis.select(Piis.version, Piis.status, Piis.starts_on).where(Piis.id == piis_id)
                                ).first()
        if piis is None or piis["version"] != version or piis["status"] != "signed":
            return Saved(None, (STALE,))
        if check_outcome(flags, primary, ended_on, piis["starts_on"]):
            raise ValueError("outcome")
        # ends_on stays the agreed end (part of the signed content); the real one is the outcome's
        await Piis.update({Piis.status: "ended", Piis.version: version + 1, Piis.updated_at: now_utc()}).where(
            Piis.id == piis_id)
        # appointments after the end will not be held: they would show as late on the due list
        await Evaluation.delete().where((Evaluation.piis == piis_id) & Evaluation.held_on.is_null()
                                        & (Evaluation.planned_on > ended_on))
        await Outcome.insert(Outcome(piis=piis_id, ended_on=ended_on, flags=",".join(sorted(flags)),
                                     primary=primary, recorded_by=user_id))
    return Saved(piis_id)
