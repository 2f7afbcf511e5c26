"""When a reminder mail goes out: the day before each session. Pure rules."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")
SETTINGS = ("auto", "on", "off")
# "auto": a short series gets reminders; in a long one a mail every week becomes noise.
LONG_SERIES = 10
SEND_FROM = dt.time(9, 0)  # Brussels wall-clock, the day before: not a mail at night


def reminders_on(setting: str, planned_sessions: int) -> bool:
    if setting == "on":
        return True
    if setting == "off":
        return False
    return planned_sessions <= LONG_SERIES


def reminder_days(now: dt.datetime) -> tuple[dt.date, ...]:
    """The session days whose reminders are due at this instant: tomorrow once it is 9:00 in Brussels.
    Today is included so a worker that was down at 9:00 the day before still sends before the session
    (the caller keeps only sessions that have not started)."""
    local = now.astimezone(BRUSSELS)
    tomorrow = local.date() + dt.timedelta(days=1)
    return (local.date(), tomorrow) if local.time() >= SEND_FROM else (local.date(),)
