"""/report/jobs/{id}: a long export's page (a progress bar that htmx refreshes until the job ends, then the
download or the failure in plain words) and its file. The CPAS's coordinators and administrators only; each
download goes into the report access log."""

from __future__ import annotations

import json

from litestar import get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner.files import attachment
from planner.i18n import N_
from planner.report.access import REPORT_MANAGERS, get_job_for_user
from planner.report.actions import jobs
from planner.report.queries_jobs import job_result
from planner.report.rules.pack import percent
from planner.web import page

KIND_NAMES = {"inspection_pack": N_("Inspection pack")}
ERRORS = {"error": N_("Something went wrong while the file was being made. Ask for it again; if it fails "
                      "again, tell your administrator."),
          "stopped": N_("The file could not be made: the server stopped several times while making it. Tell your "
                        "administrator."),
          "unknown": N_("This kind of export no longer exists. Ask for the file again.")}
POLL_SECONDS = 2


@get("/report/jobs/{job_id:int}", guards=[REPORT_MANAGERS])
async def show_job(request: HTMXRequest, job_id: FromPath[int]) -> Template:
    job = await get_job_for_user(request.user, job_id)
    job["parameters"] = json.loads(job["parameters"])
    return page(request, "report/job.html", {
        "job": job, "kind_name": KIND_NAMES.get(job["kind"], job["kind"]), "percent": percent(job["done"], job["total"]),
        "error": ERRORS.get(job["error"], ERRORS["error"]), "poll_seconds": POLL_SECONDS}, block="progress")


@get("/report/jobs/{job_id:int}/download", guards=[REPORT_MANAGERS])
async def download_job(request: HTMXRequest, job_id: FromPath[int]) -> Response:
    job = await get_job_for_user(request.user, job_id)
    result = await job_result(job["id"]) if job["state"] == "done" else None
    if result is None:
        raise NotFoundException()
    await jobs.log_access(job["organisation"], request.user.id, "download", job["id"])
    return Response(result, media_type=job["result_type"], headers={
        "Content-Disposition": attachment(job["result_name"], f"report-{job['id']}"),
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})
