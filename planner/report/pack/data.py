"""Reads for the inspection pack (REP-04): per module of a CPAS and a year, its sessions with who came and
for how long, its monthly grids; the CPAS's invoices with their scans and its staff time.

Each read takes the whole year at once (a few queries a module, not one per session): bench/report_pack.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from planner.attendance.figures import Mark as MarkFact, SessionSlot, attended_seconds
from planner.attendance.queries import month_sheet
from planner.attendance.rules import ON_ROLL
from planner.attendance.tables import Mark
from planner.enrolment.tables import Enrolment
from planner.modules.tables import Module, Session
from planner.names import list_name, person_sort_key
from planner.orgs.access import name_of
from planner.orgs.tables import Organisation
from planner.report.rules.pack import months_of
from planner.spending.queries.staff import staff_of_year
from planner.spending.tables import Expense, ExpenseShare, InvoiceScan


async def cpas_of(cpas_id: int) -> dict:
    return await Organisation.select().where(Organisation.id == cpas_id).first()


async def modules_of(cpas_id: int, year: int, module_id: int | None) -> list[dict]:
    """The CPAS's modules with at least one held session in `year` (or only `module_id`): {id, code, title}, by code."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    query = Module.select(Module.id, Module.code, Module.title).where(Module.organisation == cpas_id)
    if module_id is not None:
        query = query.where(Module.id == module_id)
    modules = await query.order_by(Module.code).order_by(Module.id)
    held = {r["module"] for r in await Session.select(Session.module).where(
        Session.module.is_in([m["id"] for m in modules] or [0]) & (Session.day >= first) & (Session.day <= last)
        & (Session.status != "cancelled")).distinct()}
    return [m for m in modules if m["id"] in held or m["id"] == module_id]


def _enrolled_on(e: dict, day: dt.date) -> bool:
    return (e["start_date"] is None or e["start_date"] <= day) and (e["end_date"] is None or e["end_date"] >= day)


async def module_sessions(module_id: int, year: int) -> list[dict]:
    """The module's held sessions of `year`, in order: each {id, day, starts_at, ends_at, guests, people}, people
    in reader order as {name, status, arrived_at, left_at, hours (attended, float)}: those enrolled that day and
    walk-ins with a mark."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    sessions = await Session.select(Session.id, Session.day, Session.starts_at, Session.ends_at, Session.guests).where(
        (Session.module == module_id) & (Session.day >= first) & (Session.day <= last)
        & (Session.status != "cancelled")).order_by(Session.day).order_by(Session.starts_at)
    enrolments = await Enrolment.select(
        Enrolment.beneficiary, Enrolment.start_date, Enrolment.end_date, Enrolment.beneficiary.first_name,
        Enrolment.beneficiary.last_name).where((Enrolment.module == module_id) & Enrolment.status.is_in(list(ON_ROLL)))
    names = {e["beneficiary"]: (e["beneficiary.first_name"], e["beneficiary.last_name"]) for e in enrolments}
    marks: dict[int, dict[int, dict]] = defaultdict(dict)
    for m in await Mark.select(Mark.session, Mark.beneficiary, Mark.status, Mark.arrived_at, Mark.left_at,
                               Mark.beneficiary.first_name, Mark.beneficiary.last_name).where(
            Mark.session.is_in([s["id"] for s in sessions] or [0])):
        marks[m["session"]][m["beneficiary"]] = m
        names.setdefault(m["beneficiary"], (m["beneficiary.first_name"], m["beneficiary.last_name"]))
    for s in sessions:
        slot = SessionSlot(s["id"], s["day"], s["starts_at"], s["ends_at"])
        here = dict(marks.get(s["id"], {}))
        people_ids = {e["beneficiary"] for e in enrolments if _enrolled_on(e, s["day"])} | set(here)
        people = []
        for person in people_ids:
            m = here.get(person)
            seconds = attended_seconds(slot, MarkFact(s["id"], m["status"], m["arrived_at"], m["left_at"])) if m else 0
            first_name, last_name = names[person]
            people.append({"id": person, "name": list_name(first_name, last_name), "key": person_sort_key(last_name, first_name),
                           "status": m["status"] if m else "", "arrived_at": m["arrived_at"] if m else None,
                           "left_at": m["left_at"] if m else None, "hours": seconds / 3600})
        s["people"] = sorted(people, key=lambda p: p["key"])
    return sessions


async def module_months(module_id: int, year: int) -> list[tuple[dt.date, list[dict], list[dict]]]:
    """(first day, sessions, rows) of each month of `year` with a session: attendance's monthly sheet."""
    grids = []
    for first, last in months_of(year):
        sessions, rows = await month_sheet(module_id, first, last)
        if sessions:
            grids.append((first, sessions, rows))
    return grids


async def invoices(cpas_id: int, year: int, module_id: int | None) -> list[dict]:
    """The CPAS's expenses of `year` (dated in it, or charged to it) with their scans, by date: each expense's
    columns plus scans [{id, media_type, content}] (only for one module: that module's expenses)."""
    charged = {r["expense"] for r in await ExpenseShare.select(ExpenseShare.expense).where(
        (ExpenseShare.year == year) & (ExpenseShare.expense.organisation == cpas_id))}
    query = Expense.select(Expense.id, Expense.day, Expense.supplier, Expense.partner, Expense.category,
                           Expense.module, Expense.amount_excl_vat_cents, Expense.vat_cents,
                           Expense.invoice_reference,
                           *(getattr(Expense.partner, f"name_{lang}") for lang in ("fr", "nl", "de", "en"))).where(
        Expense.organisation == cpas_id)
    if module_id is not None:
        query = query.where(Expense.module == module_id)
    rows = [r for r in await query.order_by(Expense.day).order_by(Expense.id)
            if r["day"].year == year or r["id"] in charged]
    scans: dict[int, list[dict]] = defaultdict(list)
    for scan in await InvoiceScan.select(InvoiceScan.id, InvoiceScan.expense, InvoiceScan.media_type,
                                         InvoiceScan.content).where(
            InvoiceScan.expense.is_in([r["id"] for r in rows] or [0])).order_by(InvoiceScan.id):
        scans[scan["expense"]].append(scan)
    for r in rows:
        r["scans"] = scans.get(r["id"], [])
        # an invoice paid to a partner names the partner, as the expense list does (its supplier field is empty)
        r["partner_name"] = name_of(r, "partner.") if r["partner"] else ""
    return rows


async def staff_time(cpas_id: int, year: int, module_id: int | None) -> list[dict]:
    """spending's staff time of the year (with its charge); for one module, the lines naming it."""
    rows = await staff_of_year(cpas_id, year)
    return [r for r in rows if module_id is None or r["module"] == module_id]
