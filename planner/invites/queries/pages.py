"""The pages of the area: the can't-come page, the person page's mails, the schedule card, the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from planner import i18n
from planner.db import fetch
from planner.invites.calendar import attends, language
from planner.invites.queries.calendar import modules_data, utcnow
from planner.invites.queries.links import feed_url
from planner.invites.rules import BRUSSELS, KIND_LABELS, STATUS_LABELS, Slot, series_shape
from planner.invites.tables import OutboxMail
from planner.modules.rules.recurrence import local_span
from planner.settings import Settings

@dataclass(frozen=True)
class ComingSession:
    slot: Slot
    told: bool  # the participant already said they cannot come


CANT_COME_SQL = """
SELECT e.id, e.module, e.status, e.start_date, e.end_date, e.beneficiary, b.language,
       COALESCE(NULLIF(b.first_name, ''), b.last_name) AS first_name,
       m.title FROM enrolment e JOIN beneficiary b ON b.id = e.beneficiary JOIN module m ON m.id = e.module
WHERE e.id = {}"""
MARKS_SQL = "SELECT session, status, reason FROM mark WHERE beneficiary = {{}} AND session IN ({ids})"


async def cant_come_page(link: dict) -> dict | None:
    """The enrolment behind a "can't come" link and its coming sessions (up to the last day of an ended one):
    {enrolment, module, language, sessions: [ComingSession]}; None when the enrolment is not attended (any more)."""
    rows = await fetch(CANT_COME_SQL, link["enrolment"])
    if not rows or not attends(rows[0]["status"], rows[0]["end_date"]):
        return None
    e = rows[0]
    module = (await modules_data([e["module"]]))[e["module"]]
    now = utcnow()
    coming = [s for s in module.slots if not s.cancelled and local_span(s.day, s.starts_at, s.ends_at)[0] > now
              and (not e["start_date"] or s.day >= e["start_date"]) and (not e["end_date"] or s.day <= e["end_date"])]
    told = set()
    if coming:
        ids = ", ".join(str(s.session_id) for s in coming)
        told = {m["session"] for m in await fetch(MARKS_SQL.format(ids=ids), e["beneficiary"])
                if m["status"] == "excused" and m["reason"] == "told_beforehand"}
    return {"enrolment": e, "module": module, "language": language(e["language"], module),
            "sessions": [ComingSession(s, s.session_id in told) for s in coming]}


def labels() -> dict:
    """The outbox's status and kind labels in the current language, for templates."""
    return {"status_labels": {k: i18n.gettext(v) for k, v in STATUS_LABELS.items()},
            "kind_labels": {k: i18n.gettext(v) for k, v in KIND_LABELS.items()}}


async def person_calendar(person: dict, settings: Settings | None = None) -> dict:
    """The person's last mails, a refused address if any, and their feed link ('' when none)."""
    mails = await OutboxMail.select(
        OutboxMail.id, OutboxMail.kind, OutboxMail.status, OutboxMail.created_at, OutboxMail.sent_at,
        OutboxMail.last_error, OutboxMail.to_address, OutboxMail.module.title,
    ).where(OutboxMail.beneficiary == person["id"]).order_by(OutboxMail.id, ascending=False).limit(10)
    refused = next((m for m in mails if m["status"] in ("refused", "failed")), None)
    return {"mails": mails, "refused": refused, "message": "",
            "feed_url": await feed_url(beneficiary=person["id"], settings=settings), **labels()}


PERSON_ENROLMENTS_SQL = """
SELECT id, module, start_date, end_date FROM enrolment WHERE beneficiary = {} AND status = 'enrolled' ORDER BY id"""


async def person_schedule(person: dict) -> list[dict]:
    """Each current module of the person with its coming sessions (cancelled ones marked), for the card."""
    enrolments = await fetch(PERSON_ENROLMENTS_SQL, person["id"])
    modules = await modules_data(sorted({e["module"] for e in enrolments}))
    today = utcnow().astimezone(BRUSSELS).date()
    schedule = []
    for e in enrolments:
        module = modules[e["module"]]
        shape = series_shape(module.rule, module.slots, e["start_date"], e["end_date"])
        lang = language(person["language"], module)
        schedule.append({"title": module.title, "place": module.place, "bring": module.bring,
                         "facilitators": module.first_names, "cpas_name": module.cpas_name(lang),
                         "cpas_phone": module.cpas_phone,
                         "sessions": [s for s in (shape.slots if shape else ()) if s.day >= today]})
    return schedule


async def outbox_mails(organisations: list[int], status: str = "") -> list[dict]:
    """The last 200 mails of these organisations, newest first; only those of `status` when it is one."""
    query = OutboxMail.select(
        OutboxMail.id, OutboxMail.kind, OutboxMail.status, OutboxMail.to_address, OutboxMail.subject,
        OutboxMail.created_at, OutboxMail.sent_at, OutboxMail.attempts, OutboxMail.last_error,
        OutboxMail.next_attempt_at,
    ).where(OutboxMail.organisation.is_in(organisations))
    if status in STATUS_LABELS:
        query = query.where(OutboxMail.status == status)
    return await query.order_by(OutboxMail.id, ascending=False).limit(200)
