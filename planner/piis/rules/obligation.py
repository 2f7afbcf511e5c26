"""Who must have a PIIS and by when (domain.md §2.1–2.2: PIIS-01..05, PIIS-10). Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.i18n import N_
from planner.piis.rules.common import add_months
from planner.piis.rules.law import PiisLaw

EXEMPTION_REASONS = ("health", "equity")  # PIIS-03: form code 8, the reason recorded
MANDATORY, OPTIONAL, EXEMPT = "mandatory", "optional", "exempt"


@dataclass(frozen=True)
class Obligation:
    """Whether a person needs a PIIS: `kind` MANDATORY / OPTIONAL / EXEMPT, the rule that says so, and for a
    mandatory one the last day to sign it (PIIS-10)."""
    kind: str
    rule: str
    deadline: dt.date | None = None
    message: str = ""


def obligation(status: str, ri_granted_on: dt.date | None, previous_ri_ended_on: dt.date | None,
               part_time_top_up: bool, exemption: str, birth_date: dt.date | None, law: PiisLaw) -> Obligation:
    """PIIS-01: mandatory for a *new* RI beneficiary (no RI in the `new_if_no_ri_for_months` before the grant),
    to be signed within `conclude_within_months` of the decision (PIIS-10); PIIS-02 under the pre-2016 law only
    for people under 25 at the grant; PIIS-03 exempt on health or equity grounds (the reason recorded);
    PIIS-04 optional for a part-time worker with an RI top-up; PIIS-05 optional otherwise (binding once the
    person or the CPAS asks). `status` is the person's FUND-03 status (ri | eri | other_user)."""
    if exemption in EXEMPTION_REASONS:
        return Obligation(EXEMPT, "PIIS-03", message=N_("No PIIS: health or equity grounds (recorded)."))
    if status != "ri" or ri_granted_on is None:
        return Obligation(OPTIONAL, "PIIS-05")
    if part_time_top_up:
        return Obligation(OPTIONAL, "PIIS-04",
                          message=N_("Optional: part-time work with an RI top-up. The CPAS may still ask for one."))
    recent = previous_ri_ended_on is not None and previous_ri_ended_on >= add_months(
        ri_granted_on, -law.new_if_no_ri_for_months)
    if recent:
        return Obligation(OPTIONAL, "PIIS-05")
    if law.mandatory_for == "under_25" and (birth_date is None or add_months(birth_date, 25 * 12) <= ri_granted_on):
        return Obligation(OPTIONAL, "PIIS-02")
    return Obligation(MANDATORY, "PIIS-01", add_months(ri_granted_on, law.conclude_within_months),
                      N_("A PIIS is needed: new RI grant."))


def days_left(deadline: dt.date, today: dt.date) -> int:
    """PIIS-10: days from today to the deadline (negative when it has passed)."""
    return (deadline - today).days
