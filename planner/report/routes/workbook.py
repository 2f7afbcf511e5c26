"""/report/{org_id}/{year}/workbook: the Rapport unique's workbook of a CPAS, or of a cluster with each CPAS's rows
(issue 16, REP-03): download it, upload the year's official table, freeze the submitted year, download the frozen
file byte for byte, produce a new version and compare it with the frozen one (the correction log). Coordinators
and administrators of the organisation only (report.access); every export and download is in the access log."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import gettext as _
from planner.piis.actions import log_opening
from planner.orgs.queries import organisation_choices
from planner.report import export, freezing, queries
from planner.report.access import REPORT_READERS, REPORT_ROLES, get_workbook_owner
from planner.report.colmap import LANGUAGES, official_map
from planner.report.routes.common import check_year
from planner.report.workbook import XLSX_TYPE, TemplateError, check_template, compare
from planner.web import flash, page, redirect, text

TEMPLATE = "report/workbook.html"
MAX_TEMPLATE_BODY = freezing.MAX_TEMPLATE_BYTES + 64 * 1024  # refused from its Content-Length, before reading


def _year(year: int) -> int:
    return check_year(year)  # 2000 .. next year, like every page taking a year


async def _language(org_id: int, asked: str) -> str:
    """The workbook's language: one the Rapport unique has (colmap.LANGUAGES, REP-01) as asked, the CPAS's when
    none is asked; 404 for any other (a German workbook does not exist)."""
    asked = asked.strip()
    if asked and asked not in LANGUAGES:
        raise NotFoundException()
    return await export.language_of(org_id, asked)


def workbook_url(org_id: int, year: int) -> str:
    return f"/report/{org_id}/{year}/workbook"


def _download(content: bytes, name: str) -> Response:
    return Response(content, media_type=XLSX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store"})


async def _context(request: HTMXRequest, owner: dict, year: int, **extra) -> dict:
    frozen = await export.frozen_of(owner["id"], year)
    clusters = []  # the clusters of this CPAS whose workbook the person also produces
    if owner["kind"] == "cpas":
        mine = request.user.organisations(*REPORT_ROLES) & set(await queries.clusters_of(owner["id"]))
        clusters = await organisation_choices(mine) if mine else []
    return {"owner": owner, "year": year, "frozen": frozen,
            "template": await export.template_of(owner["id"], year) if owner["kind"] == "cpas" else None,
            "has_map": official_map(year) is not None, "corrections": await export.corrections(owner["id"], year),
            "base": f"/report/{owner['id']}/{year}", "clusters": clusters, "changes": None, "shown": shown, "error": "", **extra}


@get("/report/{org_id:int}/{year:int}/workbook", guards=[REPORT_READERS])
async def workbook_page(request: HTMXRequest, org_id: FromPath[int], year: FromPath[int]) -> Template:
    owner = await get_workbook_owner(request.user, org_id)
    return page(request, TEMPLATE, await _context(request, owner, _year(year)), block="workbook")


@get("/report/{org_id:int}/{year:int}/workbook.xlsx", guards=[REPORT_READERS])
async def download_workbook(request: HTMXRequest, org_id: FromPath[int], year: FromPath[int]) -> Response:
    """The year's workbook as the register holds it now (`?language=fr|nl`, else the CPAS's)."""
    owner = await get_workbook_owner(request.user, org_id)
    language = await _language(org_id, request.query_params.get("language", ""))
    produced = await export.produce(owner, _year(year), language)
    await log_opening(org_id, request.user.id, "workbook", year, None)
    return _download(produced.content, f"rapport-unique-{year}-{org_id}.xlsx")


@post("/report/{org_id:int}/{year:int}/template", guards=[REPORT_READERS], status_code=200,
      request_max_body_size=MAX_TEMPLATE_BODY)
async def upload_template(request: HTMXRequest, org_id: FromPath[int], year: FromPath[int]) -> Response | Template:
    """The official table of the year (.xlsx, judged from its content, at most MAX_TEMPLATE_BYTES), for a CPAS."""
    owner = await get_workbook_owner(request.user, org_id)
    if owner["kind"] != "cpas":
        raise NotFoundException()
    year = _year(year)
    limit = freezing.MAX_TEMPLATE_BYTES // (1024 * 1024)
    try:
        form = await request.form()
    except RequestEntityTooLarge:
        return await _refused(request, owner, year, _("The file is larger than %(limit)s MB.", limit=limit), 413)
    upload = form.get("file")
    content = await upload.read() if upload is not None and hasattr(upload, "read") else b""
    if not content:
        return await _refused(request, owner, year, _("Choose the official table's file (.xlsx)."), 422)
    if len(content) > freezing.MAX_TEMPLATE_BYTES:
        return await _refused(request, owner, year, _("The file is larger than %(limit)s MB.", limit=limit), 413)
    column_map = official_map(year)
    if column_map is None:
        return await _refused(request, owner, year, _(
            "The app does not know the layout of the official table of %(year)s yet: the workbook is written in "
            "the app's own layout.", year=year), 422)
    if not _is_xlsx(content):
        return await _refused(request, owner, year, _("This file is not an Excel workbook (.xlsx)."), 422)
    try:
        check_template(content, column_map)
    except TemplateError:
        return await _refused(request, owner, year, _(
            "This workbook is not the official table of %(year)s: a sheet the app fills is missing.", year=year), 422)
    await freezing.save_template(org_id, year, upload.filename or "", content, request.user.id)
    flash(request, _("The official table has been saved; the workbook now fills a copy of it."))
    return redirect(request, workbook_url(org_id, year))


def _is_xlsx(content: bytes) -> bool:
    """An .xlsx judged from its content: a zip holding a workbook part (not a .xlsm: no macros)."""
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        return False
    return {"[Content_Types].xml", "xl/workbook.xml"} <= names and "xl/vbaProject.bin" not in names


async def _refused(request: HTMXRequest, owner: dict, year: int, message: str, status_code: int) -> Template:
    return page(request, TEMPLATE, await _context(request, owner, year, error=message), block="workbook",
                status_code=status_code)


@post("/report/{org_id:int}/{year:int}/freeze", guards=[REPORT_READERS], status_code=200)
async def freeze_year(request: HTMXRequest, org_id: FromPath[int], year: FromPath[int]) -> Response | Template:
    """Freeze the year: the workbook produced now is stored as submitted; a frozen year stays as it is."""
    owner = await get_workbook_owner(request.user, org_id)
    year = _year(year)
    form = await request.form()
    language = await _language(org_id, text(form, "language", 20))
    produced = await export.produce(owner, year, language)
    done = await freezing.freeze(org_id, year, f"rapport-unique-{year}-{org_id}.xlsx", produced.content,
                                 produced.figures, request.user.id)
    if not done:
        return await _refused(request, owner, year, _("This year is already frozen."), 409)
    await log_opening(org_id, request.user.id, "freeze", year, None)
    flash(request, _("The year %(year)s is frozen: its workbook is kept as submitted.", year=year))
    return redirect(request, workbook_url(org_id, year))


@get("/report/{org_id:int}/{year:int}/frozen.xlsx", guards=[REPORT_READERS])
async def download_frozen(request: HTMXRequest, org_id: FromPath[int], year: FromPath[int]) -> Response:
    """The frozen workbook, byte for byte as it was submitted."""
    await get_workbook_owner(request.user, org_id)
    frozen = await export.frozen_of(org_id, _year(year), content=True)
    if frozen is None:
        raise NotFoundException()
    await log_opening(org_id, request.user.id, "frozen", year, None)
    return _download(bytes(frozen["content"]), frozen["file_name"])


@post("/report/{org_id:int}/{year:int}/compare", guards=[REPORT_READERS], status_code=200)
async def compare_with_frozen(request: HTMXRequest, org_id: FromPath[int], year: FromPath[int]) -> Template:
    """Produce a new version and show what differs from the frozen one; new differences go into the log."""
    owner = await get_workbook_owner(request.user, org_id)
    year = _year(year)
    frozen = await export.frozen_of(org_id, year, content=True)
    if frozen is None:
        raise NotFoundException()
    form = await request.form()
    language = await _language(org_id, text(form, "language", 20))
    produced = await export.produce(owner, year, language)
    changes = compare(json.loads(frozen["figures"]), produced.figures)
    await freezing.record_corrections(org_id, year, changes, request.user.id)
    await log_opening(org_id, request.user.id, "compare", year, None)
    return page(request, TEMPLATE, await _context(request, owner, year, changes=changes), block="workbook")


def shown(value) -> str:
    """A figure's value as the page shows it: numbers and dates in the reader's language (a frozen file keeps
    dates as ISO text, read back here), yes/no translated, empty as a dash."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, float)):
        return i18n.format_number(value)
    if isinstance(value, str) and len(value) == 10:
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.date):
        return i18n.format_date(value, "medium")
    return str(value)


ROUTES = [workbook_page, download_workbook, upload_template, freeze_year, download_frozen, compare_with_frozen]
