"""Reads for the PIIS pages (issue 15): a person's file, bilans and PIIS, one PIIS whole, the access log.
Callers have already passed planner/piis/access.py (the person's CPAS, a social worker)."""

from __future__ import annotations

import json

from planner.auth.tables import User
from planner.enrolment.tables import Enrolment
from planner.people.tables import Beneficiary
from planner.piis.tables import (
    AccessLog, BilanSocial, Evaluation, Piis, PiisCommitment, PiisFile, PiisObjective, PiisVersion, SignedScan,
)

LOG_PAGE_SIZE = 50


async def piis_file(beneficiary_id: int) -> dict | None:
    return await PiisFile.select().where(PiisFile.beneficiary == beneficiary_id).first()


async def bilans(beneficiary_id: int) -> list[dict]:
    """The person's bilans, newest first, with their author's name."""
    return await BilanSocial.select(
        BilanSocial.id, BilanSocial.day, BilanSocial.author.full_name.as_alias("author_name"),
        BilanSocial.investigation_reference,
    ).where(BilanSocial.beneficiary == beneficiary_id).order_by(BilanSocial.day, ascending=False).order_by(
        BilanSocial.id, ascending=False)


async def bilan(bilan_id: int) -> dict:
    row = await BilanSocial.select(BilanSocial.all_columns(),
                                   BilanSocial.author.full_name.as_alias("author_name")).where(
        BilanSocial.id == bilan_id).first()
    row["domains"] = json.loads(row["domains"] or "[]")
    return row


async def contracts(beneficiary_id: int) -> list[dict]:
    """The person's PIIS: the running ones (draft, proposed, signed) first, then ended ones; newest first in
    each; each with its next evaluation not yet held (or None)."""
    rows = await Piis.select(Piis.id, Piis.status, Piis.type_code, Piis.orientation, Piis.starts_on, Piis.ends_on,
                             Piis.signed_on).where(Piis.beneficiary == beneficiary_id).order_by(
        Piis.id, ascending=False)
    ids = [r["id"] for r in rows]
    upcoming = await Evaluation.select(Evaluation.piis, Evaluation.planned_on, Evaluation.number).where(
        Evaluation.piis.is_in(ids) & Evaluation.held_on.is_null()).order_by(Evaluation.planned_on) if ids else []
    next_of: dict[int, dict] = {}
    for e in upcoming:
        next_of.setdefault(e["piis"], e)
    for r in rows:
        r["next_evaluation"] = next_of.get(r["id"])
    return sorted(rows, key=lambda r: r["status"] == "ended")


async def person_enrolments(beneficiary_id: int) -> list[dict]:
    """The person's enrolments in the register that a PIIS may write in as commitments (not refused), with
    their module: [{id, status, start_date, end_date, code, title}], by module title."""
    rows = await Enrolment.select(
        Enrolment.id, Enrolment.status, Enrolment.start_date, Enrolment.end_date,
        Enrolment.module.code.as_alias("code"), Enrolment.module.title.as_alias("title"),
    ).where((Enrolment.beneficiary == beneficiary_id) & (Enrolment.status != "refused"))
    return sorted(rows, key=lambda r: (r["title"].casefold(), r["id"]))


async def contract(piis_id: int) -> dict:
    """One PIIS whole: its row, objectives in order each with its commitments (enrolment id, module code and
    title), versions oldest first, evaluations in order, its signed scans (without their bytes)."""
    piis = await Piis.select(Piis.all_columns(), Piis.social_worker.full_name.as_alias("worker_name")).where(
        Piis.id == piis_id).first()
    objectives = await PiisObjective.select().where(PiisObjective.piis == piis_id).order_by(PiisObjective.position)
    commitments = await PiisCommitment.select(
        PiisCommitment.objective, PiisCommitment.enrolment, PiisCommitment.enrolment.module.code.as_alias("code"),
        PiisCommitment.enrolment.module.title.as_alias("title"),
    ).where(PiisCommitment.piis == piis_id).order_by(PiisCommitment.id)
    for o in objectives:
        o["commitments"] = [c for c in commitments if c["objective"] == o["id"]]
    versions = await PiisVersion.select(PiisVersion.all_columns(),
                                        PiisVersion.changed_by.full_name.as_alias("author_name")).where(
        PiisVersion.piis == piis_id).order_by(PiisVersion.number)
    evaluations = await Evaluation.select(Evaluation.id, Evaluation.number, Evaluation.planned_on, Evaluation.kind,
                                          Evaluation.held_on).where(Evaluation.piis == piis_id).order_by(
        Evaluation.number)
    scans = await SignedScan.select(SignedScan.id, SignedScan.version_number, SignedScan.file_name,
                                    SignedScan.media_type, SignedScan.size, SignedScan.uploaded_at).where(
        SignedScan.piis == piis_id).order_by(SignedScan.id, ascending=False)
    return {"piis": piis, "objectives": objectives, "commitments": commitments, "versions": versions,
            "evaluations": evaluations, "scans": scans}


async def subsidy_history(beneficiary_id: int) -> list[dict]:
    """The person's signed or ended PIIS with a 10 % subsidy, the newest first (SUB-PIIS-02)."""
    return await Piis.select(Piis.id, Piis.signed_on, Piis.subsidy_status, Piis.subsidy_months).where(
        (Piis.beneficiary == beneficiary_id) & Piis.status.is_in(["signed", "ended"])
        & (Piis.subsidy_status != "none") & Piis.signed_on.is_not_null()).order_by(Piis.signed_on, ascending=False)


async def latest_scan(piis_id: int) -> dict | None:
    """The last signed scan uploaded for the PIIS, with its bytes."""
    return await SignedScan.select().where(SignedScan.piis == piis_id).order_by(SignedScan.id, ascending=False).first()


async def module_titles(enrolment_ids: list[int]) -> dict[int, str]:
    """enrolment id → "CODE · title" (for the history's commitments in plain words)."""
    if not enrolment_ids:
        return {}
    rows = await Enrolment.select(Enrolment.id, Enrolment.module.code.as_alias("code"),
                                  Enrolment.module.title.as_alias("title")).where(Enrolment.id.is_in(enrolment_ids))
    return {r["id"]: (f"{r['code']} · " if r["code"] else "") + r["title"] for r in rows}


async def access_log(organisation_id: int, page: int) -> tuple[list[dict], bool]:
    """A page (from 1) of the CPAS's access log, newest first: who, when, which record (kind, id and the
    person's file reference, never their name); and whether an older page exists."""
    rows = await AccessLog.select(
        AccessLog.id, AccessLog.opened_at, AccessLog.record_kind, AccessLog.record_id,
        AccessLog.user.full_name.as_alias("user_name"), AccessLog.user.email.as_alias("user_email"),
        AccessLog.beneficiary.file_reference.as_alias("file_reference"),
    ).where(AccessLog.organisation == organisation_id).order_by(AccessLog.opened_at, ascending=False).order_by(
        AccessLog.id, ascending=False).limit(LOG_PAGE_SIZE + 1).offset((page - 1) * LOG_PAGE_SIZE)
    return rows[:LOG_PAGE_SIZE], len(rows) > LOG_PAGE_SIZE


async def file_reference(beneficiary_id: int) -> str:
    row = await Beneficiary.select(Beneficiary.file_reference).where(Beneficiary.id == beneficiary_id).first()
    return row["file_reference"] if row else ""


async def user_name(user_id: int | None) -> str:
    row = await User.select(User.full_name).where(User.id == user_id).first() if user_id else None
    return row["full_name"] if row else ""
