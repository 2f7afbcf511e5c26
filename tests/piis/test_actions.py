"""The PIIS actions and access on both engines (issue 15; domain.md §2 and §6.4's cadence case)."""

import datetime as dt
import json

import pytest
from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser, Grant
from planner.piis import actions
from planner.piis.access import get_person_for_worker, get_piis_for_worker
from planner.piis.actions import BilanInput, EvaluationInput, FileInput, ObjectiveInput, PiisInput
from planner.piis.rules import changes
from planner.piis.tables import AccessLog, Evaluation, Piis, PiisCommitment, PiisFile, PiisVersion

D = dt.date


def as_user(person: dict, *grants: tuple[int, str]) -> CurrentUser:
    return CurrentUser(person["id"], person["email"], person["name"], "en",
                       tuple(Grant(org, "cpas", role) for org, role in grants))


def switch_piis(world, **changes_) -> PiisInput:
    values = dict(type_code=11, orientation="social_activation", starts_on=D(2017, 2, 10), ends_on=D(2018, 2, 9),
                  evaluation_method="Interviews with Sofie, attendance at SWITCH",
                  objectives=(ObjectiveInput("Take part in a group every week", person_steps="Come to SWITCH",
                                             cpas_steps="Pays the bus pass", enrolments=(world.enrolment,)),))
    return PiisInput(**{**values, **changes_})


async def record_ri(world, day: dt.date) -> int:
    """Zoé's RI decision on `day` (her PIIS file exists in the world: changed at its version)."""
    file = await PiisFile.select(PiisFile.version).where(PiisFile.beneficiary == world.beneficiary).first()
    saved = await actions.save_file(world.rivebelle, world.beneficiary, file and file["version"],
                                    FileInput(ri_granted_on=day), world.social_worker["id"])
    assert saved.id
    return saved.id


async def signed_switch_piis(world) -> int:
    me = world.social_worker["id"]
    await record_ri(world, D(2017, 1, 10))
    await actions.record_bilan(world.rivebelle, world.beneficiary, BilanInput(D(2017, 1, 25), needs="Confidence"), me)
    piis = (await actions.create_piis(world.rivebelle, world.beneficiary, switch_piis(world), me)).id
    assert (await actions.propose(piis, 1, D(2017, 2, 5))).id
    saved = await actions.sign(piis, 2, D(2017, 2, 10), False, me)
    assert saved.id == piis and saved.findings == ()
    return piis


async def test_signing_keeps_version_1_and_plans_numbered_evaluations_6_4(world):
    piis = await signed_switch_piis(world)
    row = await Piis.select().where(Piis.id == piis).first()
    assert (row["status"], row["signed_on"]) == ("signed", D(2017, 2, 10)) and row["bilan"] is not None
    evaluations = await Evaluation.select(Evaluation.number, Evaluation.planned_on, Evaluation.kind).where(
        Evaluation.piis == piis).order_by(Evaluation.number)
    assert [(e["number"], e["planned_on"], e["kind"]) for e in evaluations] == [
        (1, D(2017, 6, 10), "interview"), (2, D(2017, 10, 10), "interview"), (3, D(2018, 2, 9), "other")]
    [version] = await PiisVersion.select().where(PiisVersion.piis == piis)
    assert version["number"] == 1 and json.loads(version["content"])["commitments"] == [world.enrolment]


async def test_piis_25_signing_inside_the_reflection_days_is_refused_and_nothing_changes(world):
    me = world.social_worker["id"]
    await record_ri(world, D(2017, 1, 10))
    await actions.record_bilan(world.rivebelle, world.beneficiary, BilanInput(D(2017, 1, 25)), me)
    piis = (await actions.create_piis(world.rivebelle, world.beneficiary, switch_piis(world), me)).id
    await actions.propose(piis, 1, D(2017, 2, 5))
    refused = await actions.sign(piis, 2, D(2017, 2, 7), False, me)
    assert refused.id is None and [f.rule for f in refused.findings] == ["PIIS-25"]
    assert (await Piis.select(Piis.status).where(Piis.id == piis).first())["status"] == "proposed"
    assert await Evaluation.count().where(Evaluation.piis == piis) == 0
    assert (await actions.sign(piis, 2, D(2017, 2, 7), True, me)).id == piis  # the person waived them


async def test_a_piis_is_not_signed_before_the_ri_decision_is_recorded(world):
    me = world.social_worker["id"]
    await PiisFile.delete().where(PiisFile.beneficiary == world.beneficiary)  # no RI decision recorded
    await actions.record_bilan(world.rivebelle, world.beneficiary, BilanInput(D(2017, 1, 25)), me)
    piis = (await actions.create_piis(world.rivebelle, world.beneficiary, switch_piis(world), me)).id
    await actions.propose(piis, 1, D(2017, 2, 1))
    refused = await actions.sign(piis, 2, D(2017, 2, 10), False, me)
    assert refused.id is None and [f.rule for f in refused.findings] == ["PIIS-20"]


