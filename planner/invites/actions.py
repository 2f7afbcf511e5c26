"""Writes of the invites area: calendar series kept in step with the schedule, the outbox, secret links.

`sync_module` runs inside the transaction of every change to a module's schedule, its team or its
enrolments. It recomputes each person's events (the series, the sessions outside the rule) and queues
one mail per event whose content changed: adding one participant does not mail the others, and adding
a session mails that session only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections import Counter
from dataclasses import dataclass
from email.utils import make_msgid
from urllib.parse import urlsplit

from planner import i18n
from planner.attendance.actions import record_tap
from planner.attendance.rules import Tap
from planner.db import fetch, write_transaction
from planner.invites import feedcache, ics, mail
from planner.invites.reminders import reminder_days, reminders_on
from planner.invites.rules import SeriesShape, Slot, part_tags, series_shape, shape_tag
from planner.invites.tables import CalendarLink, CalendarSeries, OutboxMail
from planner.invites.tokens import derive_token, looks_like_token, new_salt, token_hash
from planner.names import display_name
from planner.modules.rules.recurrence import BRUSSELS, KINDS, Recurrence, local_span, recurrence_problems
from planner.settings import Settings

N_ = str  # marks a message id for extraction; it is translated where it is shown

STATUS_LABELS = {"queued": N_("waiting"), "sending": N_("being sent"), "sent": N_("sent"),
                 "refused": N_("refused by the receiving server"), "failed": N_("not delivered: gave up")}
KIND_LABELS = {"invite": N_("invitation"), "update": N_("change of schedule"), "cancel": N_("cancellation"),
               "reminder": N_("reminder")}

_settings: Settings | None = None
REGION_LANGUAGE = {"flanders": "nl", "german": "de"}  # else French (Wallonia, Brussels)


def configure(settings: Settings) -> None:
    """Links in mails need the public address and the secret; the app and the worker set them at start."""
    global _settings
    _settings = settings


def settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = Settings.from_env()
    return _settings


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _host() -> str:
    return urlsplit(settings().base_url).hostname or "planner.invalid"


# -- what a module's calendar holds ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ModuleData:
    id: int
    organisation: int
    title: str
    bring: str
    reminders: str
    rule: Recurrence | None
    cpas_names: dict[str, str]
    cpas_phone: str
    cpas_email: str
    region: str
    slots: tuple[Slot, ...]
    facilitators: tuple[dict, ...]  # id, full_name, email, language

    def cpas_name(self, language: str) -> str:
        return self.cpas_names.get(language) or next((n for n in self.cpas_names.values() if n), "")

    @property
    def first_names(self) -> str:
        return ", ".join(f["full_name"].split()[0] for f in self.facilitators if f["full_name"].strip())

    @property
    def place(self) -> str:
        counts = Counter(s.location for s in self.slots if s.location)
        return counts.most_common(1)[0][0] if counts else ""


MODULES_SQL = """
SELECT m.id, m.organisation, m.title, m.bring, m.reminders, m.rec_kind, m.rec_start, m.rec_end, m.rec_weekdays,
       m.rec_interval, m.rec_nth, m.rec_weekday, m.starts_at, m.ends_at,
       o.name_fr, o.name_nl, o.name_de, o.name_en, o.phone, o.email, o.region
FROM module m JOIN organisation o ON o.id = m.organisation WHERE m.id IN ({ids})"""
SESSIONS_SQL = """
SELECT s.id, s.module, s.day, s.starts_at, s.ends_at, s.status, s.moved_from, r.name AS room,
       st.street, st.postcode, st.city
