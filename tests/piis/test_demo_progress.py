"""The demo's ladder measurements match domain.md §6.4 (issue 15)."""

import datetime as dt

from fixtures.demo import load_demo
from planner import i18n
from planner.enrolment.tables import Enrolment
from planner.modules.tables import Module
from planner.orgs.tables import Organisation
from planner.piis import queries
from planner.piis.tables import Measurement


async def test_e2_6_4_the_demo_switch_group_has_7_progressed_and_2_reached_level_4(db):
    assert "ladder measurements for 11 SWITCH participants" in await load_demo()
    rivebelle = (await Organisation.select(Organisation.id).where(Organisation.name_fr == "CPAS de Rivebelle").first())["id"]
    switch = (await Module.select(Module.id).where(Module.code == "SWITCH").first())["id"]
    people = [e["beneficiary"] for e in await Enrolment.select(Enrolment.beneficiary).where(Enrolment.module == switch)]
    assert await queries.ladder_counts(rivebelle, i18n.today().year, people) == (7, 2)
    # this year's: the report's demo measures the previous year too (fixtures/demo_report.py)
    assert await Measurement.count().where(Measurement.measured_on >= dt.date(i18n.today().year, 1, 1)) == 22
