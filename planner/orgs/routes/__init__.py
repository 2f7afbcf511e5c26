"""The orgs area's one router: organisations (/orgs) and places, i.e. sites, rooms, closure days (/rooms)."""

from litestar import Router

from planner.orgs.routes.organisations import (
    create_organisation, new_organisation, organisation_detail, organisation_list, update_organisation,
)
from planner.orgs.routes.places import add_closure, add_room, add_site, delete_closure, places, update_room

router = Router(path="/", route_handlers=[
    organisation_list, new_organisation, create_organisation, organisation_detail, update_organisation,
    places, add_site, add_room, update_room, add_closure, delete_closure,
])
