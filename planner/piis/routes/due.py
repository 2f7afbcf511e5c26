"""/piis/due: what a social worker has to do next (late and coming evaluations, PIIS ending, files silent for
too long, people who need a PIIS); /piis/due/counts: the same for a whole CPAS as numbers only."""

from __future__ import annotations

from litestar import get
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from planner import i18n
from planner.auth.rules import Role
from planner.piis import queries
from planner.piis.access import FIGURE_READERS, SOCIAL_WORKERS, worker_organisations
from planner.piis.routes.common import KIND_LABELS, own_cpas
from planner.web import page


SHOWN = 50  # items shown per group before "Show all": a whole CPAS has thousands, nobody reads past the first


@get("/piis/due", guards=[SOCIAL_WORKERS])
async def due_list(request: HTMXRequest) -> Template:
    everyone = request.query_params.get("who", "") == "all"
    groups = await queries.due_items(worker_organisations(request.user), None if everyone else request.user.id,
                                     i18n.today())
    whole = request.query_params.get("show", "")
    shown = {g: len(items) if g == whole else SHOWN for g, items in groups.items()}
    return page(request, "piis/due.html", {"groups": groups, "shown": shown, "everyone": everyone,
                                           "kind_labels": KIND_LABELS, "empty": not any(groups.values())},
                block="due")


@get("/piis/due/counts", guards=[FIGURE_READERS])
async def due_counts(request: HTMXRequest) -> Template:
    org, choices = await own_cpas(request, request.query_params.get("cpas", ""), Role.SOCIAL_WORKER,
                                  Role.COORDINATOR)
    counts = await queries.due_counts(org, i18n.today())
    return page(request, "piis/due_counts.html", {"counts": counts, "organisation": org, "cpas": choices},
                block="counts")
