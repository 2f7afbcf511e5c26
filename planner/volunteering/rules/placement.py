"""A volunteering placement against the rules of domain.md §2.8 (VOL-01..05). Pure.

Nothing here forbids volunteering: the law only asks that the CPAS is told beforehand and that the person
stays available for work; the allowance's caps decide whether it is ignored for the RI (VOL-03).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from planner.i18n import N_
from planner.spending.rules import BLOCK, WARN, Finding, Money, Share, share_bp  # one verdict shape in the app
from planner.volunteering.rules.caps import Caps

NONE, FLAT_RATE, REAL_COSTS = "none", "flat_rate", "real_costs"
ALLOWANCE_KINDS = (NONE, FLAT_RATE, REAL_COSTS)
HOST_KINDS = ("non_profit", "public")  # VOL-04: organised by a non-profit or public body
FAMILY = "family"  # VOL-04: outside the family


def check_informed(starts_on: dt.date, informed_on: dt.date | None) -> list[Finding]:
    """VOL-01 (WARN): the person informs the CPAS *before* the placement starts; a placement recorded without
    that day, or starting before it, is flagged (the social worker talks it through; no permission exists)."""
    if informed_on is None:
        return [Finding("VOL-01", WARN, N_("Record the day the CPAS was told about this volunteering."))]
    if starts_on < informed_on:
        return [Finding("VOL-01", WARN, N_("This placement starts on %(start)s, before the CPAS was told on "
                                           "%(told)s."), {"start": starts_on, "told": informed_on})]
    return []


def check_availability(note: str, is_ri: bool) -> list[Finding]:
    """VOL-02 (WARN): for an RI beneficiary, a note on how the placement leaves them available for work."""
    if is_ri and not note.strip():
        return [Finding("VOL-02", WARN, N_("Write how the person stays available for work during this "
                                           "volunteering."))]
    return []


def check_host(host_kind: str, paid_same_tasks: bool) -> list[Finding]:
    """VOL-04 (BLOCK): the host is a non-profit or public body outside the family, and the person does not do
    the same tasks for it under an employment contract."""
    findings = []
    if host_kind not in HOST_KINDS:
        findings.append(Finding("VOL-04", BLOCK, N_("Volunteering is organised by a non-profit or public "
                                                    "organisation, outside the family.")))
    if paid_same_tasks:
        findings.append(Finding("VOL-04", BLOCK, N_("The same tasks cannot be volunteering for an organisation "
                                                    "that pays the person to do them.")))
    return findings


@dataclass(frozen=True)
class Allowance:
    """A placement's allowance in a year: its kind, the flat rate per day, the days it is paid for."""
    kind: str
    per_day_cents: int = 0
    days: int = 0

    @property
    def year_cents(self) -> int:
        return self.per_day_cents * self.days if self.kind == FLAT_RATE else 0


def check_allowance(allowance: Allowance, others: Sequence[Allowance], caps: Caps) -> list[Finding]:
    """VOL-03 with the year's indexed caps (data). BLOCK: an allowance kind not known, a flat rate above the day
    cap, a flat rate in a year the person already has real costs refunded elsewhere or the reverse (law of
    3 July 2005 art. 10: never both in a year; travel costs aside). WARN: the person's flat-rate total of the
    year, all placements together, from `warn_from_bp` of the year cap ("near") or above it ("over": the whole
    year's allowance then counts as income for the RI)."""
    if allowance.kind not in ALLOWANCE_KINDS:
        raise ValueError(f"unknown allowance kind {allowance.kind!r}")
    findings: list[Finding] = []
    kinds = {o.kind for o in others} - {NONE}
    if allowance.kind != NONE and kinds - {allowance.kind}:
        findings.append(Finding("VOL-03", BLOCK, N_("A volunteer gets either a flat-rate allowance or real costs "
                                                    "in a year, never both.")))
    if allowance.kind != FLAT_RATE:
        return findings
    if allowance.per_day_cents > caps.day_cap_cents:
        findings.append(Finding("VOL-03", BLOCK, N_("%(amount)s a day is above the %(year)s cap of %(cap)s a day."),
                                {"amount": Money(allowance.per_day_cents), "cap": Money(caps.day_cap_cents),
                                 "year": str(caps.year)}))
    total = allowance.year_cents + sum(o.year_cents for o in others)
    figures = {"total": Money(total), "cap": Money(caps.year_cap_cents), "year": str(caps.year),
               "share": Share(share_bp(total, caps.year_cap_cents))}
    if total > caps.year_cap_cents:
        findings.append(Finding("VOL-03", WARN, N_(
            "With this placement the person's allowances reach %(total)s in %(year)s, above the cap of %(cap)s: "
            "all of them would then count as income for the RI."), figures))
    elif share_bp(total, caps.year_cap_cents) >= caps.warn_from_bp:
        findings.append(Finding("VOL-03", WARN, N_(
            "With this placement the person's allowances reach %(total)s in %(year)s, %(share)s of the cap of "
            "%(cap)s."), figures))
    return findings


def days_in_year(starts_on: dt.date, ends_on: dt.date | None, weekdays: int, year: int) -> int:
    """How many volunteering days a placement has in `year`: `weekdays` days a week over its weeks in the year
    (a whole week counts from its first day), the number an allowance is projected on."""
    first = max(starts_on, dt.date(year, 1, 1))
    last = min(ends_on or dt.date(year, 12, 31), dt.date(year, 12, 31))
    if last < first:
        return 0
    weeks = ((last - first).days + 7) // 7
    return weeks * max(0, min(7, weekdays))
