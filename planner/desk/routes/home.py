"""/: where each person lands. Coordinators get their desk (everything that waits for them, issue 18);
facilitators land on Today, social workers on their people; anyone else on the home page's tiles."""

from __future__ import annotations

from litestar import get
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from planner.auth.access import SIGNED_IN
from planner.auth.rules import Role
from planner.desk.queries import desk_items
from planner.i18n import wall_clock_now
from planner.orgs.queries import organisation_choices
from planner.web import page


@get("/", guards=[SIGNED_IN])
async def home(request: HTMXRequest) -> Template | Redirect:
    user = request.user
    if not user.has_role(Role.COORDINATOR):
        if user.has_role(Role.SOCIAL_WORKER):
            return Redirect("/people", status_code=303)
        if user.has_role(Role.FACILITATOR, Role.PARTNER_FACILITATOR):
            return Redirect("/today", status_code=303)
        return page(request, "home.html", {"items": None})
    names = {c["id"]: c["name"] for c in await organisation_choices(user.organisations())}
    return page(request, "home.html", {"items": await desk_items(user, wall_clock_now(), names)})
