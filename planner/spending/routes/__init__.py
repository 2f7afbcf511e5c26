"""The spending area's one router: each screen's handlers live in routes/<screen>.py."""

from litestar import Router

from planner.spending.routes.budget import budget, set_grant, set_vat

router = Router(path="/", route_handlers=[budget, set_grant, set_vat])
