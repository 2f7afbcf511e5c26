"""Reads for enrolment: what the roster of a module shows to whom (data walls between the CPAS of a cluster),
a person's current modules."""

from __future__ import annotations

import datetime as dt

from piccolo.query.functions.aggregate import Count

from planner.auth.access import CurrentUser
from planner.enrolment.rules import (
    END_REASONS, OPEN, Slot, WaitlistEntry, double_bookings, has_ended, proposal_warnings, seats_left, waitlist_order,
)
from planner.enrolment.tables import Enrolment
from planner.modules.access import is_facilitator
from planner.modules.tables import Module, Session
from planner.names import person_sort_key
from planner.orgs.tables import ClusterMember
from planner.people.access import file_organisations
from planner.people.queries import beneficiary_rows
from planner.people.tables import Beneficiary


async def participating_cpas(module: dict) -> set[int]:
    """The organising CPAS, plus every CPAS of the cluster the module is shared with."""
    members = set()
    if module["cluster"]:
        rows = await ClusterMember.select(ClusterMember.cpas).where(ClusterMember.cluster == module["cluster"])
        members = {r["cpas"] for r in rows}
    return {module["organisation"]} | members


async def roster_context(user: CurrentUser, module: dict, manage: bool) -> dict:
    sees_everyone = manage or await is_facilitator(user, module["id"])
    own = set(file_organisations(user))
    rows = await Enrolment.select(
        Enrolment.id, Enrolment.status, Enrolment.organisation, Enrolment.note, Enrolment.start_date,
        Enrolment.end_date, Enrolment.end_reason, Enrolment.queued_at, Enrolment.told_by_phone,
        Enrolment.promoted_at, Enrolment.override_reason, Enrolment.beneficiary,
        Enrolment.beneficiary.first_name, Enrolment.beneficiary.last_name, Enrolment.beneficiary.gender,
        Enrolment.beneficiary.email, Enrolment.beneficiary.phone,
    ).where(Enrolment.module == module["id"]).order_by(Enrolment.id)
    people = []
    # By name, the one order of every list of people; the waitlist keeps its queue order below.
    for row in sorted(rows, key=lambda r: person_sort_key(r["beneficiary.last_name"], r["beneficiary.first_name"])):
        visible = sees_everyone or row["organisation"] in own
        people.append({**row, "visible": visible, "own": row["organisation"] in own})
    enrolled = [p for p in people if p["status"] == "enrolled"]
    by_id = {p["id"]: p for p in people if p["status"] == "waitlisted"}
    order = waitlist_order([WaitlistEntry(p["id"], p["beneficiary.gender"], p["queued_at"]) for p in by_id.values()])
    waitlist = [by_id[e.enrolment_id] for e in order]
    proposals = [p for p in people if p["status"] == "proposed" and (manage or p["own"])]
    # People of the reader's CPAS who can still be proposed, if that CPAS takes part in the module.
    allowed = own & await participating_cpas(module)
    return {
        "enrolled": [p for p in enrolled if p["visible"]], "enrolled_count": len(enrolled),
        "hidden_count": len([p for p in enrolled if not p["visible"]]),
        "waitlist": waitlist, "proposals": proposals,
        "ended": [p for p in people if p["status"] in ("ended", "refused") and p["visible"]],
        "seats_left": seats_left(module["capacity"], len(enrolled)),
        # The people to propose come from a search (proposal_candidates), never a list of the whole CPAS.
        "candidates": [], "searched": False, "query": "", "more": False, "end_reasons": END_REASONS,
        "can_propose": bool(allowed),
    }


async def current_modules(beneficiary_id: int) -> list[dict]:
    """The person's proposed, waiting and running enrolments with their module's title and code, oldest first."""
    return await Enrolment.select(
        Enrolment.id, Enrolment.status, Enrolment.start_date, Enrolment.end_date, Enrolment.module,
        Enrolment.module.title, Enrolment.module.code,
    ).where((Enrolment.beneficiary == beneficiary_id) & Enrolment.status.is_in(list(OPEN))).order_by(Enrolment.id)


async def last_session_day(module_id: int) -> dt.date | None:
    """The day of the module's last session, cancelled or not; None before it is planned."""
    last = await Session.select(Session.day).where(Session.module == module_id).order_by(
        Session.day, ascending=False).first()
    return last["day"] if last else None


# -- the coordinator's desk (issue 18) ---------------------------------------------------------------------------

async def count_proposals(module_ids: list[int]) -> int:
    """How many proposals of these modules wait for a decision (counted in SQL)."""
    return await Enrolment.count().where(Enrolment.module.is_in(module_ids or [0]) & (Enrolment.status == "proposed"))


