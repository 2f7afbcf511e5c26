"""The desk's counts made by the database (issue 18): the rolls not recorded (COUNT) and the budget lines near or
over their limit (SUM), against the figures the pages their links open compute from every row, on a seeded CPAS."""

from __future__ import annotations

import datetime as dt

from planner import i18n
from planner.attendance import queries as attendance
from planner.attendance.tables import Mark
from planner.enrolment.tables import Enrolment
from planner.modules.tables import Module, Session
from planner.orgs.tables import ClusterMember
from planner.spending import actions, queries as spending
from planner.spending.actions import ShareInput
from planner.spending.actions.expenses import ExpenseInput
from planner.spending.rules import OK
from tests.conftest import login, make_beneficiary
from tests.desk.test_desk import desk_links

DAY = dt.date(2026, 3, 16)  # a Monday; the world's own session is in December
NOW = dt.datetime.combine(DAY, dt.time(12, 0))  # Brussels wall-clock, as the desk passes it
STAMP = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)


async def _module(org: int, code: str, cluster: int | None = None) -> int:
    return (await Module.insert(Module(
        organisation=org, cluster=cluster, code=code, title=f"{code} group", module_type="activation_group",
        strand="B", aim="social_activation", composition="mixed", capacity=8, minimum_size=1, languages="fr",
    )).returning(Module.id))[0]["id"]


async def _enrol(module: int, person: int, org: int, start: dt.date | None, end: dt.date | None = None,
                 status: str = "enrolled") -> None:
    await Enrolment.insert(Enrolment(module=module, beneficiary=person, organisation=org, status=status,
                                     start_date=start, end_date=end, proposed_at=STAMP))


async def _session(module: int, days: int, at: dt.time = dt.time(9), status: str = "planned") -> int:
    return (await Session.insert(Session(module=module, day=DAY + dt.timedelta(days=days), starts_at=at,
                                         ends_at=dt.time(23, 59), status=status)).returning(Session.id))[0]["id"]


async def _marks(session: int, **statuses: str) -> None:
    for person, status in statuses.items():
        await Mark.insert(Mark(session=session, beneficiary=int(person.removeprefix("p")), status=status, reason="",
                               device_time=STAMP, received_at=STAMP))


async def seed_rolls(world) -> None:
    """Rivebelle: 4 rolls wait (DAY-21, DAY-14, DAY-3, DAY at noon); its cluster's module 1 more; Ailleurs 1."""
    ann = await make_beneficiary(world.rivebelle, "Ann", "Always", file_reference="RIV-A")
    bob = await make_beneficiary(world.rivebelle, "Bob", "Twice", file_reference="RIV-B")
    cy = await make_beneficiary(world.rivebelle, "Cy", "Waiting", file_reference="RIV-C")
    rolls = await _module(world.rivebelle, "ROLLS")
    await _enrol(rolls, ann, world.rivebelle, DAY - dt.timedelta(days=30))
    await _enrol(rolls, bob, world.rivebelle, DAY - dt.timedelta(days=30), DAY - dt.timedelta(days=20), "ended")
    await _enrol(rolls, bob, world.rivebelle, DAY - dt.timedelta(days=5))  # enrolled again: a gap between
    await _enrol(rolls, cy, world.rivebelle, None, status="waitlisted")  # never on the roll
    a, b = f"p{ann}", f"p{bob}"
    await _marks(await _session(rolls, -28), **{a: "present", b: "present"})  # recorded
    await _marks(await _session(rolls, -21), **{a: "present"})  # Bob has no mark: waits
    await _session(rolls, -14)  # Ann has none; Bob is not enrolled then: waits
    await _marks(await _session(rolls, -10), **{a: "present"})  # Bob in his gap: recorded
    await _session(rolls, -7, status="cancelled")  # not held: nobody expected
    await _marks(await _session(rolls, -3), **{a: "excused", b: ""})  # Bob's mark cleared: waits
    await _marks(await _session(rolls, 0), **{a: "present", b: "unexcused"})  # this morning, recorded
    await _session(rolls, 0, dt.time(12, 0))  # starts right now: waits
    await _session(rolls, 0, dt.time(15, 0))  # later today: not yet
    await _session(rolls, 1)  # tomorrow
    await _session(await _module(world.rivebelle, "EMPTY"), -2)  # nobody enrolled: nothing to record
    neighbour = (await ClusterMember.select(ClusterMember.cpas).where(
        (ClusterMember.cluster == world.cluster) & (ClusterMember.cpas != world.rivebelle)).first())["cpas"]
    dee = await make_beneficiary(neighbour, "Dee", "Neighbour", file_reference="MON-1")
    shared = await _module(neighbour, "SHARED", cluster=world.cluster)
    await _enrol(shared, dee, neighbour, DAY - dt.timedelta(days=30))
    await _session(shared, -2)
    theirs = await _module(world.elsewhere, "THEIRS")
    await _enrol(theirs, world.outsider_beneficiary, world.elsewhere, DAY - dt.timedelta(days=30))
    await _marks(await _session(theirs, -2), **{a: "present"})  # Ann's mark elsewhere does not record Otto


