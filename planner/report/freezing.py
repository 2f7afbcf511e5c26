"""Writes of the Rapport unique's workbook (issue 16): the uploaded official table, freezing a submitted year and
its correction log. Each in one db.write_transaction(). Kept apart from actions.py (the figures' answers).

The correction log is computed, not recorded on change: the figures come from six areas' data (attendance,
enrolment, spending, PIIS…), whose actions know nothing of the report; comparing the frozen figures with the
current ones whenever a new version is produced sees every change, whichever action made it, without a hook in
each. `noticed_by`/`noticed_at` are who produced that version and when."""

from __future__ import annotations

import hashlib
import json

from planner.db import for_update, write_transaction
from planner.files import upload_name
from planner.orgs.tables import Organisation
from planner.report.tables import FrozenWorkbook, ReportCorrection, ReportTemplate
from planner.report.workbook import XLSX_TYPE, Change
from planner.i18n import now_utc as _now

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024  # an official table is a few hundred kB


async def save_template(organisation_id: int, year: int, file_name: str, content: bytes, user_id: int) -> None:
    """Store the official table (checked by the route: .xlsx from its content, the year's sheets), replacing any
    earlier one of the organisation's year."""
    async with write_transaction():
        await ReportTemplate.delete().where(
            (ReportTemplate.organisation == organisation_id) & (ReportTemplate.year == year))
        await ReportTemplate.insert(ReportTemplate(
            organisation=organisation_id, year=year, content=content,
            file_name=upload_name(file_name, XLSX_TYPE, f"official-table-{year}", 200),  # as the page names it
            sha256=hashlib.sha256(content).hexdigest(), uploaded_by=user_id, uploaded_at=_now()))


async def freeze(organisation_id: int, year: int, file_name: str, content: bytes, figures: dict[str, list],
                 user_id: int) -> bool:
    """Store the submitted workbook byte for byte with its figures; False (nothing written) when the year is
    already frozen: a frozen file never changes."""
    async with write_transaction():
        await _lock(organisation_id)
        existing = await FrozenWorkbook.select(FrozenWorkbook.id).where(
            (FrozenWorkbook.organisation == organisation_id) & (FrozenWorkbook.year == year))
        if existing:
            return False
        await FrozenWorkbook.insert(FrozenWorkbook(
            organisation=organisation_id, year=year, file_name=file_name, content=content,
            sha256=hashlib.sha256(content).hexdigest(), figures=json.dumps(figures), frozen_by=user_id,
            frozen_at=_now()))
    return True


async def record_corrections(organisation_id: int, year: int, changes: list[Change], user_id: int) -> int:
    """Log each change (frozen -> current, workbook.compare) unless the figure's latest logged value is already
    the new one, and each logged figure that is back to its frozen value; returns how many were logged."""
    async with write_transaction():
        await _lock(organisation_id)
        frozen = await FrozenWorkbook.select(FrozenWorkbook.figures).where(
            (FrozenWorkbook.organisation == organisation_id) & (FrozenWorkbook.year == year)).first()
        if frozen is None:
            return 0
        at_freeze = json.loads(frozen["figures"])
        rows = await ReportCorrection.select(ReportCorrection.figure, ReportCorrection.new_value).where(
            (ReportCorrection.organisation == organisation_id) & (ReportCorrection.year == year)
        ).order_by(ReportCorrection.id)
        latest = {r["figure"]: r["new_value"] for r in rows}  # the last row of each figure wins
        now = _now()

        def row(key: str, label: str, old: str, new: str) -> ReportCorrection:
            return ReportCorrection(organisation=organisation_id, year=year, figure=key[:200], label=label,
                                    old_value=old, new_value=new, noticed_by=user_id, noticed_at=now)
        logged = [row(c.key, c.label, latest.get(c.key, json.dumps(c.old)), json.dumps(c.new))
                  for c in changes if latest.get(c.key) != json.dumps(c.new)]
        changed = {c.key for c in changes}
        for key, value in latest.items():
            label, frozen_value = at_freeze.get(key, [key, None])
            if key not in changed and value != json.dumps(frozen_value):
                logged.append(row(key, label, value, json.dumps(frozen_value)))
        if logged:
            await ReportCorrection.insert(*logged)
    return len(logged)


async def _lock(organisation_id: int) -> None:
    """One workbook write per organisation at a time (PostgreSQL; SQLite's writer lock already serialises)."""
    await for_update(Organisation.select(Organisation.id).where(Organisation.id == organisation_id))
