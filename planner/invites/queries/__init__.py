"""Reads of the invites area, one file per topic: a module's calendar data (calendar.py), secret links
(links.py), the personal feed (feed.py), the pages: can't-come, person page, schedule card, outbox (pages.py).

Functions that build links or UIDs take `settings` (base_url, secret, mail_from): the caller passes its own
(`request.app.state.settings`, the worker's); None reads `Settings.from_env()`, for callers outside a request
(tests, fixtures, other areas' actions).
"""

from planner.invites.queries.calendar import modules_data, readers, settings_or_env, utcnow
from planner.invites.queries.feed import Feed, build_feed, feed_link, stored_feed
from planner.invites.queries.links import (
    feed_url, host_hours_url, link_for_token, link_salt, link_url, live_link, revoked,
)
from planner.invites.queries.pages import (
    ComingSession, cant_come_page, labels, outbox_mails, person_calendar, person_schedule, schedule_card,
    undelivered_counts,
)

__all__ = [
    "ComingSession", "Feed", "build_feed", "cant_come_page", "feed_link", "feed_url", "host_hours_url", "labels", "link_for_token",
    "link_salt", "link_url", "live_link", "modules_data", "outbox_mails", "person_calendar", "person_schedule",
    "readers", "revoked", "schedule_card", "settings_or_env", "stored_feed", "undelivered_counts", "utcnow",
]
