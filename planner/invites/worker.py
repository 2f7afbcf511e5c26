"""The outbox worker: sends the queued mails through SMTP, each one once.

Every app process runs `run()` in the background (and `python -m planner send-mail` runs it alone).
A mail is a row of OutboxMail, written in the same transaction as the change it tells about, with
the complete message already built. The worker:

1. claims a batch of due mails in one write transaction: they become "sending", leased to this
   worker until `claimed_until` (PostgreSQL: FOR UPDATE SKIP LOCKED, so two processes never take the
   same row; SQLite: BEGIN IMMEDIATE holds the whole database). A worker that dies leaves its mails
   "sending"; once the lease is over, the next worker takes them again. (These writes, like every
   write to the outbox, are in actions/outbox.py; this file is the loop and SMTP.)
2. sends the batch over one SMTP connection and, right after the server accepts a mail, marks it
   "sent". A permanent refusal (5xx) marks it "refused"; a transient failure (4xx, no answer, lost
   connection) puts it back in the queue for later (delivery.retry_delay), and after
   delivery.MAX_ATTEMPTS it is "failed". Mails of the batch not tried yet go back to the queue as
   they were.

So a mail is sent again only if the server accepted it and the worker stopped before writing
"sent" (a crash, a cut database, a reply lost on the way back): the resent copy carries the same
Message-ID, by which receivers recognise it.

The log names mails by their outbox id only, never by address.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.parser import HeaderParser
from email.utils import getaddresses

import aiosmtplib

from planner.invites.actions.outbox import BATCH, LEASE, claim_due, mark_refused, mark_retry, mark_sent, release
from planner.invites.delivery import classify

log = logging.getLogger("planner.mail")

TLS_MODES = ("none", "starttls", "tls")


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 25
    tls: str = "none"  # none | starttls | tls
    username: str = ""
    password: str = ""
    timeout: float = 30.0
    retry_seconds: float = 60.0

    def __post_init__(self) -> None:
        if self.tls not in TLS_MODES:
            raise ValueError(f"smtp tls must be one of {', '.join(TLS_MODES)}, not {self.tls!r}")

    @classmethod
    def from_settings(cls, settings) -> SmtpConfig:
        return cls(host=settings.smtp_host, port=settings.smtp_port, tls=settings.smtp_tls,
                   username=settings.smtp_username, password=settings.smtp_password,
                   retry_seconds=settings.mail_retry_seconds)

    def client(self) -> aiosmtplib.SMTP:
        return aiosmtplib.SMTP(hostname=self.host, port=self.port, use_tls=self.tls == "tls",
                               start_tls=self.tls == "starttls", timeout=self.timeout,
                               username=self.username or None, password=self.password or None)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# ---- SMTP -------------------------------------------------------------------------------------

def envelope_sender(message: str) -> str:
    """The address in the stored message's Sender header, or else its From header."""
    headers = HeaderParser().parsestr(message, headersonly=True)
    for name in ("Sender", "From"):
        value = headers.get(name)
        if value:
            addresses = [addr for _name, addr in getaddresses([str(value)]) if addr]
            if addresses:
                return addresses[0]
    return ""


def _options(smtp: aiosmtplib.SMTP, sender: str, recipient: str, data: bytes) -> list[str]:
    options = []
    if not data.isascii() and smtp.supports_extension("8bitmime"):
        options.append("BODY=8BITMIME")
    if not (sender.isascii() and recipient.isascii()):
        options.append("SMTPUTF8")  # aiosmtplib raises SMTPNotSupported if the server lacks it
    return options


async def _greet(smtp: aiosmtplib.SMTP) -> None:
    """EHLO (HELO for an old server) once, so the server's extensions are known before the first mail."""
    if smtp.is_ehlo_or_helo_needed:
        try:
            await smtp.ehlo()
        except aiosmtplib.SMTPHeloError:
            await smtp.helo()


def _reply(code: int | None, text: str) -> str:
    return f"{code} {' '.join(str(text).split())}" if code is not None else ' '.join(str(text).split())


@dataclass
class Batch:
    claimed: int = 0
    sent: int = 0
    broken: bool = False  # the server could not be reached, or the connection broke: wait before more