async def proposals_of(module_ids: list[int]) -> list[dict]:
    """The proposals waiting in these modules, oldest first: id, module, module title and code, proposed_at,
    the person's names (the desk's list; the module page decides)."""
    return await Enrolment.select(
        Enrolment.id, Enrolment.module, Enrolment.module.title, Enrolment.module.code, Enrolment.proposed_at,
        Enrolment.beneficiary.first_name, Enrolment.beneficiary.last_name,
    ).where(Enrolment.module.is_in(module_ids or [0]) & (Enrolment.status == "proposed")).order_by(Enrolment.id)


async def free_places_with_waitlist(module_ids: list[int]) -> list[dict]:
    """Modules among these with someone on the waitlist and a place free, by title: id, title, code, free,
    waiting. Enrolled and waiting people are counted in SQL, grouped by module and status."""
    rows = await Enrolment.select(Enrolment.module, Enrolment.status, Count(Enrolment.id, alias="n")).where(
        Enrolment.module.is_in(module_ids or [0]) & Enrolment.status.is_in(["enrolled", "waitlisted"])
    ).group_by(Enrolment.module, Enrolment.status)
    counts: dict[int, dict[str, int]] = {}
    for r in rows:
        counts.setdefault(r["module"], {"enrolled": 0, "waitlisted": 0})[r["status"]] = r["n"]
    waiting = {module: c for module, c in counts.items() if c["waitlisted"]}
    modules = await Module.select(Module.id, Module.title, Module.code, Module.capacity).where(
        Module.id.is_in(list(waiting) or [0])).order_by(Module.title)
    found = []
    for m in modules:
        free = seats_left(m["capacity"], waiting[m["id"]]["enrolled"])
        if free:
            found.append({**m, "free": free, "waiting": waiting[m["id"]]["waitlisted"]})
    return found


# -- proposing someone: the type-ahead search and its warnings (issue 18) ---------------------------------------

SEARCH_LIMIT = 15


async def proposal_candidates(user: CurrentUser, module: dict, query: str, today: dt.date) -> dict:
    """The people of the reader's CPAS taking part in the module whose name or file reference holds every word
    of `query`, not yet proposed, waiting or enrolled there, at most SEARCH_LIMIT in list order:
    {"candidates": [{id, first_name, last_name, file_reference, warnings: rules.proposal_warnings kinds,
    clashes: days}], "more": bool (more matched), "searched": bool, "query": str}. Empty query: nobody."""
    allowed = set(file_organisations(user)) & await participating_cpas(module)
    if not query.strip() or not allowed:
        return {"candidates": [], "more": False, "searched": bool(query.strip()), "query": query}
    taken = {r["beneficiary"] for r in await Enrolment.select(Enrolment.beneficiary).where(
        (Enrolment.module == module["id"]) & Enrolment.status.is_in(list(OPEN)))}
    rows = [r for r in await beneficiary_rows(sorted(allowed), query) if r["id"] not in taken]
    found, more = rows[:SEARCH_LIMIT], len(rows) > SEARCH_LIMIT
    ids = [r["id"] for r in found] or [0]
    genders = {r["id"]: r["gender"] for r in await Beneficiary.select(Beneficiary.id, Beneficiary.gender).where(
        Beneficiary.id.is_in(ids))}
    own = [Slot(s["day"], s["starts_at"], s["ends_at"]) for s in await Session.select(
        Session.day, Session.starts_at, Session.ends_at).where(
        (Session.module == module["id"]) & (Session.status == "planned") & (Session.day >= today))]
    booked: dict[int, list[Slot]] = {}
    if own:
        elsewhere = await Enrolment.select(Enrolment.beneficiary, Enrolment.module).where(
            Enrolment.beneficiary.is_in(ids) & Enrolment.status.is_in(list(OPEN)) & (Enrolment.module != module["id"]))
        modules_of: dict[int, set[int]] = {}
        for e in elsewhere:
            modules_of.setdefault(e["module"], set()).add(e["beneficiary"])
        for s in await Session.select(Session.module, Session.day, Session.starts_at, Session.ends_at).where(
                Session.module.is_in(list(modules_of) or [0]) & (Session.status == "planned")
                & (Session.day >= min(o.day for o in own))
                & (Session.day <= max(o.day for o in own))):
            for person in modules_of[s["module"]]:
                booked.setdefault(person, []).append(Slot(s["day"], s["starts_at"], s["ends_at"]))
    ended = has_ended(await last_session_day(module["id"]), today)
    candidates = []
    for r in found:
        clashes = double_bookings(own, booked.get(r["id"], []))
        candidates.append({**r, "clashes": clashes,
                           "warnings": proposal_warnings(ended, module["composition"], genders[r["id"]], clashes)})
    return {"candidates": candidates, "more": more, "searched": True, "query": query}
