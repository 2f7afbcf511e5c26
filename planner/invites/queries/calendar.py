"""What a module's calendar holds, read in three queries whatever the number of modules; who reads it."""

from __future__ import annotations

import datetime as dt

from planner import i18n
from planner.auth.tables import User
from planner.db import fetch
from planner.enrolment.tables import Enrolment
from planner.invites.calendar import ModuleData, Reader, attends, language
from planner.invites.rules import Slot
from planner.modules.rules.recurrence import KINDS, Recurrence, recurrence_problems
from planner.names import display_name
from planner.settings import Settings


def settings_or_env(settings: Settings | None) -> Settings:
    """The caller's settings, else the environment's (tests, fixtures, actions of other areas)."""
    return settings if settings is not None else Settings.from_env()


def utcnow() -> dt.datetime:
    """Now, aware UTC (events are UTC timestamps; a Brussels date is derived from it where needed)."""
    return dt.datetime.now(dt.timezone.utc)


# Hand-written: every feed rebuild reads these (bench/invites.py, "first poll after a change" 10.7 ms on SQLite,
# where each Piccolo query costs 0.1 to 0.4 ms more than these); three queries whatever the number of modules.
# Reads that only a schedule change makes (163 ms for 16 invitations, mostly rendering) are Piccolo queries.
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
    """{module id: ModuleData}, unknown ids left out. Three queries whatever the number of modules (a
    facilitator's feed spans many)."""
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


async def readers(module: ModuleData, series: list[dict]) -> list[Reader]:
    """Everyone whose calendar holds (or held: `series`, rows of CalendarSeries) a series of the module and who
    has an address: its participants, its team, and those taken off the team (inactive)."""
    found = []
    for e in await Enrolment.select(
        Enrolment.id, Enrolment.status, Enrolment.start_date, Enrolment.end_date, Enrolment.organisation,
        Enrolment.beneficiary, Enrolment.beneficiary.first_name.as_alias("first_name"),
        Enrolment.beneficiary.last_name.as_alias("last_name"), Enrolment.beneficiary.email.as_alias("email"),
        Enrolment.beneficiary.language.as_alias("language"),
    ).where((Enrolment.module == module.id) & Enrolment.status.is_in(["enrolled", "ended"])).order_by(Enrolment.id):
        if (e["email"] or "").strip():
            found.append(Reader(
                enrolment=e["id"], user=None, beneficiary=e["beneficiary"], organisation=e["organisation"],
                name=display_name(e["first_name"], e["last_name"]),
                first_name=e["first_name"] or e["last_name"], email=e["email"].strip(),
                language=language(e["language"], module), first_day=e["start_date"],
                last_day=e["end_date"], active=attends(e["status"], e["end_date"])))
    team = {f["id"] for f in module.facilitators}
    for f in module.facilitators:
        if (f["email"] or "").strip():
            found.append(Reader(enrolment=None, user=f["id"], beneficiary=None, organisation=module.organisation,
                                name=f["full_name"], first_name=(f["full_name"].split() or [""])[0],
                                email=f["email"], language=language(f["language"], module),
                                first_day=None, last_day=None, active=True))
    # someone taken off the team: their series is cancelled
    gone = [s["user"] for s in series if s["user"] and s["user"] not in team and s["state"] == "active"]
    if gone:
        for u in await User.select(User.id, User.full_name, User.email, User.language).where(User.id.is_in(gone)):
            found.append(Reader(enrolment=None, user=u["id"], beneficiary=None, organisation=module.organisation,
                                name=u["full_name"], first_name=(u["full_name"].split() or [""])[0],
                                email=u["email"], language=language(u["language"], module),
                                first_day=None, last_day=None, active=False))
    return found


