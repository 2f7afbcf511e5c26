"""The report area's one router: each screen's handlers live in routes/<screen>.py."""

from litestar import Router

from planner.report.routes.behind import people_behind, sessions_behind
from planner.report.routes.jobs import download_job, show_job
from planner.report.routes.pack import ask_for_pack
from planner.report.routes.workbook import ROUTES as WORKBOOK_ROUTES
from planner.report.routes.year import report_start, report_year, save_answers

router = Router(path="/", route_handlers=[report_start, report_year, save_answers, people_behind, sessions_behind,
                                          *WORKBOOK_ROUTES, ask_for_pack, show_job, download_job])
