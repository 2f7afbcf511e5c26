"""The outbox worker against a real SMTP server (aiosmtpd on 127.0.0.1) and a real database."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections import Counter
from email.message import EmailMessage

import pytest

from planner.invites.delivery import MAX_ATTEMPTS
from planner.invites.tables import OutboxMail
from planner.invites.actions import retry_now
from planner.invites.worker import SmtpConfig, claim_due, run, send_due
from planner.orgs.tables import Organisation
from tests.conftest import SmtpServer

UTC = dt.UTC


def planner_log(caplog) -> str:
    # only our loggers: the test SMTP server (aiosmtpd's "mail.log") logs the addresses it receives
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("planner"))


@pytest.fixture
def no_server():
    """A port where nothing listens (yet)."""
    server = SmtpServer()
    try:
        yield server
    finally:
        server.stop()


async def wait_until(condition, timeout: float = 8.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def now() -> dt.datetime:
    return dt.datetime.now(UTC)


def build_message(message_id: str, to: str, subject: str) -> str:
    message = EmailMessage()
    message["From"] = "CPAS test <planner@cpas.example>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message.set_content("Bonjour,\n\nÀ demain à la séance « Switch ».\n")
    return message.as_string()


async def queue_mails(count: int, to: str = "person{n}@mail.example", **values) -> list[int]:
    org = (await Organisation.insert(Organisation(kind="cpas", name_fr="CPAS test", region="wallonia"))
           .returning(Organisation.id))[0]["id"]
    at = values.pop("next_attempt_at", now())
    rows = []
    for n in range(count):
        message_id = f"<outbox-{n}-{time.monotonic_ns()}@planner.example>"
        address = to.format(n=n)
        rows.append(OutboxMail(organisation=org, kind="invite", to_address=address, language="fr",
                               subject=f"Invitation {n}", message_id=message_id,
                               message=build_message(message_id, address, f"Invitation {n}"),
                               **{"status": "queued", "attempts": 0, "next_attempt_at": at, "created_at": at,
                                  "last_error": "", **values}))
    inserted = await OutboxMail.insert(*rows).returning(OutboxMail.id)
    return sorted(row["id"] for row in inserted)


async def outbox() -> dict[int, dict]:
    return {row["id"]: row for row in await OutboxMail.select().order_by(OutboxMail.id)}


async def test_queued_mails_are_delivered_once_each_and_marked_sent(db, smtp):
    ids = await queue_mails(3)
    before = now()
    assert await send_due(smtp.config()) == 3

    rows = await outbox()
    assert [rows[i]["status"] for i in ids] == ["sent"] * 3
    assert all(rows[i]["sent_at"] >= before and rows[i]["attempts"] == 1 for i in ids)
    assert all(rows[i]["claimed_until"] is None for i in ids)
    assert smtp.inbox.message_ids() == Counter({rows[i]["message_id"]: 1 for i in ids})
    mail_from, rcpt_tos, message = smtp.inbox.messages[0]
    assert mail_from == "planner@cpas.example"
    assert rcpt_tos == [rows[ids[0]]["to_address"]]
    assert "À demain" in message.get_content()

    assert await send_due(smtp.config()) == 0
    assert len(smtp.inbox.messages) == 3


async def test_a_refused_recipient_is_marked_refused_and_the_rest_of_the_batch_still_goes(db, smtp, caplog):
    caplog.set_level(logging.DEBUG, logger="planner.mail")
    ids = await queue_mails(4)
    smtp.inbox.refuse["person1@mail.example"] = "550 5.1.1 Mailbox unknown"
    smtp.inbox.refuse["person2@mail.example"] = "451 4.7.1 Greylisted, try later"
    at = now()
    assert await send_due(smtp.config(), now=at) == 2

    rows = await outbox()
    assert [rows[i]["status"] for i in ids] == ["sent", "refused", "queued", "sent"]
    assert rows[ids[1]]["last_error"] == "550 5.1.1 Mailbox unknown"
    assert rows[ids[1]]["attempts"] == 1
    # 4xx: tried again later
    assert rows[ids[2]]["last_error"].startswith("451")
    assert rows[ids[2]]["attempts"] == 1 and rows[ids[2]]["next_attempt_at"] > at
    assert sorted(to[0] for _f, to, _m in smtp.inbox.messages) == ["person0@mail.example", "person3@mail.example"]
    # A refused mail is not tried again by itself ...
    del smtp.inbox.refuse["person2@mail.example"]
    assert await send_due(smtp.config(), now=at + dt.timedelta(days=1)) == 1  # the greylisted one
    assert (await outbox())[ids[1]]["status"] == "refused"
    # ... until an administrator asks for it.
    smtp.inbox.refuse.clear()
    assert await retry_now(ids[1])
    assert await send_due(smtp.config()) == 1
    assert (await outbox())[ids[1]]["status"] == "sent"
    assert not await retry_now(ids[1])  # a sent mail stays sent
    assert "@" not in planner_log(caplog)  # the log names outbox ids, never addresses
    assert len(smtp.inbox.messages) == 4


async def test_no_server_listening_keeps_the_mails_queued_then_they_arrive_once(db, no_server, caplog):
    ids = await queue_mails(5)
    at = now()
    assert await send_due(no_server.config(), now=at) == 0

    rows = await outbox()
    assert all(rows[i]["status"] == "queued" and rows[i]["attempts"] == 1 for i in ids)
    assert all(rows[i]["next_attempt_at"] > at and rows[i]["last_error"] for i in ids)
    assert "@" not in planner_log(caplog)

    no_server.start()
    assert await send_due(no_server.config(), now=at) == 0  # their time has not come
    assert no_server.inbox.messages == []
    assert await send_due(no_server.config(), now=at + dt.timedelta(minutes=2)) == 5
    rows = await outbox()
    assert all(rows[i]["status"] == "sent" and rows[i]["attempts"] == 2 for i in ids)
    assert no_server.inbox.message_ids() == Counter({rows[i]["message_id"]: 1 for i in ids})


async def test_a_mail_is_failed_after_the_last_attempt(db, no_server):
    [mail] = await queue_mails(1, attempts=MAX_ATTEMPTS - 1)
    assert await send_due(no_server.config()) == 0
    row = (await outbox())[mail]
    assert (row["status"], row["attempts"]) == ("failed", MAX_ATTEMPTS)
    assert await send_due(no_server.config(), now=now() + dt.timedelta(days=30)) == 0  # not tried again
    assert await retry_now(mail)
    assert (await outbox())[mail]["status"] == "queued"


async def test_server_stopped_mid_batch_and_back_every_mail_arrives_exactly_once(db, smtp):
    ids = await queue_mails(30)
    smtp.inbox.hold_after = 4  # the 5th mail is in flight when the server goes down
    stop = asyncio.Event()
    worker = asyncio.create_task(run(smtp.config(retry_seconds=0.05, timeout=2.0), stop, interval=0.05))
    try:
        await wait_until(smtp.inbox.holding.is_set, what="a mail in flight")
        await asyncio.to_thread(smtp.stop)

        async def retries_seen():  # the worker met the dead server at least twice
            rows = (await outbox()).values()
            return sum(row["status"] == "queued" and row["attempts"] >= 1 for row in rows) > 1
        await wait_until(retries_seen, what="failed attempts")
        smtp.inbox.hold_after = None
        await asyncio.to_thread(smtp.start)

        async def all_sent():
            return all(row["status"] == "sent" for row in (await outbox()).values())
        await wait_until(all_sent, what="every mail sent")
    finally:
        stop.set()
        await asyncio.wait_for(worker, 5)

    rows = await outbox()
    assert smtp.inbox.message_ids() == Counter({rows[i]["message_id"]: 1 for i in ids})
    assert len(smtp.inbox.messages) == 30
    assert max(row["attempts"] for row in rows.values()) >= 2  # some of them did wait for the server


async def test_three_workers_at_once_send_each_mail_once(db, smtp):
    ids = await queue_mails(30)
    config = smtp.config()
    assert sum(await asyncio.gather(*(send_due(config, limit=10) for _ in range(3)))) == 30
    assert await send_due(config) == 0
    rows = await outbox()
    assert smtp.inbox.message_ids() == Counter({rows[i]["message_id"]: 1 for i in ids})


async def test_a_mail_left_sending_by_a_dead_worker_is_sent_by_the_next_one(db, smtp):
    at = now()
    [dead] = await queue_mails(1, status="sending", claimed_until=at - dt.timedelta(seconds=1), next_attempt_at=at)
    [leased] = await queue_mails(1, status="sending", claimed_until=at + dt.timedelta(minutes=4), next_attempt_at=at)
    assert await send_due(smtp.config(), now=at) == 1
    rows = await outbox()
    assert rows[dead]["status"] == "sent"
    assert rows[leased]["status"] == "sending"  # still another worker's
    assert smtp.inbox.message_ids() == Counter({rows[dead]["message_id"]: 1})


async def test_concurrent_claims_never_take_the_same_mail(db):
    ids = await queue_mails(20)
    at = now()
    claims = await asyncio.gather(*(claim_due(at, limit=8) for _ in range(3)))
    taken = [row["id"] for claim in claims for row in claim]
    assert len(taken) == len(set(taken))
    assert sorted(taken) == ids
    for claim in claims:
        assert [row["id"] for row in claim] == sorted(row["id"] for row in claim)  # oldest first
    assert await claim_due(at) == []  # all leased
    assert len(await claim_due(at + dt.timedelta(minutes=6))) == 20  # leases over: taken again
    assert all(row["status"] == "sending" for row in (await outbox()).values())


async def test_with_no_host_run_only_ticks_and_sends_nothing(db, smtp):
    await queue_mails(2)
    ticks = 0

    async def tick():
        nonlocal ticks
        ticks += 1
        if ticks == 1:
            raise RuntimeError("a broken reminder query must not stop the worker")

    stop = asyncio.Event()
    worker = asyncio.create_task(run(SmtpConfig(host="", port=smtp.port), stop, interval=0.01, tick=tick))
    try:
        await wait_until(lambda: ticks >= 3, what="three ticks")
    finally:
        stop.set()
        await asyncio.wait_for(worker, 5)
    assert smtp.inbox.messages == []
    assert {row["status"] for row in (await outbox()).values()} == {"queued"}
    assert {row["attempts"] for row in (await outbox()).values()} == {0}


def test_config_from_settings():
    from planner.settings import Settings

    config = SmtpConfig.from_settings(Settings(smtp_host="mail.cpas.example", smtp_port=587, smtp_tls="starttls",
                                               smtp_username="planner", smtp_password="pw", mail_retry_seconds=30))
    assert config == SmtpConfig(host="mail.cpas.example", port=587, tls="starttls", username="planner",
                                password="pw", retry_seconds=30)
    with pytest.raises(ValueError):
        SmtpConfig(host="x", tls="ssl")


def test_send_mail_command_sends_what_is_due_and_says_how_many(db, smtp, monkeypatch, capsys):
    from planner.cli import main

    asyncio.run(queue_mails(2))
    monkeypatch.setenv("PLANNER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PLANNER_SMTP_PORT", str(smtp.port))
    assert main(["send-mail"]) == 0
    assert capsys.readouterr().out.strip() == "2 sent"
    assert len(smtp.inbox.messages) == 2
