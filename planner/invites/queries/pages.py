"""The pages of the area: the can't-come page, the person page's mails, the schedule card, the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from planner import i18n
from planner.attendance.tables import Mark
from planner.enrolment.tables import Enrolment
from planner.invites.calendar import attends, language
from planner.invites.contact import address_line, chronological, double_bookings, map_url
from planner.invites.queries.calendar import modules_data, utcnow
from planner.invites.queries.links import feed_url
from planner.invites.rules import BRUSSELS, KIND_LABELS, STATUS_LABELS, Slot, series_shape
from planner.invites.tables import OutboxMail
from planner.modules.tables import Session
from planner.modules.rules.recurrence import local_span
from planner.settings import Settings


@dataclass(frozen=True)
class ComingSession:
    slot: Slot
    told: bool  # the participant already said they cannot come
    room: str = ""  # the room's name
    address: str = ""  # its site's street, postcode and town on one line
    map_url: str = ""  # an OpenStreetMap search for the address ("" without one)


async def cant_come_page(link: dict) -> dict | None:
    """The enrolment behind a "can't come" link and its coming sessions (up to the last day of an ended one):
    {enrolment, module, language, cpas_name, sessions: [ComingSession]} with each session's room and address;
    None when the enrolment is not attended (any more)."""
    e = await Enrolment.select(
        Enrolment.id, Enrolment.module, Enrolment.status, Enrolment.start_date, Enrolment.end_date,
        Enrolment.beneficiary, Enrolment.beneficiary.language.as_alias("language"),
        Enrolment.beneficiary.first_name.as_alias("given_name"), Enrolment.beneficiary.last_name.as_alias("last_name"),
        Enrolment.module.title.as_alias("title"),
    ).where(Enrolment.id == link["enrolment"]).first()
    if e is None or not attends(e["status"], e["end_date"]):
        return None
    given, last = e.pop("given_name"), e.pop("last_name")
    e["first_name"] = given or last  # as the page and the mails greet them
    module = (await modules_data([e["module"]]))[e["module"]]
    now = utcnow()
    coming = [s for s in module.slots if not s.cancelled and local_span(s.day, s.starts_at, s.ends_at)[0] > now
              and (not e["start_date"] or s.day >= e["start_date"]) and (not e["end_date"] or s.day <= e["end_date"])]
    told, places = set(), {}
    if coming:
        places = {r["id"]: r for r in await Session.select(
            Session.id, Session.room.name.as_alias("room"), Session.room.site.street.as_alias("street"),
            Session.room.site.postcode.as_alias("postcode"), Session.room.site.city.as_alias("city"),
        ).where(Session.id.is_in([s.session_id for s in coming]))}
        told = {m["session"] for m in await Mark.select(Mark.session).where(
            (Mark.beneficiary == e["beneficiary"]) & Mark.session.is_in([s.session_id for s in coming])
            & (Mark.status == "excused") & (Mark.reason == "told_beforehand"))}
    sessions = []
    for s in coming:
        place = places.get(s.session_id) or {}
        address = address_line(place.get("street"), place.get("postcode"), place.get("city"))
        sessions.append(ComingSession(s, s.session_id in told, place.get("room") or "", address, map_url(address)))
    lang = language(e["language"], module)
    return {"enrolment": e, "module": module, "language": lang, "cpas_name": module.cpas_name(lang),
            "sessions": sessions}


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


async def person_schedule(person: dict) -> list[dict]:
    """Each current module of the person with its coming sessions (cancelled ones marked), for the card."""
    enrolments = await Enrolment.select(Enrolment.id, Enrolment.module, Enrolment.start_date, Enrolment.end_date).where(
        (Enrolment.beneficiary == person["id"]) & (Enrolment.status == "enrolled")).order_by(Enrolment.id)
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


async def undelivered_counts(organisations: list[int]) -> dict[str, int]:
    """status -> how many mails of these organisations were refused or given up ("refused", "failed"), counted
    in SQL; statuses with none are left out (the coordinator's desk, issue 18)."""
    from piccolo.query.functions.aggregate import Count

    rows = await OutboxMail.select(OutboxMail.status, Count(OutboxMail.id, alias="n")).where(
        OutboxMail.organisation.is_in(organisations or [0]) & OutboxMail.status.is_in(["refused", "failed"])
    ).group_by(OutboxMail.status)
    return {r["status"]: r["n"] for r in rows if r["n"]}


async def schedule_card(person: dict) -> dict:
    """The schedule card (issue 18): {modules: person_schedule's list, sessions: every coming session of every
    module as one list by day then time ({day, starts_at, ends_at, cancelled, location, title, session_id,
    clash}), clashes: how many sessions overlap another of the person's (cancelled ones left out): shown to the
    coordinator before printing, never printed}."""
    modules = await person_schedule(person)
    sessions = chronological([
        {"day": s.day, "starts_at": s.starts_at, "ends_at": s.ends_at, "cancelled": s.cancelled,
         "location": s.location if s.location != m["place"] else "", "title": m["title"], "session_id": s.session_id}
        for m in modules for s in m["sessions"]])
    clashing = double_bookings((s["session_id"], s["day"], s["starts_at"], s["ends_at"])
                               for s in sessions if not s["cancelled"])
    for s in sessions:
        s["clash"] = s["session_id"] in clashing
    return {"modules": modules, "sessions": sessions, "clashes": len(clashing)}
