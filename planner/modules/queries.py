"""Reads for the modules pages: the list, the form's choices, the module page, the schedule preview, the planning.

Every function takes ids (or a module already fetched through `modules/access.py`) and returns rows as dicts;
none of them checks who may see what.
"""

from __future__ import annotations

import datetime as dt

from planner import i18n
from planner.attendance.access import may_take_roll
from planner.auth.access import CurrentUser
from planner.auth.rules import Role
from planner.auth.tables import Membership, User
from planner.enrolment.queries import roster_context
from planner.modules.access import can_manage, clusters_of, sees_costs, visible_module_ids
from planner.modules.form import schedule_values
from planner.modules.rules import Booking, overlaps
from planner.modules.tables import Module, ModuleFacilitator, ModulePartner, Session
from planner.names import person_sort_key
from planner.orgs.access import name_of
from planner.orgs.tables import ClosureDay, Organisation, Room


async def module_list(user: CurrentUser) -> list[dict]:
    """The modules this person sees, by title."""
    return await Module.select(
        Module.id, Module.code, Module.title, Module.module_type, Module.capacity, Module.composition,
        Module.eligibility_warnings, Module.organisation, Module.cluster, Module.rec_start, Module.rec_end,
    ).where(Module.id.is_in(await visible_module_ids(user))).order_by(Module.title)


async def rooms_of(organisation_id: int) -> list[dict]:
    """The CPAS's rooms by name: id, name, capacity and site.name."""
    return await Room.select(Room.id, Room.name, Room.capacity, Room.site.name).where(
        Room.organisation == organisation_id).order_by(Room.name)


async def module_with_code(organisation_id: int, code: str, other_than: int | None = None) -> dict | None:
    """Another module of the CPAS with this code ({id, code, title}), compared without case or surrounding
    spaces, or None: a code names one module of a CPAS."""
    wanted = code.strip().casefold()
    rows = await Module.select(Module.id, Module.code, Module.title).where(Module.organisation == organisation_id)
    return next((r for r in rows if r["code"].strip().casefold() == wanted and r["id"] != other_than), None)


async def module_choices(organisation_id: int) -> dict:
    """What a module of this CPAS may use: "rooms", "clusters" and "partners" ({id, name}), and
    "facilitator_choices" ((user id, full name) sorted by name)."""
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
        "rooms": await rooms_of(organisation_id),
        "clusters": [{"id": c["id"], "name": name_of(c)} for c in clusters],
        "partners": [{"id": p["id"], "name": name_of(p)} for p in partners],
        "facilitator_choices": sorted(facilitators.items(), key=lambda kv: person_sort_key(kv[1], "")),
    }


async def module_links(module_id: int) -> dict[str, list[int]]:
    """The module's "partners" (organisation ids) and "facilitators" (user ids), as the form shows them."""
    return {"partners": [p["partner"] for p in await ModulePartner.select(ModulePartner.partner).where(
                ModulePartner.module == module_id)],
            "facilitators": [f["user"] for f in await ModuleFacilitator.select(ModuleFacilitator.user).where(
                ModuleFacilitator.module == module_id)]}


async def module_page(user: CurrentUser, module: dict, **extra) -> dict:
    """The context of "modules/show.html" for a module fetched through `modules/access.py`: the module, its
    team and sessions, the schedule form, and the roster as this person may see it. `extra` overrides any key
    (what was typed, errors, a preview)."""
    organiser = await Organisation.select().where(Organisation.id == module["organisation"]).first()
    partners = await ModulePartner.select(ModulePartner.partner, *ModulePartner.partner.all_columns()).where(
        ModulePartner.module == module["id"])
    team = await ModuleFacilitator.select(ModuleFacilitator.user.full_name).where(ModuleFacilitator.module == module["id"])
    sessions = await Session.select(Session.id, Session.day, Session.starts_at, Session.ends_at, Session.status,
                                    Session.cancel_reason, Session.moved_from, Session.room.name).where(
        Session.module == module["id"]).order_by(Session.day).order_by(Session.starts_at)
    room = await Room.select(Room.id, Room.name, Room.capacity).where(Room.id == module["default_room"]).first() \
        if module["default_room"] else None
    manage = can_manage(user, module)
    return {
        "module": module, "organiser": name_of(organiser), "room": room, "manage": manage,
        "partners": [name_of(p, "partner.") for p in partners],
        "team": sorted((t["user.full_name"] for t in team), key=lambda name: person_sort_key(name, "")),
        "sessions": sessions, "warnings": [w for w in module["eligibility_warnings"].split(",") if w],
        "schedule": schedule_values(module, i18n.today()), "preview": None, "errors": {}, "added": {},
        "moving": {}, "ending": {}, "sees_costs": await sees_costs(user, module),
        "takes_roll": await may_take_roll(user, module),  # the roll links: only to those the roll lets in
        "rooms": await rooms_of(module["organisation"]) if manage else [],
        **await roster_context(user, module, manage),
        **extra,
    }


