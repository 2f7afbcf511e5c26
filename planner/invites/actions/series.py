"""Calendar series kept in step with the schedule.

`sync_module` runs inside the transaction of every change to a module's schedule, its team or its
enrolments. It recomputes each person's events (the series, the sessions outside the rule) and queues
one mail per event whose content changed: adding one participant does not mail the others, and adding
a session mails that session only.
"""

from __future__ import annotations

import datetime as dt

from planner.db import write_transaction
from planner.invites import ics
from planner.invites.actions.feed import forget_feeds_of_module
from planner.invites.actions.links import cant_come_url
from planner.invites.actions.outbox import queue_mail
from planner.invites.calendar import ModuleData, Reader, coming, description, event, host, letter, parts, uid
from planner.invites.queries import modules_data, readers, settings_or_env, utcnow
from planner.invites.rules import SeriesShape, part_tags, series_shape, shape_tag
from planner.invites.tables import CalendarSeries
from planner.settings import Settings

async def sync_module(module_id: int, settings: Settings | None = None) -> int:
    """Inside the caller's write transaction: queue an invitation, update or cancellation for each person
    whose calendar no longer matches the module. Returns the number of mails queued."""
    settings = settings_or_env(settings)
    await forget_feeds_of_module(module_id)
    module = (await modules_data([module_id])).get(module_id)
    if module is None:
        return 0
    series = await CalendarSeries.select(
        CalendarSeries.id, CalendarSeries.enrolment, CalendarSeries.user, CalendarSeries.uid, CalendarSeries.sequence,
        CalendarSeries.state, CalendarSeries.shape_tag, CalendarSeries.parts).where(CalendarSeries.module == module_id)
    by_reader = {(s["enrolment"], s["user"]): s for s in series}
    queued = 0
    now = utcnow()
    for reader in await readers(module, series):
        current = by_reader.get((reader.enrolment, reader.user))
        shape = series_shape(module.rule, module.slots, reader.first_day, reader.last_day) if reader.active else None
        series_uid = current["uid"] if current else uid(module.id, reader.enrolment, reader.user,
                                                         host(settings.base_url))
        texts = (module.title, description(module, reader.language), reader.email, reader.language)
        had, has = parts(current), part_tags(shape, series_uid, *texts)
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
                                                       uid=series_uid, **values))
        else:
            await CalendarSeries.update({getattr(CalendarSeries, k): v for k, v in values.items()}).where(
                CalendarSeries.id == current["id"])
        # one mail per event: Outlook reads only the first event of an invitation (ics.py)
        for part in changed:
            await _send_request(module, reader, "invite" if fresh else "update", series_uid, part, sequence, shape,
                                now, settings)
        for part in gone:
            await _send_cancel(module, reader, "update" if has else "cancel", series_uid, part, sequence, now, shape,
                               settings)
        queued += len(changed) + len(gone)
    return queued


async def sync_module_now(module_id: int, settings: Settings | None = None) -> int:
    """For a change made outside a write transaction."""
    async with write_transaction():
        return await sync_module(module_id, settings)


async def _send_request(module: ModuleData, reader: Reader, kind: str, series_uid: str, part: str, sequence: int,
                        shape: SeriesShape, now: dt.datetime, settings: Settings) -> None:
    attendee = ics.Person(email=reader.email, name=reader.name)
    body = ics.invitation("REQUEST", event(module, shape, series_uid, sequence, reader.language, attendee, now,
                                           settings.mail_from), part)
    cant_come = await cant_come_url(reader.enrolment, reader.organisation, settings) if reader.enrolment else ""
    await queue_mail(module, reader, letter(module, reader, kind, coming(shape, now), body, cant_come), settings)


async def _send_cancel(module: ModuleData, reader: Reader, kind: str, series_uid: str, part: str, sequence: int,
                       now: dt.datetime, shape: SeriesShape | None, settings: Settings) -> None:
    """METHOD:CANCEL of the event `part`, in a mail of that kind: "cancel" when nothing is left (the mail says
    the enrolment is over), "update" when other events remain (`shape`, listed in the mail)."""
    # the sessions as they were planned for this person, so a calendar that matches by date finds what it removes
    planned = series_shape(module.rule, module.slots, reader.first_day, None) or series_shape(module.rule, module.slots)
    attendee = ics.Person(email=reader.email, name=reader.name)
    body = ics.invitation("CANCEL", event(module, planned, series_uid, sequence, reader.language, attendee, now,
                                          settings.mail_from), part)
    sessions = coming(shape, now) if shape is not None else ()
    cant_come = await cant_come_url(reader.enrolment, reader.organisation, settings) if reader.enrolment and shape else ""
    await queue_mail(module, reader, letter(module, reader, kind, sessions, body, cant_come, method="CANCEL"), settings)
