"""The report's writes (issue 16): the qualitative answers of a year, and the access log of the people lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.db import for_update, write_transaction
from planner.piis.actions import log_opening
from planner.report.rules import ANSWER_FIELDS, check_answers
from planner.report.tables import ReportAnswers

LOG_KIND = "report"  # piis AccessLog.record_kind for a people list behind a report figure (record_id: the module)


@dataclass(frozen=True)
class SavedAnswers:
    version: int | None  # the new version; None when refused
    stale: bool = False  # someone saved the answers since the form was opened
    errors: dict | None = None  # check_answers's


async def save_answers(organisation_id: int, year: int, values: dict[str, str], version: int,
                       user_id: int) -> SavedAnswers:
    """Keep the answers of the CPAS's year. `version` is the one the form was made from (0 before the first save):
    an older one is refused (stale), so two coordinators never overwrite each other unseen."""
    errors = check_answers(values)
    if errors:
        return SavedAnswers(None, errors=errors)
    now = dt.datetime.now(dt.timezone.utc)
    texts = {getattr(ReportAnswers, name): values.get(name, "") for name in ANSWER_FIELDS}
    async with write_transaction():
        current = await for_update(ReportAnswers.select(ReportAnswers.id, ReportAnswers.version).where(
            (ReportAnswers.organisation == organisation_id) & (ReportAnswers.year == year))).first()
        if (current["version"] if current else 0) != version:
            return SavedAnswers(None, stale=True)
        if current is None:
            await ReportAnswers.insert(ReportAnswers(organisation=organisation_id, year=year, version=1,
                                                     updated_by=user_id, updated_at=now,
                                                     **{name: values.get(name, "") for name in ANSWER_FIELDS}))
            return SavedAnswers(1)
        await ReportAnswers.update({**texts, ReportAnswers.version: version + 1, ReportAnswers.updated_by: user_id,
                                    ReportAnswers.updated_at: now}).where(ReportAnswers.id == current["id"])
        return SavedAnswers(version + 1)


async def log_people_list(organisation_id: int, user_id: int, module_id: int | None) -> None:
    """Who opened the people behind a figure (issue 16: each view of people's lists is logged; the CPAS's
    administrator reads it with the PIIS access log). module_id 0: the year's evaluation or PIIS subsidy list."""
    await log_opening(organisation_id, user_id, LOG_KIND, module_id or 0, None)
