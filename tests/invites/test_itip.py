"""A reader's calendar, built only from the mails they received, applied in order as a calendar client applies
iTIP (RFC 5546), always equals their feed and the roll: over random sequences of schedule and enrolment changes,
on a real database, through the real actions."""

from __future__ import annotations

import asyncio
import datetime as dt
from email import message_from_string, policy

import icalendar
import recurring_ical_events
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from planner.db import fetch, write_transaction
from planner.enrolment import actions as enrolment
from planner.invites import actions as invites
from planner.invites import queries
from planner.invites.tables import OutboxMail
from planner.modules import actions as modules
from planner.modules.rules.recurrence import Recurrence, local_span, plan_dates
from planner.modules.tables import Module, Session
from tests.conftest import TABLES, make_beneficiary, make_org, make_user, use_engine

TODAY = dt.date.today()
# Mondays from three weeks ago to twelve weeks ahead: ending an enrolment can fall before or after today.
FIRST = TODAY - dt.timedelta(days=TODAY.weekday() + 21)
RULE = Recurrence(kind="weekly", start=FIRST, end=FIRST + dt.timedelta(weeks=15), starts_at=dt.time(9, 30),
                  ends_at=dt.time(12, 30), weekdays=(0,))
# Times a session may be moved or added at: recurring-ical-events (the reader here) mistakes two instances whose
# wall-clock time of one is the UTC time of the other (tests/invites/test_ics.py); these never meet that way.
TIMES = [(dt.time(9, 30), dt.time(12, 30)), (dt.time(13, 45), dt.time(16, 0))]


class Client:
    """A calendar app as RFC 5546 describes it, that reads one event per mail as Outlook does: events by UID; a
    REQUEST that holds an event's master replaces the whole event (master and overrides), one that holds only
    overrides replaces those instances; a CANCEL without RECURRENCE-ID removes the event. An update must carry a SEQUENCE above the one it replaces, or the
    app ignores it: the test fails then."""

    def __init__(self) -> None:
        self.events: dict[str, dict] = {}  # uid -> {recurrence id or None: VEVENT}
        self.sequence: dict[str, int] = {}

    def apply(self, method: str, cal: icalendar.Calendar) -> None:
        assert str(cal["METHOD"]) == method
        by_uid: dict[str, list] = {}
        for vevent in cal.walk("VEVENT"):
            by_uid.setdefault(str(vevent["UID"]), []).append(vevent)
        assert len(by_uid) == 1  # Outlook reads the first event of an invitation only
        for uid, vevents in by_uid.items():
            sequence = int(vevents[0]["SEQUENCE"])
            assert all(int(v["SEQUENCE"]) == sequence for v in vevents)
            if uid in self.sequence:
                assert sequence > self.sequence[uid], f"{uid}: SEQUENCE {sequence} after {self.sequence[uid]}"
            self.sequence[uid] = sequence
            if method == "CANCEL":
                assert all("RECURRENCE-ID" not in v for v in vevents)
                assert uid in self.events, f"{uid}: cancelled but never received"
                del self.events[uid]
                continue
            parts = {(v["RECURRENCE-ID"].dt if "RECURRENCE-ID" in v else None): v for v in vevents}
            if None in parts:
                self.events[uid] = parts
            else:
                self.events.setdefault(uid, {}).update(parts)

    def calendar(self) -> icalendar.Calendar:
        cal = icalendar.Calendar()
        for parts in self.events.values():
            for vevent in parts.values():
                cal.add_component(vevent)
        return cal


def occurrences(cal: icalendar.Calendar) -> list[tuple]:
    """(start, end, status, summary) of every instance shown, cancelled ones included."""
    found = recurring_ical_events.of(cal).between(FIRST - dt.timedelta(days=30), FIRST + dt.timedelta(weeks=30))
    return sorted((o["DTSTART"].dt, o["DTEND"].dt, str(o.get("STATUS", "CONFIRMED")), str(o["SUMMARY"]))
                  for o in found)


ROLL_SQL = """
SELECT s.day, s.starts_at, s.ends_at FROM module_session s JOIN enrolment e ON e.module = s.module
WHERE s.module = {} AND e.beneficiary = {} AND s.status = 'planned' AND e.status IN ('enrolled', 'ended')
  AND (e.start_date IS NULL OR e.start_date <= s.day) AND (e.end_date IS NULL OR e.end_date >= s.day)"""


async def roll(module_id: int, person: int) -> list[tuple]:
    """The sessions the person is on the roll of (attendance/routes.py's rule), as calendar spans."""
    return sorted(local_span(r["day"], r["starts_at"], r["ends_at"]) for r in await fetch(ROLL_SQL, module_id, person))


OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("enrol"), st.none() | st.integers(0, 100)),  # start: default, or a day of the rule
    st.tuples(st.just("move"), st.integers(0, 100), st.integers(-3, 3), st.sampled_from(TIMES)),
    st.tuples(st.just("cancel"), st.integers(0, 100)),
    st.tuples(st.just("restore"), st.integers(0, 100)),
    st.tuples(st.just("add"), st.integers(-10, 120), st.sampled_from(TIMES)),
    st.tuples(st.just("end"), st.integers(-25, 110)),  # days after the rule's start: past and future last days
), min_size=1, max_size=7)


