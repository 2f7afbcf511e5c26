"""Modules as the pure invites tests describe them: a weekly rule and the sessions it planned."""

import datetime as dt
import zoneinfo

from planner.invites.rules import Slot
from planner.modules.rules.recurrence import Recurrence, plan_dates

BXL = zoneinfo.ZoneInfo("Europe/Brussels")
UTC = dt.timezone.utc
ROOM = "Salle Europe, Rue de Fer 1, 5000 Namur"
NINE, ELEVEN = dt.time(9), dt.time(11)


def weekly(start, end, *weekdays, interval=1, starts_at=NINE, ends_at=ELEVEN):
    return Recurrence("weekly", start, end, starts_at, ends_at, weekdays=weekdays, interval=interval)


def planned(rule, location=ROOM):
    """The sessions the module generated: the rule's days minus Belgian holidays."""
    days, _skipped = plan_dates(rule, "brussels", {}, "fr")
    return [Slot(n, day, rule.starts_at, rule.ends_at, location=location) for n, day in enumerate(days, start=1)]


def replace(slots, session_id, **changes):
    return [Slot(**{**s.__dict__, **changes}) if s.session_id == session_id else s for s in slots]
