"""/report/{org_id}/{year}: the year's figures as the workbook will hold them (issue 16; domain.md §4.1 modules,
§4.2 personnel per strand, §4.3 E1–E4, §2.7 the PIIS 10 % justification), the cross-checks first, every figure a
link to what is behind it; and the form's qualitative answers, kept per CPAS and year."""

from __future__ import annotations

from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import gettext as _
from planner.report import actions, queries
from planner.report.access import REPORT_READERS, get_cpas_for_report, report_cpas_choices
from planner.report.rules import AGE_BANDS, ANSWER_FIELDS, GENDERS, cross_checks
from planner.report.routes.common import (
    MODULE_FIGURES, YEAR_FIGURES, check_year, figure_label, figures_of, finding_message, report_url,
)
from planner.web import MAX_ID, year_in_url, flash, form_int, page, parse_id, redirect

TEMPLATE = "report/year.html"


@get("/report", guards=[REPORT_READERS])
async def report_start(request: HTMXRequest) -> Response:
    """The year picker's target, and the menu's link: the CPAS's report for the year asked for (last year by
    default: the report is written in the following months)."""
    choices = await report_cpas_choices(request.user)
    if not choices:
        raise NotFoundException()
    asked = parse_id(request.query_params.get("cpas", ""))
    org = asked if asked in {c["id"] for c in choices} else choices[0]["id"]
    year = year_in_url(request.query_params.get("year", ""), i18n.today().year - 1)
    return redirect(request, report_url(org, year))


async def context(request: HTMXRequest, cpas: dict, year: int, **extra) -> dict:
    figures = await figures_of(cpas["id"], year)
    findings = cross_checks(figures)
    saved = await queries.answers(cpas["id"], year)
    values = {name: (saved or {}).get(name, "") for name in ANSWER_FIELDS}
    return {"cpas": cpas, "choices": await report_cpas_choices(request.user), "year": year, "figures": figures,
            "findings": findings, "finding_message": finding_message, "genders": GENDERS, "age_bands": AGE_BANDS,
            "figure_label": figure_label, "module_figures": MODULE_FIGURES, "year_figures": YEAR_FIGURES,
            "values": values, "version": saved["version"] if saved else 0, "errors": {},
            "updated_at": saved["updated_at"] if saved else None, "base": report_url(cpas["id"], year),
            "saved_now": False, **extra}


@get("/report/{org_id:int}/{year:int}", guards=[REPORT_READERS])
async def report_year(request: HTMXRequest, org_id: FromPath[int], year: FromPath[int]) -> Template:
    cpas = await get_cpas_for_report(request.user, org_id)
    return page(request, TEMPLATE, await context(request, cpas, check_year(year)), block="report")


@post("/report/{org_id:int}/{year:int}/answers", guards=[REPORT_READERS], status_code=200)
async def save_answers(request: HTMXRequest, org_id: FromPath[int], year: FromPath[int]) -> Response | Template:
    cpas = await get_cpas_for_report(request.user, org_id)
    check_year(year)
    form = await request.form()
    errors: dict[str, str] = {}
    # 0: nothing saved yet for this year (web.form_version starts at 1)
    version = form_int(form, "version", 0, MAX_ID, errors, required=True, key="form", message=_(
        "This form could not be read completely. Check it and save again.")) or 0
    values = {name: str(form.get(name, "") or "").replace("\x00", "").replace("\r\n", "\n").strip()[:20_000]
              for name in ANSWER_FIELDS}
    status = 422
    if not errors:
        saved = await actions.save_answers(org_id, year, values, version, request.user.id)
        if saved.errors:
            errors = {name: _(message, **{k: i18n.format_number(v) for k, v in figures.items()})
                      for name, (message, figures) in saved.errors.items()}
        elif saved.stale:
            errors["form"] = _("Someone saved these answers after you opened the page. Copy your text, reload "
                               "the page and try again.")
            status = 409
        elif request.htmx:  # the answers block comes back with its notice (a redirect to "#answers" of the same
            # page would only move the browser to the anchor: nothing would show that they were saved)
            return page(request, TEMPLATE, await context(request, cpas, year, saved_now=True), block="answers")
        else:
            flash(request, _("The answers have been saved."))
            return redirect(request, report_url(org_id, year) + "#answers")
    ctx = await context(request, cpas, year, errors=errors)
    ctx["values"] = values
    ctx["version"] = version
    return page(request, TEMPLATE, ctx, block="answers", status_code=status)