class Scenario:
    def __init__(self) -> None:
        self.client = Client()
        self.seen = 0  # outbox id of the last mail applied

    async def setup(self) -> None:
        self.cpas = await make_org("cpas", "CPAS de Rivebelle", email="insertion@rivebelle.example")
        self.coordinator = await make_user("carl@rivebelle.example", "Carl", [(self.cpas, "coordinator")])
        self.person = await make_beneficiary(self.cpas, "Zoé", "Test", email="zoe@mail.example", language="nl")
        self.module = (await Module.insert(Module(
            organisation=self.cpas, code="SW", title="Sollicitatie", module_type="activation_group", strand="B",
            aim="social_activation", composition="mixed", capacity=10, minimum_size=1, languages="nl",
        )).returning(Module.id))[0]["id"]
        days, _skipped = plan_dates(RULE, "brussels", {}, "nl")
        await modules.save_schedule(self.module, RULE, days, None)
        async with write_transaction():
            url = await invites.feed_url(self.cpas, beneficiary=self.person, create=True)
        self.token = url.rsplit("/", 1)[1].removesuffix(".ics")
        self.enrolments: list[int] = []

    async def sessions(self) -> list[dict]:
        return await Session.select(Session.id, Session.day, Session.status).where(
            Session.module == self.module).order_by(Session.id)

    async def current(self) -> dict | None:
        rows = await fetch("SELECT id, status, start_date, end_date FROM enrolment WHERE beneficiary = {} "
                           "ORDER BY id DESC", self.person)
        return rows[0] if rows else None

    async def run(self, op: tuple) -> None:
        sessions = await self.sessions()
        pick = sessions[op[1] % len(sessions)] if sessions and op[0] in ("move", "cancel", "restore") else None
        current = await self.current()
        if op[0] == "enrol":
            start = None if op[1] is None else FIRST + dt.timedelta(days=op[1])
            if current and current["status"] == "enrolled":
                return
            # enrolled again after an end, from any day: the product starts it after the last one at the earliest
            enrolment_id = await enrolment.propose(self.module, self.person, self.cpas, "", self.coordinator["id"])
            await enrolment.accept(enrolment_id, self.coordinator["id"], start, "")
        elif op[0] == "move":
            start, end = op[3]
            await modules.move_session(pick["id"], pick["day"] + dt.timedelta(days=op[2]), start, end, None)
        elif op[0] == "cancel" and pick["status"] == "planned":
            await modules.cancel_session(pick["id"], "ill")
        elif op[0] == "restore" and pick["status"] == "cancelled":
            await modules.restore_session(pick["id"])
        elif op[0] == "add":
            start, end = op[2]
            await modules.add_session(self.module, FIRST + dt.timedelta(days=op[1]), start, end, None)
        elif op[0] == "end" and current and current["status"] == "enrolled":
            last = max(FIRST + dt.timedelta(days=op[1]), current["start_date"] or FIRST)
            await enrolment.end(current["id"], last, "found_work")

    async def read_mail(self) -> None:
        rows = await OutboxMail.select(OutboxMail.id, OutboxMail.message).where(
            (OutboxMail.beneficiary == self.person) & (OutboxMail.id > self.seen)).order_by(OutboxMail.id)
        for row in rows:
            self.seen = row["id"]
            message = message_from_string(row["message"], policy=policy.default)
            [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
            self.client.apply(part.get_param("method"), icalendar.Calendar.from_ical(part.get_content()))

    async def check(self) -> None:
        mine = occurrences(self.client.calendar())
        link = await queries.feed_link(self.token)
        feed = occurrences(icalendar.Calendar.from_ical((await invites.feed_for(link)).body))
        assert mine == feed
        shown = sorted((start, end) for start, end, status, _title in mine if status != "CANCELLED")
        assert shown == await roll(self.module, self.person)
        # a cancelled session says so in the reader's language (Dutch), beside its status
        assert all(title.startswith("Geannuleerd:") == (status == "CANCELLED") for _s, _e, status, title in mine)


async def wipe(engine) -> None:
    use_engine(engine)
    names = [t._meta.tablename for t in TABLES]
    if engine.engine_type == "postgres":
        statements = [f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"]
    else:
        statements = [f"DELETE FROM {n}" for n in reversed(names)]
    for statement in statements:
        await engine._run_in_new_connection(statement)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations=OPERATIONS)
# always tried: an end in the future with a session added after it, an end in the past, enrolled again
@example(operations=[("add", 80, TIMES[1]), ("move", 9, 2, TIMES[0]), ("end", 50), ("cancel", 1)])
@example(operations=[("end", -1), ("enrol", 60), ("add", 100, TIMES[0]), ("end", 70)])
def test_the_mails_applied_in_order_leave_the_calendar_equal_to_the_feed_and_the_roll(engine, operations):
    async def scenario():
        await wipe(engine)
        scenario = Scenario()
        await scenario.setup()
        proposed = await enrolment.propose(scenario.module, scenario.person, scenario.cpas, "",
                                           scenario.coordinator["id"])
        await enrolment.accept(proposed, scenario.coordinator["id"], None, "")
        for op in operations:
            await scenario.run(op)
            await scenario.read_mail()
            await scenario.check()

    asyncio.run(scenario())
