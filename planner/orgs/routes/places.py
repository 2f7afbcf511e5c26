"""/rooms: sites, rooms and closure days of a CPAS, managed by its coordinators and administrators."""

from __future__ import annotations

import datetime as dt

from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.auth.access import requires
from planner.i18n import gettext as _
from planner.orgs import actions, queries
from planner.orgs.access import PLACE_ROLES, get_room_for_user, get_site_for_user, place_organisations
from planner.orgs.tables import ClosureDay, Room, Site
from planner.web import flash, form_date, form_id, form_int, form_text, page, parse_id, redirect, text

PLACE_MANAGERS = requires(*PLACE_ROLES)
MAX_PLACES = 999  # a room's places: what the form says and checks


async def _context(request: HTMXRequest, **extra) -> dict:
    ids = place_organisations(request.user)
    return {**await queries.places(ids, i18n.today() - dt.timedelta(days=31)),
            "cpas": await queries.organisation_choices(set(ids) - {0}),
            "errors": {}, "values": {}, "max_places": MAX_PLACES, **extra}


@get("/rooms", guards=[PLACE_MANAGERS])
async def places(request: HTMXRequest) -> Template:
    return page(request, "orgs/rooms.html", await _context(request))


def _own(request: HTMXRequest, value: str) -> int:
    org = parse_id(value) or 0
    if org not in place_organisations(request.user):
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
    await actions.add_site(org, **values)
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
    site = await get_site_for_user(request.user, site_id)
    errors: dict[str, str] = {}
    values = _room_values(form, errors, "room")
    if errors:
        return await _refused(request, "room", {**values, **_typed(form, "capacity"), "site": site_id}, errors)
    await actions.add_room(site, **values)
    flash(request, _("The room has been added."))
    return redirect(request, "/rooms")


@post("/rooms/{room_id:int}", guards=[PLACE_MANAGERS], status_code=200)
async def update_room(request: HTMXRequest, room_id: FromPath[int]) -> Response | Template:
    await get_room_for_user(request.user, room_id)
    form = await request.form()
    errors: dict[str, str] = {}
    prefix = f"room-{room_id}"
    values = _room_values(form, errors, prefix)
    if errors:
        return await _refused(request, prefix, {**values, **_typed(form, "capacity")}, errors)
    await actions.update_room(room_id, **values)
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
    await actions.add_closure(org, day, label or _("Closed"))
    flash(request, _("The closure day has been added."))
    return redirect(request, "/rooms")


@post("/rooms/closures/{closure_id:int}/delete", guards=[PLACE_MANAGERS], status_code=200)
async def delete_closure(request: HTMXRequest, closure_id: FromPath[int]) -> Response:
    if not await actions.delete_closure(closure_id, place_organisations(request.user)):
        raise NotFoundException()
    flash(request, _("The closure day has been removed."))
    return redirect(request, "/rooms")
