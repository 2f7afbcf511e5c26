"""The volunteering area's one router: each screen's handlers live in routes/<screen>.py."""

from litestar import Router

from planner.volunteering.routes.convention import attach_scan, convention, download_scan
from planner.volunteering.routes.host import (
    host_hours, host_record_hours, issue_link, issue_volunteer_link, own_hours, own_record_hours, revoke_link,
    revoke_volunteer_link,
)
from planner.volunteering.routes.hours import decide_hours, record_hours
from planner.volunteering.routes.shifts import plan_shifts
from planner.volunteering.routes.placements import (
    create_placement, edit_placement, end_placement, new_placement, placement_list, show_placement,
)

router = Router(path="/", route_handlers=[placement_list, new_placement, create_placement, show_placement,
                                          edit_placement, end_placement, decide_hours, record_hours, issue_link,
                                          revoke_link, host_hours, host_record_hours, issue_volunteer_link,
                                          revoke_volunteer_link, own_hours, own_record_hours, plan_shifts,
                                          convention, attach_scan, download_scan])
