"""The 10 % special PIIS subsidy (domain.md §2.7: SUB-PIIS-01..04, PIIS-33). Pure."""

from __future__ import annotations

import datetime as dt

from planner.i18n import N_
from planner.piis.rules.common import BLOCK, Finding, add_months
from planner.piis.rules.law import PiisLaw

NONE, FIRST_GRANT, PROLONGATION = "none", "first_grant", "prolongation"
SUBSIDY_STATUSES = (NONE, FIRST_GRANT, PROLONGATION)


def subsidy_starts(signed_on: dt.date, ri_granted_on: dt.date | None) -> dt.date | None:
    """SUB-PIIS-04: the first day of the month the PIIS was signed in, if the RI was granted by then; else the
    first day of the month of the RI grant (the month it became due); None without an RI decision."""
    if ri_granted_on is None:
        return None
    day = max(signed_on, ri_granted_on)
    return day.replace(day=1)


def subsidy_ends(starts_on: dt.date, months: int) -> dt.date:
    """The last day of a grant of `months` months starting on starts_on."""
    return add_months(starts_on, months) - dt.timedelta(days=1)


def check_subsidy(status: str, motivation: str, first_grant_until: dt.date | None, prolongation_from: dt.date | None,
                  months_already: int, months_asked: int, law: PiisLaw) -> list[Finding]:
    """SUB-PIIS-02: a prolongation only follows a first grant still running on its last day (the prolongation
    starts the day after it at the latest) and never takes the person past `subsidy_max_months` in all;
    PIIS-33: a prolongation is motivated in writing. All BLOCK: the CPAS would have to pay it back."""
    findings: list[Finding] = []
    if status not in SUBSIDY_STATUSES:
        raise ValueError(f"unknown subsidy status {status!r}")
    if status == PROLONGATION:
        if not motivation.strip():
            findings.append(Finding("PIIS-33", BLOCK, N_("A prolongation needs its written motivation.")))
        if first_grant_until is None or prolongation_from is None or prolongation_from > first_grant_until + dt.timedelta(days=1):
            findings.append(Finding("SUB-PIIS-02", BLOCK, N_(
                "A prolongation follows a first grant that is still running on its last day.")))
    if status != NONE and months_already + months_asked > law.subsidy_max_months:
        findings.append(Finding("SUB-PIIS-02", BLOCK, N_(
            "The 10 %% subsidy runs %(max)s months at most for a person: %(left)s months are left."),
            {"max": law.subsidy_max_months, "left": max(0, law.subsidy_max_months - months_already)}))
    return findings
