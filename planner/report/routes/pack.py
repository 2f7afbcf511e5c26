"""POST /report/{year}/pack: a coordinator or administrator asks for the inspection pack (REP-04) of their
CPAS's year, or of one module (form fields `organisation`, `module`, both optional), and lands on the job's
page. Another CPAS's organisation or module: 404."""

from __future__ import annotations

from litestar import post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response

from planner.report.access import REPORT_MANAGERS, get_cpas_for_pack, get_module_for_report
from planner.report.actions import jobs
from planner.report.routes.common import check_year
from planner.web import parse_id, redirect

@post("/report/{year:int}/pack", guards=[REPORT_MANAGERS], status_code=303)
async def ask_for_pack(request: HTMXRequest, year: FromPath[int]) -> Response:
    check_year(year)  # 2000 .. next year, like every page taking a year
    form = await request.form()
    sent_organisation = form.get("organisation")
    cpas = await get_cpas_for_pack(request.user, parse_id(sent_organisation) or 0 if sent_organisation else None)
    module_id = parse_id(form.get("module")) if form.get("module") else None
    if form.get("module") and module_id is None:
        raise NotFoundException()
    if module_id is not None:
        await get_module_for_report(cpas["id"], module_id)
    job_id = await jobs.ask_for_job(cpas["id"], request.user.id, "inspection_pack",
                                    {"year": year, "module": module_id})
    return redirect(request, f"/report/jobs/{job_id}")