# ---- the schedule preview ----------------------------------------------------------------------

async def closures_of(organisation_id: int) -> dict[dt.date, str]:
    """The CPAS's closure days: day -> label."""
    rows = await ClosureDay.select(ClosureDay.day, ClosureDay.label).where(ClosureDay.organisation == organisation_id)
    return {r["day"]: r["label"] for r in rows}


async def region_of(organisation_id: int) -> str:
    """The region whose public holidays the CPAS keeps (see `rules/recurrence.py::REGIONS`)."""
    return (await Organisation.select(Organisation.region).where(Organisation.id == organisation_id).first())["region"]


async def team_of(module_id: int) -> set[int]:
    """User ids of the module's facilitators."""
    return {f["user"] for f in await ModuleFacilitator.select(ModuleFacilitator.user).where(
        ModuleFacilitator.module == module_id)}


async def titles_of(module_ids: set[int]) -> dict[int, str]:
    """Module id -> title."""
    return {m["id"]: m["title"] for m in await Module.select(Module.id, Module.title).where(
        Module.id.is_in(list(module_ids) or [0]))}


async def names_of(user_ids: set[int]) -> dict[int, str]:
    """User id -> full name."""
    return {u["id"]: u["full_name"] for u in await User.select(User.id, User.full_name).where(
        User.id.is_in(list(user_ids) or [0]))}


async def bookings(day_from: dt.date, day_to: dt.date, room_ids: set[int], facilitator_ids: set[int],
                   exclude_module: int) -> list[Booking]:
    """Planned sessions of other modules that use one of these rooms or facilitators in the period."""
    led = await ModuleFacilitator.select(ModuleFacilitator.module, ModuleFacilitator.user).where(
        ModuleFacilitator.user.is_in(list(facilitator_ids) or [0]))
    modules_led = {r["module"] for r in led}
    rows = await Session.select(Session.id, Session.module, Session.day, Session.starts_at, Session.ends_at,
                                Session.room).where(
        (Session.day >= day_from) & (Session.day <= day_to) & (Session.status == "planned")
        & (Session.module != exclude_module)
        & (Session.room.is_in(list(room_ids) or [0]) | Session.module.is_in(list(modules_led) or [0])))
    team: dict[int, set[int]] = {}
    for r in await ModuleFacilitator.select(ModuleFacilitator.module, ModuleFacilitator.user).where(
            ModuleFacilitator.module.is_in(list({r["module"] for r in rows}) or [0])):
        team.setdefault(r["module"], set()).add(r["user"])
    return [Booking(session_id=r["id"], module_id=r["module"], day=r["day"], starts_at=r["starts_at"],
                    ends_at=r["ends_at"], room_id=r["room"], facilitator_ids=frozenset(team.get(r["module"], ())))
            for r in rows]


# ---- the planning ------------------------------------------------------------------------------

