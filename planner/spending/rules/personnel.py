"""Staff time charged to a subsidy (COST-09) and the part that would be paid twice (SUB-PIIS-05)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from planner.i18n import N_
from planner.spending.rules.common import BLOCK, WHOLE, Finding, Money, Share, apportion, part_of
from planner.spending.rules.ruleset import RuleSet

# The eligible strand-B tasks of domain.md §3.3; the last two are the ones SUB-PIIS-05 restricts.
TASKS = ("preparation", "facilitation", "coordination", "bilan_social", "progress_measurement")
PIIS_TASKS = frozenset({"bilan_social", "progress_measurement"})


def days_in_year(start: dt.date, end: dt.date, year: int) -> int:
    """Days of [start, end] (both included) that fall in year; 0 when none do."""
    first, last = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
    return max(0, (last - first).days + 1)


@dataclass(frozen=True)
class PersonnelCharge:
    cents: int  # charged for the period, every task together
    per_task: dict[str, int]  # task -> cents, summing exactly to `cents`
    days: int  # days of the period within the year
    year_days: int  # 365 or 366
    findings: tuple[Finding, ...] = field(default=(), hash=False)


def personnel_charge(full_time_annual_cents: int, fte_bp: int, time_share_bp: int, start: dt.date,
                     end: dt.date, year: int, tasks_bp: Mapping[str, int] | None = None) -> PersonnelCharge:
    """COST-09: staff cost charged = gross annual cost of a full-time post, employer contributions included
    × the person's FTE (basis points) × the share of their working time on collective modules (basis points)
    × the days of the period in the year / the days of the year, rounded down to the cent once, at the end.

    The FTE enters because the annual cost is the full-time one (the pay scale's), as in domain.md §6.4:
    SWITCH's animator, 0.8 FTE × €52,000 × 35 % over 2017 = €14,560. For a cost already for the person's
    own contract, pass fte_bp=10000. tasks_bp splits the time between TASKS (together 100 %; default: all
    facilitation); the task amounts sum exactly to the total (largest remainder). Invalid input charges
    nothing (block)."""
    tasks = dict(tasks_bp) if tasks_bp is not None else {"facilitation": WHOLE}
    year_days = 366 if calendar.isleap(year) else 365
    days = days_in_year(start, end, year)
    problem = None
    if full_time_annual_cents < 0:
        problem = Finding("COST-09", BLOCK, N_("The annual cost of a post cannot be negative."))
    elif not (0 < fte_bp <= WHOLE and 0 <= time_share_bp <= WHOLE):
        problem = Finding("COST-09", BLOCK, N_("A share of working time must be between %(low)s and %(high)s."),
                          {"low": Share(0), "high": Share(WHOLE)})
    elif end < start:
        problem = Finding("COST-09", BLOCK, N_("The period ends on %(end)s, before it starts on %(start)s."),
                          {"start": start, "end": end})
    elif days == 0:
        problem = Finding("COST-09", BLOCK, N_("The period from %(start)s to %(end)s is not in %(year)s."),
                          {"start": start, "end": end, "year": str(year)})
    elif any(t not in TASKS or s < 0 for t, s in tasks.items()) or sum(tasks.values()) != WHOLE:
        problem = Finding("COST-09", BLOCK, N_("The tasks' shares of this time add up to %(total)s; they must "
                                               "add up to %(whole)s."),
                          {"total": Share(sum(tasks.values())), "whole": Share(WHOLE)})
    if problem:
        return PersonnelCharge(0, dict.fromkeys(tasks, 0), days, year_days, (problem,))
    cents = part_of(full_time_annual_cents * fte_bp * time_share_bp, days, WHOLE * WHOLE * year_days)
    names = list(tasks)
    return PersonnelCharge(cents, dict(zip(names, apportion(cents, [tasks[t] for t in names]))), days, year_days)


@dataclass(frozen=True)
class PiisShare:
    amount_cents: int  # the task's staff cost
    chargeable_cents: int  # what may be charged to the strand
    participants: int
    with_piis_subsidy: int
    findings: tuple[Finding, ...] = field(default=(), hash=False)


def piis_chargeable(amount_cents: int, task: str, strand_code: str, participants: int, with_piis_subsidy: int,
                    ruleset: RuleSet) -> PiisShare:
    """SUB-PIIS-05: staff time on the bilan social or progress measurement counts in an excluded strand
    (strand B for the Fonds PAS) only for participants without the 10 % PIIS subsidy: amount ×
    (participants − with_piis_subsidy) / participants, rounded down to the cent. Other tasks and strands are
    fully chargeable. Impossible counts charge nothing of such time (block)."""
    if task not in PIIS_TASKS or strand_code not in ruleset.piis_subsidy_excluded_strands:
        return PiisShare(amount_cents, amount_cents, participants, with_piis_subsidy)
    if participants <= 0 or not 0 <= with_piis_subsidy <= participants:
        return PiisShare(amount_cents, 0, participants, with_piis_subsidy, (Finding(
            "SUB-PIIS-05", BLOCK, N_("The module has %(participants)s participants, so %(with_subsidy)s of "
                                     "them cannot have the special PIIS subsidy."),
            {"participants": participants, "with_subsidy": with_piis_subsidy}),))
    return PiisShare(amount_cents, part_of(amount_cents, participants - with_piis_subsidy, participants),
                     participants, with_piis_subsidy)


def check_piis_double_funding(charged_cents: int, share: PiisShare, strand_code: str) -> list[Finding]:
    """SUB-PIIS-05: charging more of such time than its chargeable share blocks, with the figures."""
    if charged_cents <= share.chargeable_cents:
        return list(share.findings)
    return [*share.findings, Finding(
        "SUB-PIIS-05", BLOCK, N_("Only %(chargeable)s of this %(amount)s can be charged to strand %(strand)s: for "
                                 "%(with_subsidy)s of the %(participants)s participants, the special PIIS subsidy "
                                 "already pays for the bilan social and the progress measurement."),
        {"chargeable": Money(share.chargeable_cents), "amount": Money(share.amount_cents), "strand": strand_code,
         "with_subsidy": share.with_piis_subsidy, "participants": share.participants})]
