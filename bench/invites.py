"""Calendar invites: serving a personal feed, queueing the mails of a schedule change, sending the outbox.

    .venv/bin/python bench/invites.py
    PLANNER_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/invites.py

- feed: the app under uvicorn (one worker, as `planner serve` runs it); a phone fetches the feed of a
  person enrolled in a year of weekly sessions (some moved or cancelled), over a kept-alive connection.
  Polls are answered from the stored calendar; the first poll after a change rebuilds it, shown apart.
  A bare Litestar route answering the same bytes is measured in the same run, as the floor.
- queueing: a session of a module with 15 participants and one facilitator moves; the time of that
  change, with the 16 updated invitations rendered and written to the outbox in its transaction.
- sending: the outbox worker sends 500 mails to a local aiosmtpd server.
Prints figures, then one TARGET line per target.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from servers import bare_server, engines, free_port, insert, planner_server, prepare, temp_folder  # noqa: E402
from planner.i18n import today as brussels_today  # noqa: E402  the sessions' calendar day, not UTC's

TMP = temp_folder("invites")
ENGINES = engines(TMP)
FEED_REQUESTS, REBUILDS, PARTICIPANTS, MOVES, MAILS = 300, 50, 15, 10, 500
SECRET = "bench-secret"
os.environ.update({"PLANNER_SECRET": SECRET, "PLANNER_DATABASE_URL": ENGINES["sqlite"]})

BARE = '''
from litestar import Litestar, get
from litestar.response import Response
BODY = open(__import__("os").environ["BODY_FILE"], "rb").read()
@get("/feed.ics", sync_to_thread=False)
def feed() -> Response:
    return Response(BODY, media_type="text/calendar; charset=utf-8")
app = Litestar([feed])
'''


async def seed() -> dict:
    """A CPAS, a module with a year of weekly sessions, 15 participants with e-mail, one facilitator."""
    from planner.auth.tables import User
    from planner.enrolment.tables import Enrolment
    from planner.invites import actions as invites
    from planner.modules import actions as modules
    from planner.modules.rules.recurrence import Recurrence, plan_dates
    from planner.modules.tables import Module, ModuleFacilitator, Session
    from planner.orgs.tables import Organisation, Room, Site
    from planner.people.tables import Beneficiary

    org = await insert(Organisation(kind="cpas", name_fr="CPAS de Banc", region="wallonia", phone="081 00 00 00",
                                    email="activation@banc.example"))
    site = await insert(Site(organisation=org, name="Maison", street="Rue Haute 1", postcode="5000", city="Namur"))
    room = await insert(Room(site=site, organisation=org, name="Salle 1"))
    module = await insert(Module(organisation=org, title="Parler pour agir", module_type="language", strand="B",
                                 aim="social_activation", composition="mixed", capacity=20, minimum_size=1,
                                 languages="fr", bring="Un cahier"))
    facilitator = await insert(User(email="anim@banc.example", full_name="Anne Animatrice", language="fr"))
    await ModuleFacilitator.insert(ModuleFacilitator(module=module, user=facilitator))
    today = brussels_today()
    rule = Recurrence(kind="weekly", start=today, end=today + dt.timedelta(days=364), starts_at=dt.time(9, 30),
                      ends_at=dt.time(12), weekdays=(today.weekday(),))
    days, _skipped = plan_dates(rule, "wallonia", {}, "fr")
    await modules.save_schedule(module, rule, days, room)
    people = []
    for n in range(PARTICIPANTS):
        person = await insert(Beneficiary(organisation=org, first_name=f"P{n}", last_name=f"Person {n:02d}",
                                          gender="F", birth_date=dt.date(1990, 1, 1), language="fr nl de en".split()[n % 4],
                                          status="ri", email=f"p{n}@mail.example"))
        people.append(person)
        await Enrolment.insert(Enrolment(module=module, beneficiary=person, organisation=org, status="enrolled",
                                         start_date=today))
    await invites.sync_module_now(module)
    sessions = await Session.select(Session.id, Session.day).where(Session.module == module).order_by(Session.day)
    await modules.cancel_session(sessions[5]["id"], "Formation")
    await modules.move_session(sessions[8]["id"], sessions[8]["day"] + dt.timedelta(days=1), dt.time(13), dt.time(16), room)
    link = await invites.renew_feed(org, beneficiary=people[0])
    return {"module": module, "room": room, "sessions": sessions, "feed": link.split("127.0.0.1:8000")[-1]}


def median_ms(client, path: str, headers: dict | None = None, expect: int = 200) -> float:
    times = []
    for _ in range(FEED_REQUESTS):
        started = time.perf_counter()
        response = client.get(path, headers=headers or {})
        times.append(time.perf_counter() - started)
        assert response.status_code == expect, response.status_code
    return statistics.median(times) * 1000


def rebuild_ms(client, path: str) -> float:
    """The one poll per change that builds the calendar again: the stored body is forgotten first."""
    from planner.invites.actions import forget_all_feeds

    times = []
    for _ in range(REBUILDS):
        asyncio.run(forget_all_feeds())
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return statistics.median(times) * 1000


async def queue_time(world: dict) -> float:
    """Median time of moving a session back and forth: each move updates 16 invitations."""
    from planner.invites.tables import OutboxMail
    from planner.modules import actions as modules

    session = world["sessions"][20]
    times = []
    for n in range(MOVES):
        before = await OutboxMail.count()
        day = session["day"] + dt.timedelta(days=1 if n % 2 == 0 else 0)
        started = time.perf_counter()
        await modules.move_session(session["id"], day, dt.time(9, 30), dt.time(12), world["room"])
        times.append(time.perf_counter() - started)
        assert await OutboxMail.count() - before == PARTICIPANTS + 1
    return statistics.median(times) * 1000


async def send_rate() -> float:
    from aiosmtpd.controller import Controller

    from planner.db import fetch
    from planner.invites.tables import OutboxMail
    from planner.invites.worker import SmtpConfig, send_due

    class Sink:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Sink.count += 1
            return "250 OK"

    await OutboxMail.update({OutboxMail.status: "sent"}).where(OutboxMail.status == "queued")
    template = (await OutboxMail.select().first())
    now = dt.datetime.now(dt.timezone.utc)
    for n in range(MAILS):
        await OutboxMail.insert(OutboxMail(**{
            **{k: v for k, v in template.items() if k != "id"}, "message_id": f"<bench-{n}-{time.time_ns()}@x>",
            "status": "queued", "attempts": 0, "next_attempt_at": now, "sent_at": None, "dedupe_key": None}))
    port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = SmtpConfig(host="127.0.0.1", port=port)
        started = time.perf_counter()
        sent = 0
        while sent < MAILS:
            done = await send_due(config)
            if not done:
                break
            sent += done
        elapsed = time.perf_counter() - started
    finally:
        controller.stop()
    left = (await fetch("SELECT COUNT(*) AS n FROM outbox_mail WHERE status = 'queued'"))[0]["n"]
    assert sent == MAILS and left == 0, (sent, left)
    return sent / elapsed


def main() -> None:
    import httpx

    lines, results = [], {}
    for engine, url in ENGINES.items():
        env = {"PLANNER_DATABASE_URL": url, "PLANNER_SECRET": SECRET, "PLANNER_MAIL_WORKER": "0"}
        prepare(engine, url, env)
        world = asyncio.run(seed())
        with planner_server(env) as base, httpx.Client(base_url=base, timeout=30) as client:
            first = client.get(world["feed"])
            assert first.status_code == 200, first.status_code
            body = first.content
            full = median_ms(client, world["feed"])
            cached = median_ms(client, world["feed"], {"If-None-Match": first.headers["etag"]}, expect=304)
            rebuilt = rebuild_ms(client, world["feed"])
        queued = asyncio.run(queue_time(world))
        rate = asyncio.run(send_rate())
        results[engine] = (full, cached, rebuilt, queued, rate, len(body))
    (TMP / "body.ics").write_bytes(body)
    with bare_server(BARE, TMP, {"BODY_FILE": str(TMP / "body.ics")}) as base, \
            httpx.Client(base_url=base, timeout=30) as client:
        floor = median_ms(client, "/feed.ics")
    print(f"bare Litestar route answering the same {results['sqlite'][5]} bytes: median {floor:.2f} ms")
    for engine, (full, cached, rebuilt, queued, rate, size) in results.items():
        print(f"{engine}: feed of a year of weekly sessions ({size} bytes) median {full:.2f} ms "
              f"({full / floor:.1f}x the bare route), 304 answer {cached:.2f} ms, "
              f"first poll after a change (calendar rebuilt and stored) {rebuilt:.2f} ms; "
              f"a schedule change queueing {PARTICIPANTS + 1} invitations: median {queued:.1f} ms; "
              f"worker: {rate:.0f} mails/s to a local SMTP server")
        lines += [f"TARGET {engine}_feed_median {full:.2f}ms target <=10ms {'ok' if full <= 10 else 'MISS'}"]
        lines += [f"INFO {engine}_feed_rebuilt_after_a_change {rebuilt:.2f}ms"]
        lines += [f"INFO {engine}_queue_15_participants {queued:.1f}ms", f"INFO {engine}_mails_per_second {rate:.0f}/s"]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
