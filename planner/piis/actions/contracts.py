"""A PIIS from draft to signature, and its amendments (PIIS-20..25, PIIS-32): every agreed content is a
PiisVersion; signing plans the numbered evaluations (PIIS-30/31)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.db import for_update, write_transaction
from planner.enrolment.tables import Enrolment
from planner.i18n import N_
from planner.invites.actions import forget_feeds_of_person
from planner.piis.actions.common import STALE, Saved, now_utc
from planner.piis.law import law_on
from planner.piis.rules import (
    BLOCK, ORIENTATIONS, SUBSIDY_STATUSES, Finding, blocks, cadence_of, check_subsidy, plan, printable,
    signing_findings, snapshot,
)
from planner.piis.tables import (
    BilanSocial, Evaluation, Piis, PiisCommitment, PiisFile, PiisObjective, PiisPolicy, PiisVersion,
)
from planner.people.tables import Beneficiary


@dataclass(frozen=True)
class ObjectiveInput:
    title: str
    person_steps: str = ""
    cpas_steps: str = ""
    third_party: str = ""
    third_party_steps: str = ""
    enrolments: tuple[int, ...] = ()  # the person's enrolments written in under this objective


@dataclass(frozen=True)
class PiisInput:
    type_code: int
    orientation: str
    starts_on: dt.date
    ends_on: dt.date
    evaluation_method: str = ""
    assisted_by: str = ""
    reactualised_after_job_months: int | None = None
    subsidy_status: str = "none"
    subsidy_months: int = 0
    subsidy_motivation: str = ""
    objectives: tuple[ObjectiveInput, ...] = ()


def input_findings(data: PiisInput) -> list[Finding]:
    """What the form alone can be told: a type code not valid on the start day (§2.5), an end before the
    start, an unknown orientation."""
    findings = []
    type_code = law_on(max(data.starts_on, dt.date(2016, 11, 1))).type_code(data.type_code)
    if type_code is None or not type_code.valid_on(data.starts_on):
        findings.append(Finding("PIIS-TYPE", BLOCK, N_("This PIIS type cannot be used on %(day)s."),
                                {"day": data.starts_on}))
    if data.ends_on <= data.starts_on:
        findings.append(Finding("PIIS-21", BLOCK, N_("The PIIS must end after it starts.")))
    if data.orientation not in ORIENTATIONS or data.subsidy_status not in SUBSIDY_STATUSES:
        raise ValueError("orientation or subsidy status")
    return findings


async def _own_enrolments(beneficiary_id: int, ids: set[int]) -> bool:
    if not ids:
        return True
    rows = await Enrolment.select(Enrolment.id).where(
        Enrolment.id.is_in(list(ids)) & (Enrolment.beneficiary == beneficiary_id))
    return len(rows) == len(ids)


async def _write_content(piis_id: int, beneficiary_id: int, objectives: tuple[ObjectiveInput, ...]) -> None:
    enrolments = {e for o in objectives for e in o.enrolments}
    if not await _own_enrolments(beneficiary_id, enrolments):
        raise ValueError("an enrolment of another person")  # the form offers only the person's own
    await PiisObjective.delete().where(PiisObjective.piis == piis_id)
    await PiisCommitment.delete().where(PiisCommitment.piis == piis_id)
    for position, objective in enumerate(objectives, start=1):
        objective_id = (await PiisObjective.insert(PiisObjective(
            piis=piis_id, position=position, title=objective.title, person_steps=objective.person_steps,
            cpas_steps=objective.cpas_steps, third_party=objective.third_party,
            third_party_steps=objective.third_party_steps)).returning(PiisObjective.id))[0]["id"]
        for enrolment in sorted(set(objective.enrolments)):
            await PiisCommitment.insert(PiisCommitment(piis=piis_id, objective=objective_id, enrolment=enrolment))


def _columns(data: PiisInput) -> dict:
    return {Piis.type_code: data.type_code, Piis.orientation: data.orientation, Piis.starts_on: data.starts_on,
            Piis.ends_on: data.ends_on, Piis.evaluation_method: data.evaluation_method,
            Piis.assisted_by: data.assisted_by, Piis.reactualised_after_job_months: data.reactualised_after_job_months,
            Piis.subsidy_status: data.subsidy_status, Piis.subsidy_months: data.subsidy_months,
            Piis.subsidy_motivation: data.subsidy_motivation}


async def create_piis(organisation_id: int, beneficiary_id: int, data: PiisInput, user_id: int) -> Saved:
    """A draft PIIS written by the social worker with the person."""
    findings = input_findings(data)
    if blocks(findings):
        return Saved(None, tuple(findings))
    now = now_utc()
    async with write_transaction():
        values = {c._meta.name: v for c, v in _columns(data).items()}
        row = Piis(organisation=organisation_id, beneficiary=beneficiary_id, social_worker=user_id, status="draft",
                   version=1, created_at=now, updated_at=now, **values)
        piis_id = (await Piis.insert(row).returning(Piis.id))[0]["id"]
        await _write_content(piis_id, beneficiary_id, data.objectives)
    return Saved(piis_id, tuple(findings))


async def update_draft(piis_id: int, version: int, data: PiisInput) -> Saved:
    """Change a draft or proposed PIIS (a signed one changes only by amend); STALE when it moved on."""
    findings = input_findings(data)
    if blocks(findings):
        return Saved(None, tuple(findings))
    async with write_transaction():
        current = await for_update(Piis.select(Piis.version, Piis.status, Piis.beneficiary).where(
            Piis.id == piis_id)).first()
        if current is None or current["version"] != version or current["status"] not in ("draft", "proposed"):
            return Saved(None, (STALE,))
        await Piis.update({**_columns(data), Piis.version: version + 1, Piis.updated_at: now_utc()}).where(
            Piis.id == piis_id)
        await _write_content(piis_id, current["beneficiary"], data.objectives)
    return Saved(piis_id, tuple(findings))


async def propose(piis_id: int, version: int, proposed_on: dt.date) -> Saved:
    """PIIS-25: the day the PIIS was handed to the person; the reflection days run from it."""
    async with write_transaction():
        updated = await Piis.update({Piis.status: "proposed", Piis.proposed_on: proposed_on,
                                     Piis.version: version + 1, Piis.updated_at: now_utc()}).where(
            (Piis.id == piis_id) & (Piis.version == version) & Piis.status.is_in(["draft", "proposed"])
        ).returning(Piis.id)
    return Saved(piis_id) if updated else Saved(None, (STALE,))


async def _content(piis_id: int) -> str:
    piis = await Piis.select().where(Piis.id == piis_id).first()
    objectives = await PiisObjective.select().where(PiisObjective.piis == piis_id).order_by(PiisObjective.position)
    commitments = await PiisCommitment.select(PiisCommitment.enrolment).where(PiisCommitment.piis == piis_id)
    return snapshot(piis, objectives, [c["enrolment"] for c in commitments])


async def sign(piis_id: int, version: int, signed_on: dt.date, waived: bool, user_id: int,
               go_on: bool = False) -> Saved:
    """PIIS-25, -11, -12, -10, SUB-PIIS-02, PIIS-33 checked on the day of signature (the law in force then);
    a BLOCK refuses, a WARN refuses unless `go_on` (the user read it). Signed: version 1 of the content is
    kept and the evaluations are planned with the CPAS's cadence (PIIS-30/31) as numbered appointments."""
    async with write_transaction():
        piis = await for_update(Piis.select().where(Piis.id == piis_id)).first()
        if piis is None or piis["version"] != version or piis["status"] != "proposed":
            return Saved(None, (STALE,))
        law = law_on(signed_on)
        person = await Beneficiary.select(Beneficiary.status).where(Beneficiary.id == piis["beneficiary"]).first()
        file = await PiisFile.select().where(PiisFile.beneficiary == piis["beneficiary"]).first() or {}
        ri_granted_on = file.get("ri_granted_on")
        bilan = await BilanSocial.select(BilanSocial.id, BilanSocial.day).where(
            (BilanSocial.beneficiary == piis["beneficiary"]) & (BilanSocial.day <= signed_on)
        ).order_by(BilanSocial.day, ascending=False).first()
        findings = []
        if not printable(person["status"], ri_granted_on):
            findings.append(Finding("PIIS-20", BLOCK, N_(
                "Record the person's RI decision (or their status at the CPAS) before the PIIS is signed.")))
        findings += signing_findings(piis["proposed_on"], signed_on, waived, bilan and bilan["day"], ri_granted_on,
                                     piis["reactualised_after_job_months"], law)
        findings += check_subsidy(piis["subsidy_status"], piis["subsidy_motivation"], None, None, 0,
                                  piis["subsidy_months"], law) if piis["subsidy_status"] != "prolongation" else []
        if blocks(findings) or (findings and not go_on):
            return Saved(None, tuple(findings))
        await Piis.update({Piis.status: "signed", Piis.signed_on: signed_on, Piis.reflection_waived: waived,
                           Piis.bilan: bilan and bilan["id"], Piis.version: version + 1,
                           Piis.updated_at: now_utc()}).where(Piis.id == piis_id)
        await PiisVersion.insert(PiisVersion(piis=piis_id, number=1, content=await _content(piis_id), reason="",
                                             agreed_on=signed_on, changed_by=user_id, changed_at=now_utc()))
        policy = await PiisPolicy.select(PiisPolicy.cadence).where(
            PiisPolicy.organisation == piis["organisation"]).first()
        appointments = plan(signed_on, piis["ends_on"], cadence_of(policy["cadence"] if policy else "yearly", law))
        await Evaluation.delete().where((Evaluation.piis == piis_id) & Evaluation.held_on.is_null())
        if appointments:
            await Evaluation.insert(*[Evaluation(piis=piis_id, number=a.number, planned_on=a.day, kind=a.kind)
                                      for a in appointments])
        await forget_feeds_of_person(user=piis["social_worker"])  # the appointments join the worker's calendar
    return Saved(piis_id, tuple(findings))


