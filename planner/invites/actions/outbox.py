"""The outbox's rows: a mail written in the transaction of the change it tells about (`queue_mail`), then the
worker's claims and outcomes (worker.py), and an administrator's retry.

The claim and "sent" statements are hand-written: they run for every mail (bench/invites.py, worker: 270
mails/s to a local SMTP server on SQLite, about 3.7 ms a mail, where a Piccolo query costs 0.1 to 0.4 ms more).
The failure paths, which no bench takes, are Piccolo queries.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from email.utils import make_msgid

from planner.db import fetch, skip_locked_clause, write_transaction
from planner.invites.delivery import gives_up, retry_delay
from planner.invites import mail
from planner.invites.calendar import ModuleData, Reader, host
from planner.invites.queries import utcnow
from planner.invites.tables import OutboxMail
from planner.settings import Settings

log = logging.getLogger("planner.mail")

LEASE = dt.timedelta(minutes=5)
BATCH = 50
ERROR_LENGTH = 200  # last_error is for the administrator: the reply's first words are enough


def _placeholders(values) -> str:
    return ", ".join("{}" for _ in values)


async def queue_mail(module: ModuleData, reader: Reader, letter: mail.Letter, settings: Settings,
                     dedupe_key: str | None = None) -> bool:
    """Write the whole message into the outbox; False when a mail with this dedupe key exists already."""
    now = utcnow()
    message_id = make_msgid(idstring=secrets.token_hex(6), domain=host(settings.base_url))
    subject, text = mail.message(letter, message_id, settings.mail_from, now)
    query = OutboxMail.insert(OutboxMail(
        organisation=reader.organisation, kind=letter.kind, beneficiary=reader.beneficiary, user=reader.user,
        module=module.id, to_address=reader.email, language=reader.language, subject=subject[:300],
        message_id=message_id, message=text, dedupe_key=dedupe_key, status="queued", attempts=0,
        next_attempt_at=now, last_error="", created_at=now))
    if dedupe_key:
        query = query.on_conflict(target=OutboxMail.dedupe_key, action="DO NOTHING")
    rows = await query.returning(OutboxMail.id)
    return bool(rows)


async def retry_now(mail_id: int) -> bool:
    """An administrator asks to try a refused, failed or waiting mail again: queued, due now, with a
    fresh count of attempts. False when the mail is being sent, already sent, or unknown."""
    async with write_transaction():
        rows = await OutboxMail.update({
            OutboxMail.status: "queued", OutboxMail.attempts: 0, OutboxMail.next_attempt_at: utcnow(),
            OutboxMail.claimed_until: None,
        }).where((OutboxMail.id == mail_id) & OutboxMail.status.is_in(["refused", "failed", "queued"])).returning(
            OutboxMail.id)
    return bool(rows)


DUE = ("(status = 'queued' OR (status = 'sending' AND claimed_until < {})) AND next_attempt_at <= {}")


async def claim_due(now: dt.datetime, limit: int = BATCH, lease: dt.timedelta = LEASE) -> list[dict]:
    """Take up to `limit` due mails, oldest first, for this worker until now + lease.
    Returns dicts with id, to_address, message, message_id, attempts."""
    async with write_transaction():
        rows = await fetch("SELECT id, to_address, message, message_id, attempts FROM outbox_mail WHERE "
                           + DUE + " ORDER BY id LIMIT {}" + skip_locked_clause(), now, now, limit)
        if rows:
            ids = [row["id"] for row in rows]
            await fetch(f"UPDATE outbox_mail SET status = 'sending', claimed_until = {{}} "
                        f"WHERE id IN ({_placeholders(ids)})", now + lease, *ids, writes=True)
    return rows


async def mark_sent(mail_id: int, attempts: int, at: dt.datetime) -> None:
    """Written right after the server's acceptance: the only window for a duplicate is before this
    write succeeds, so a passing database hiccup is tried again a few times."""
    for pause in (0.05, 0.5, None):
        try:
            await fetch("UPDATE outbox_mail SET status = 'sent', sent_at = {}, attempts = {}, claimed_until = NULL, "
                        "last_error = '' WHERE id = {}", at, attempts, mail_id, writes=True)
            return
        except Exception:
            if pause is None:
                raise
            log.warning("outbox %d: could not mark sent, trying again", mail_id)
            await asyncio.sleep(pause)


async def mark_refused(mail_id: int, attempts: int, error: str) -> None:
    """A permanent refusal (5xx, or an address SMTP cannot carry): not tried again by itself."""
    await OutboxMail.update({OutboxMail.status: "refused", OutboxMail.attempts: attempts,
                             OutboxMail.claimed_until: None, OutboxMail.last_error: error[:ERROR_LENGTH]}).where(
        OutboxMail.id == mail_id)


async def mark_retry(mail_id: int, attempts: int, error: str, now: dt.datetime, base_seconds: float) -> str:
    """A transient failure: queued again after delivery.retry_delay, or "failed" after MAX_ATTEMPTS.
    Returns the new status."""
    status = "failed" if gives_up(attempts) else "queued"
    await OutboxMail.update({
        OutboxMail.status: status, OutboxMail.attempts: attempts,
        OutboxMail.next_attempt_at: now + retry_delay(attempts, base_seconds), OutboxMail.claimed_until: None,
        OutboxMail.last_error: error[:ERROR_LENGTH]}).where(OutboxMail.id == mail_id)
    return status


async def release(ids: list[int]) -> None:
    """Back to the queue as they were: not tried, so no attempt counted."""
    if ids:
        await OutboxMail.update({OutboxMail.status: "queued", OutboxMail.claimed_until: None}).where(
            (OutboxMail.status == "sending") & OutboxMail.id.is_in(ids))
