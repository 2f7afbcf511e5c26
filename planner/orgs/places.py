"""Sites, rooms and closure days of a CPAS, managed by its coordinators and administrators."""

from __future__ import annotations

import datetime as dt

from litestar import Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner.auth.access import requires
from planner.auth.rules import Role
from planner.i18n import gettext as _
from planner.invites import feedcache
from planner.orgs.access import organisation_choices
from planner.orgs.tables import ClosureDay, Room, Site
from planner.web import flash, form_id, page, parse_id, redirect, text

PLACE_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)
PLACE_MANAGERS = requires(*PLACE_ROLES)


def _cpas_ids(request: HTMXRequest) -> list[int]:
    return sorted(g.organisation_id for g in request.user.grants if g.role in PLACE_ROLES and g.kind == "cpas") or [0]


async def _context(request: HTMXRequest, **extra) -> dict:
    ids = _cpas_ids(request)
    sites = await Site.select().where(Site.organisation.is_in(ids)).order_by(Site.name)
    rooms = await Room.select().where(Room.organisation.is_in(ids)).order_by(Room.name)
    closures = await ClosureDay.select().where(
        ClosureDay.organisation.is_in(ids) & (ClosureDay.day >= dt.date.today() - dt.timedelta(days=31))
    ).order_by(ClosureDay.day)
    return {"sites": sites, "rooms": rooms, "closures": closures, "cpas": await organisation_choices(set(ids) - {0}),
            "errors": {}, "values": {}, **extra}


@get("/rooms", guards=[PLACE_MANAGERS])
async def places(request: HTMXRequest) -> Template:
    return page(request, "orgs/rooms.html", await _context(request))


def _own(request: HTMXRequest, value: str) -> int:
    org = parse_id(value) or 0
    if org not in _cpas_ids(request):
        raise NotFoundException()
    return org


@post("/rooms/sites", guards=[PLACE_MANAGERS], status_code=200)
async def add_site(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    org = _own(request, text(form, "organisation"))
    name = text(form, "name", 200)
    if not name:
        return page(request, "orgs/rooms.html", await _context(request, errors={"site": _("Give the site a name.")}),
                    status_code=422)
    await Site.insert(Site(organisation=org, name=name, street=text(form, "street", 200),
                           postcode=text(form, "postcode", 10), city=text(form, "city", 100)))
    flash(request, _("The site has been added."))
    return redirect(request, "/rooms")


@post("/rooms", guards=[PLACE_MANAGERS], status_code=200)
async def add_room(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    site_id = form_id(form, "site")
    site = await Site.select().where((Site.id == site_id) & Site.organisation.is_in(_cpas_ids(request))).first()
    if site is None:
        raise NotFoundException()
    name, capacity = text(form, "name", 100), text(form, "capacity")
    errors = {}
    if not name:
        errors["room"] = _("Give the room a name.")
    if capacity and not (capacity.isdigit() and 0 < int(capacity) < 1000):
        errors["room"] = _("The number of places is a whole number.")
    if errors:
        return page(request, "orgs/rooms.html", await _context(request, errors=errors), status_code=422)
    await Room.insert(Room(site=site_id, organisation=site["organisation"], name=name,
                           capacity=int(capacity) if capacity else None, accessible=form.get("accessible") == "1",
                           notes=text(form, "notes", 300)))
    flash(request, _("The room has been added."))
    return redirect(request, "/rooms")


@post("/rooms/{room_id:int}", guards=[PLACE_MANAGERS], status_code=200)
async def update_room(request: HTMXRequest, room_id: FromPath[int]) -> Response | Template:
    room = await Room.select().where((Room.id == room_id) & Room.organisation.is_in(_cpas_ids(request))).first()
    if room is None:
        raise NotFoundException()
    form = await request.form()
    name, capacity = text(form, "name", 100), text(form, "capacity")
    if not name or (capacity and not (capacity.isdigit() and 0 < int(capacity) < 1000)):
        return page(request, "orgs/rooms.html", await _context(
            request, errors={"room": _("Give the room a name and a whole number of places.")}), status_code=422)
    await Room.update({Room.name: name, Room.capacity: int(capacity) if capacity else None,
                       Room.accessible: form.get("accessible") == "1", Room.notes: text(form, "notes", 300)}).where(
        Room.id == room_id)
    await feedcache.forget_all()  # feeds show the room's name
    flash(request, _("The room has been saved."))
    return redirect(request, "/rooms")


@post("/rooms/closures", guards=[PLACE_MANAGERS], status_code=200)
async def add_closure(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    org = _own(request, text(form, "organisation"))
    try:
        day = dt.date.fromisoformat(text(form, "day"))
    except ValueError:
        return page(request, "orgs/rooms.html", await _context(
            request, errors={"closure": _("Give the day the CPAS is closed.")}), status_code=422)
    await ClosureDay.insert(ClosureDay(organisation=org, day=day, label=text(form, "label", 200) or _("Closed")))
    flash(request, _("The closure day has been added."))
    return redirect(request, "/rooms")


@post("/rooms/closures/{closure_id:int}/delete", guards=[PLACE_MANAGERS], status_code=200)
async def delete_closure(request: HTMXRequest, closure_id: FromPath[int]) -> Response:
    deleted = await ClosureDay.delete().where(
        (ClosureDay.id == closure_id) & ClosureDay.organisation.is_in(_cpas_ids(request))).returning(ClosureDay.id)
    if not deleted:
        raise NotFoundException()
    flash(request, _("The closure day has been removed."))
    return redirect(request, "/rooms")


router = Router(path="/", route_handlers=[places, add_site, add_room, update_room, add_closure, delete_closure])
