"""/spending/expenses/{id}/scan: the scanned invoice of an expense, sent (PDF, JPEG or PNG from its content,
at most rules.MAX_SCAN_BYTES) and downloaded, by the CPAS's spending managers only."""

from __future__ import annotations

from litestar import get, post
from litestar.params import FromPath
from litestar.exceptions import NotFoundException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner.i18n import N_
from planner.i18n import gettext as _
from planner.spending import actions, queries
from planner.spending.access import SPENDING_MANAGERS, get_expense_for_user
from planner.spending.routes.common import attachment, expense_url
from planner.spending.routes.expense import TEMPLATE, charged_year, expense_context, row_values
from planner.spending.rules import MAX_SCAN_BYTES
from planner.web import flash, page, redirect

# The body may be the file and the multipart framing around it (a few hundred bytes): Litestar refuses a
# larger one from its Content-Length, before reading it; attach_invoice checks the file's own size.
MAX_SCAN_BODY = MAX_SCAN_BYTES + 64 * 1024
TOO_LARGE = N_("This file is too large: a scanned invoice can be at most %(limit)s MB.")
WRONG_TYPE = N_("This file is not a PDF, JPEG or PNG.")
NO_FILE = N_("Choose the file of the scanned invoice.")


async def _refused(request: HTMXRequest, expense: dict, message: str, status_code: int) -> Template:
    detail = await queries.expense_detail(expense)
    context = await expense_context(expense["organisation"], charged_year(detail), detail, values=row_values(detail),
                             scan_error=message)
    return page(request, TEMPLATE, context, block="scan", status_code=status_code)


@post("/spending/expenses/{expense_id:int}/scan", guards=[SPENDING_MANAGERS], status_code=200,
      request_max_body_size=MAX_SCAN_BODY)
async def upload_scan(request: HTMXRequest, expense_id: FromPath[int]) -> Response | Template:
    expense = await get_expense_for_user(request.user, expense_id)
    try:
        form = await request.form()
    except RequestEntityTooLarge:
        return await _refused(request, expense, _(TOO_LARGE, limit=MAX_SCAN_BYTES // (1024 * 1024)), 413)
    upload = form.get("file")
    if upload is None or not hasattr(upload, "read"):
        return await _refused(request, expense, _(NO_FILE), 422)
    content = await upload.read()
    if not content:
        return await _refused(request, expense, _(NO_FILE), 422)
    saved = await actions.attach_invoice(expense_id, upload.filename or "", content, request.user.id)
    if saved.id is None:
        too_large = len(content) > MAX_SCAN_BYTES
        message = _(TOO_LARGE, limit=MAX_SCAN_BYTES // (1024 * 1024)) if too_large else _(WRONG_TYPE)
        return await _refused(request, expense, message, 413 if too_large else 422)
    flash(request, _("The scanned invoice has been saved."))
    return redirect(request, expense_url(expense_id))


@get("/spending/expenses/{expense_id:int}/scan", guards=[SPENDING_MANAGERS])
async def download_scan(request: HTMXRequest, expense_id: FromPath[int]) -> Response:
    await get_expense_for_user(request.user, expense_id)
    scan = await queries.invoice_scan(expense_id)
    if scan is None:
        raise NotFoundException()
    return Response(bytes(scan["content"]), media_type=scan["media_type"], headers={
        "Content-Disposition": attachment(scan["file_name"], f"invoice-{expense_id}"),
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})
