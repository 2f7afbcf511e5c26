"""Volunteering's actions on both engines (issue 17: placements against VOL-01..05, hours and their approval)."""

import datetime as dt

import pytest

from planner.volunteering import actions
from planner.volunteering.actions import PlacementInput
from planner.volunteering.rules import APPROVED, DECLINED, PENDING
from planner.volunteering.tables import HoursEntry, HoursEvent, Placement
from tests.conftest import make_org

D = dt.date


def grocery_placement(world, host: int, **changes) -> PlacementInput:
    values = dict(beneficiary=world.beneficiary, host=host, host_kind="non_profit", tasks="Shelves, till",
                  minutes_per_week=240, starts_on=D(2026, 3, 2), ends_on=D(2026, 8, 30), informed_on=D(2026, 2, 20),
                  availability_note="Mornings only; job interviews come first", allowance_kind="flat_rate",
                  allowance_per_day_cents=2000, days_per_week=1, contact_first_name="Nadia")
    return PlacementInput(**{**values, **changes})


@pytest.fixture
async def grocery(world):
    return await make_org("partner", "Épicerie sociale Rivebelle", partner_type="ngo", owner=world.rivebelle)


async def test_vol_05_a_placement_within_the_rules_is_recorded_with_nothing_to_say(world, grocery):
    saved = await actions.record_placement(world.rivebelle, grocery_placement(world, grocery), world.social_worker["id"])
    assert saved.id and saved.findings == ()
    row = await Placement.select().where(Placement.id == saved.id).first()
    assert (row["tasks"], row["minutes_per_week"], row["informed_on"], row["warnings"]) == (
        "Shelves, till", 240, D(2026, 2, 20), "")


async def test_vol_01_a_warning_stops_until_the_user_goes_on_and_who_did_is_kept(world, grocery):
    late = grocery_placement(world, grocery, informed_on=D(2026, 3, 9))
    refused = await actions.record_placement(world.rivebelle, late, world.social_worker["id"])
    assert refused.id is None and [f.rule for f in refused.findings] == ["VOL-01"]
    assert await Placement.count() == 1  # the world's own
    saved = await actions.record_placement(world.rivebelle, late, world.social_worker["id"], go_on=True)
    row = await Placement.select(Placement.warnings, Placement.warned_by).where(Placement.id == saved.id).first()
    assert row == {"warnings": "VOL-01", "warned_by": world.social_worker["id"]}


async def test_vol_03_the_running_total_counts_the_persons_other_placements(world, grocery):
    first = await actions.record_placement(world.rivebelle, grocery_placement(
        world, grocery, allowance_per_day_cents=4000, days_per_week=1), world.social_worker["id"])
    assert first.id  # 26 weeks × EUR 40 = EUR 1,040 of EUR 1,760.83
    second = grocery_placement(world, grocery, tasks="Repair café", starts_on=D(2026, 9, 1), ends_on=D(2026, 12, 31),
                               allowance_per_day_cents=3100)
    near = await actions.record_placement(world.rivebelle, second, world.social_worker["id"])
    assert [(f.rule, f.level) for f in near.findings] == [("VOL-03", "warn")]  # + 18 × EUR 31 = EUR 1,598, over 90 %
    over_day = grocery_placement(world, grocery, allowance_per_day_cents=4500)
    assert [(f.rule, f.level) for f in (await actions.record_placement(
        world.rivebelle, over_day, world.social_worker["id"], go_on=True)).findings][0] == ("VOL-03", "block")


async def test_a_person_or_host_of_another_cpas_is_refused(world, grocery):
    with pytest.raises(ValueError):
        await actions.record_placement(world.elsewhere, grocery_placement(world, grocery), world.outsider["id"])
    with pytest.raises(ValueError):
        await actions.record_placement(world.rivebelle, grocery_placement(world, world.elsewhere),
                                       world.social_worker["id"])


async def test_hours_wait_for_the_cpas_and_every_decision_is_a_history_line(world, grocery):
    placement = (await actions.record_placement(world.rivebelle, grocery_placement(world, grocery),
                                                world.social_worker["id"])).id
    entry, problems = await actions.record_hours(placement, D(2026, 3, 3), 240, "Till", "host", None, D(2026, 3, 4))
    assert problems == {} and (await HoursEntry.select(HoursEntry.state).where(HoursEntry.id == entry).first())["state"] == PENDING
    assert (await actions.record_hours(placement, D(2026, 3, 5), 240, "", "host", None, D(2026, 3, 4)))[1].keys() == {
        "day"}
    assert set(await actions.decide_hours(entry, 1, DECLINED, "", world.social_worker["id"])) == {"reason"}
    assert await actions.decide_hours(entry, 1, DECLINED, "Shop closed that day", world.social_worker["id"]) == {}
    assert await actions.decide_hours(entry, 2, APPROVED, "", world.social_worker["id"]) == {}  # a mistake put right
    assert set(await actions.decide_hours(entry, 2, APPROVED, "", world.social_worker["id"])) == {"version"}
    events = await HoursEvent.select(HoursEvent.old_state, HoursEvent.new_state).where(
        HoursEvent.entry == entry).order_by(HoursEvent.id)
    assert [(e["old_state"], e["new_state"]) for e in events] == [
        ("", PENDING), (PENDING, DECLINED), (DECLINED, APPROVED)]
    assert await HoursEntry.count().where(HoursEntry.placement == placement) == 1  # never deleted
