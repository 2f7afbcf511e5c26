"""Evaluation appointments moved (the later ones follow) and held (PIIS-30, -31, -34)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from planner.db import for_update, write_transaction
from planner.invites.actions import forget_feeds_of_person
from planner.piis.actions.common import STALE, Saved, now_utc
from planner.piis.rules import KINDS, Appointment, move
from planner.piis.tables import Evaluation, Piis

OBJECTIVE_STATUSES = ("reached", "on_track", "not_yet", "dropped")


async def move_evaluation(evaluation_id: int, new_day: dt.date) -> Saved:
    """The appointment moves to new_day and stays there; the later ones not yet held follow at the same
    distance, those pushed past the PIIS's end are removed (rules.move)."""
    async with write_transaction():
        row = await for_update(Evaluation.select().where(Evaluation.id == evaluation_id)).first()
        if row is None or row["held_on"] is not None:
            return Saved(None, (STALE,))
        piis = await Piis.select(Piis.ends_on).where(Piis.id == row["piis"]).first()
        open_ = await Evaluation.select().where((Evaluation.piis == row["piis"]) & Evaluation.held_on.is_null()
                                                ).order_by(Evaluation.number)
        planned = [Appointment(e["number"], e["planned_on"], e["kind"]) for e in open_]
        kept = {a.number: a.day for a in move(planned, row["number"], new_day, max(piis["ends_on"], new_day))}
        for e in open_:
            if e["number"] not in kept:
                await Evaluation.delete().where(Evaluation.id == e["id"])
            elif kept[e["number"]] != e["planned_on"]:
                # same calendar event, a later SEQUENCE: the worker's calendar moves it rather than adding one
                await Evaluation.update({Evaluation.planned_on: kept[e["number"]],
                                         Evaluation.sequence: e["sequence"] + 1}).where(Evaluation.id == e["id"])
        await forget_feeds_of_person(user=await _worker(row["piis"]))
    return Saved(evaluation_id)


async def _worker(piis_id: int) -> int | None:
    """The social worker whose calendar shows this PIIS's evaluations."""
    row = await Piis.select(Piis.social_worker).where(Piis.id == piis_id).first()
    return row["social_worker"] if row else None


@dataclass(frozen=True)
class EvaluationInput:
    held_on: dt.date
    kind: str
    done: str = ""
    agreements: str = ""
    person_words: str = ""
    objectives: tuple[tuple[int, str], ...] = ()  # (objective id, one of OBJECTIVE_STATUSES)
    heard_before_sanction: bool = False


async def record_evaluation(evaluation_id: int, version: int, data: EvaluationInput, author_id: int) -> Saved:
    """PIIS-34: what was said at the evaluation. ValueError for an unknown kind or objective status."""
    if data.kind not in KINDS or any(s not in OBJECTIVE_STATUSES for _, s in data.objectives):
        raise ValueError("kind or objective status")
    async with write_transaction():
        updated = await Evaluation.update({
            Evaluation.held_on: data.held_on, Evaluation.kind: data.kind, Evaluation.done: data.done,
            Evaluation.agreements: data.agreements, Evaluation.person_words: data.person_words,
            Evaluation.objectives: json.dumps({str(k): v for k, v in data.objectives}),
            Evaluation.heard_before_sanction: data.heard_before_sanction, Evaluation.author: author_id,
            Evaluation.version: version + 1, Evaluation.updated_at: now_utc(),
        }).where((Evaluation.id == evaluation_id) & (Evaluation.version == version)).returning(Evaluation.id)
        if updated:  # held on another day than planned: the calendar shows the day it was held
            row = await Evaluation.select(Evaluation.piis).where(Evaluation.id == evaluation_id).first()
            await forget_feeds_of_person(user=await _worker(row["piis"]))
    return Saved(evaluation_id) if updated else Saved(None, (STALE,))
