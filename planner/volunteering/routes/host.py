"""The placement's secret hours links (issue 17): no account, first names only, revocable. Each is one of
invites' secret links (tokens.py): kind "host_hours" for the host's contact, "own_hours" for the volunteer, who
may declare hours too; a revoked one answers 410 with a plain page.

- POST /volunteering/<id>/link[/revoke], /volunteering/<id>/volunteer-link[/revoke]: the placement's managers
  (social workers and coordinators of its CPAS) issue and stop them;
- GET/POST /host/<token>, /my-hours/<token>: whoever holds the link (public, like /cant-come/<token>) sees the
  volunteer's first name and the recorded hours, and records hours for a day (pending until the CPAS approves
  them, marked as the host's or the volunteer's). The page speaks the visitor's language (the switcher of every
  page; a Dutch phone gets Dutch)."""

from __future__ import annotations

from litestar import get, post
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import gettext as _
from planner.invites import actions as invites
from planner.invites import queries as invites_queries
from planner.volunteering import queries
from planner.volunteering.access import PLACEMENT_MANAGERS, get_placement_for_user
from planner.volunteering.routes.common import labels, record_typed_hours
from planner.web import flash, page, redirect, text

PUBLIC = {"exclude_from_auth": True, "opt": {"public": True}}
TEMPLATE = "volunteering/host.html"
HOST, VOLUNTEER = "host_hours", "own_hours"  # link kinds
RECORDER = {HOST: "host", VOLUNTEER: "volunteer"}  # rules.RECORDERS
PATH = {HOST: "/host", VOLUNTEER: "/my-hours"}


async def _issue(request: HTMXRequest, placement_id: int, kind: str) -> Response:
    placement = await get_placement_for_user(request.user, placement_id)
    await invites.host_hours_link(placement_id, placement["organisation"], request.app.state.settings, kind)
    flash(request, _("The host's link is ready: give it to the host's contact.") if kind == HOST
          else _("The volunteer's link is ready: give it to the volunteer."))
    return redirect(request, f"/volunteering/{placement_id}#hours-links")


async def _revoke(request: HTMXRequest, placement_id: int, kind: str) -> Response:
    await get_placement_for_user(request.user, placement_id)
    if await invites.revoke_host_hours(placement_id, kind):
        flash(request, _("The host's link has been stopped.") if kind == HOST
              else _("The volunteer's link has been stopped."))
    return redirect(request, f"/volunteering/{placement_id}#hours-links")


@post("/volunteering/{placement_id:int}/link", guards=[PLACEMENT_MANAGERS], status_code=200)
async def issue_link(request: HTMXRequest, placement_id: FromPath[int]) -> Response:
    return await _issue(request, placement_id, HOST)


@post("/volunteering/{placement_id:int}/link/revoke", guards=[PLACEMENT_MANAGERS], status_code=200)
async def revoke_link(request: HTMXRequest, placement_id: FromPath[int]) -> Response:
    return await _revoke(request, placement_id, HOST)


@post("/volunteering/{placement_id:int}/volunteer-link", guards=[PLACEMENT_MANAGERS], status_code=200)
async def issue_volunteer_link(request: HTMXRequest, placement_id: FromPath[int]) -> Response:
    return await _issue(request, placement_id, VOLUNTEER)


@post("/volunteering/{placement_id:int}/volunteer-link/revoke", guards=[PLACEMENT_MANAGERS], status_code=200)
async def revoke_volunteer_link(request: HTMXRequest, placement_id: FromPath[int]) -> Response:
    return await _revoke(request, placement_id, VOLUNTEER)


async def _found(kind: str, token: str) -> dict:
    link = await invites_queries.link_for_token(kind, token)
    found = await queries.host_page(link["placement"], link["organisation"], i18n.today()) if link and link["placement"] else None
    if found is None:
        if await invites_queries.revoked(kind, token):
            raise HTTPException(status_code=410, detail="Gone")
        raise NotFoundException()
    return found


async def _show(request: HTMXRequest, kind: str, token: str) -> Template:
    found = await _found(kind, token)
    return page(request, TEMPLATE, {"found": found, "token": token, "who": RECORDER[kind], "action": PATH[kind],
                                    "errors": {}, "values": {"day": i18n.today().isoformat()}, "message": "",
                                    **labels()})


async def _record(request: HTMXRequest, kind: str, token: str) -> Template:
    found = await _found(kind, token)
    form = await request.form()
    errors = await record_typed_hours(form, found["id"], RECORDER[kind], None, 500)
    values = {name: text(form, name, 500) for name in ("day", "time", "note")}
    message = ""
    if not errors:
        message = _("Thank you. The hours are recorded; the CPAS will approve them.")
        values = {"day": values["day"]}
    return page(request, TEMPLATE, {"found": await _found(kind, token), "token": token, "who": RECORDER[kind],
                                    "action": PATH[kind], "errors": errors, "values": values, "message": message,
                                    **labels()}, block="record", status_code=422 if errors else 200)


@get("/host/{token:str}", **PUBLIC)
async def host_hours(request: HTMXRequest, token: FromPath[str]) -> Template:
    return await _show(request, HOST, token)


@post("/host/{token:str}", status_code=200, **PUBLIC)
async def host_record_hours(request: HTMXRequest, token: FromPath[str]) -> Template:
    return await _record(request, HOST, token)


@get("/my-hours/{token:str}", **PUBLIC)
async def own_hours(request: HTMXRequest, token: FromPath[str]) -> Template:
    return await _show(request, VOLUNTEER, token)


@post("/my-hours/{token:str}", status_code=200, **PUBLIC)
async def own_record_hours(request: HTMXRequest, token: FromPath[str]) -> Template:
    return await _record(request, VOLUNTEER, token)
