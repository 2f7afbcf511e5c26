"""/spending/modules/{id}, a module's costs screen (issue 14, COST-06, CLUSTER-SPLIT): its expenses and staff time
of a year, the chargeable share from the register, a cluster CPAS's part, cost per participant and per attended
hour; the organising CPAS's coordinators record the cluster's fixed key here. The module page loads its `costs`
block as an htmx fragment."""

from __future__ import annotations

from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import gettext as _
from planner.money import AmountError, parse_cents
from planner.spending import actions, queries
from planner.spending.access import SPENDING_MANAGERS, get_module_for_spending
from planner.spending.routes.common import finding_message, parse_year, url_year
from planner.web import flash, page, redirect, text

TEMPLATE = "spending/module_costs.html"


def costs_url(module_id: int, year: int) -> str:
    return f"/spending/modules/{module_id}?year={year}"


async def _year(module_id: int, typed: str) -> int:
    """The year asked for; without one, the year of the module's last session (or this year): a module running
    now shows this year, and links the other years with costs (a demo's SPORT: its costs of last year)."""
    if typed.strip():
        return url_year(typed)
    return await queries.last_session_year(module_id) or i18n.today().year


async def _context(module: dict, viewer: int, year: int, **extra) -> dict:
    cost_years = await queries.module_cost_years(module) if viewer == module["organisation"] else []
    return {"module": module, "organisation": viewer, "year": year, **await queries.module_costs(module, viewer, year),
            "other_years": [y for y in cost_years if y != year],
            "finding_message": finding_message, "errors": {}, "values": {}, **extra}


@get("/spending/modules/{module_id:int}", guards=[SPENDING_MANAGERS])
async def module_costs(request: HTMXRequest, module_id: FromPath[int]) -> Template:
    module, viewer = await get_module_for_spending(request.user, module_id)
    year = await _year(module_id, request.query_params.get("year", ""))
    return page(request, TEMPLATE, await _context(module, viewer, year), block="costs")


@post("/spending/modules/{module_id:int}/key", guards=[SPENDING_MANAGERS], status_code=200)
async def set_cluster_key(request: HTMXRequest, module_id: FromPath[int]) -> Response | Template:
    module, viewer = await get_module_for_spending(request.user, module_id)
    if module["cluster"] is None or viewer != module["organisation"]:
        raise NotFoundException()  # only the organising CPAS records the key of a shared module
    form = await request.form()
    year = parse_year(text(form, "year"))
    context = await _context(module, viewer, year)
    typed = {str(m["id"]): str(form.get(f"key_{m['id']}", "") or "").replace("\x00", "").strip()[:100]
             for m in context["split"]}
    errors: dict[str, str] = {}
    keys: dict[int, int] = {}
    for cpas, value in typed.items():
        if not value:
            continue
        try:
            keys[int(cpas)] = parse_cents(value.removesuffix("%").strip(), i18n.current_language())  # 2 decimals: bp
        except AmountError as error:
            errors[f"key_{cpas}"] = _(error.message, **error.variables)
    if not errors and keys and len(keys) < len(typed):
        errors["key"] = _("Give every CPAS of the cluster its share, or leave them all empty to split by attendance.")
    if not errors:
        saved = await actions.set_cluster_key(module_id, keys, request.user.id)
        if saved.id is None:
            errors["key"] = " ".join(finding_message(f) for f in saved.findings)
    if errors:
        values = {f"key_{cpas}": value for cpas, value in typed.items()}
        return page(request, TEMPLATE, {**context, "errors": errors, "values": values}, block="key", status_code=422)
    flash(request, _("The split key has been saved.") if keys else _("The cost is split by attendance again."))
    return redirect(request, costs_url(module_id, year))