async def send_batch(config: SmtpConfig, now: dt.datetime | None = None, limit: int = BATCH,
                     should_stop: Callable[[], bool] = lambda: False) -> Batch:
    """Claim the due mails and send them over one connection (see the module's docstring)."""
    clock = (lambda: now) if now is not None else _utcnow
    # Never send on a lease that may run out meanwhile: another worker would take the mail too.
    # One mail is at most a few replies, each waited for `timeout` seconds.
    lease = max(LEASE, dt.timedelta(seconds=10 * config.timeout))
    rows = await claim_due(clock(), limit, lease)
    batch = Batch(claimed=len(rows))
    if not rows:
        return batch
    stop_at = time.monotonic() + lease.total_seconds() - 5 * config.timeout
    pending = list(rows)
    smtp = config.client()
    try:
        try:
            await smtp.connect()
            await _greet(smtp)
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            # Every claimed mail had its try: the server is down, refuses us, or the login failed.
            batch.broken = True
            code = getattr(exc, "code", None)
            error = _reply(code, getattr(exc, "message", "") or type(exc).__name__)
            log.warning("mail server %s:%d unreachable (%s); %d mails wait", config.host, config.port,
                        code or type(exc).__name__, len(rows))
            pending = []
            for row in rows:
                if await mark_retry(row["id"], row["attempts"] + 1, error, clock(), config.retry_seconds) == "failed":
                    log.error("outbox %d failed after %d attempts", row["id"], row["attempts"] + 1)
            return batch

        while pending and smtp.is_connected and time.monotonic() < stop_at and not should_stop():
            row = pending.pop(0)
            sent, lost = await _send_one(smtp, row, config, clock)
            batch.sent += sent
            if lost:
                batch.broken = True
                break
    finally:
        await release([row["id"] for row in pending])
        await _close(smtp)
    return batch


async def _send_one(smtp: aiosmtplib.SMTP, row: dict, config: SmtpConfig, clock) -> tuple[int, bool]:
    """Send one claimed mail and record what came of it. Returns (sent, connection lost)."""
    mail_id, attempts = row["id"], row["attempts"] + 1
    data = row["message"].encode("utf-8")
    sender = envelope_sender(row["message"])
    try:
        await smtp.sendmail(sender, [row["to_address"]], data,
                            mail_options=_options(smtp, sender, row["to_address"], data))
    except aiosmtplib.SMTPRecipientsRefused as exc:
        refusal = exc.recipients[0]
        return 0, await _failed(mail_id, attempts, refusal.code, refusal.message, config, clock, smtp)
    except aiosmtplib.SMTPResponseException as exc:  # sender refused, message refused, 421 closing ...
        return 0, await _failed(mail_id, attempts, exc.code, exc.message, config, clock, smtp)
    except (ValueError, aiosmtplib.SMTPNotSupported) as exc:
        # An address that cannot be written in SMTP (or needs SMTPUTF8 the server lacks): no retry helps.
        log.warning("outbox %d refused before sending: %s", mail_id, type(exc).__name__)
        await mark_refused(mail_id, attempts, f"not sendable: {exc}")
        return 0, False
    except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
        # Lost connection or timeout: the server may or may not have the mail; it is tried again.
        log.warning("outbox %d: connection lost (%s), will retry", mail_id, type(exc).__name__)
        status = await mark_retry(mail_id, attempts, _reply(None, f"{type(exc).__name__}: {exc}"), clock(),
                                   config.retry_seconds)
        if status == "failed":
            log.error("outbox %d failed after %d attempts", mail_id, attempts)
        return 0, True
    await mark_sent(mail_id, attempts, clock())
    log.debug("outbox %d sent", mail_id)
    return 1, False


async def _failed(mail_id: int, attempts: int, code: int, text: str, config: SmtpConfig, clock,
                  smtp: aiosmtplib.SMTP) -> bool:
    """A reply that says no. Returns True when the connection cannot take the next mail."""
    error = _reply(code, text)
    if classify(code) == "refused":
        log.warning("outbox %d refused by the mail server (%d)", mail_id, code)
        await mark_refused(mail_id, attempts, error)
    else:
        status = await mark_retry(mail_id, attempts, error, clock(), config.retry_seconds)
        log.warning("outbox %d deferred by the mail server (%d)%s", mail_id, code,
                    ", given up" if status == "failed" else "")
    return code == 421 or not smtp.is_connected


async def _close(smtp: aiosmtplib.SMTP) -> None:
    if smtp.is_connected:
        try:
            await smtp.quit(timeout=min(smtp.timeout or 5.0, 5.0))
        except (TimeoutError, aiosmtplib.SMTPException, OSError):
            pass
    smtp.close()


async def send_due(config: SmtpConfig, now: dt.datetime | None = None, limit: int = BATCH) -> int:
    """Claim and send one batch of due mails; returns how many the server accepted."""
    return (await send_batch(config, now, limit)).sent


async def send_all_due(config: SmtpConfig, should_stop: Callable[[], bool] = lambda: False) -> int:
    """Batches until nothing is due, or the server is unreachable; returns how many were sent."""
    total = 0
    while not should_stop():
        batch = await send_batch(config, None, BATCH, should_stop)
        total += batch.sent
        if batch.broken or batch.claimed < BATCH:
            break
    return total


async def run(config: SmtpConfig, stop: asyncio.Event, interval: float = 5.0,
              tick: Callable[[], Awaitable[object]] | None = None) -> None:
    """Until `stop` is set: queue what is due (tick), send what is due, then sleep `interval`.
    With no SMTP host, mails stay in the outbox, where the administrators read them."""
    while not stop.is_set():
        if tick is not None:
            try:
                await tick()
            except Exception:
                log.exception("mail worker: the tick failed")
        if config.host:
            try:
                await send_all_due(config, stop.is_set)
            except Exception:
                log.exception("mail worker: sending failed")
        try:
            await asyncio.wait_for(stop.wait(), interval)
        except TimeoutError:
            pass
