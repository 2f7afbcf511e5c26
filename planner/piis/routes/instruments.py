"""/piis/instruments: the progress instruments a CPAS uses (§5.5). Its social workers and coordinators see
them (no narrative: names, domains, levels); its coordinators define the CPAS's own ones, with answer
scales that several instruments may share."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import get, post
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.auth.access import COORDINATORS
from planner.auth.rules import Role
from planner.i18n import N_
from planner.i18n import gettext as _
from planner.piis import queries
from planner.piis.access import FIGURE_READERS
from planner.piis.actions.instruments import create_instrument
from planner.piis.rules.instruments import (
    LANGUAGES, MAX_DOMAINS, MAX_LEVELS, MIN_LEVELS, PROGRESS_RULES, Level, Scale, custom_instrument, custom_labels,
)
from planner.piis.routes.common import cpas_choices, own_cpas, problem_text
from planner.web import flash, page, parse_id, redirect, text

TEMPLATE = "piis/instruments.html"
READERS = (Role.SOCIAL_WORKER, Role.COORDINATOR)


async def _context(request: HTMXRequest, org: int, **extra) -> dict:
    language = i18n.current_language()
    return {"cpas": await cpas_choices(request, *READERS), "organisation": org,
            "instruments": await queries.instruments_for(org, language),
            "scales": await queries.scales_for(org, language), "languages": LANGUAGES,
            "may_define": org in request.user.organisations(Role.COORDINATOR), "progress_rules": PROGRESS_RULES,
            "errors": {}, "values": {}, **extra}


@get("/piis/instruments", guards=[FIGURE_READERS])
async def instruments(request: HTMXRequest) -> Template:
    org, _choices = await own_cpas(request, request.query_params.get("cpas", ""), *READERS)
    return page(request, TEMPLATE, await _context(request, org), block="instruments")


@post("/piis/instruments", guards=[COORDINATORS], status_code=200)
async def define_instrument(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    org, _choices = await own_cpas(request, text(form, "organisation"), Role.COORDINATOR)
    values = {k: text(form, k, 20_000) for k in form.keys()}
    problems: dict = {}
    domains = custom_labels({lang: values.get(f"domains_{lang}", "") for lang in LANGUAGES}, "domains", problems,
                            0, MAX_DOMAINS)
    scale = None
    chosen = values.get("scale", "new")
    if chosen != "new":
        picked = next((s for s in await queries.scales_for(org, i18n.current_language())
                       if s["id"] == parse_id(chosen)), None)
        if picked is None:
            problems["scale"] = (N_("Choose an answer scale from the list."), {})
        else:  # its levels stay the scale's: only the bounds matter to the new instrument
            scale = Scale("", {}, tuple(Level(n, {}) for n in range(picked["low"], picked["high"] + 1)))
    new_levels = custom_labels({lang: values.get(f"levels_{lang}", "") for lang in LANGUAGES}, "levels", problems,
                               MIN_LEVELS, MAX_LEVELS) if chosen == "new" else []
    instrument = custom_instrument("", {lang: values.get(f"name_{lang}", "") for lang in LANGUAGES}, domains,
                                   scale, new_levels, "", values.get("progress_rule", ""), problems)
    if instrument is None:
        errors = {field: problem_text(p) for field, p in problems.items()}
        return page(request, TEMPLATE, await _context(request, org, errors=errors, values=values),
                    block="define", status_code=422)
    await create_instrument(org, instrument, parse_id(chosen) if chosen != "new" else None)
    flash(request, _("The instrument has been saved: social workers can use it now."))
    return redirect(request, "/piis/instruments?" + urlencode({"cpas": org}))
