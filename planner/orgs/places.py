"""Sites, rooms and closure days of a CPAS, managed by its coordinators and administrators."""

from __future__ import annotations

import datetime as dt

from litestar import Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.auth.access import requires
from planner.auth.rules import Role
from planner.i18n import gettext as _
from planner.invites import feedcache
from planner.orgs.access import organisation_choices
from planner.orgs.tables import ClosureDay, Room, Site
from planner.web import flash, form_date, form_id, form_int, form_text, page, parse_id, redirect, text

PLACE_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)
PLACE_MANAGERS = requires(*PLACE_ROLES)
MAX_PLACES = 999  # a room's places: what the form says and checks


def _cpas_ids(request: HTMXRequest) -> list[int]:
    return sorted(g.organisation_id for g in request.user.grants if g.role in PLACE_ROLES and g.kind == "cpas") or [0]


async def _context(request: HTMXRequest, **extra) -> dict:
    ids = _cpas_ids(request)
    sites = await Site.select().where(Site.organisation.is_in(ids)).order_by(Site.name)
    rooms = await Room.select().where(Room.organisation.is_in(ids)).order_by(Room.name)
    closures = await ClosureDay.select().where(
        ClosureDay.organisation.is_in(ids) & (ClosureDay.day >= i18n.today() - dt.timedelta(days=31))
    ).order_by(ClosureDay.day)
    return {"sites": sites, "rooms": rooms, "closures": closures, "cpas": await organisation_choices(set(ids) - {0}),
            "errors": {}, "values": {}, "max_places": MAX_PLACES, **extra}


@get("/rooms", guards=[PLACE_MANAGERS])
async def places(request: HTMXRequest) -> Template:
    return page(request, "orgs/rooms.html", await _context(request))


def _own(request: HTMXRequest, value: str) -> int:
    org = parse_id(value) or 0
    if org not in _cpas_ids(request):
        raise NotFoundException()
    return org


async def _refused(request: HTMXRequest, form_name: str, values: dict, errors: dict[str, str]) -> Template:
    """The page again with what was typed in `form_name` (site, room, room-<id>, closure) and the
    message on each refused field (`errors` keys are "<form_name>.<field>")."""
    return page(request, "orgs/rooms.html", await _context(request, errors=errors, values={form_name: values}),
                status_code=422)


def _typed(form, *names: str) -> dict:
    return {n: text(form, n, 20_000) for n in names}


def _places(form, errors: dict[str, str], key: str) -> int | None:
    return form_int(form, "capacity", 1, MAX_PLACES, errors, key=key,
                    message=_("The number of places is a whole number from 1 to %(max)s.", max=MAX_PLACES))


@post("/rooms/sites", guards=[PLACE_MANAGERS], status_code=200)
async def add_site(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    org = _own(request, text(form, "organisation"))
    errors: dict[str, str] = {}
    values = {n: form_text(form, n, getattr(Site, n), errors, f"site.{n}") for n in ("name", "street", "postcode", "city")}
    if not values["name"]:
        errors["site.name"] = _("Give the site a name.")
    if errors:
        return await _refused(request, "site", {**values, "organisation": org}, errors)
    await Site.insert(Site(organisation=org, **values))
    flash(request, _("The site has been added."))
    return redirect(request, "/rooms")


def _room_values(form, errors: dict[str, str], prefix: str) -> dict:
    values = {n: form_text(form, n, getattr(Room, n), errors, f"{prefix}.{n}") for n in ("name", "notes")}
    if not values["name"]:
        errors[f"{prefix}.name"] = _("Give the room a name.")
    values["capacity"] = _places(form, errors, f"{prefix}.capacity")
    values["accessible"] = form.get("accessible") == "1"
    return values


@post("/rooms", guards=[PLACE_MANAGERS], status_code=200)
async def add_room(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    site_id = form_id(form, "site")
    site = await Site.select().where((Site.id == site_id) & Site.organisation.is_in(_cpas_ids(request))).first()
    if site is None:
        raise NotFoundException()
    errors: dict[str, str] = {}
    values = _room_values(form, errors, "room")
    if errors:
        return await _refused(request, "room", {**values, **_typed(form, "capacity"), "site": site_id}, errors)
    await Room.insert(Room(site=site_id, organisation=site["organisation"], **values))
    flash(request, _("The room has been added."))
    return redirect(request, "/rooms")


@post("/rooms/{room_id:int}", guards=[PLACE_MANAGERS], status_code=200)
async def update_room(request: HTMXRequest, room_id: FromPath[int]) -> Response | Template:
    room = await Room.select().where((Room.id == room_id) & Room.organisation.is_in(_cpas_ids(request))).first()
    if room is None:
        raise NotFoundException()
    form = await request.form()
    errors: dict[str, str] = {}
    prefix = f"room-{room_id}"
    values = _room_values(form, errors, prefix)
    if errors:
        return await _refused(request, prefix, {**values, **_typed(form, "capacity")}, errors)
    await Room.update({getattr(Room, k): v for k, v in values.items()}).where(Room.id == room_id)
    await feedcache.forget_all()  # feeds show the room's name
    flash(request, _("The room has been saved."))
    return redirect(request, "/rooms")


@post("/rooms/closures", guards=[PLACE_MANAGERS], status_code=200)
async def add_closure(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    org = _own(request, text(form, "organisation"))
    errors: dict[str, str] = {}
    label = form_text(form, "label", ClosureDay.label, errors, "closure.label")
    day = form_date(text(form, "day"))
    if day is None:
        errors["closure.day"] = _("Give the day the CPAS is closed.")
    if errors:
        return await _refused(request, "closure", {"day": text(form, "day", 20_000), "label": label,
                                                   "organisation": org}, errors)
    await ClosureDay.insert(ClosureDay(organisation=org, day=day, label=label or _("Closed")))
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
