"""Reminder mails: the day before each session (rules.reminder_days), each at most once (its dedupe key)."""

from __future__ import annotations

import datetime as dt

from piccolo.query.methods.select import Count

from planner.db import write_transaction
from planner.enrolment.tables import Enrolment
from planner.invites.actions.links import cant_come_url
from planner.invites.actions.outbox import queue_mail
from planner.invites.calendar import letter
from planner.invites.queries import modules_data, readers, settings_or_env, utcnow
from planner.invites.rules import reminder_days, reminders_on
from planner.invites.tables import OutboxMail
from planner.modules.rules.recurrence import local_span
from planner.modules.tables import Session
from planner.settings import Settings


def _reminder_key(session_id: int, enrolment_id: int) -> str:
    return f"reminder:{session_id}:e{enrolment_id}"


async def queue_reminders(now: dt.datetime | None = None, settings: Settings | None = None) -> int:
    """Queue the reminders due now (the day before each session, from 9:00); each at most once.
    Every app process runs this every few seconds: once all are queued it is four small reads, and the
    write lock (which taps wait for on SQLite) is taken only for a module with a reminder to write."""
    now = now or utcnow()
    sessions = [s for s in await Session.select(
        Session.id, Session.module, Session.day, Session.starts_at, Session.module.reminders.as_alias("reminders"),
    ).where(Session.day.is_in(list(reminder_days(now))) & (Session.status == "planned")
            & (Session.module.reminders != "off")).order_by(Session.module, Session.day, Session.starts_at)
        if local_span(s["day"], s["starts_at"], s["starts_at"])[0] > now]
    if not sessions:
        return 0
    counts = {r["module"]: r["count"] for r in await Session.select(Session.module, Count()).where(
        (Session.status == "planned") & Session.module.is_in(sorted({s["module"] for s in sessions}))
    ).group_by(Session.module)}
    sessions = [s for s in sessions if reminders_on(s["reminders"], counts.get(s["module"], 0))]
    if not sessions:
        return 0
    enrolments = [e for e in await Enrolment.select(
        Enrolment.id, Enrolment.module, Enrolment.start_date, Enrolment.end_date,
        Enrolment.beneficiary.email.as_alias("email"),
    ).where(Enrolment.module.is_in(sorted({s["module"] for s in sessions})) & (
        (Enrolment.status == "enrolled") | ((Enrolment.status == "ended") & Enrolment.end_date.is_not_null())))
        if (e["email"] or "").strip()]
    wanted = {_reminder_key(s["id"], e["id"]): (s["module"], s["id"], e["id"])
              for s in sessions for e in enrolments if e["module"] == s["module"]
              and not (e["start_date"] and s["day"] < e["start_date"]) and not (e["end_date"] and s["day"] > e["end_date"])}
    if not wanted:
        return 0
    keys = list(wanted)
    queued_keys = {r["dedupe_key"] for r in await OutboxMail.select(OutboxMail.dedupe_key).where(
        OutboxMail.dedupe_key.is_in(keys))}
    due: dict[int, set[tuple[int, int]]] = {}
    for key, (module_id, session_id, enrolment_id) in wanted.items():
        if key not in queued_keys:
            due.setdefault(module_id, set()).add((session_id, enrolment_id))
    settings = settings_or_env(settings)
    queued = 0
    for module_id, pairs in sorted(due.items()):
        async with write_transaction():
            module = (await modules_data([module_id]))[module_id]
            slots = {s.session_id: s for s in module.slots}
            attending = {r.enrolment: r for r in await readers(module, []) if r.enrolment and r.active}
            for session_id, enrolment_id in sorted(pairs):
                reader, slot = attending.get(enrolment_id), slots.get(session_id)
                if reader is None or slot is None:
                    continue
                cant_come = await cant_come_url(reader.enrolment, reader.organisation, settings)
                mail_letter = letter(module, reader, "reminder", (slot,), b"", cant_come)
                if await queue_mail(module, reader, mail_letter, settings,
                                    dedupe_key=_reminder_key(session_id, enrolment_id)):
                    queued += 1
    return queued
