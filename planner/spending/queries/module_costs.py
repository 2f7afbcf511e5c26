"""A module's costs of a year (/spending/modules/{id}; COST-06 mixed public, CLUSTER-SPLIT): its expenses and
staff time, what the register says (a few reads, none per session), the cluster's fixed key."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from planner.attendance.figures import Mark as MarkFact, SessionSlot, attended_seconds
from planner.attendance.rules import ATTENDED
from planner.attendance.tables import Mark
from planner.modules.tables import Session
from planner.orgs.access import name_of
from planner.orgs.queries import cluster_members, organisation_choices
from planner.people.rules import STATUSES as SERVICE_USER_STATUSES
from planner.spending.queries import charged_cents, recovers_vat
from planner.spending.rules import (
    Register, chargeable_share, cluster_split, cost_per, cost_per_hour, cpas_part, eligible_amount,
    personnel_charge, share_of,
)
from planner.spending.tables import ClusterCostKey, Expense, ExpenseShare, StaffAllocation


def _of_year(day_column, year: int):
    return (day_column >= dt.date(year, 1, 1)) & (day_column <= dt.date(year, 12, 31))


async def module_register(module_id: int, year: int) -> Register:
    """What the register of the module's held sessions of year says (rules.Register): two reads, whatever the
    number of sessions. A person counts as a CPAS service user by their file's status (FUND-03), for the CPAS
    holding the file; the roll's guests are not service users."""
    marks = await Mark.select(
        Mark.beneficiary, Mark.status, Mark.arrived_at, Mark.left_at, Mark.session, Mark.session.starts_at,
        Mark.session.ends_at, Mark.session.day, Mark.beneficiary.organisation, Mark.beneficiary.status,
    ).where((Mark.session.module == module_id) & _of_year(Mark.session.day, year)
            & (Mark.session.status != "cancelled") & Mark.status.is_in(list(ATTENDED)))
    sessions: dict = defaultdict(int)
    seconds: dict = defaultdict(int)
    people: dict = defaultdict(set)
    guest_sessions = guest_seconds = 0
    for m in marks:
        slot = SessionSlot(m["session"], m["session.day"], m["session.starts_at"], m["session.ends_at"])
        there = attended_seconds(slot, MarkFact(m["session"], m["status"], m["arrived_at"], m["left_at"]))
        if m["beneficiary.status"] not in SERVICE_USER_STATUSES:
            guest_sessions, guest_seconds = guest_sessions + 1, guest_seconds + there
            continue
        cpas = m["beneficiary.organisation"]
        sessions[cpas] += 1
        seconds[cpas] += there
        people[cpas].add(m["beneficiary"])
    guests = await Session.select(Session.id, Session.day, Session.starts_at, Session.ends_at, Session.guests).where(
        (Session.module == module_id) & _of_year(Session.day, year) & (Session.status != "cancelled")
        & (Session.guests > 0))
    for g in guests:
        slot = SessionSlot(g["id"], g["day"], g["starts_at"], g["ends_at"])
        guest_sessions += g["guests"]
        guest_seconds += g["guests"] * attended_seconds(slot, MarkFact(g["id"], "present"))
    return Register(dict(sessions), guest_sessions, {k: len(v) for k, v in people.items()},
                    max((g["guests"] for g in guests), default=0), dict(seconds), guest_seconds)


async def module_expenses(module: dict, year: int) -> list[dict]:
    """The organising CPAS's expenses on the module dated in year, by day: each with the amount it costs (VAT
    per the CPAS's policy) and what its shares charge to subsidies."""
    org = module["organisation"]
    expenses = await Expense.select(
        Expense.id, Expense.day, Expense.supplier, Expense.partner.name_fr, Expense.partner.name_nl,
        Expense.partner.name_de, Expense.partner.name_en, Expense.partner.region, Expense.category, Expense.status,
        Expense.amount_excl_vat_cents, Expense.vat_cents, Expense.invoice_reference,
    ).where((Expense.organisation == org) & (Expense.module == module["id"]) & _of_year(Expense.day, year)
            ).order_by(Expense.day).order_by(Expense.id)
    shares: dict[int, list[dict]] = defaultdict(list)
    for row in await ExpenseShare.select().where(
            ExpenseShare.expense.is_in([e["id"] for e in expenses] or [0])).order_by(ExpenseShare.id):
        shares[row["expense"]].append(row)
    recovers = await recovers_vat(org, year)
    for expense in expenses:
        expense["who"] = expense["supplier"] or name_of(expense, "partner.")
        expense["cost_cents"] = eligible_amount(expense["amount_excl_vat_cents"], expense["vat_cents"], recovers)
        expense["charged_cents"] = sum(charged_cents(expense, shares[expense["id"]], recovers))
    return expenses


