"""/desk/<kind>: the items behind one of the desk's counts, for the kinds no other screen lists as such
(proposals of every module, this week's sessions with a problem, waitlists with a place free, invoices
without a scan). Each row links to the screen where it is dealt with. Coordinators only; every list is
scoped by the owning area's access rule, so another CPAS's items never appear (its id is no path part)."""

from __future__ import annotations

from litestar import get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from planner.auth.access import COORDINATORS
from planner.desk.queries import week_of
from planner.enrolment import queries as enrolment
from planner.i18n import today
from planner.modules import queries as modules
from planner.modules.access import managed_module_ids
from planner.spending import queries as spending
from planner.spending.access import spending_organisations
from planner.web import page

KINDS = ("proposals", "sessions", "waitlists", "invoices")


async def _rows(request: HTMXRequest, kind: str) -> list[dict]:
    if kind == "invoices":
        return await spending.expenses_without_scan(spending_organisations(request.user))
    managed = await managed_module_ids(request.user)
    if kind == "proposals":
        return await enrolment.proposals_of(managed)
    if kind == "sessions":
        return await modules.week_problems(managed, *week_of(today()))
    return await enrolment.free_places_with_waitlist(managed)


@get("/desk/{kind:str}", guards=[COORDINATORS])
async def desk_list(request: HTMXRequest, kind: FromPath[str]) -> Template:
    if kind not in KINDS:
        raise NotFoundException()
    return page(request, "desk/list.html", {"kind": kind, "rows": await _rows(request, kind)})
