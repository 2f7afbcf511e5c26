"""The personal feed: the link behind a phone's token, its stored calendar, or the calendar built anew."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from planner import i18n
from planner.i18n import N_
from planner.auth.tables import User
from planner.db import fetch
from planner.invites import ics
from planner.invites.calendar import description, event, host, language, uid
from planner.invites.queries.calendar import modules_data, settings_or_env, utcnow
from planner.invites.rules import series_shape, shape_tag
from planner.invites.tokens import looks_like_token, token_hash
from planner.modules.tables import ModuleFacilitator
from planner.people.tables import Beneficiary
from planner.piis.queries import calendar_evaluations
from planner.settings import Settings

# Hand-written: one read per phone poll (bench/invites.py, feed median 0.72 ms on SQLite, 1.8x a bare route).
FEED_LINK_SQL = """
SELECT id, beneficiary, "user", content_tag, content_changed_at, content_body, content_generation, content_sequence
FROM calendar_link WHERE token_hash = {} AND kind = 'feed' AND revoked_at IS NULL"""
# Hand-written: read by every rebuild of a participant's feed ("first poll after a change" 10.7 ms on SQLite);
# measured in the bench's database, 0.015 ms against 0.19 ms for the same Piccolo query.
FEED_ENROLMENTS_SQL = """
SELECT e.id, e.module, e.start_date, e.end_date, b.language FROM enrolment e
JOIN beneficiary b ON b.id = e.beneficiary
WHERE e.beneficiary = {} AND e.status IN ('enrolled', 'ended') ORDER BY e.id"""


# A staff member's PIIS evaluation in their calendar: the file reference, never the person's name.
EVALUATION_SUMMARY = N_("PIIS evaluation %(number)s · %(reference)s")


@dataclass(frozen=True)
class Feed:
    tag: str  # ETag: equal tags, equal calendars
    changed_at: dt.datetime  # Last-Modified
    body: bytes
    sequence: int = 0  # SEQUENCE of its series' events (content_sequence)
    modules: str = ""  # ",1,2," the modules it shows (content_modules); "" for a stored one


async def feed_link(token: str) -> dict | None:
    """The live feed link behind a token, with its stored body (None until built after a change)."""
    if not looks_like_token(token):
        return None
    rows = await fetch(FEED_LINK_SQL, token_hash(token))
    return rows[0] if rows else None


def stored_feed(link: dict) -> Feed | None:
    """The calendar stored in the link (a row of feed_link), None when a change made it go."""
    if link["content_body"] is not None and link["content_changed_at"] is not None:
        return Feed(tag=link["content_tag"], changed_at=link["content_changed_at"], body=link["content_body"].encode())
    return None


async def build_feed(link: dict, settings: Settings | None = None) -> Feed:
    """The link's calendar built from the schedule; its date and SEQUENCE stay the stored ones when the tag is
    unchanged, else the date is now and the SEQUENCE one more."""
    windows: list[tuple[int, int | None, dt.date | None, dt.date | None]] = []
    person_language = ""
    if link["beneficiary"]:
        for e in await fetch(FEED_ENROLMENTS_SQL, link["beneficiary"]):
            windows.append((e["module"], e["id"], e["start_date"], e["end_date"]))
            person_language = e["language"]
        if not windows:
            row = await Beneficiary.select(Beneficiary.language).where(Beneficiary.id == link["beneficiary"]).first()
            person_language = row["language"] if row else ""
    else:
        windows = [(r["module"], None, None, None) for r in await ModuleFacilitator.select(ModuleFacilitator.module)
                   .where(ModuleFacilitator.user == link["user"]).order_by(ModuleFacilitator.module)]
        row = await User.select(User.language).where(User.id == link["user"]).first()
        person_language = row["language"] if row else ""
    evaluations = await calendar_evaluations(link["user"]) if link["user"] else []
    modules = await modules_data(sorted({w[0] for w in windows}))
    shapes = []
    for module_id, enrolment, first, last in windows:
        module = modules[module_id]
        lang = language(person_language, module)
        shape = series_shape(module.rule, module.slots, first, last)
        if shape is not None:
            shapes.append((module, enrolment, shape, lang))
    if not person_language:
        person_language = language("", next(iter(modules.values()))) if modules else "fr"
    with i18n.speaking(person_language):
        name = i18n.gettext("My sessions")
        summaries = [i18n.gettext(EVALUATION_SUMMARY, number=e["number"], reference=e["file_reference"])
                     for e in evaluations]
    tag = hashlib.sha256("|".join(
        [str(ics.FEED_FORMAT), name, person_language]
        + [shape_tag(shape, m.title, description(m, lang)) for m, _e, shape, lang in shapes]
        + [f"{e['id']}:{e['day']}:{e['sequence']}:{s}" for e, s in zip(evaluations, summaries)]
    ).encode()).hexdigest()[:32]
    changed_at, sequence = link["content_changed_at"], link["content_sequence"] or 0
    if tag != link["content_tag"] or changed_at is None:
        changed_at = utcnow().replace(microsecond=0)
        sequence += 1
    settings = settings_or_env(settings)
    host_name = host(settings.base_url)
    events = [event(m, shape, uid(m.id, e, link["user"], host_name), sequence, lang, None, changed_at,
                    settings.mail_from) for m, e, shape, lang in shapes]
    days = [ics.DayEvent(uid=f"planner-piis-e{e['id']}@{host_name}", sequence=e["sequence"], summary=summary,
                         day=e["day"], stamp=changed_at) for e, summary in zip(evaluations, summaries)]
    return Feed(tag=tag, changed_at=changed_at, body=ics.feed(events, name, days), sequence=sequence,
                modules="," + ",".join(str(m) for m in sorted(modules)) + ",")


