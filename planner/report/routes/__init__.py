"""The report area's one router: each screen's handlers live in routes/<screen>.py."""

from litestar import Router

from planner.report.routes.jobs import download_job, show_job
from planner.report.routes.pack import ask_for_pack

router = Router(path="/", route_handlers=[ask_for_pack, show_job, download_job])
