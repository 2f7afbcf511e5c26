"""The demo's PIIS (make run): §6.4's cadence case shifted to today, and a due list with something in each group."""

import datetime as dt

from fixtures.demo import load_demo
from planner import i18n
from planner.auth.tables import User
from planner.orgs.tables import Organisation
from planner.piis import queries
from planner.piis.tables import Evaluation, Piis


async def test_piis_30_the_demo_holds_6_4s_cadence_case_and_a_due_list_with_one_late(db):
    await load_demo()
    today = i18n.today()
    sofie = (await User.select(User.id).where(User.email == "social.worker@rivebelle.example").first())["id"]
    rivebelle = (await Organisation.select(Organisation.id).where(Organisation.name_fr == "CPAS de Rivebelle")
                 .first())["id"]
    assert await Piis.count().where(Piis.status == "signed") == 9
    shift = today + dt.timedelta(days=12) - dt.date(2017, 12, 12)
    days = {(e["planned_on"] if e["held_on"] is None else e["held_on"], e["kind"], e["held_on"] is not None)
            for e in await Evaluation.select()}
    assert {(dt.date(2017, 5, 30) + shift, "interview", True), (dt.date(2017, 9, 15) + shift, "interview", True),
            (dt.date(2017, 12, 12) + shift, "other", False)} <= days
    groups = await queries.due_items({rivebelle}, sofie, today)
    assert [i["days"] for i in groups["late"]] == [6]
    assert [i["days"] for i in groups["due"]][:3] == [9, 12, 20]
    assert len(groups["ending"]) == 1 and len(groups["needs_piis"]) >= 1
