"""/volunteering: a CPAS's placements, a new placement, one placement (its allowance against the year's caps,
its hours and their history), editing and ending it (issue 17, VOL-01..05)."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import gettext as _
from planner.invites import queries as invites_queries
from planner.volunteering import actions, queries
from planner.volunteering.access import PLACEMENT_MANAGERS, get_placement_for_user
from planner.volunteering.routes.common import (
    cpas_choices, findings_by_field, form_choices, labels, own_cpas, read_placement, typed_values, values_of,
)
from planner.spending.rules import WARN as WARN_LEVEL
from planner.web import flash, form_version, page, parse_id, redirect, text

LIST, PLACEMENT = "volunteering/list.html", "volunteering/placement.html"  # a new placement: without one


def list_url(org: int) -> str:
    return "/volunteering?" + urlencode({"cpas": org})


@get("/volunteering", guards=[PLACEMENT_MANAGERS])
async def placement_list(request: HTMXRequest) -> Template:
    choices = await cpas_choices(request)
    if not choices:
        raise NotFoundException()
    cpas = request.query_params.get("cpas", "")
    org = await own_cpas(request, cpas) if cpas else choices[0]["id"]
    year = i18n.today().year
    return page(request, LIST, {"cpas": choices, "organisation": org, "year": year, "cap": queries.year_cap(year),
                                "placements": await queries.placements_of([org], year), **labels()},
                block="placements")


async def page_context(placement: dict | None, organisation: int | None = None, **extra) -> dict:
    """Everything the placement page shows (a new placement: its form only), with nothing typed wrong."""
    org = placement["organisation"] if placement else organisation
    context = {"organisation": org, "placement": placement, "errors": {}, "findings": {}, "can_go_on": False,
               "values": values_of(placement) if placement else {}, "hours_errors": {}, "hours_values": {},
               "decision_errors": {}, "decision_values": {}, "scan_error": "", **await form_choices(org),
               **labels()}
    if placement:
        year = i18n.today().year
        context.update({"year": year, "cap": queries.year_cap(year), "summary": await queries.placement_summary(
            placement["id"], year), "entries": await queries.entries_of(placement["id"]),
            "host_link": await invites_queries.host_hours_url(placement["id"]),
            "volunteer_link": await invites_queries.host_hours_url(placement["id"], kind="own_hours"),
            "scan": await queries.latest_scan(placement["id"]),
            "allowance_total_cents": queries.allowance_total(
                await queries.allowances_of_year(placement["beneficiary"], year))})
    return {**context, **extra}


async def _form(request: HTMXRequest, org: int, status_code: int = 200, placement: dict | None = None,
                **extra) -> Template:
    return page(request, PLACEMENT, await page_context(placement, org, **extra), block="placement_form",
                status_code=status_code)


@get("/volunteering/new", guards=[PLACEMENT_MANAGERS])
async def new_placement(request: HTMXRequest) -> Template:
    choices = await cpas_choices(request)
    if not choices:
        raise NotFoundException()
    cpas = request.query_params.get("cpas", "")
    org = await own_cpas(request, cpas) if cpas else choices[0]["id"]
    values = {"days_per_week": "1", "allowance_kind": "none", "host_kind": "non_profit",
              "beneficiary": str(parse_id(request.query_params.get("person")) or "")}
    return await _form(request, org, values=values)


async def _save(request: HTMXRequest, org: int, placement: dict | None) -> Response | Template:
    form = await request.form()
    errors: dict[str, str] = {}
    version = form_version(form, errors) if placement else 0
    choices = await form_choices(org)
    data = read_placement(form, errors, choices["people"], choices["hosts"],
                          beneficiary=placement["beneficiary"] if placement else None)
    findings = []
    if data is not None:
        go_on = form.get("go_on") == "1"
        if placement is None:
            saved = await actions.record_placement(org, data, request.user.id, go_on=go_on)
        else:
            saved = await actions.update_placement(org, placement["id"], version, data, request.user.id, go_on=go_on)
        if saved.id is not None:
            flash(request, _("The placement has been saved."))
            return redirect(request, f"/volunteering/{saved.id}")
        findings = list(saved.findings)
    return await _form(request, org, status_code=422, placement=placement, errors=errors,
                       findings=findings_by_field(findings), values=typed_values(form),
                       can_go_on=bool(findings) and all(f.level == WARN_LEVEL for f in findings))


@post("/volunteering/new", guards=[PLACEMENT_MANAGERS], status_code=200)
async def create_placement(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    org = await own_cpas(request, text(form, "organisation"))
    return await _save(request, org, None)


@get("/volunteering/{placement_id:int}", guards=[PLACEMENT_MANAGERS])
async def show_placement(request: HTMXRequest, placement_id: FromPath[int]) -> Template:
    placement = await get_placement_for_user(request.user, placement_id)
    return page(request, PLACEMENT, await page_context(placement))


@post("/volunteering/{placement_id:int}", guards=[PLACEMENT_MANAGERS], status_code=200)
async def edit_placement(request: HTMXRequest, placement_id: FromPath[int]) -> Response | Template:
    placement = await get_placement_for_user(request.user, placement_id)
    return await _save(request, placement["organisation"], placement)


@post("/volunteering/{placement_id:int}/end", guards=[PLACEMENT_MANAGERS], status_code=200)
async def end_placement(request: HTMXRequest, placement_id: FromPath[int]) -> Response:
    placement = await get_placement_for_user(request.user, placement_id)
    if await actions.end_placement(placement["organisation"], placement_id, i18n.today()):
        flash(request, _("The placement has ended."))
    return redirect(request, f"/volunteering/{placement_id}")
