"""Writes of the invites area, one file per topic; other areas call them from here (`planner.invites.actions`).

- series.py: calendar series kept in step with a module's schedule, team and enrolments (`sync_module`);
- outbox.py: writing a finished mail into the outbox, retrying one;
- reminders.py: the reminder mails of the day before;
- links.py: issuing, renewing and revoking secret links;
- feed.py: storing and forgetting feed bodies (other areas forget feeds through here);
- cant_come.py: a participant's "I can't come".

Functions that build links, UIDs or mails take `settings`; None reads `Settings.from_env()` (queries.py).
"""

from planner.invites.actions.cant_come import tell_cant_come
from planner.invites.actions.feed import feed_for, forget_all_feeds, forget_feeds_of_module, forget_feeds_of_person
from planner.invites.actions.links import (
    cant_come_url, feed_url, host_hours_link, renew_feed, revoke_feed, revoke_host_hours,
)
from planner.invites.actions.outbox import queue_mail, retry_now
from planner.invites.actions.reminders import queue_reminders
from planner.invites.actions.series import sync_module, sync_module_now

__all__ = [
    "cant_come_url", "feed_for", "feed_url", "forget_all_feeds", "forget_feeds_of_module", "forget_feeds_of_person",
    "host_hours_link", "queue_mail", "queue_reminders", "renew_feed", "retry_now", "revoke_feed", "revoke_host_hours", "sync_module", "sync_module_now",
    "tell_cant_come",
]
