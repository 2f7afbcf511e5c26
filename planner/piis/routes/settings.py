"""/piis/settings: a CPAS's evaluation cadence (PIIS-31), chosen by its coordinators. Plans already made keep
theirs: the cadence plans the evaluations of the PIIS signed after the change."""

from __future__ import annotations

from litestar import get, post
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner.auth.access import COORDINATORS
from planner.auth.rules import Role
from planner.i18n import gettext as _
from planner.piis import actions, queries
from planner.piis.routes.common import CADENCE_LABELS, own_cpas
from planner.piis.rules import CADENCES
from planner.web import flash, page, redirect, text

TEMPLATE = "piis/settings.html"


@get("/piis/settings", guards=[COORDINATORS])
async def settings(request: HTMXRequest) -> Template:
    org, choices = await own_cpas(request, request.query_params.get("cpas", ""), Role.COORDINATOR)
    return page(request, TEMPLATE, {"organisation": org, "cpas": choices, "cadence": await queries.cadence(org),
                                    "labels": CADENCE_LABELS, "errors": {}}, block="cadence")


@post("/piis/settings", guards=[COORDINATORS], status_code=200)
async def save_settings(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    org, choices = await own_cpas(request, text(form, "organisation"), Role.COORDINATOR)
    cadence = text(form, "cadence")
    if cadence not in CADENCES:
        errors = {"cadence": _("Choose one of the two rhythms.")}
        return page(request, TEMPLATE, {"organisation": org, "cpas": choices, "cadence": await queries.cadence(org),
                                        "labels": CADENCE_LABELS, "errors": errors}, block="cadence", status_code=422)
    await actions.set_policy(org, cadence)
    flash(request, _("The evaluation rhythm has been saved. PIIS signed from now on follow it."))
    return redirect(request, f"/piis/settings?cpas={org}")
