"""Writes of the modules area: modules, their schedule and single sessions."""

from __future__ import annotations

import datetime as dt

from planner.attendance.tables import Mark
from planner.db import for_update, write_transaction
from planner.enrolment.actions import promote_waitlist
from planner.invites.actions import forget_feeds_of_module, sync_module
from planner.modules.form import ModuleForm
from planner.modules.queries import module_with_code
from planner.modules.rules.recurrence import Recurrence, reconcile
from planner.modules.tables import Module, ModuleFacilitator, ModulePartner, Session
from planner.orgs.tables import Organisation
from planner.web import parse_id


def _values(form: ModuleForm, warnings: list[str]) -> dict:
    return {
        Module.code: form.code, Module.title: form.title, Module.module_type: form.module_type,
        Module.strand: form.strand, Module.aim: form.aim, Module.objectives: form.objectives,
        Module.target_public: form.target_public, Module.composition: form.composition,
        Module.capacity: form.number("capacity"), Module.minimum_size: form.number("minimum_size"),
        Module.languages: ",".join(form.languages),
        Module.cluster: parse_id(form.cluster),
        Module.default_room: parse_id(form.default_room),
        Module.eligibility_warnings: ",".join(warnings),
        Module.bring: form.bring, Module.reminders: form.reminders,
    }


async def _set_links(module_id: int, form: ModuleForm) -> None:
    await ModulePartner.delete().where(ModulePartner.module == module_id)
    await forget_feeds_of_module(module_id)  # whoever leaves the team loses the module from their feed
    await ModuleFacilitator.delete().where(ModuleFacilitator.module == module_id)
    for partner in sorted(set(form.partners)):
        await ModulePartner.insert(ModulePartner(module=module_id, partner=partner))
    for user in sorted(set(form.facilitators)):
        await ModuleFacilitator.insert(ModuleFacilitator(module=module_id, user=user))


class CodeTaken(Exception):
    """Another module of the CPAS has this code (`other`: {id, code, title}); nothing was written."""

    def __init__(self, other: dict) -> None:
        super().__init__(other["code"])
        self.other = other


async def _check_code(organisation_id: int, code: str, module_id: int | None = None) -> None:
    """Inside the write: one module write of a CPAS at a time (its row locked on PostgreSQL; SQLite's IMMEDIATE
    transaction already is), so two coordinators saving the same new code at once cannot both get it."""
    if not code.strip():
        return
    await for_update(Organisation.select(Organisation.id).where(Organisation.id == organisation_id)).first()
    other = await module_with_code(organisation_id, code, module_id)
    if other is not None:
        raise CodeTaken(other)


async def create_module(organisation_id: int, form: ModuleForm, warnings: list[str]) -> int:
    """The new module's id. CodeTaken when another module of the CPAS has its code."""
    async with write_transaction():
        await _check_code(organisation_id, form.code)
        row = Module(organisation=organisation_id)
        for column, value in _values(form, warnings).items():
            setattr(row, column._meta.name, value)
        module_id = (await Module.insert(row).returning(Module.id))[0]["id"]
        await _set_links(module_id, form)
        await sync_module(module_id)
    return module_id


async def update_module(module_id: int, version: int, form: ModuleForm, warnings: list[str]) -> bool:
    """False when someone else saved the module since this form was opened; nothing is written then.
    CodeTaken when another module of the CPAS has its code."""
    async with write_transaction():
        organisation = (await Module.select(Module.organisation).where(Module.id == module_id).first() or {}).get("organisation")
        if organisation is not None:
            await _check_code(organisation, form.code, module_id)
        changed = await Module.update({**_values(form, warnings), Module.version: version + 1}).where(
            (Module.id == module_id) & (Module.version == version)).returning(Module.id)
        if not changed:
            return False
        await _set_links(module_id, form)
        await promote_waitlist(module_id)  # a larger capacity frees places at once
        await sync_module(module_id)  # a new title, team or "what to bring" updates the invitations
    return True


