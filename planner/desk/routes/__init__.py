"""The desk's one router: the home page (routes/home.py) and the lists its counts open (routes/lists.py)."""

from litestar import Router

from planner.desk.routes.home import home
from planner.desk.routes.lists import desk_list

router = Router(path="/", route_handlers=[home, desk_list])
