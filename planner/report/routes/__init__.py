"""The report area's one router: each screen's handlers live in routes/<screen>.py."""

from litestar import Router

from planner.report.routes.behind import people_behind, sessions_behind
from planner.report.routes.year import report_start, report_year, save_answers

router = Router(path="/", route_handlers=[report_start, report_year, save_answers, people_behind, sessions_behind])