async def test_piis_10_a_late_signature_warns_and_goes_on_only_when_told(world):
    me = world.social_worker["id"]
    await record_ri(world, D(2016, 10, 1))
    await actions.record_bilan(world.rivebelle, world.beneficiary, BilanInput(D(2017, 1, 25)), me)
    piis = (await actions.create_piis(world.rivebelle, world.beneficiary, switch_piis(world), me)).id
    await actions.propose(piis, 1, D(2017, 2, 1))
    warned = await actions.sign(piis, 2, D(2017, 2, 10), False, me)
    assert warned.id is None and [f.rule for f in warned.findings] == ["PIIS-10"]
    assert (await actions.sign(piis, 2, D(2017, 2, 10), False, me, go_on=True)).id == piis


async def test_piis_32_an_amendment_is_a_new_version_and_the_history_says_what_changed(world):
    piis = await signed_switch_piis(world)
    refused = await actions.amend(piis, 3, switch_piis(world, ends_on=D(2018, 6, 30)), " ", D(2017, 9, 1),
                                  world.social_worker["id"])
    assert [f.rule for f in refused.findings] == ["PIIS-32"]
    saved = await actions.amend(piis, 3, switch_piis(world, ends_on=D(2018, 6, 30)), "Longer: SWITCH starts again",
                                D(2017, 9, 1), world.social_worker["id"])
    assert saved.id == piis
    versions = await PiisVersion.select().where(PiisVersion.piis == piis).order_by(PiisVersion.number)
    assert [v["number"] for v in versions] == [1, 2]
    assert changes(versions[0]["content"], versions[1]["content"]) == [("ends_on", "2018-02-09", "2018-06-30")]
    stale = await actions.amend(piis, 3, switch_piis(world), "again", D(2017, 9, 2), world.social_worker["id"])
    assert [f.rule for f in stale.findings] == ["VERSION"]


async def test_a_moved_evaluation_stays_and_the_later_ones_follow(world):
    piis = await signed_switch_piis(world)
    first = (await Evaluation.select(Evaluation.id).where((Evaluation.piis == piis) & (Evaluation.number == 1))
             .first())["id"]
    assert (await actions.move_evaluation(first, D(2017, 5, 30))).id == first
    days = await Evaluation.select(Evaluation.planned_on).where(Evaluation.piis == piis).order_by(Evaluation.number)
    assert [d["planned_on"] for d in days] == [D(2017, 5, 30), D(2017, 9, 29), D(2018, 1, 29)]
    held = await actions.record_evaluation(first, 1, EvaluationInput(D(2017, 5, 30), "interview", done="Came 9 of 10",
                                                                     person_words="I like the group"), 1)
    assert held.id == first
    assert (await actions.move_evaluation(first, D(2017, 6, 2))).id is None  # a held one does not move


async def test_a_commitment_is_an_enrolment_of_the_person_never_of_someone_else(world):
    from tests.conftest import make_beneficiary
    from planner.enrolment.tables import Enrolment
    other = await make_beneficiary(world.rivebelle, "Bruno", "Autre")
    theirs = (await Enrolment.insert(Enrolment(module=world.module, beneficiary=other, organisation=world.rivebelle,
                                               status="enrolled", proposed_at=dt.datetime.now(dt.timezone.utc)))
              .returning(Enrolment.id))[0]["id"]
    bad = switch_piis(world, objectives=(ObjectiveInput("x", enrolments=(theirs,)),))
    before = (await PiisCommitment.count(), await Piis.count())
    with pytest.raises(ValueError):
        await actions.create_piis(world.rivebelle, world.beneficiary, bad, world.social_worker["id"])
    assert (await PiisCommitment.count(), await Piis.count()) == before


async def test_only_social_workers_of_the_persons_cpas_open_a_piis_and_each_opening_is_logged(world):
    piis = await signed_switch_piis(world)
    worker = as_user(world.social_worker, (world.rivebelle, "social_worker"))
    assert (await get_piis_for_worker(worker, piis))["id"] == piis
    assert (await get_person_for_worker(worker, world.beneficiary))["id"] == world.beneficiary
    neighbour = as_user(world.outsider, (world.elsewhere, "social_worker"), (world.cluster, "coordinator"))
    coordinator = as_user(world.coordinator, (world.rivebelle, "coordinator"))
    for user in (neighbour, coordinator):
        with pytest.raises(NotFoundException):
            await get_piis_for_worker(user, piis)
        with pytest.raises(NotFoundException):
            await get_person_for_worker(user, world.beneficiary)
    await AccessLog.delete().where(AccessLog.id > 0)
    await actions.log_opening(world.rivebelle, world.social_worker["id"], "piis", piis, world.beneficiary)
    [entry] = await AccessLog.select()
    assert (entry["user"], entry["record_kind"], entry["record_id"]) == (world.social_worker["id"], "piis", piis)
