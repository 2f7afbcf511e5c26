"""What is behind a figure of the report (issue 16): the people counted (by id in the URL, never a name; each
opening written to the access log), and a module's sessions and hours. Costs open the spending screens."""

from __future__ import annotations

from litestar import get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from planner.auth.rules import Role
from planner.report import actions, queries
from planner.report.access import REPORT_READERS, get_cpas_for_report
from planner.report.routes.common import (
    MODULE_FIGURES, YEAR_FIGURES, check_year, figure_label, figures_of, module_people, report_url, year_people,
)
from planner.web import page, parse_id


@get("/report/{org_id:int}/{year:int}/people", guards=[REPORT_READERS])
async def people_behind(request: HTMXRequest, org_id: FromPath[int], year: FromPath[int]) -> Template:
    """?figure= one of MODULE_FIGURES with ?module=, or one of YEAR_FIGURES; without either, the year's participants
    (E4); anything else 404."""
    cpas = await get_cpas_for_report(request.user, org_id)
    figures = await figures_of(org_id, check_year(year))
    figure = request.query_params.get("figure", "") or "participants"
    module_id = parse_id(request.query_params.get("module", ""))
    row = None
    if figure == "participants" and module_id is None and "module" not in request.query_params:
        ids = tuple(sorted({p for r in figures.modules for p in r.people}))  # E4: everyone of the year
        guests = sum(r.guests for r in figures.modules)
    elif figure in MODULE_FIGURES and module_id is not None:
        row = figures.module(module_id)
        if row is None:
            raise NotFoundException()
        ids, guests = module_people(row, figure), (row.guests if figure == "participants" else 0)
    elif figure in YEAR_FIGURES and module_id is None:
        ids, guests = year_people(figures, figure), 0
    else:
        raise NotFoundException()
    await actions.log_people_list(org_id, request.user.id, module_id)
    people = await queries.people_names(org_id, list(ids))
    months = {p.person: p for p in figures.subsidy.people} if figure == "subsidy" else {}
    measured = await queries.progress_pairs(org_id, year, list(ids)) if figure.startswith("e") else {}
    return page(request, "report/people.html", {
        "cpas": cpas, "year": year, "row": row, "figure": figure, "label": figure_label(figure), "people": people,
        "guests": guests, "months": months, "measured": measured, "base": report_url(org_id, year)})


@get("/report/{org_id:int}/{year:int}/sessions", guards=[REPORT_READERS])
async def sessions_behind(request: HTMXRequest, org_id: FromPath[int], year: FromPath[int]) -> Template:
    """The held sessions of a module (?module=), or of every module, in the year with their hours (§4.1 #8–#10)."""
    cpas = await get_cpas_for_report(request.user, org_id)
    figures = await figures_of(org_id, check_year(year))
    if "module" in request.query_params:
        row = figures.module(parse_id(request.query_params.get("module", "")) or 0)
        if row is None:
            raise NotFoundException()
        rows = [row]
    else:  # every module of the year
        rows = list(figures.modules)
    # The attendance sheet is the roll takers' (attendance.access): an administrator reads the hours without it.
    sheets = org_id in request.user.organisations(Role.COORDINATOR)
    return page(request, "report/sessions.html", {"cpas": cpas, "year": year, "rows": rows, "sheets": sheets,
                                                  "base": report_url(org_id, year)})
