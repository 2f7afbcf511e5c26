"""POST /volunteering/<id>/shifts: the placement's shifts planned as its own module (actions/shifts.py), then
the modules' schedule screen (recurring or single shifts, holidays skipped). Social workers and coordinators
of the placement's CPAS make it; planning the shifts is the modules' screen (its coordinators)."""

from __future__ import annotations

from litestar import post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response

from planner.volunteering import actions
from planner.volunteering.access import PLACEMENT_MANAGERS, get_placement_for_user
from planner.web import redirect


@post("/volunteering/{placement_id:int}/shifts", guards=[PLACEMENT_MANAGERS], status_code=200)
async def plan_shifts(request: HTMXRequest, placement_id: FromPath[int]) -> Response:
    placement = await get_placement_for_user(request.user, placement_id)
    module_id = await actions.plan_shifts(placement["organisation"], placement_id, request.user.id)
    return redirect(request, f"/modules/{module_id}#schedule")