async def module_staff(module: dict, year: int) -> list[dict]:
    """The organising CPAS's staff time on the module in year, each with its computed charge (COST-09)."""
    rows = await StaffAllocation.select().where(
        (StaffAllocation.organisation == module["organisation"]) & (StaffAllocation.module == module["id"])
        & (StaffAllocation.year == year)).order_by(StaffAllocation.id)
    for r in rows:
        r["cents"] = personnel_charge(r["full_time_annual_cents"], r["fte_bp"], r["time_share_bp"], r["starts_on"],
                                      r["ends_on"], year, json.loads(r["tasks"])).cents
    return rows


async def cluster_key(module_id: int) -> dict[int, int]:
    """The fixed key the cluster recorded for the module: CPAS id -> basis points; empty when none."""
    return {r["cpas"]: r["key_bp"] for r in await ClusterCostKey.select(ClusterCostKey.cpas, ClusterCostKey.key_bp)
            .where(ClusterCostKey.module == module_id)}


async def module_cost_years(module: dict) -> list[int]:
    """The years the organising CPAS recorded an expense or staff time on the module, oldest first."""
    days = await Expense.select(Expense.day).where(
        (Expense.organisation == module["organisation"]) & (Expense.module == module["id"]))
    staff = await StaffAllocation.select(StaffAllocation.year).where(
        (StaffAllocation.organisation == module["organisation"]) & (StaffAllocation.module == module["id"]))
    return sorted({d["day"].year for d in days} | {s["year"] for s in staff})


async def last_session_year(module_id: int) -> int | None:
    """The year of the module's last session, None when it has none."""
    row = await Session.select(Session.day).where(Session.module == module_id).order_by(
        Session.day, ascending=False).first()
    return row["day"].year if row else None


async def module_costs(module: dict, viewer: int, year: int) -> dict:
    """The module's costs of year as the CPAS `viewer` sees them. The organising CPAS: its expenses and staff time
    on the module, the total, the chargeable share (COST-06) and, for a cluster module, every member CPAS's part
    (`split`). A member CPAS of the cluster: only its part (`part`) and its own people, no line, no other name.
    Cost per participant and per attended hour are None when there is nothing to divide by."""
    organiser = viewer == module["organisation"]
    expenses, staff = await module_expenses(module, year), await module_staff(module, year)
    register = await module_register(module["id"], year)
    total = sum(e["cost_cents"] for e in expenses) + sum(s["cents"] for s in staff)
    chargeable = chargeable_share(total, register)
    part, split, key = None, [], {}
    if module["cluster"] is not None:
        key = await cluster_key(module["id"])
        part = cpas_part(chargeable.chargeable_cents, viewer, register, key)
        if organiser:
            members = await cluster_members(module["cluster"])
            weights = {m: (key or register.user_sessions).get(m, 0) for m in members}
            parts = cluster_split(chargeable.chargeable_cents, weights).parts
            split = [{"id": c["id"], "name": c["name"], "weight": weights[c["id"]], "cents": parts[c["id"]],
                      "key_bp": key.get(c["id"])} for c in await organisation_choices(set(members))]
    if organiser:
        people = sum(register.people.values()) + register.most_guests
        seconds = sum(register.seconds.values()) + register.guest_seconds
        shown = total
    else:
        people, seconds, shown = register.people.get(viewer, 0), register.seconds.get(viewer, 0), part.cents
    return {"organiser": organiser, "expenses": expenses if organiser else [], "staff": staff if organiser else [],
            "total_cents": total, "register": register, "chargeable": chargeable, "share_bp": share_of(chargeable),
            "part": part, "split": split, "key": key, "people": people, "hours": round(seconds / 3600, 2),
            "shown_cents": shown, "per_participant": cost_per(shown, people),
            "per_hour": cost_per_hour(shown, seconds)}
