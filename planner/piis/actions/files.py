"""A person's PIIS file (the RI decision, an exemption), a bilan social, the CPAS's cadence, the access log."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from planner.db import for_update, write_transaction
from planner.piis.actions.common import STALE, Saved, now_utc
from planner.piis.rules import CADENCES, EXEMPTION_REASONS
from planner.piis.tables import AccessLog, BilanSocial, PiisFile, PiisPolicy


async def log_opening(organisation_id: int, user_id: int, record_kind: str, record_id: int,
                      beneficiary_id: int | None) -> None:
    """Write who opened which PIIS, bilan or measurement, now (issue 15: the administrator reads the log)."""
    async with write_transaction():
        await AccessLog.insert(AccessLog(organisation=organisation_id, user=user_id, record_kind=record_kind,
                                         record_id=record_id, beneficiary=beneficiary_id, opened_at=now_utc()))


@dataclass(frozen=True)
class FileInput:
    ri_granted_on: dt.date | None = None
    previous_ri_ended_on: dt.date | None = None
    part_time_top_up: bool = False
    exemption: str = ""  # "" | health | equity (PIIS-03)
    exemption_note: str = ""
    social_worker: int | None = None


async def save_file(organisation_id: int, beneficiary_id: int, version: int | None, data: FileInput,
                    user_id: int) -> Saved:
    """Create (version None) or change (at `version`, else STALE) the person's PIIS file. ValueError for an
    unknown exemption reason, or an exemption without its note (PIIS-03: the reason is recorded)."""
    if data.exemption and (data.exemption not in EXEMPTION_REASONS or not data.exemption_note.strip()):
        raise ValueError("an exemption needs a known reason and its note")
    values = {PiisFile.ri_granted_on: data.ri_granted_on, PiisFile.previous_ri_ended_on: data.previous_ri_ended_on,
              PiisFile.part_time_top_up: data.part_time_top_up, PiisFile.exemption: data.exemption,
              PiisFile.exemption_note: data.exemption_note, PiisFile.social_worker: data.social_worker,
              PiisFile.updated_by: user_id, PiisFile.updated_at: now_utc()}
    async with write_transaction():
        current = await for_update(PiisFile.select(PiisFile.id, PiisFile.version).where(
            PiisFile.beneficiary == beneficiary_id)).first()
        if current is None:
            if version is not None:
                return Saved(None, (STALE,))
            row = PiisFile(organisation=organisation_id, beneficiary=beneficiary_id, version=1,
                           **{c._meta.name: v for c, v in values.items()})
            return Saved((await PiisFile.insert(row).returning(PiisFile.id))[0]["id"])
        if current["version"] != version:
            return Saved(None, (STALE,))
        await PiisFile.update({**values, PiisFile.version: version + 1}).where(PiisFile.id == current["id"])
        return Saved(current["id"])


async def set_policy(organisation_id: int, cadence: str) -> None:
    """The CPAS's evaluation cadence (PIIS-31); ValueError for an unknown one. Plans made before keep theirs."""
    if cadence not in CADENCES:
        raise ValueError(f"unknown cadence {cadence!r}")
    async with write_transaction():
        where = PiisPolicy.organisation == organisation_id
        if await PiisPolicy.exists().where(where):
            await PiisPolicy.update({PiisPolicy.cadence: cadence}).where(where)
        else:
            await PiisPolicy.insert(PiisPolicy(organisation=organisation_id, cadence=cadence))


@dataclass(frozen=True)
class BilanInput:
    day: dt.date
    domains: tuple[tuple[str, str], ...] = ()  # (domain code, note)
    needs: str = ""
    obstacles: str = ""
    strengths: str = ""
    own_goals: str = ""
    investigation_reference: str = ""


async def record_bilan(organisation_id: int, beneficiary_id: int, data: BilanInput, author_id: int) -> int:
    """PIIS-11, PIIS-13: a new bilan social by its author (a later one never overwrites an earlier one)."""
    async with write_transaction():
        row = BilanSocial(organisation=organisation_id, beneficiary=beneficiary_id, day=data.day, author=author_id,
                          domains=json.dumps([{"code": c, "note": n} for c, n in data.domains], ensure_ascii=False),
                          needs=data.needs, obstacles=data.obstacles, strengths=data.strengths,
                          own_goals=data.own_goals, investigation_reference=data.investigation_reference,
                          created_at=now_utc())
        return (await BilanSocial.insert(row).returning(BilanSocial.id))[0]["id"]
