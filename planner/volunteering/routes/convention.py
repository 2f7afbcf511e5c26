"""The volunteering convention of a placement (issue 17): printable in the volunteer's language with the note
the law asks for (law of 3 July 2005: organisation, tasks, insurance, allowance) and signature lines; its signed
scan attached and downloaded. Social workers and coordinators of the placement's CPAS."""

from __future__ import annotations

from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import gettext as _
from planner.names import display_name
from planner.orgs.access import name_of
from planner.volunteering import actions, queries
from planner.volunteering.access import PLACEMENT_MANAGERS, get_placement_for_user
from planner.volunteering.routes.common import labels
from planner.volunteering.routes.placements import PLACEMENT, page_context
from planner.web import MAX_UPLOAD_BYTES, flash, page, redirect


@get("/volunteering/{placement_id:int}/convention", guards=[PLACEMENT_MANAGERS])
async def convention(request: HTMXRequest, placement_id: FromPath[int]) -> Template:
    await get_placement_for_user(request.user, placement_id)
    row = await queries.convention_page(placement_id)
    if row["language"] in i18n.LANGUAGES:
        i18n.set_language(row["language"])  # the volunteer reads and signs it
    return page(request, "volunteering/convention.html", {
        "p": row, "person": display_name(row["first_name"], row["last_name"]), "host": name_of(row, "host_"),
        "cpas_name": name_of(row, "cpas_"), **labels()})


@post("/volunteering/{placement_id:int}/convention/scan", guards=[PLACEMENT_MANAGERS], status_code=200,
      request_max_body_size=MAX_UPLOAD_BYTES + 100_000)
async def attach_scan(request: HTMXRequest, placement_id: FromPath[int]) -> Response | Template:
    placement = await get_placement_for_user(request.user, placement_id)
    try:
        form = await request.form()
    except RequestEntityTooLarge:  # refused from its Content-Length: said on the page, nothing stored
        return page(request, PLACEMENT, await page_context(placement, scan_error=_(actions.TOO_LARGE)),
                    status_code=413)
    upload = form.get("scan")
    content = await upload.read() if upload is not None and hasattr(upload, "read") else b""
    name = str(getattr(upload, "filename", "") or "convention")
    problem = await actions.attach_convention(placement_id, name, content, request.user.id)
    if problem:
        return page(request, PLACEMENT, await page_context(placement, scan_error=_(problem)), status_code=422)
    flash(request, _("The signed convention has been attached."))
    return redirect(request, f"/volunteering/{placement_id}#convention")


@get("/volunteering/{placement_id:int}/convention/scan", guards=[PLACEMENT_MANAGERS])
async def download_scan(request: HTMXRequest, placement_id: FromPath[int]) -> Response:
    await get_placement_for_user(request.user, placement_id)
    scan = await queries.latest_scan(placement_id, content=True)
    if scan is None:
        raise NotFoundException()
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[scan["media_type"]]
    return Response(scan["content"], media_type=scan["media_type"], headers={
        "Content-Disposition": f'attachment; filename="convention-{placement_id}.{extension}"',
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})
