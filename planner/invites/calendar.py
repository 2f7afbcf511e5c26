"""What one module's calendar holds for its readers, and the events and letters built from it. No database,
no clock, no settings: the caller reads the rows (queries/), passes the instant and the settings' values (host,
sender), and writes (actions/)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from planner import i18n
from planner.invites import ics, mail
from planner.invites.rules import BRUSSELS, SeriesShape, Slot
from planner.modules.rules.recurrence import Recurrence

REGION_LANGUAGE = {"flanders": "nl", "german": "de"}  # else French (Wallonia, Brussels)


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


def host(base_url: str) -> str:
    """The host name of the public address: the right-hand side of UIDs and Message-IDs."""
    return urlsplit(base_url).hostname or "planner.invalid"


def language(person_language: str, module: ModuleData) -> str:
    """The person's own language, else the one of the CPAS's region."""
    if person_language in i18n.LANGUAGES:
        return person_language
    return REGION_LANGUAGE.get(module.region, "fr")


def uid(module_id: int, enrolment_id: int | None, user_id: int | None, host_name: str) -> str:
    """The stable UID of a reader's series of one module."""
    who = f"e{enrolment_id}" if enrolment_id else f"u{user_id}"
    return f"planner-m{module_id}-{who}@{host_name}"


def attends(status: str, end_date: dt.date | None) -> bool:
    """An ended enrolment keeps its sessions up to its last day (on the roll, in the calendar, reminded)."""
    return status == "enrolled" or (status == "ended" and end_date is not None)


def parts(current: dict | None) -> dict[str, str]:
    """{UID: tag} of the events the reader's calendar holds now, as last sent (rules.part_tags). A series saved
    before `parts` existed holds its own UID, with no tag: it is sent again."""
    if current is None or current["state"] != "active":
        return {}
    found = dict(part.partition("=")[::2] for part in (current["parts"] or "").split())
    return found or {current["uid"]: ""}


def coming(shape: SeriesShape, now: dt.datetime) -> tuple[Slot, ...]:
    """The shape's sessions from today (Brussels) on."""
    today = now.astimezone(BRUSSELS).date()
    return tuple(s for s in shape.slots if s.day >= today)


def description(module: ModuleData, language_code: str) -> str:
    """The event's DESCRIPTION in the reader's language: what to bring, who leads, whom to call."""
    with i18n.speaking(language_code):
        lines = []
        if module.bring:
            lines.append(i18n.gettext("Bring: %(what)s", what=module.bring))
        if module.first_names:
            lines.append(i18n.gettext("Facilitator: %(names)s", names=module.first_names))
        if module.cpas_phone:
            lines.append(i18n.gettext("Questions? Call %(cpas)s: %(phone)s", cpas=module.cpas_name(language_code),
                                      phone=module.cpas_phone))
    return "\n".join(lines)


def event(module: ModuleData, shape: SeriesShape | None, series_uid: str, sequence: int, language_code: str,
          attendee: ics.Person | None, stamp: dt.datetime, sender: str) -> ics.SeriesEvent:
    """The reader's events of the module; `sender` is the settings' mail_from."""
    # The ORGANIZER is the address the mail comes From (mail.message): Gmail and Outlook apply an update only
    # when the two agree. The CPAS's own address is the mail's Reply-To.
    organizer = ics.Person(email=sender, name=module.cpas_name(language_code))
    cancelled = mail.SUBJECTS["cancel"]  # a name, not a literal, inside gettext(): Babel would extract "cancel"
    with i18n.speaking(language_code):
        cancelled_summary = i18n.gettext(cancelled, title=module.title)
    return ics.SeriesEvent(uid=series_uid, sequence=sequence, summary=module.title,
                           description=description(module, language_code), shape=shape, organizer=organizer,
                           attendee=attendee, stamp=stamp, cancelled_summary=cancelled_summary)


def letter(module: ModuleData, reader: Reader, kind: str, sessions: tuple[Slot, ...], body: bytes,
           cant_come: str, method: str = "") -> mail.Letter:
    """What one mail to the reader says (mail.KINDS), with the invitation `body` (b"" for a reminder)."""
    return mail.Letter(
        kind=kind, language=reader.language, to_name=reader.name, to_email=reader.email,
        first_name=reader.first_name, title=module.title, cpas_name=module.cpas_name(reader.language),
        cpas_phone=module.cpas_phone, cpas_email=module.cpas_email, place=module.place,
        facilitators=module.first_names, bring=module.bring, sessions=sessions, cant_come_url=cant_come,
        ics=body, facilitator=reader.user is not None, method=method)
