import asyncio
import datetime as dt

from planner.attendance.actions import record_tap
from planner.attendance.rules import Tap
from planner.attendance.tables import Mark, MarkEvent


def a_tap(world, client_id: str, status: str, seconds_ago: int) -> Tap:
    now = dt.datetime.now(dt.timezone.utc)
    return Tap(client_id=client_id, person_id=world.beneficiary, status=status,
               device_time=now - dt.timedelta(seconds=seconds_ago), received_at=now)


async def test_two_first_taps_at_once_leave_the_later_one_as_the_mark(world):
    for round_ in range(5):
        await Mark.delete(force=True)
        earlier, later = a_tap(world, f"e-{round_}", "unexcused", 30), a_tap(world, f"l-{round_}", "present", 10)
        marks = await asyncio.gather(record_tap(world.session, earlier, world.facilitator["id"], "tablet-a"),
                                     record_tap(world.session, later, world.facilitator["id"], "tablet-b"))
        mark = await Mark.select(Mark.status).first()
        assert mark["status"] == "present" and await Mark.count() == 1
        assert marks[1]["status"] == "present"  # each tablet is told the mark as it stands
        events = {e["client_id"]: e for e in await MarkEvent.select().where(
            MarkEvent.client_id.is_in([f"e-{round_}", f"l-{round_}"]))}
        assert events[f"l-{round_}"]["applied"] is True
        # the earlier tap either became the mark first (then was replaced) or arrived too late
        if events[f"e-{round_}"]["applied"]:
            assert events[f"l-{round_}"]["old_status"] in ("", "unexcused")


async def test_a_replay_changes_nothing_and_answers_the_current_mark(world):
    first = a_tap(world, "r-1", "late", 20)
    await record_tap(world.session, first, world.facilitator["id"], "tablet")
    await record_tap(world.session, a_tap(world, "r-2", "present", 5), world.facilitator["id"], "tablet")
    replayed = await record_tap(world.session, first, world.facilitator["id"], "tablet")
    assert replayed["status"] == "present"
    assert await MarkEvent.count() == 2
