"""Hours on the placement page (issue 17): the CPAS approves or declines an entry with a reason, or records
hours itself. The host records through its secret link (routes/host.py)."""

from __future__ import annotations

from litestar import post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner.i18n import gettext as _
from planner.volunteering import actions
from planner.volunteering.access import PLACEMENT_MANAGERS, get_entry_for_user, get_placement_for_user
from planner.volunteering.routes.common import record_typed_hours
from planner.volunteering.routes.placements import PLACEMENT, page_context
from planner.volunteering.rules import APPROVED, DECLINED
from planner.web import flash, form_version, page, redirect, text


async def _page_again(request: HTMXRequest, placement: dict, **extra) -> Template:
    return page(request, PLACEMENT, await page_context(placement, **extra), block="hours", status_code=422)


@post("/volunteering/hours/{entry_id:int}", guards=[PLACEMENT_MANAGERS], status_code=200)
async def decide_hours(request: HTMXRequest, entry_id: FromPath[int]) -> Response | Template:
    entry, placement = await get_entry_for_user(request.user, entry_id)
    form = await request.form()
    errors: dict[str, str] = {}
    version = form_version(form, errors)
    state = text(form, "state")
    if state not in (APPROVED, DECLINED):
        errors["state"] = _("Choose approve or decline.")
    if not errors:
        problems = await actions.decide_hours(entry_id, version, state, text(form, "reason", 2000), request.user.id)
        errors = {field: _(message) for field, message in problems.items()}
    if errors:
        return await _page_again(request, placement, decision_errors={entry_id: errors},
                                 decision_values={entry_id: {"reason": text(form, "reason", 2000)}})
    flash(request, _("The hours have been approved.") if state == APPROVED else _("The hours have been declined."))
    return redirect(request, f"/volunteering/{placement['id']}")  # no #fragment: htmx would only scroll


@post("/volunteering/{placement_id:int}/hours", guards=[PLACEMENT_MANAGERS], status_code=200)
async def record_hours(request: HTMXRequest, placement_id: FromPath[int]) -> Response | Template:
    placement = await get_placement_for_user(request.user, placement_id)
    form = await request.form()
    errors = await record_typed_hours(form, placement_id, "cpas", request.user.id, 2000)
    if errors:
        return await _page_again(request, placement, hours_errors=errors,
                                 hours_values={name: text(form, name, 2000) for name in ("day", "time", "note")})
    flash(request, _("The hours have been recorded."))
    return redirect(request, f"/volunteering/{placement_id}")
