"""The report area's one router: each screen's handlers live in routes/<screen>.py."""

from litestar import Router

from planner.report.routes.workbook import ROUTES as WORKBOOK_ROUTES

router = Router(path="/", route_handlers=[*WORKBOOK_ROUTES])
