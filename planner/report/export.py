"""Reads for the Rapport unique's workbook (issue 16): the CPAS's (or each cluster member's) year as
cells.CpasReport, the uploaded official table, the frozen workbook and the correction log; and `produce`, which
writes the workbook the year's map and template call for. Kept apart from queries.py (the figures' reads)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from planner.orgs.queries import organisation_choices
from planner.orgs.tables import ClusterMember, Organisation
from planner.report import queries
from planner.report.cells import ANSWERS, PIIS_SUBSIDY, CpasReport, ExpenseLine
from planner.report.colmap import official_map, own_map
from planner.report.rules import year_figures
from planner.report.tables import FrozenWorkbook, ReportCorrection, ReportTemplate
from planner.report.workbook import fill_template, flat_figures, write_own
from planner.spending.tables import Expense


async def cpas_report(organisation_id: int, name: str, year: int) -> CpasReport:
    """One CPAS's year: the figures (report.queries.year_input), its strand-A and strand-C expenses and those
    charged to the 10 % PIIS subsidy (strand cells.PIIS_SUBSIDY) with their date, supplier and reference, its
    qualitative answers."""
    data = await queries.year_input(organisation_id, year)
    figures = year_figures(data)
    listed = [e for e in data.expenses if e.strand in ("A", "C") or e.piis_subsidy_cents]
    rows = {r["id"]: r for r in await Expense.select(
        Expense.id, Expense.day, Expense.supplier, Expense.activity, Expense.invoice_reference,
        Expense.partner.name_fr).where(Expense.id.is_in([e.id for e in listed] or [0]))}
    lines = []
    for e in sorted((e for e in listed if e.id in rows), key=lambda e: (rows[e.id]["day"], e.id)):
        r = rows[e.id]
        charged = [(e.strand, e.charged_cents)] if e.strand in ("A", "C") else []
        if e.piis_subsidy_cents:
            charged.append((PIIS_SUBSIDY, e.piis_subsidy_cents))
        lines += [ExpenseLine(e.id, strand, r["day"], e.category, r["activity"],
                              r["supplier"] or r["partner.name_fr"] or "", e.cost_cents, cents, r["invoice_reference"])
                  for strand, cents in charged]
    saved = await queries.answers(organisation_id, year) or {}
    return CpasReport(organisation_id, name, figures, tuple(lines), {a: saved.get(a) or "" for a in ANSWERS})


async def reports_of(owner: dict, year: int) -> list[CpasReport]:
    """The CpasReport of a CPAS, or of each member CPAS of a cluster (by name): each CPAS its own rows."""
    if owner["kind"] == "cluster":
        members = await ClusterMember.select(ClusterMember.cpas).where(ClusterMember.cluster == owner["id"])
        cpas = await organisation_choices({m["cpas"] for m in members})
    else:
        cpas = [owner]
    return [await cpas_report(c["id"], c["name"], year) for c in cpas]


async def language_of(organisation_id: int, asked: str) -> str:
    """The workbook's language: "fr" or "nl" as asked, else Dutch for a Flemish CPAS and French otherwise."""
    if asked in ("fr", "nl"):
        return asked
    row = await Organisation.select(Organisation.region).where(Organisation.id == organisation_id).first()
    return "nl" if row and row["region"] == "flanders" else "fr"


async def template_of(organisation_id: int, year: int) -> dict | None:
    return await ReportTemplate.select(
        ReportTemplate.id, ReportTemplate.file_name, ReportTemplate.content, ReportTemplate.uploaded_at,
        ReportTemplate.uploaded_by.full_name).where(
        (ReportTemplate.organisation == organisation_id) & (ReportTemplate.year == year)).first()


async def frozen_of(organisation_id: int, year: int, content: bool = False) -> dict | None:
    columns = [FrozenWorkbook.id, FrozenWorkbook.file_name, FrozenWorkbook.frozen_at, FrozenWorkbook.sha256,
               FrozenWorkbook.frozen_by.full_name]
    if content:
        columns += [FrozenWorkbook.content, FrozenWorkbook.figures]
    return await FrozenWorkbook.select(*columns).where(
        (FrozenWorkbook.organisation == organisation_id) & (FrozenWorkbook.year == year)).first()


async def corrections(organisation_id: int, year: int) -> list[dict]:
    """The correction log of a frozen year, oldest first, values decoded."""
    rows = await ReportCorrection.select(
        ReportCorrection.figure, ReportCorrection.label, ReportCorrection.old_value, ReportCorrection.new_value,
        ReportCorrection.noticed_at, ReportCorrection.noticed_by.full_name).where(
        (ReportCorrection.organisation == organisation_id) & (ReportCorrection.year == year)
    ).order_by(ReportCorrection.id)
    return [{**r, "old": json.loads(r["old_value"]), "new": json.loads(r["new_value"])} for r in rows]


@dataclass(frozen=True)
class Produced:
    content: bytes
    figures: dict[str, list]  # workbook.flat_figures
    official: bool  # filled in the uploaded official table


async def produce(owner: dict, year: int, language: str) -> Produced:
    """The year's workbook now: a copy of the uploaded official table filled by the year's map when there is both
    (a CPAS's own; a cluster's is the own layout with each CPAS's rows), the own layout otherwise."""
    reports = await reports_of(owner, year)
    figures = flat_figures(own_map(), reports, language)
    column_map = official_map(year)
    template = await template_of(owner["id"], year) if owner["kind"] == "cpas" and column_map else None
    if template is not None:
        return Produced(fill_template(bytes(template["content"]), column_map, reports), figures, True)
    return Produced(write_own(own_map(), reports, language), figures, False)