async def amend(piis_id: int, version: int, data: PiisInput, reason: str, agreed_on: dt.date,
                user_id: int) -> Saved:
    """PIIS-32: a signed PIIS changed by agreement, at any time: the new content becomes the next version with
    its reason and day; the evaluations already planned stay (a new end day drops or adds none: moved by hand)."""
    findings = input_findings(data)
    if not reason.strip():
        findings.append(Finding("PIIS-32", BLOCK, N_("Say what was agreed and why.")))
    if blocks(findings):
        return Saved(None, tuple(findings))
    async with write_transaction():
        current = await for_update(Piis.select(Piis.version, Piis.status, Piis.beneficiary).where(
            Piis.id == piis_id)).first()
        if current is None or current["version"] != version or current["status"] != "signed":
            return Saved(None, (STALE,))
        await Piis.update({**_columns(data), Piis.version: version + 1, Piis.updated_at: now_utc()}).where(
            Piis.id == piis_id)
        await _write_content(piis_id, current["beneficiary"], data.objectives)
        last = await PiisVersion.select(PiisVersion.number).where(PiisVersion.piis == piis_id).order_by(
            PiisVersion.number, ascending=False).first()
        await PiisVersion.insert(PiisVersion(piis=piis_id, number=(last["number"] if last else 0) + 1,
                                             content=await _content(piis_id), reason=reason, agreed_on=agreed_on,
                                             changed_by=user_id, changed_at=now_utc()))
    return Saved(piis_id, tuple(findings))
