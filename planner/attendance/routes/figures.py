"""The attendance figures of a module, per participant, and the rolls still to record."""

from __future__ import annotations

from litestar import get
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from planner.attendance import queries
from planner.i18n import wall_clock_now
from planner.modules.access import VIEWERS, can_manage, get_module_for_user, is_facilitator
from planner.people.access import file_organisations
from planner.web import page



@get("/modules/{module_id:int}/attendance", guards=[VIEWERS])
async def attendance_figures(request: HTMXRequest, module_id: FromPath[int]) -> Template:
    """Per person: expected sessions (held, started, while enrolled), each mark, not recorded, hours, rate over the
    recorded sessions; and the sessions whose roll still waits for a mark, to chase."""
    module = await get_module_for_user(request.user, module_id)
    sees_everyone = can_manage(request.user, module) or await is_facilitator(request.user, module_id)
    organisations = None if sees_everyone else set(file_organisations(request.user))
    figures = await queries.module_attendance(module_id, organisations, wall_clock_now())
    return page(request, "attendance/figures.html", {
        **figures, "module": module,
        "can_take_roll": sees_everyone})  # the roll opens to whoever leads or coordinates the module
