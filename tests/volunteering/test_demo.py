"""The demo's VOLPREP placements (domain.md §6.2; issue 17): six with hosts, shifts, approved and pending hours,
one allowance near the year's cap."""

from planner import i18n
from planner.modules.tables import Module, Session
from planner.volunteering import queries
from planner.volunteering.rules import check_allowance
from planner.volunteering.caps import caps_of
from planner.volunteering.tables import HoursEntry, Placement


async def test_the_demo_has_six_volprep_placements_with_shifts_hours_and_one_allowance_near_the_cap(db):
    from fixtures.demo import load_demo

    assert "6 volunteering placements" in await load_demo()
    placements = await Placement.select()
    assert len(placements) == 6 and len({p["host"] for p in placements}) == 3
    assert await Module.count().where(Module.module_type == "volunteering") == 6
    assert await Session.count().where(Session.module.is_in([p["module"] for p in placements])) > 6 * 20
    states = {r["state"] for r in await HoursEntry.select(HoursEntry.state)}
    assert states == {"approved", "pending"}
    year = i18n.today().year
    near = []
    for p in placements:
        allowances = await queries.allowances_of_year(p["beneficiary"], year)
        if [f for f in check_allowance(allowances[0], allowances[1:], caps_of(year)) if f.rule == "VOL-03"]:
            near.append(p["id"])
    assert len(near) == 1