async def planning_sessions(visible: list[int], filters: dict[str, int | None], first: dt.date,
                            last: dt.date) -> list[dict]:
    """Sessions from `first` to `last` (both included) of the visible modules that pass the filters ("module",
    "room", "facilitator", "partner": an id or None), by day and start: module, day, starts_at, status, room."""
    modules = set(visible)
    if filters["module"]:
        modules &= {filters["module"]}
    if filters["facilitator"]:
        modules &= {r["module"] for r in await ModuleFacilitator.select(ModuleFacilitator.module).where(
            ModuleFacilitator.user == filters["facilitator"])}
    if filters["partner"]:
        modules &= {r["module"] for r in await ModulePartner.select(ModulePartner.module).where(
            ModulePartner.partner == filters["partner"])}
    # No joins: titles and room names come from the filter lists, because a busy month holds thousands of
    # sessions (bench/planning.py).
    query = Session.select(Session.module, Session.day, Session.starts_at, Session.status, Session.room).where(
        (Session.day >= first) & (Session.day <= last) & Session.module.is_in(sorted(modules) or [0]))
    if filters["room"]:
        query = query.where(Session.room == filters["room"])
    return await query.order_by(Session.day).order_by(Session.starts_at)


async def filter_choices(visible: list[int]) -> dict:
    """The planning's filter lists over the visible modules: "module_choices", "room_choices",
    "facilitator_choices" (by name) and "partner_choices" ({id, name} by name)."""
    modules = await Module.select(Module.id, Module.title, Module.code, Module.organisation).where(
        Module.id.is_in(visible)).order_by(Module.title)
    orgs = {m["organisation"] for m in modules}
    rooms = await Room.select(Room.id, Room.name, Room.site.name).where(
        Room.organisation.is_in(sorted(orgs) or [0])).order_by(Room.name)
    team = await ModuleFacilitator.select(ModuleFacilitator.user).where(ModuleFacilitator.module.is_in(visible))
    users = await User.select(User.id, User.full_name).where(
        User.id.is_in(sorted({t["user"] for t in team}) or [0])).order_by(User.id)
    users.sort(key=lambda u: person_sort_key(u["full_name"], ""))  # as every list of people (planner/names.py)
    links = await ModulePartner.select(ModulePartner.partner).where(ModulePartner.module.is_in(visible))
    partners = await Organisation.select().where(Organisation.id.is_in(sorted({p["partner"] for p in links}) or [0]))
    return {"module_choices": modules, "room_choices": rooms, "facilitator_choices": users,
            "partner_choices": sorted(({"id": p["id"], "name": name_of(p)} for p in partners),
                                      key=lambda p: p["name"].lower())}


# ---- the coordinator's desk (issue 18) ---------------------------------------------------------------------

async def week_problems(module_ids: list[int], first: dt.date, last: dt.date) -> list[dict]:
    """Planned sessions of these modules from `first` to `last` with no facilitator on their module or sharing
    their room with another planned session at the same time, by day and start: id, module, module.title,
    module.code, day, starts_at, no_facilitator (bool), room_conflict (bool)."""
    sessions = await Session.select(
        Session.id, Session.module, Session.module.title, Session.module.code, Session.day, Session.starts_at,
        Session.ends_at, Session.room,
    ).where(Session.module.is_in(module_ids or [0]) & (Session.day >= first) & (Session.day <= last)
            & (Session.status == "planned")).order_by(Session.day).order_by(Session.starts_at)
    led = {r["module"] for r in await ModuleFacilitator.select(ModuleFacilitator.module).where(
        ModuleFacilitator.module.is_in(module_ids or [0]))}
    rooms = sorted({s["room"] for s in sessions} - {None})
    others = await Session.select(Session.id, Session.module, Session.day, Session.starts_at, Session.ends_at,
                                  Session.room).where(
        Session.room.is_in(rooms or [0]) & (Session.day >= first) & (Session.day <= last)
        & (Session.status == "planned"))

    def booking(r: dict) -> Booking:
        return Booking(r["id"], r["module"], r["day"], r["starts_at"], r["ends_at"], r["room"])

    problems = []
    for s in sessions:
        clash = any(o["id"] != s["id"] and o["room"] == s["room"] and overlaps(booking(s), booking(o))
                    for o in others) if s["room"] else False
        if clash or s["module"] not in led:
            problems.append({**s, "no_facilitator": s["module"] not in led, "room_conflict": clash})
    return problems