async def python_rolls(organisations: set[int], now: dt.datetime) -> int:
    """What the desk summed before: every module's count, from every session, mark and enrolment read."""
    return sum(m["count"] for m in await attendance.modules_with_unrecorded_rolls(organisations, now))


async def test_rolls_not_recorded_counted_by_the_database_are_the_modules_counts(world):
    await seed_rolls(world)
    cases = {frozenset({world.rivebelle}): 4, frozenset({world.rivebelle, world.cluster}): 5,
             frozenset({world.elsewhere}): 1}
    aware = NOW.replace(tzinfo=dt.timezone(dt.timedelta(hours=1)))  # the same instant, in Brussels' winter time
    for organisations, expected in cases.items():
        for now in (NOW, aware):
            assert await attendance.count_unrecorded_rolls(set(organisations), now) == expected
            assert await python_rolls(set(organisations), now) == expected
    assert await attendance.count_unrecorded_rolls(set(), NOW) == 0
    earlier = NOW - dt.timedelta(seconds=1)  # the noon roll has not started yet
    assert await attendance.count_unrecorded_rolls({world.rivebelle}, earlier) == 3 == await python_rolls(
        {world.rivebelle}, earlier)


async def seed_budget(world, year: int) -> None:
    """Strands A and B near their grants (over them with VAT), strand C and own funds far from theirs; a split
expense."""
    for source, strand, granted in (("fonds-pas", "A", 10_000), ("fonds-pas", "B", 100_000),
                                    ("fonds-pas", "C", 1_000_000), ("own-funds", "all", 1_000_000)):
        await actions.set_grant(world.rivebelle, source, year, strand, granted, world.coordinator["id"])
    expenses = (("B", 10_000, 60_001, "paid"), ("B", 10_000, 35_000, "committed"), ("A", 10_000, 9_000, "invoiced"),
                ("C", 3_333, 12_345, "paid"))
    for n, (strand, bp, cents, status) in enumerate(expenses):
        shares = (ShareInput("fonds-pas", year, strand, bp),) + (
            (ShareInput("own-funds", year, "all", 10_000 - bp),) if bp < 10_000 else ())
        saved = await actions.record_expense(world.rivebelle, ExpenseInput(
            day=dt.date(year, 3, 10 + n), category="activities" if strand == "A" else "operating",
            amount_excl_vat_cents=cents, vat_cents=cents // 5, status=status, supplier="Papeterie", shares=shares),
            world.coordinator["id"])
        assert saved.id, saved.findings


async def python_caps(organisation: int, year: int) -> int:
    """What the desk counted before: the budget's lines from every share's cents computed in Python."""
    lines = [entry["line"] for entry in await spending.budget(organisation, year)]
    return sum((line.state != OK) + sum(1 for cap in line.caps if cap.state != OK) for line in lines)


async def test_budget_lines_near_their_limit_from_summed_charges_are_the_budget_s(world):
    year = 2017
    await seed_budget(world, year)
    for recovers in (False, True):
        await actions.set_vat_policy(world.rivebelle, year, recovers)
        near = await spending.caps_near(world.rivebelle, year)
        assert near == await python_caps(world.rivebelle, year)
        assert near == 2  # strands A and B: over their grants with VAT as a cost, near them without it
    assert await spending.caps_near(world.elsewhere, year) == 0 == await python_caps(world.elsewhere, year)


async def test_the_desk_shows_the_counts_made_by_the_database(client, world):
    await seed_rolls(world)  # sessions in March 2026: by now the noon, 15:00 and next day's rolls wait too
    expected = await python_rolls({world.rivebelle}, i18n.wall_clock_now())
    assert expected >= 6
    await login(client, world.coordinator)
    links = desk_links((await client.get("/")).text)
    assert links["/today#not-recorded"].startswith(f"{expected} roll")