async def save_schedule(module_id: int, rule: Recurrence, days: list[dt.date], room_id: int | None) -> tuple[int, int]:
    """Replace the generated sessions by the new plan; sessions kept by hand or with attendance stay.
    Returns (created, deleted)."""
    async with write_transaction():
        await for_update(Module.select(Module.id).where(Module.id == module_id)).first()
        existing = await Session.select(Session.id, Session.day, Session.kept).where(Session.module == module_id)
        marked = {m["session"] for m in await Mark.select(Mark.session).where(
            Mark.session.is_in([s["id"] for s in existing] or [0]))}
        # Sessions with attendance are never deleted by a new recurrence.
        to_delete, to_create = reconcile([(s["id"], s["day"], s["kept"] or s["id"] in marked) for s in existing], days)
        if to_delete:
            await Session.delete().where(Session.id.is_in(to_delete))
        await Session.update({Session.starts_at: rule.starts_at, Session.ends_at: rule.ends_at}).where(
            (Session.module == module_id) & (Session.kept == False) & (Session.status == "planned"))  # noqa: E712
        await insert_sessions([(module_id, day, rule.starts_at, rule.ends_at, room_id) for day in to_create])
        await Module.update({
            Module.rec_kind: rule.kind, Module.rec_start: rule.start, Module.rec_end: rule.end,
            Module.rec_weekdays: ",".join(str(d) for d in rule.weekdays), Module.rec_interval: rule.interval,
            Module.rec_nth: rule.nth, Module.rec_weekday: rule.weekday, Module.starts_at: rule.starts_at,
            Module.ends_at: rule.ends_at, Module.version: Module.version + 1,
        }).where(Module.id == module_id)
        await sync_module(module_id)
    return len(to_create), len(to_delete)


SESSION_COLUMNS = ("module", "day", "starts_at", "ends_at", "room", "status", "cancel_reason", "kept")


async def insert_sessions(rows: list[tuple]) -> None:
    """Many sessions at once: (module, day, starts_at, ends_at, room). One multi-row INSERT per 500 rows."""
    # Raw SQL because it pays: bench/planning.py "TARGET generate_year_300_modules" (30,360 sessions, SQLite)
    # is 1.0-1.7 s this way and 7.5-10.6 s with Session.insert(*objects) per 500 rows (target <= 2 s).
    for start in range(0, len(rows), 500):
        chunk = rows[start:start + 500]
        values = ", ".join(["({}, {}, {}, {}, {}, 'planned', '', {})"] * len(chunk))
        args = [value for row in chunk for value in (*row, False)]
        await Session.raw(f"INSERT INTO module_session ({', '.join(SESSION_COLUMNS)}) VALUES {values}", *args)


async def add_session(module_id: int, day: dt.date, starts_at: dt.time, ends_at: dt.time, room_id: int | None) -> int:
    row = Session(module=module_id, day=day, starts_at=starts_at, ends_at=ends_at, room=room_id, kept=True)
    async with write_transaction():
        session_id = (await Session.insert(row).returning(Session.id))[0]["id"]
        await sync_module(module_id)
    return session_id


async def move_session(session_id: int, day: dt.date, starts_at: dt.time, ends_at: dt.time,
                       room_id: int | None) -> None:
    async with write_transaction():
        current = await Session.select(Session.module, Session.day, Session.moved_from).where(
            Session.id == session_id).first()
        await Session.update({
            Session.day: day, Session.starts_at: starts_at, Session.ends_at: ends_at, Session.room: room_id,
            Session.kept: True, Session.moved_from: current["moved_from"] or current["day"],
        }).where(Session.id == session_id)
        await sync_module(current["module"])


async def cancel_session(session_id: int, reason: str) -> None:
    async with write_transaction():
        rows = await Session.update({Session.status: "cancelled", Session.cancel_reason: reason,
                                     Session.kept: True}).where(Session.id == session_id).returning(Session.module)
        await sync_module(rows[0]["module"])


async def restore_session(session_id: int) -> None:
    async with write_transaction():
        rows = await Session.update({Session.status: "planned", Session.cancel_reason: ""}).where(
            Session.id == session_id).returning(Session.module)
        await sync_module(rows[0]["module"])


async def mark_roll_closed(session_id: int, user_id: int, closed_at: dt.datetime, guests: int | None = None) -> None:
    """The session's roll closed by the user at `closed_at` (aware, UTC), with its guests (people who are not
    CPAS service users) when given, else left as they were. Joins the caller's transaction (attendance's
    close_roll, which notes the action once per client id)."""
    values = {Session.roll_closed_at: closed_at, Session.roll_closed_by: user_id}
    if guests is not None:
        values[Session.guests] = guests
    async with write_transaction():
        await Session.update(values).where(Session.id == session_id)


async def mark_roll_reopened(session_id: int) -> None:
    """The session's roll open again. Joins the caller's transaction (attendance's reopen_roll)."""
    async with write_transaction():
        await Session.update({Session.roll_closed_at: None, Session.roll_closed_by: None}).where(
            Session.id == session_id)
