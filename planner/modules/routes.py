"""Modules: create and edit, generate the schedule from a recurrence, move/cancel/add single sessions."""

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
from planner.auth.tables import Membership, User
from planner.enrolment.queries import roster_context
from planner.i18n import current_language
from planner.i18n import gettext as _
from planner.modules import actions
from planner.modules.access import (
    STAFF_ROLES, can_manage, clusters_of, get_managed_module, get_module_for_user, visible_module_ids,
)
from planner.invites.reminders import LONG_SERIES
from planner.modules.form import GROUP_LANGUAGES, ModuleForm, module_problems
from planner.modules.rules.recurrence import MAX_INTERVAL, Recurrence, plan_dates, recurrence_problems
from planner.modules.rules import (
    AIMS, COMPOSITIONS, MODULE_TYPES, STRANDS, Booking, eligibility_warnings, find_conflicts, room_too_small,
)
from planner.modules.tables import Module, ModuleFacilitator, ModulePartner, Session
from planner.names import person_sort_key
from planner.orgs.access import name_of
from planner.orgs.tables import ClosureDay, Organisation, Room
from planner.web import (
    flash, form_date, form_id, form_ids, form_int, form_text, form_time, form_version, page, parse_id, redirect, text,
)

N_ = str  # marks a message id for extraction; it is translated where it is shown
VIEWERS = requires(*STAFF_ROLES, Role.PARTNER_FACILITATOR)
COORDINATORS = requires(Role.COORDINATOR)


def _form(form, too_long: dict[str, str]) -> ModuleForm:
    """The typed module; code and title longer than their column get their message in `too_long`."""
    return ModuleForm(
        code=form_text(form, "code", Module.code, too_long), title=form_text(form, "title", Module.title, too_long),
        module_type=text(form, "module_type"),
        strand=text(form, "strand"), aim=text(form, "aim"), objectives=text(form, "objectives", 4000),
        target_public=text(form, "target_public", 2000), composition=text(form, "composition"),
        capacity=text(form, "capacity"), minimum_size=text(form, "minimum_size"),
        languages=[str(v) for v in form.getall("languages", [])], cluster=text(form, "cluster"),
        default_room=text(form, "default_room"),
        partners=form_ids(form, "partners"), facilitators=form_ids(form, "facilitators"),
        bring=text(form, "bring", 1000), reminders=text(form, "reminders") or "auto",
    )


async def _choices(organisation_id: int) -> dict:
    """What a module of this CPAS may use: its rooms, clusters, partners and facilitators."""
    rooms = await Room.select(Room.id, Room.name, Room.capacity, Room.site.name).where(
        Room.organisation == organisation_id).order_by(Room.name)
    clusters = await Organisation.select().where(Organisation.id.is_in(list(await clusters_of({organisation_id})) or [0]))
    partners = await Organisation.select().where((Organisation.kind == "partner")
                                                 & (Organisation.owner == organisation_id))
    partner_ids = [p["id"] for p in partners]
    cluster_ids = [c["id"] for c in clusters]
    people = await Membership.select(Membership.user, Membership.user.full_name, Membership.role).where(
        (Membership.role.is_in([Role.FACILITATOR, Role.COORDINATOR]) & Membership.organisation.is_in(
            [organisation_id, *cluster_ids]))
        | ((Membership.role == Role.PARTNER_FACILITATOR) & Membership.organisation.is_in(partner_ids or [0])))
    facilitators = {p["user"]: p["user.full_name"] for p in people}
    return {
        "rooms": rooms,
        "clusters": [{"id": c["id"], "name": name_of(c)} for c in clusters],
        "partners": [{"id": p["id"], "name": name_of(p)} for p in partners],
        "facilitator_choices": sorted(facilitators.items(), key=lambda kv: person_sort_key(kv[1], "")),
    }


