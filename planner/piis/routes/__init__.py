"""The PIIS area's one router: each screen's handlers live in routes/<screen>.py."""

from litestar import Router

router = Router(path="/", route_handlers=[])
