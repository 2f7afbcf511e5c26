"""Writes of the enrolment area: proposals, decisions, the waitlist and its promotions.

Every decision that reads the number of enrolled people first locks the module (FOR UPDATE on
PostgreSQL, an IMMEDIATE transaction on SQLite), so two coordinators can never both take the last place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.db import for_update, write_transaction
from planner.enrolment.rules import OPEN, Decision, WaitlistEntry, decide_acceptance, promotions
from planner.enrolment.tables import Enrolment
from planner.invites.actions import sync_module
from planner.modules.rules.recurrence import BRUSSELS
from planner.modules.tables import Module, Session
from planner.i18n import now_utc as _now


async def propose(module_id: int, beneficiary_id: int, organisation_id: int, note: str, user_id: int) -> int | None:
    """None when the person is already proposed, waiting or enrolled in this module."""
    async with write_transaction():
        if await Enrolment.exists().where((Enrolment.module == module_id) & (Enrolment.beneficiary == beneficiary_id)
                                          & Enrolment.status.is_in(list(OPEN))):
            return None
        row = Enrolment(module=module_id, beneficiary=beneficiary_id, organisation=organisation_id, status="proposed",
                        note=note, proposed_by=user_id, proposed_at=_now())
        return (await Enrolment.insert(row).returning(Enrolment.id))[0]["id"]


async def first_session_to_come(module_id: int, now: dt.datetime | None = None) -> dt.date:
    """The day of the first planned session that has not begun by `now` (Brussels wall-clock, the clock sessions
    are planned on): someone accepted or promoted at 14:00 is neither on the roll of, nor expected at, the
    13:30 session that began without them. Today when no session is left."""
    now = now or dt.datetime.now(BRUSSELS).replace(tzinfo=None)
    rows = await Session.select(Session.day, Session.starts_at).where(
        (Session.module == module_id) & (Session.day >= now.date()) & (Session.status == "planned")
    ).order_by(Session.day).order_by(Session.starts_at)
    return next((r["day"] for r in rows if dt.datetime.combine(r["day"], r["starts_at"]) > now), now.date())


async def after_earlier_enrolment(enrolment_id: int, start: dt.date) -> dt.date:
    """`start`, or the day after the last day of the same person's earlier enrolment in the module when that
    one still runs (ended with a last day to come): periods that overlapped would put the person twice on
    the roll, count those sessions twice in the figures and send them a second series of invitations."""
    row = await Enrolment.select(Enrolment.module, Enrolment.beneficiary).where(Enrolment.id == enrolment_id).first()
    earlier = await Enrolment.select(Enrolment.end_date).where(
        (Enrolment.module == row["module"]) & (Enrolment.beneficiary == row["beneficiary"])
        & (Enrolment.id != enrolment_id) & (Enrolment.status == "ended") & (Enrolment.end_date >= start)
    ).order_by(Enrolment.end_date, ascending=False).first()
    return earlier["end_date"] + dt.timedelta(days=1) if earlier else start


@dataclass(frozen=True)
class Outcome:
    decision: Decision
    enrolment_id: int


async def accept(enrolment_id: int, user_id: int, start_date: dt.date | None, override_reason: str) -> Outcome:
    async with write_transaction():
        enrolment = await Enrolment.select(Enrolment.id, Enrolment.module, Enrolment.status,
                                           Enrolment.beneficiary.gender).where(Enrolment.id == enrolment_id).first()
        module = await for_update(Module.select(Module.id, Module.capacity, Module.composition).where(
            Module.id == enrolment["module"])).first()
        if enrolment["status"] not in ("proposed", "waitlisted"):
            return Outcome(Decision("unchanged"), enrolment_id)
        enrolled = await Enrolment.count().where((Enrolment.module == module["id"]) & (Enrolment.status == "enrolled"))
        decision = decide_acceptance(module["capacity"], enrolled, module["composition"],
                                     enrolment["beneficiary.gender"], override=bool(override_reason))
        if decision.outcome == "refuse_composition":
            return Outcome(decision, enrolment_id)
        start = await after_earlier_enrolment(enrolment_id, start_date or await first_session_to_come(module["id"]))
        values = {Enrolment.decided_by: user_id, Enrolment.decided_at: _now(),
                  Enrolment.override_reason: override_reason, Enrolment.start_date: start}
        if decision.outcome == "enrol":
            values[Enrolment.status] = "enrolled"
        elif enrolment["status"] == "proposed":  # already waiting people keep their place in the queue
            values.update({Enrolment.status: "waitlisted", Enrolment.queued_at: _now()})
        await Enrolment.update(values).where(Enrolment.id == enrolment_id)
        if decision.outcome == "enrol":
            await sync_module(module["id"])  # the invitation leaves with the decision, or not at all
    return Outcome(decision, enrolment_id)


async def refuse(enrolment_id: int, user_id: int, reason: str) -> None:
    async with write_transaction():
        await Enrolment.update({Enrolment.status: "refused", Enrolment.refusal_reason: reason,
                                Enrolment.decided_by: user_id, Enrolment.decided_at: _now()}).where(
            (Enrolment.id == enrolment_id) & Enrolment.status.is_in(["proposed", "waitlisted"]))


async def end(enrolment_id: int, end_date: dt.date, reason: str) -> list[int]:
    """End an enrolment (or take someone off the waitlist); the freed place goes to the waitlist."""
    async with write_transaction():
        row = await Enrolment.select(Enrolment.module).where(Enrolment.id == enrolment_id).first()
        await for_update(Module.select(Module.id).where(Module.id == row["module"])).first()
        await Enrolment.update({Enrolment.status: "ended", Enrolment.end_date: end_date,
                                Enrolment.end_reason: reason}).where(Enrolment.id == enrolment_id)
        promoted = await promote_waitlist(row["module"], free_from=end_date + dt.timedelta(days=1))
        await sync_module(row["module"])  # a cancellation for this person, invitations for the promoted
        return promoted


async def promote_waitlist(module_id: int, free_from: dt.date | None = None) -> list[int]:
    """Inside a write transaction: give free places to the waitlist, in order, within the composition rule.

    `free_from` is the day a place becomes free (the day after the last day of an enrolment that ends later):
    the promoted start with the first session from then, so the group is never over capacity on a roll."""
    module = await Module.select(Module.capacity, Module.composition).where(Module.id == module_id).first()
    enrolled = await Enrolment.count().where((Enrolment.module == module_id) & (Enrolment.status == "enrolled"))
    waiting = await Enrolment.select(Enrolment.id, Enrolment.queued_at, Enrolment.override_reason,
                                     Enrolment.beneficiary.gender).where(
        (Enrolment.module == module_id) & (Enrolment.status == "waitlisted"))
    entries = [WaitlistEntry(enrolment_id=w["id"], gender=w["beneficiary.gender"], queued_at=w["queued_at"],
                             override=bool(w["override_reason"])) for w in waiting]
    promoted, _skipped = promotions(module["capacity"], enrolled, entries, module["composition"])
    now = dt.datetime.now(BRUSSELS).replace(tzinfo=None)
    if free_from is not None:  # a session at 00:00 that day still counts as to come
        now = max(now, dt.datetime.combine(free_from, dt.time.min) - dt.timedelta(microseconds=1))
    start = await first_session_to_come(module_id, now)
    for entry in promoted:
        await Enrolment.update({Enrolment.status: "enrolled", Enrolment.promoted_at: _now(),
                                Enrolment.start_date: await after_earlier_enrolment(entry.enrolment_id, start)}
                               ).where(Enrolment.id == entry.enrolment_id)
    return [e.enrolment_id for e in promoted]


async def told_by_phone(enrolment_id: int) -> None:
    async with write_transaction():
        await Enrolment.update({Enrolment.told_by_phone: True}).where(Enrolment.id == enrolment_id)