def _options() -> dict:
    return {"module_types": MODULE_TYPES, "strands": STRANDS, "aims": AIMS, "compositions": COMPOSITIONS,
            "group_languages": GROUP_LANGUAGES, "long_series": LONG_SERIES}


def _warnings(form: ModuleForm) -> list[str]:
    return [w.code for w in eligibility_warnings(form.aim, form.title, form.objectives)]


def _checks(form: ModuleForm, choices: dict) -> dict[str, str]:
    errors = {k: _(v) for k, v in module_problems(form).items()}
    if form.cluster and parse_id(form.cluster) not in {c["id"] for c in choices["clusters"]}:
        errors["cluster"] = _("Choose a cluster your CPAS belongs to.")
    if form.default_room and parse_id(form.default_room) not in {r["id"] for r in choices["rooms"]}:
        errors["default_room"] = _("Choose one of your CPAS's rooms.")
    if set(form.partners) - {p["id"] for p in choices["partners"]}:
        errors["partners"] = _("Choose partners of your CPAS.")
    if set(form.facilitators) - {f for f, _n in choices["facilitator_choices"]}:
        errors["facilitators"] = _("Choose facilitators of your CPAS or its partners.")
    return errors


@get("/", guards=[VIEWERS])
async def module_list(request: HTMXRequest) -> Template:
    modules = await Module.select(
        Module.id, Module.code, Module.title, Module.module_type, Module.capacity, Module.composition,
        Module.eligibility_warnings, Module.organisation, Module.cluster, Module.rec_start, Module.rec_end,
    ).where(Module.id.is_in(await visible_module_ids(request.user))).order_by(Module.title)
    return page(request, "modules/list.html", {"modules": modules,
                                               "can_create": request.user.has_role(Role.COORDINATOR)})


@get("/new", guards=[COORDINATORS])
async def new_module(request: HTMXRequest) -> Template:
    org = sorted(request.user.organisations(Role.COORDINATOR))[0]
    values = {"organisation": org, "strand": "B", "aim": "social_activation", "composition": "mixed",
              "capacity": "12", "minimum_size": "6", "languages": ["fr"], "partners": [], "facilitators": []}
    return page(request, "modules/form.html", {"values": values, "errors": {}, "warnings": [], "stale": False,
                                               **_options(), **await _choices(org)})


def _typed(form: ModuleForm, **extra) -> dict:
    return {**form.__dict__, **extra}


