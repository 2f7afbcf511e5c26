"""What must hold before a PIIS is signed or printed (domain.md §2.2–2.3: PIIS-10, -11, -12, -25). Pure."""

from __future__ import annotations

import datetime as dt

from planner.i18n import N_
from planner.piis.rules.common import BLOCK, WARN, Finding, add_months, months_between
from planner.piis.rules.law import PiisLaw


def reflection_ends(proposed_on: dt.date, law: PiisLaw) -> dt.date:
    """PIIS-25: the first day the person may sign, `reflection_days` calendar days after the proposal."""
    return proposed_on + dt.timedelta(days=law.reflection_days)


def signing_findings(proposed_on: dt.date, signed_on: dt.date, waiver: bool, bilan_on: dt.date | None,
                     ri_granted_on: dt.date | None, short_job_months: int | None, law: PiisLaw) -> list[Finding]:
    """The rules a signature meets. PIIS-25 (BLOCK): not before the reflection days, unless the person waived
    them (recorded); signed before proposed (BLOCK). PIIS-11 (BLOCK): a bilan social dated on or before the
    signature, unless PIIS-12: a re-actualisation after a job shorter than `no_new_bilan_if_job_under_months`
    (`short_job_months` is that job's length in months, None when it is not a re-actualisation). PIIS-10 (WARN:
    the contract stays valid, the CPAS is late): signed more than `conclude_within_months` after the RI grant."""
    findings: list[Finding] = []
    if signed_on < proposed_on:
        findings.append(Finding("PIIS-25", BLOCK, N_("The signature date is before the day the PIIS was proposed.")))
    elif signed_on < reflection_ends(proposed_on, law) and not waiver:
        findings.append(Finding("PIIS-25", BLOCK, N_(
            "The person has %(days)s days to think before signing: the earliest day is %(day)s, unless they say "
            "they do not need them (record it)."), {"days": law.reflection_days, "day": reflection_ends(proposed_on, law)}))
    reactualised = short_job_months is not None and short_job_months < law.no_new_bilan_if_job_under_months
    if not reactualised and (bilan_on is None or bilan_on > signed_on):
        findings.append(Finding("PIIS-11", BLOCK, N_("A bilan social dated on or before the signature is needed.")))
    if ri_granted_on is not None and signed_on > add_months(ri_granted_on, law.conclude_within_months):
        findings.append(Finding("PIIS-10", WARN, N_(
            "Signed %(months)s months after the RI decision of %(day)s: the law asks for 3 at most."),
            {"months": months_between(ri_granted_on, signed_on), "day": ri_granted_on}))
    return findings


def printable(status: str, ri_granted_on: dt.date | None) -> bool:
    """A PIIS is printed for signature only once the person's RI decision (or their service-user status,
    for an ERI or another user) is recorded: the contract names what it belongs to."""
    return (status == "ri" and ri_granted_on is not None) or status in ("eri", "other_user")