FROM module_session s LEFT JOIN room r ON r.id = s.room LEFT JOIN site st ON st.id = r.site
WHERE s.module IN ({ids}) ORDER BY s.day, s.starts_at, s.id"""
FACILITATORS_SQL = """
SELECT f.module, u.id, u.full_name, u.email, u.language
FROM module_facilitator f JOIN account u ON u.id = f."user" WHERE f.module IN ({ids}) ORDER BY u.full_name, u.id"""


def _rule(row: dict) -> Recurrence | None:
    if row["rec_kind"] not in KINDS or not (row["rec_start"] and row["rec_end"] and row["starts_at"] and row["ends_at"]):
        return None
    rule = Recurrence(kind=row["rec_kind"], start=row["rec_start"], end=row["rec_end"], starts_at=row["starts_at"],
                      ends_at=row["ends_at"],
                      weekdays=tuple(int(d) for d in (row["rec_weekdays"] or "").split(",") if d.strip().isdigit()),
                      interval=row["rec_interval"] or 1, nth=row["rec_nth"] or 1, weekday=row["rec_weekday"] or 0)
    return None if recurrence_problems(rule) else rule


def _location(row: dict) -> str:
    town = f"{row['postcode'] or ''} {row['city'] or ''}".strip()
    return ", ".join(part for part in (row["room"], row["street"], town) if part)


async def modules_data(module_ids: list[int]) -> dict[int, ModuleData]:
    """Three queries whatever the number of modules (a facilitator's feed spans many)."""
    if not module_ids:
        return {}
    ids = ", ".join(str(int(i)) for i in module_ids)
    modules = await fetch(MODULES_SQL.format(ids=ids))
    slots: dict[int, list[Slot]] = {}
    for s in await fetch(SESSIONS_SQL.format(ids=ids)):
        slots.setdefault(s["module"], []).append(Slot(
            session_id=s["id"], day=s["day"], starts_at=s["starts_at"], ends_at=s["ends_at"],
            cancelled=s["status"] == "cancelled", original_day=s["moved_from"], location=_location(s)))
    team: dict[int, list[dict]] = {}
    for f in await fetch(FACILITATORS_SQL.format(ids=ids)):
        team.setdefault(f["module"], []).append(f)
    return {m["id"]: ModuleData(
        id=m["id"], organisation=m["organisation"], title=m["title"], bring=m["bring"] or "",
        reminders=m["reminders"] or "auto", rule=_rule(m),
        cpas_names={lang: m[f"name_{lang}"] or "" for lang in i18n.LANGUAGES}, cpas_phone=m["phone"] or "",
        cpas_email=m["email"] or "", region=m["region"] or "", slots=tuple(slots.get(m["id"], ())),
        facilitators=tuple(team.get(m["id"], ())),
    ) for m in modules}


def _language(person_language: str, module: ModuleData) -> str:
    if person_language in i18n.LANGUAGES:
        return person_language
    return REGION_LANGUAGE.get(module.region, "fr")


def _uid(module_id: int, enrolment_id: int | None, user_id: int | None) -> str:
    who = f"e{enrolment_id}" if enrolment_id else f"u{user_id}"
    return f"planner-m{module_id}-{who}@{_host()}"


def _description(module: ModuleData, language: str) -> str:
    with i18n.speaking(language):
        lines = []
        if module.bring:
            lines.append(i18n.gettext("Bring: %(what)s", what=module.bring))
        if module.first_names:
            lines.append(i18n.gettext("Facilitator: %(names)s", names=module.first_names))
        if module.cpas_phone:
            lines.append(i18n.gettext("Questions? Call %(cpas)s: %(phone)s", cpas=module.cpas_name(language),
                                      phone=module.cpas_phone))
    return "\n".join(lines)


def _event(module: ModuleData, shape: SeriesShape | None, uid: str, sequence: int, language: str,
           attendee: ics.Person | None, stamp: dt.datetime) -> ics.SeriesEvent:
    # The ORGANIZER is the address the mail comes From (mail.message): Gmail and Outlook apply an update only
    # when the two agree. The CPAS's own address is the mail's Reply-To.
    organizer = ics.Person(email=settings().mail_from, name=module.cpas_name(language))
    cancelled = mail.SUBJECTS["cancel"]  # a name, not a literal, inside gettext(): Babel would extract "cancel"
    with i18n.speaking(language):
        cancelled_summary = i18n.gettext(cancelled, title=module.title)
    return ics.SeriesEvent(uid=uid, sequence=sequence, summary=module.title,
                           description=_description(module, language), shape=shape, organizer=organizer,
                           attendee=attendee, stamp=stamp, cancelled_summary=cancelled_summary)


# -- keeping every series in step ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Reader:
    """Someone whose calendar holds a series of this module."""
    enrolment: int | None
    user: int | None
    beneficiary: int | None
    organisation: int
    name: str
    first_name: str
    email: str
    language: str
    first_day: dt.date | None
    last_day: dt.date | None
    active: bool  # enrolled (an ended enrolment until its last day) / still in the team


ENROLMENTS_SQL = """
SELECT e.id, e.status, e.start_date, e.end_date, e.organisation, b.id AS beneficiary, b.first_name, b.last_name,
       b.email, b.language
FROM enrolment e JOIN beneficiary b ON b.id = e.beneficiary
WHERE e.module = {} AND e.status IN ('enrolled', 'ended') ORDER BY e.id"""
SERIES_SQL = """
SELECT id, enrolment, "user", uid, sequence, state, shape_tag, parts FROM calendar_series WHERE module = {}"""


def _attends(status: str, end_date: dt.date | None) -> bool:
    """An ended enrolment keeps its sessions up to its last day (on the roll, in the calendar, reminded)."""
    return status == "enrolled" or (status == "ended" and end_date is not None)


def _parts(current: dict | None) -> dict[str, str]:
    """{UID: tag} of the events the reader's calendar holds now, as last sent (rules.part_tags). A series saved
    before `parts` existed holds its own UID, with no tag: it is sent again."""
    if current is None or current["state"] != "active":
        return {}
    parts = dict(part.partition("=")[::2] for part in (current["parts"] or "").split())
    return parts or {current["uid"]: ""}


async def _readers(module: ModuleData, series: list[dict]) -> list[Reader]:
    readers = []
    for e in await fetch(ENROLMENTS_SQL, module.id):
        if (e["email"] or "").strip():
            readers.append(Reader(
                enrolment=e["id"], user=None, beneficiary=e["beneficiary"], organisation=e["organisation"],
                name=display_name(e["first_name"], e["last_name"]),
                first_name=e["first_name"] or e["last_name"], email=e["email"].strip(),
                language=_language(e["language"], module), first_day=e["start_date"],
                last_day=e["end_date"], active=_attends(e["status"], e["end_date"])))
    team = {f["id"] for f in module.facilitators}
    for f in module.facilitators:
        if (f["email"] or "").strip():
            readers.append(Reader(enrolment=None, user=f["id"], beneficiary=None, organisation=module.organisation,
                                  name=f["full_name"], first_name=(f["full_name"].split() or [""])[0],
                                  email=f["email"], language=_language(f["language"], module),
                                  first_day=None, last_day=None, active=True))
    # someone taken off the team: their series is cancelled
    gone = [s["user"] for s in series if s["user"] and s["user"] not in team and s["state"] == "active"]
    if gone:
        for u in await fetch(f"SELECT id, full_name, email, language FROM account WHERE id IN ({', '.join(str(int(g)) for g in gone)})"):
            readers.append(Reader(enrolment=None, user=u["id"], beneficiary=None, organisation=module.organisation,
                                  name=u["full_name"], first_name=(u["full_name"].split() or [""])[0],
                                  email=u["email"], language=_language(u["language"], module),
                                  first_day=None, last_day=None, active=False))
    return readers


async def sync_module(module_id: int) -> int:
    """Inside the caller's write transaction: queue an invitation, update or cancellation for each person
    whose calendar no longer matches the module. Returns the number of mails queued."""
    await feedcache.forget_module(module_id)
    module = (await modules_data([module_id])).get(module_id)
    if module is None:
        return 0
    series = await fetch(SERIES_SQL, module_id)
    by_reader = {(s["enrolment"], s["user"]): s for s in series}
    queued = 0
    now = _now()
    for reader in await _readers(module, series):
        current = by_reader.get((reader.enrolment, reader.user))
        shape = series_shape(module.rule, module.slots, reader.first_day, reader.last_day) if reader.active else None
        uid = current["uid"] if current else _uid(module.id, reader.enrolment, reader.user)
        texts = (module.title, _description(module, reader.language), reader.email, reader.language)
        had, has = _parts(current), part_tags(shape, uid, *texts)
        fresh = not had  # nothing of this module in their calendar yet (or any more)
        changed = [u for u, tag in has.items() if had.get(u) != tag]
        gone = [u for u in had if u not in has]  # events the calendar holds that no longer exist for this reader
        if not changed and not gone:
            continue
        # one SEQUENCE per reader, up by one for every change sent: it goes up for each UID the change touches
        sequence = current["sequence"] + 1 if current else 0
        values = {"sequence": sequence, "state": "active" if has else "cancelled",
                  "shape_tag": shape_tag(shape, *texts) if has else "",
                  "parts": " ".join(f"{u}={tag}" for u, tag in has.items())}
        if current is None:
            await CalendarSeries.insert(CalendarSeries(module=module.id, enrolment=reader.enrolment, user=reader.user,
                                                       uid=uid, **values))
        else:
            await CalendarSeries.update({getattr(CalendarSeries, k): v for k, v in values.items()}).where(
                CalendarSeries.id == current["id"])
        # one mail per event: Outlook reads only the first event of an invitation (ics.py)
        for part in changed:
            await _send_request(module, reader, "invite" if fresh else "update", uid, part, sequence, shape, now)
        for part in gone:
            await _send_cancel(module, reader, "update" if has else "cancel", uid, part, sequence, now, shape)
        queued += len(changed) + len(gone)
    return queued


def _coming(shape: SeriesShape, now: dt.datetime) -> tuple[Slot, ...]:
    today = now.astimezone(BRUSSELS).date()
    return tuple(s for s in shape.slots if s.day >= today)


async def _send_request(module: ModuleData, reader: Reader, kind: str, series_uid: str, uid: str, sequence: int,
                        shape: SeriesShape, now: dt.datetime) -> None:
    attendee = ics.Person(email=reader.email, name=reader.name)
    body = ics.invitation("REQUEST", _event(module, shape, series_uid, sequence, reader.language, attendee, now), uid)
    cant_come = await cant_come_url(reader.enrolment, reader.organisation) if reader.enrolment else ""
    await queue_mail(module, reader, _letter(module, reader, kind, _coming(shape, now), body, cant_come))


async def _send_cancel(module: ModuleData, reader: Reader, kind: str, series_uid: str, uid: str, sequence: int,
                       now: dt.datetime, shape: SeriesShape | None) -> None:
    """METHOD:CANCEL of the event `uid`, in a mail of that kind: "cancel" when nothing is left (the mail says
    the enrolment is over), "update" when other events remain (`shape`, listed in the mail)."""
    # the sessions as they were planned for this person, so a calendar that matches by date finds what it removes
    planned = series_shape(module.rule, module.slots, reader.first_day, None) or series_shape(module.rule, module.slots)
    attendee = ics.Person(email=reader.email, name=reader.name)
    event = _event(module, planned, series_uid, sequence, reader.language, attendee, now)
    body = ics.invitation("CANCEL", event, uid)
    coming = _coming(shape, now) if shape is not None else ()
    cant_come = await cant_come_url(reader.enrolment, reader.organisation) if reader.enrolment and shape else ""
    await queue_mail(module, reader, _letter(module, reader, kind, coming, body, cant_come, method="CANCEL"))


def _letter(module: ModuleData, reader: Reader, kind: str, sessions: tuple[Slot, ...], body: bytes,
            cant_come: str, method: str = "") -> mail.Letter:
    return mail.Letter(
        kind=kind, language=reader.language, to_name=reader.name, to_email=reader.email,
        first_name=reader.first_name, title=module.title, cpas_name=module.cpas_name(reader.language),
        cpas_phone=module.cpas_phone, cpas_email=module.cpas_email, place=module.place,
        facilitators=module.first_names, bring=module.bring, sessions=sessions, cant_come_url=cant_come,
        ics=body, facilitator=reader.user is not None, method=method)


async def queue_mail(module: ModuleData, reader: Reader, letter: mail.Letter, dedupe_key: str | None = None) -> bool:
    """Write the whole message into the outbox; False when a mail with this dedupe key exists already."""
    now = _now()
    message_id = make_msgid(idstring=secrets.token_hex(6), domain=_host())
    subject, text = mail.message(letter, message_id, settings().mail_from, now)
    query = OutboxMail.insert(OutboxMail(
        organisation=reader.organisation, kind=letter.kind, beneficiary=reader.beneficiary, user=reader.user,
        module=module.id, to_address=reader.email, language=reader.language, subject=subject[:300],
        message_id=message_id, message=text, dedupe_key=dedupe_key, status="queued", attempts=0,
        next_attempt_at=now, last_error="", created_at=now))
    if dedupe_key:
        query = query.on_conflict(target=OutboxMail.dedupe_key, action="DO NOTHING")
    rows = await query.returning(OutboxMail.id)
    return bool(rows)


async def sync_module_now(module_id: int) -> int:
    """For a change made outside a write transaction."""
    async with write_transaction():
        return await sync_module(module_id)


# -- reminders ------------------------------------------------------------------------------------------------

REMINDER_SESSIONS_SQL = """
SELECT s.id, s.module, s.day, s.starts_at, m.reminders FROM module_session s JOIN module m ON m.id = s.module
WHERE s.day IN ({days}) AND s.status = 'planned' AND m.reminders <> 'off' ORDER BY s.module, s.day, s.starts_at"""
PLANNED_COUNT_SQL = "SELECT module, COUNT(*) AS n FROM module_session WHERE status = 'planned' AND module IN ({ids}) GROUP BY module"
REMINDER_READERS_SQL = """
SELECT e.id, e.module, e.start_date, e.end_date FROM enrolment e JOIN beneficiary b ON b.id = e.beneficiary
WHERE e.module IN ({ids}) AND (e.status = 'enrolled' OR (e.status = 'ended' AND e.end_date IS NOT NULL))
  AND TRIM(COALESCE(b.email, '')) <> ''"""


def _reminder_key(session_id: int, enrolment_id: int) -> str:
    return f"reminder:{session_id}:e{enrolment_id}"


async def queue_reminders(now: dt.datetime | None = None) -> int:
    """Queue the reminders due now (the day before each session, from 9:00); each at most once.
    Every app process runs this every few seconds: once all are queued it is four small reads, and the
    write lock (which taps wait for on SQLite) is taken only for a module with a reminder to write."""
    now = now or _now()
    days = ", ".join(f"'{d.isoformat()}'" for d in reminder_days(now))
    sessions = [s for s in await fetch(REMINDER_SESSIONS_SQL.format(days=days))
                if local_span(s["day"], s["starts_at"], s["starts_at"])[0] > now]
    if not sessions:
        return 0
    ids = ", ".join(str(int(m)) for m in sorted({s["module"] for s in sessions}))
    counts = {r["module"]: r["n"] for r in await fetch(PLANNED_COUNT_SQL.format(ids=ids))}
    sessions = [s for s in sessions if reminders_on(s["reminders"], counts.get(s["module"], 0))]
    if not sessions:
        return 0
    ids = ", ".join(str(int(m)) for m in sorted({s["module"] for s in sessions}))
    enrolments = await fetch(REMINDER_READERS_SQL.format(ids=ids))
    wanted = {_reminder_key(s["id"], e["id"]): (s["module"], s["id"], e["id"])
              for s in sessions for e in enrolments if e["module"] == s["module"]
              and not (e["start_date"] and s["day"] < e["start_date"]) and not (e["end_date"] and s["day"] > e["end_date"])}
    if not wanted:
        return 0
    keys = list(wanted)
    queued_keys = {r["dedupe_key"] for r in await fetch(
        f"SELECT dedupe_key FROM outbox_mail WHERE dedupe_key IN ({', '.join('{}' for _ in keys)})", *keys)}
    due: dict[int, set[tuple[int, int]]] = {}
    for key, (module_id, session_id, enrolment_id) in wanted.items():
        if key not in queued_keys:
            due.setdefault(module_id, set()).add((session_id, enrolment_id))
    queued = 0
    for module_id, pairs in sorted(due.items()):
        async with write_transaction():
            module = (await modules_data([module_id]))[module_id]
            slots = {s.session_id: s for s in module.slots}
            readers = {r.enrolment: r for r in await _readers(module, []) if r.enrolment and r.active}
            for session_id, enrolment_id in sorted(pairs):
                reader, slot = readers.get(enrolment_id), slots.get(session_id)
                if reader is None or slot is None:
                    continue
                cant_come = await cant_come_url(reader.enrolment, reader.organisation)
                letter = _letter(module, reader, "reminder", (slot,), b"", cant_come)
                if await queue_mail(module, reader, letter, dedupe_key=_reminder_key(session_id, enrolment_id)):
                    queued += 1
    return queued


# -- secret links ---------------------------------------------------------------------------------------------

LINK_COLUMNS = (CalendarLink.id, CalendarLink.kind, CalendarLink.organisation, CalendarLink.beneficiary,
                CalendarLink.user, CalendarLink.enrolment, CalendarLink.salt, CalendarLink.created_at)


def _url(kind: str, salt: str) -> str:
    path = "feed" if kind == "feed" else "cant-come"
    suffix = ".ics" if kind == "feed" else ""
    return f"{settings().base_url}/{path}/{derive_token(settings().secret, kind, salt)}{suffix}"


def _owner(kind: str, beneficiary: int | None, user: int | None, enrolment: int | None):
    where = (CalendarLink.kind == kind) & (CalendarLink.revoked_at.is_null())
    if enrolment:
        return where & (CalendarLink.enrolment == enrolment)
    if beneficiary:
        return where & (CalendarLink.beneficiary == beneficiary)
    return where & (CalendarLink.user == user)


async def _link(kind: str, organisation: int, *, beneficiary: int | None = None, user: int | None = None,
                enrolment: int | None = None, create: bool = True) -> str:
    row = await CalendarLink.select(CalendarLink.salt).where(_owner(kind, beneficiary, user, enrolment)).first()
    if row:
        return _url(kind, row["salt"])
    if not create:
        return ""
    salt = new_salt()
    await CalendarLink.insert(CalendarLink(
        kind=kind, organisation=organisation, beneficiary=beneficiary, user=user, enrolment=enrolment, salt=salt,
        token_hash=token_hash(derive_token(settings().secret, kind, salt)), created_at=_now(), content_tag=""))
    return _url(kind, salt)


async def cant_come_url(enrolment: int, organisation: int) -> str:
    return await _link("cant_come", organisation, enrolment=enrolment)


async def feed_url(organisation: int, *, beneficiary: int | None = None, user: int | None = None,
                   create: bool = False) -> str:
    """The person's feed link, '' when none was issued (and create is False)."""
    return await _link("feed", organisation, beneficiary=beneficiary, user=user, create=create)


async def renew_feed(organisation: int, *, beneficiary: int | None = None, user: int | None = None) -> str:
    """Revoke the person's feed link (a lost phone, a link shared by mistake) and issue a new one."""
    async with write_transaction():
        await revoke_feed(beneficiary=beneficiary, user=user)
        return await _link("feed", organisation, beneficiary=beneficiary, user=user)


async def revoke_feed(*, beneficiary: int | None = None, user: int | None = None) -> None:
    await CalendarLink.update({CalendarLink.revoked_at: _now()}).where(_owner("feed", beneficiary, user, None))


async def link_for_token(kind: str, token: str) -> dict | None:
    if not looks_like_token(token):
        return None
    return await CalendarLink.select(*LINK_COLUMNS).where(
        (CalendarLink.token_hash == token_hash(token)) & (CalendarLink.kind == kind)
        & CalendarLink.revoked_at.is_null()).first()


# -- the personal feed ----------------------------------------------------------------------------------------

FEED_ENROLMENTS_SQL = """
SELECT e.id, e.module, e.start_date, e.end_date, b.language,
       COALESCE(NULLIF(b.first_name, ''), b.last_name) AS first_name FROM enrolment e
JOIN beneficiary b ON b.id = e.beneficiary
WHERE e.beneficiary = {} AND e.status IN ('enrolled', 'ended') ORDER BY e.id"""
FEED_MODULES_SQL = 'SELECT f.module FROM module_facilitator f WHERE f."user" = {} ORDER BY f.module'


FEED_LINK_SQL = """
SELECT id, beneficiary, "user", content_tag, content_changed_at, content_body, content_generation
FROM calendar_link WHERE token_hash = {} AND kind = 'feed' AND revoked_at IS NULL"""
STORE_FEED_SQL = """
UPDATE calendar_link SET content_body = {}, content_tag = {}, content_changed_at = {}, content_modules = {}
WHERE id = {} AND content_generation = {}"""


@dataclass(frozen=True)
class Feed:
    tag: str  # ETag: equal tags, equal calendars
    changed_at: dt.datetime  # Last-Modified
    body: bytes


async def feed_link(token: str) -> dict | None:
    """The live feed link behind a token, with its stored body (None until built after a change)."""
    if not looks_like_token(token):
        return None
    rows = await fetch(FEED_LINK_SQL, token_hash(token))
    return rows[0] if rows else None


async def revoked(kind: str, token: str) -> bool:
    """True when the token is one of a link that was revoked (410 Gone rather than 404 for a token never issued)."""
    if not looks_like_token(token):
        return False
    return await CalendarLink.exists().where((CalendarLink.token_hash == token_hash(token)) & (CalendarLink.kind == kind)
                                             & CalendarLink.revoked_at.is_not_null())


async def feed_for(link: dict) -> Feed:
    """The stored calendar when nothing it shows changed since; else built and stored (feedcache.py)."""
    if link["content_body"] is not None and link["content_changed_at"] is not None:
        return Feed(tag=link["content_tag"], changed_at=link["content_changed_at"],
                    body=link["content_body"].encode())
    windows: list[tuple[int, int | None, dt.date | None, dt.date | None]] = []
    language = ""
    if link["beneficiary"]:
        for e in await fetch(FEED_ENROLMENTS_SQL, link["beneficiary"]):
            windows.append((e["module"], e["id"], e["start_date"], e["end_date"]))
            language = e["language"]
        if not windows:
            row = await fetch("SELECT language FROM beneficiary WHERE id = {}", link["beneficiary"])
            language = row[0]["language"] if row else ""
    else:
        windows = [(r["module"], None, None, None) for r in await fetch(FEED_MODULES_SQL, link["user"])]
        row = await fetch("SELECT language FROM account WHERE id = {}", link["user"])
        language = row[0]["language"] if row else ""
    modules = await modules_data(sorted({w[0] for w in windows}))
    shapes = []
    for module_id, enrolment, first, last in windows:
        module = modules[module_id]
        lang = _language(language, module)
        shape = series_shape(module.rule, module.slots, first, last)
        if shape is not None:
            shapes.append((module, enrolment, shape, lang))
    if not language:
        language = _language("", next(iter(modules.values()))) if modules else "fr"
    with i18n.speaking(language):
        name = i18n.gettext("My sessions")
    tag = hashlib.sha256("|".join(
        [name, language] + [shape_tag(shape, m.title, _description(m, lang)) for m, _e, shape, lang in shapes]
    ).encode()).hexdigest()[:32]
    changed_at = link["content_changed_at"]
    if tag != link["content_tag"] or changed_at is None:
        changed_at = _now().replace(microsecond=0)
    events = [_event(m, shape, _uid(m.id, e, link["user"]), 0, lang, None, changed_at) for m, e, shape, lang in shapes]
    body = ics.feed(events, name)
    included = "," + ",".join(str(m) for m in sorted(modules)) + ","
    # Not stored when a change came in since the link was read: the next poll builds it again.
    await fetch(STORE_FEED_SQL, body.decode(), tag, changed_at, included, link["id"], link["content_generation"],
                writes=True)
    return Feed(tag=tag, changed_at=changed_at, body=body)


# -- "can't come" ---------------------------------------------------------------------------------------------

CANT_COME_SQL = """
SELECT e.id, e.module, e.status, e.start_date, e.end_date, e.beneficiary, b.language,
       COALESCE(NULLIF(b.first_name, ''), b.last_name) AS first_name,
       m.title FROM enrolment e JOIN beneficiary b ON b.id = e.beneficiary JOIN module m ON m.id = e.module
WHERE e.id = {}"""
MARKS_SQL = "SELECT session, status, reason FROM mark WHERE beneficiary = {{}} AND session IN ({ids})"


@dataclass(frozen=True)
class ComingSession:
    slot: Slot
    told: bool  # the participant already said they cannot come


async def cant_come_page(link: dict) -> dict | None:
    """The enrolment behind a "can't come" link and its coming sessions (up to the last day of an ended one);
    None when the enrolment is not attended (any more)."""
    rows = await fetch(CANT_COME_SQL, link["enrolment"])
    if not rows or not _attends(rows[0]["status"], rows[0]["end_date"]):
        return None
    e = rows[0]
    module = (await modules_data([e["module"]]))[e["module"]]
    now = _now()
    coming = [s for s in module.slots if not s.cancelled and local_span(s.day, s.starts_at, s.ends_at)[0] > now
              and (not e["start_date"] or s.day >= e["start_date"]) and (not e["end_date"] or s.day <= e["end_date"])]
    told = set()
    if coming:
        ids = ", ".join(str(s.session_id) for s in coming)
        told = {m["session"] for m in await fetch(MARKS_SQL.format(ids=ids), e["beneficiary"])
                if m["status"] == "excused" and m["reason"] == "told_beforehand"}
    return {"enrolment": e, "module": module, "language": _language(e["language"], module),
            "sessions": [ComingSession(s, s.session_id in told) for s in coming]}


async def tell_cant_come(link: dict, session_id: int, coming: bool = False) -> bool:
    """Record an excused absence told beforehand (or take it back); False when the session is not one of
    the person's coming sessions."""
    page = await cant_come_page(link)
    told = {c.slot.session_id: c.told for c in (page["sessions"] if page else [])}
    if session_id not in told or (coming and not told[session_id]):
        return False  # not a coming session of theirs; or a mark set by the facilitator, not theirs to undo
    now = _now()
    tap = Tap(client_id=f"participant-{uuid.uuid4()}", person_id=page["enrolment"]["beneficiary"],
              status="" if coming else "excused", device_time=now, received_at=now,
              reason="" if coming else "told_beforehand")
    await record_tap(session_id, tap, None, "participant link")
    return True


# -- what the person page and the schedule card show ---------------------------------------------------------

async def person_calendar(person: dict) -> dict:
    """The person's last mails, a refused address if any, and their feed link ('' when none)."""
    mails = await OutboxMail.select(
        OutboxMail.id, OutboxMail.kind, OutboxMail.status, OutboxMail.created_at, OutboxMail.sent_at,
        OutboxMail.last_error, OutboxMail.to_address, OutboxMail.module.title,
    ).where(OutboxMail.beneficiary == person["id"]).order_by(OutboxMail.id, ascending=False).limit(10)
    refused = next((m for m in mails if m["status"] in ("refused", "failed")), None)
    return {"mails": mails, "refused": refused, "message": "",
            "feed_url": await feed_url(person["organisation"], beneficiary=person["id"]),
            "status_labels": {k: i18n.gettext(v) for k, v in STATUS_LABELS.items()},
            "kind_labels": {k: i18n.gettext(v) for k, v in KIND_LABELS.items()}}


PERSON_ENROLMENTS_SQL = """
SELECT id, module, start_date, end_date FROM enrolment WHERE beneficiary = {} AND status = 'enrolled' ORDER BY id"""


async def person_schedule(person: dict) -> list[dict]:
    """Each current module of the person with its coming sessions (cancelled ones marked), for the card."""
    enrolments = await fetch(PERSON_ENROLMENTS_SQL, person["id"])
    modules = await modules_data(sorted({e["module"] for e in enrolments}))
    today = _now().astimezone(BRUSSELS).date()
    schedule = []
    for e in enrolments:
        module = modules[e["module"]]
        shape = series_shape(module.rule, module.slots, e["start_date"], e["end_date"])
        language = _language(person["language"], module)
        schedule.append({"title": module.title, "place": module.place, "bring": module.bring,
                         "facilitators": module.first_names, "cpas_name": module.cpas_name(language),
                         "cpas_phone": module.cpas_phone,
                         "sessions": [s for s in (shape.slots if shape else ()) if s.day >= today]})
    return schedule