@post("/", guards=[COORDINATORS], status_code=200)
async def create_module(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    too_long: dict[str, str] = {}
    data = _form(form, too_long)
    org = form_id(form, "organisation")
    if org not in request.user.organisations(Role.COORDINATOR):
        raise NotFoundException()
    choices = await _choices(org)
    errors = {**_checks(data, choices), **too_long}
    if errors:
        return page(request, "modules/form.html", {
            "values": _typed(data, organisation=org), "errors": errors, "warnings": [], "stale": False,
            **_options(), **choices}, block="form", status_code=422)
    module_id = await actions.create_module(org, data, _warnings(data))
    flash(request, _("The module has been created. Now plan its sessions."))
    return redirect(request, f"/modules/{module_id}")


async def _module_page(request: HTMXRequest, module: dict, **extra) -> dict:
    organiser = await Organisation.select().where(Organisation.id == module["organisation"]).first()
    partners = await ModulePartner.select(ModulePartner.partner, *ModulePartner.partner.all_columns()).where(
        ModulePartner.module == module["id"])
    team = await ModuleFacilitator.select(ModuleFacilitator.user.full_name).where(ModuleFacilitator.module == module["id"])
    sessions = await Session.select(Session.id, Session.day, Session.starts_at, Session.ends_at, Session.status,
                                    Session.cancel_reason, Session.moved_from, Session.room.name).where(
        Session.module == module["id"]).order_by(Session.day).order_by(Session.starts_at)
    room = await Room.select(Room.id, Room.name, Room.capacity).where(Room.id == module["default_room"]).first() \
        if module["default_room"] else None
    manage = can_manage(request.user, module)
    return {
        "module": module, "organiser": name_of(organiser), "room": room, "manage": manage,
        "partners": [name_of(p, "partner.") for p in partners], "team": sorted((t["user.full_name"] for t in team), key=lambda name: person_sort_key(name, "")),
        "sessions": sessions, "warnings": [w for w in module["eligibility_warnings"].split(",") if w],
        "schedule": _schedule_values(module), "preview": None, "errors": {}, "added": {}, "moving": {}, "ending": {},
        "rooms": (await _choices(module["organisation"]))["rooms"] if manage else [],
        **await roster_context(request.user, module, manage),
        **extra,
    }


def _schedule_values(module: dict) -> dict:
    today = i18n.today()
    return {
        "kind": module["rec_kind"] or "weekly",
        "start": (module["rec_start"] or today).isoformat(),
        "end": (module["rec_end"] or today + dt.timedelta(weeks=12)).isoformat(),
        "weekdays": [int(d) for d in module["rec_weekdays"].split(",") if d],
        "interval": module["rec_interval"] or 1, "nth": module["rec_nth"] or 1, "weekday": module["rec_weekday"] or 0,
        "starts_at": module["starts_at"].strftime("%H:%M") if module["starts_at"] else "09:30",
        "ends_at": module["ends_at"].strftime("%H:%M") if module["ends_at"] else "12:30",
        "room": module["default_room"] or "",
    }


@get("/{module_id:int}", guards=[VIEWERS])
async def module_detail(request: HTMXRequest, module_id: FromPath[int]) -> Template:
    module = await get_module_for_user(request.user, module_id)
    return page(request, "modules/show.html", await _module_page(request, module))


@get("/{module_id:int}/edit", guards=[COORDINATORS])
async def edit_module(request: HTMXRequest, module_id: FromPath[int]) -> Template:
    module = await get_managed_module(request.user, module_id)
    values = {**module, "languages": module["languages"].split(","), "cluster": module["cluster"] or "",
              "default_room": module["default_room"] or "",
              "partners": [p["partner"] for p in await ModulePartner.select(ModulePartner.partner).where(
                  ModulePartner.module == module_id)],
              "facilitators": [f["user"] for f in await ModuleFacilitator.select(ModuleFacilitator.user).where(
                  ModuleFacilitator.module == module_id)]}
    return page(request, "modules/form.html", {"values": values, "errors": {}, "warnings": [], "stale": False,
                                               **_options(), **await _choices(module["organisation"])})


@post("/{module_id:int}", guards=[COORDINATORS], status_code=200)
async def update_module(request: HTMXRequest, module_id: FromPath[int]) -> Response | Template:
    module = await get_managed_module(request.user, module_id)
    form = await request.form()
    too_long: dict[str, str] = {}
    data = _form(form, too_long)
    choices = await _choices(module["organisation"])
    errors = {**_checks(data, choices), **too_long}
    version = form_version(form, errors)
    typed = _typed(data, id=module_id, organisation=module["organisation"], version=module["version"])
    context = {"values": typed, "errors": errors, "warnings": [], "stale": False, **_options(), **choices}
    if errors:
        return page(request, "modules/form.html", context, block="form", status_code=422)
    if not await actions.update_module(module_id, version, data, _warnings(data)):
        return page(request, "modules/form.html", {**context, "stale": True, "current": module},
                    block="form", status_code=409)
    flash(request, _("The module has been saved."))
    return redirect(request, f"/modules/{module_id}")


# ---- schedule ------------------------------------------------------------------------------------

def _rule(form) -> tuple[Recurrence | None, dict[str, str], dict]:
    values = {k: text(form, k) for k in ("kind", "start", "end", "interval", "nth", "weekday", "starts_at", "ends_at",
                                         "room")}
    values["weekdays"] = [int(d) for d in form.getall("weekdays", []) if str(d) in ("0", "1", "2", "3", "4", "5", "6")]
    start, end = form_date(values["start"]), form_date(values["end"])
    starts_at, ends_at = form_time(values["starts_at"]), form_time(values["ends_at"])
    errors = {}
    if start is None:
        errors["start"] = _("Give the first day.")
    if end is None:
        errors["end"] = _("Give the last day.")
    if starts_at is None or ends_at is None:
        errors["starts_at"] = _("Give the start and end times.")
    interval = form_int(form, "interval", 1, MAX_INTERVAL, errors) or 1
    nth = form_int(form, "nth", -1, 4, errors) or 1
    weekday = form_int(form, "weekday", 0, 6, errors) or 0
    if errors:
        return None, errors, values
    rule = Recurrence(kind=values["kind"], start=start, end=end, starts_at=starts_at, ends_at=ends_at,
                      weekdays=tuple(values["weekdays"]),
                      interval=interval, nth=nth, weekday=weekday)
    return rule, {k: _(v) for k, v in recurrence_problems(rule).items()}, values


async def closures_of(organisation_id: int) -> dict[dt.date, str]:
    rows = await ClosureDay.select(ClosureDay.day, ClosureDay.label).where(ClosureDay.organisation == organisation_id)
    return {r["day"]: r["label"] for r in rows}


@post("/{module_id:int}/schedule", guards=[COORDINATORS], status_code=200)
async def schedule(request: HTMXRequest, module_id: FromPath[int]) -> Response | Template:
    """Preview (dates, skipped days with their reason, conflicts) and, once confirmed, save."""
    module = await get_managed_module(request.user, module_id)
    form = await request.form()
    rule, errors, values = _rule(form)
    rooms = {r["id"]: r for r in (await _choices(module["organisation"]))["rooms"]}
    room_id = parse_id(values["room"]) if parse_id(values["room"]) in rooms else None
    if errors:
        return page(request, "modules/show.html", await _module_page(request, module, schedule=values, errors=errors),
                    block="schedule", status_code=422)
    organiser = await Organisation.select(Organisation.region).where(Organisation.id == module["organisation"]).first()
    days, skipped = plan_dates(rule, organiser["region"], await closures_of(module["organisation"]), current_language())
    team = {f["user"] for f in await ModuleFacilitator.select(ModuleFacilitator.user).where(
        ModuleFacilitator.module == module_id)}
    planned = [Booking(None, module_id, d, rule.starts_at, rule.ends_at, room_id, frozenset(team)) for d in days]
    conflicts = find_conflicts(planned, await actions.bookings(rule.start, rule.end, {room_id} - {None}, team,
                                                               exclude_module=module_id))
    too_small = room_id is not None and room_too_small(rooms[room_id]["capacity"], module["capacity"])
    if text(form, "action") != "save" or (conflicts and form.get("accept_conflicts") != "1"):
        titles = {m["id"]: m["title"] for m in await Module.select(Module.id, Module.title).where(
            Module.id.is_in(list({c.other.module_id for c in conflicts}) or [0]))}
        users = {u["id"]: u["full_name"] for u in await User.select(User.id, User.full_name).where(
            User.id.is_in(list(team) or [0]))}
        preview = {"days": days, "skipped": skipped, "conflicts": conflicts, "titles": titles, "users": users,
                   "too_small": too_small, "room": rooms.get(room_id)}
        return page(request, "modules/show.html",
                    await _module_page(request, module, schedule=values, preview=preview), block="schedule")
    created, deleted = await actions.save_schedule(module_id, rule, days, room_id)
    flash(request, _("%(created)s sessions added, %(deleted)s removed, %(skipped)s days skipped.",
                     created=created, deleted=deleted, skipped=len(skipped)))
    return redirect(request, f"/modules/{module_id}")


# ---- single sessions ----------------------------------------------------------------------------

async def _session_of(request: HTMXRequest, session_id: int) -> tuple[dict, dict]:
    session = await Session.select().where(Session.id == session_id).first()
    if session is None:
        raise NotFoundException()
    return session, await get_managed_module(request.user, session["module"])


def _session_form(form) -> tuple[dt.date | None, dt.time | None, dt.time | None, str]:
    return (form_date(text(form, "day")), form_time(text(form, "starts_at")), form_time(text(form, "ends_at")),
            text(form, "room"))


async def _session_error(request: HTMXRequest, module: dict, message: str, added: dict | None = None,
                         moving: dict | None = None) -> Template:
    """The sessions block again with the message; what was typed ("add one session", or moving one
    session) is kept."""
    return page(request, "modules/show.html", await _module_page(request, module, errors={"session": message},
                                                                 added=added or {}, moving=moving or {}),
                block="sessions", status_code=422)


async def _room_or_none(module: dict, value: str) -> int | None:
    rooms = {r["id"] for r in (await _choices(module["organisation"]))["rooms"]}
    return parse_id(value) if parse_id(value) in rooms else None


@post("/{module_id:int}/sessions", guards=[COORDINATORS], status_code=200)
async def add_session(request: HTMXRequest, module_id: FromPath[int]) -> Response | Template:
    module = await get_managed_module(request.user, module_id)
    form = await request.form()
    day, starts_at, ends_at, room = _session_form(form)
    if day is None or starts_at is None or ends_at is None or ends_at <= starts_at:
        typed = {k: text(form, k) for k in ("day", "starts_at", "ends_at", "room")}
        return await _session_error(request, module, _("Give a day, a start time and a later end time."), typed)
    await actions.add_session(module_id, day, starts_at, ends_at, await _room_or_none(module, room))
    flash(request, _("The session has been added."))
    return redirect(request, f"/modules/{module_id}")


@post("/sessions/{session_id:int}/move", guards=[COORDINATORS], status_code=200)
async def move_session(request: HTMXRequest, session_id: FromPath[int]) -> Response | Template:
    session, module = await _session_of(request, session_id)
    form = await request.form()
    day, starts_at, ends_at, room = _session_form(form)
    if day is None or starts_at is None or ends_at is None or ends_at <= starts_at:
        typed = {"id": session_id, **{k: text(form, k) for k in ("day", "starts_at", "ends_at", "room")}}
        return await _session_error(request, module, _("Give a day, a start time and a later end time."),
                                    moving=typed)
    await actions.move_session(session_id, day, starts_at, ends_at, await _room_or_none(module, room))
    flash(request, _("The session has been moved."))
    return redirect(request, f"/modules/{module['id']}")


@post("/sessions/{session_id:int}/cancel", guards=[COORDINATORS], status_code=200)
async def cancel_session(request: HTMXRequest, session_id: FromPath[int]) -> Response | Template:
    session, module = await _session_of(request, session_id)
    too_long: dict[str, str] = {}
    reason = form_text(await request.form(), "reason", Session.cancel_reason, too_long)
    if not reason or too_long:
        return await _session_error(request, module, too_long.get("reason") or _("Say why the session is cancelled."))
    await actions.cancel_session(session_id, reason)
    flash(request, _("The session has been cancelled."))
    return redirect(request, f"/modules/{module['id']}")


@post("/sessions/{session_id:int}/restore", guards=[COORDINATORS], status_code=200)
async def restore_session(request: HTMXRequest, session_id: FromPath[int]) -> Response:
    session, module = await _session_of(request, session_id)
    await actions.restore_session(session_id)
    flash(request, _("The session takes place again."))
    return redirect(request, f"/modules/{module['id']}")


router = Router(path="/modules", route_handlers=[
    module_list, new_module, create_module, module_detail, edit_module, update_module, schedule, add_session,
    move_session, cancel_session, restore_session,
])
