"""The modules area's one router: modules and their form, a module's sessions, and the planning.

Handlers live in one file per screen and carry their full paths (`/modules/...`, `/planning`).
"""

from litestar import Router

from planner.modules.routes.modules import (
    create_module, edit_module, module_detail, module_list, new_module, update_module,
)
from planner.modules.routes.planning import planning
from planner.modules.routes.sessions import (
    add_session, cancel_session, move_session, restore_session, schedule,
)

router = Router(path="/", route_handlers=[
    module_list, new_module, create_module, module_detail, edit_module, update_module, schedule, add_session,
    move_session, cancel_session, restore_session, planning,
])
