"""When a PIIS is evaluated (domain.md §2.4: PIIS-30, PIIS-31, PIIS-34) and what is due. Pure.

The law sets a minimum (PIIS-30: 3 a year, 2 of them interviews, from the law file); a CPAS may keep the
pre-2016 quarterly rhythm as its own policy (PIIS-31). Signing plans numbered appointments; moving one keeps
it where it was put and the later ones follow at the same distance.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from planner.i18n import N_
from planner.piis.rules.common import WARN, Finding, add_months
from planner.piis.rules.law import PiisLaw

YEARLY, QUARTERLY = "yearly", "quarterly"
CADENCES = (YEARLY, QUARTERLY)
INTERVIEW, OTHER = "interview", "other"  # PIIS-34: an individual interview, or another form (phone, letter)
KINDS = (INTERVIEW, OTHER)
DUE_WITHIN_DAYS = 30  # the due list's horizon (issue 15), a product setting, not law
NO_EVALUATION_ALERT_MONTHS = 4  # PIIS-31's suggested alert [I], a product setting


@dataclass(frozen=True)
class Cadence:
    """How often a CPAS evaluates: `per_year` evaluations of which `interviews` are interviews."""
    per_year: int
    interviews: int

    @property
    def interval_months(self) -> int:
        return max(1, 12 // max(1, self.per_year))


def cadence_of(mode: str, law: PiisLaw) -> Cadence:
    """PIIS-30: the law's minimum (`yearly`); PIIS-31: `quarterly`, four a year, the law's interviews kept.
    ValueError for another mode."""
    if mode == YEARLY:
        return Cadence(law.evaluations_per_year, law.interviews_per_year)
    if mode == QUARTERLY:
        return Cadence(max(4, law.evaluations_per_year), law.interviews_per_year)
    raise ValueError(f"unknown cadence {mode!r}")


@dataclass(frozen=True)
class Appointment:
    number: int  # 1, 2, 3 … in the PIIS's order
    day: dt.date
    kind: str  # INTERVIEW | OTHER


def plan(signed_on: dt.date, ends_on: dt.date, cadence: Cadence) -> list[Appointment]:
    """PIIS-30/31: appointments every `interval_months` from the signature while the PIIS runs, the last one on
    its end day when the interval would pass it; in each year of the contract the first `interviews` are
    interviews. A PIIS ending before the first interval gets one appointment on its end day."""
    days: list[dt.date] = []
    step = 1
    while (day := add_months(signed_on, step * cadence.interval_months)) < ends_on:
        days.append(day)
        step += 1
    if ends_on > signed_on and (not days or days[-1] < ends_on):
        days.append(ends_on)
    per_year = max(1, cadence.per_year)
    return [Appointment(n + 1, day, INTERVIEW if n % per_year < cadence.interviews else OTHER)
            for n, day in enumerate(days)]


def move(appointments: Sequence[Appointment], number: int, new_day: dt.date,
         ends_on: dt.date) -> list[Appointment]:
    """Appointment `number` moved to new_day: it stays there, the later ones keep their distance to it (shifted
    by as many days), and those pushed past the PIIS's end day are dropped; earlier ones do not move.
    ValueError for an unknown number."""
    moved = next((a for a in appointments if a.number == number), None)
    if moved is None:
        raise ValueError(f"no appointment {number}")
    shift = new_day - moved.day
    result = []
    for a in appointments:
        if a.number < number:
            result.append(a)
        elif a.number == number:
            result.append(replace(a, day=new_day))
        elif a.day + shift <= ends_on:
            result.append(replace(a, day=a.day + shift))
    return result


@dataclass(frozen=True)
class Done:
    day: dt.date
    kind: str


def required_in_year(cadence: Cadence, year: int, starts_on: dt.date, ends_on: dt.date) -> tuple[int, int]:
    """PIIS-30 for the part of `year` the PIIS ran: (evaluations, interviews) needed, pro rata of its days in
    the year, rounded half up [I: the law states a yearly minimum; a PIIS signed on 10 February owes 3, one
    running September to December 1, one running two months 1; of which at least one interview]."""
    first, last = max(starts_on, dt.date(year, 1, 1)), min(ends_on, dt.date(year, 12, 31))
    if last < first:
        return 0, 0
    share = ((last - first).days + 1) / (366 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 365)
    evaluations = math.floor(cadence.per_year * share + 0.5)
    interviews = math.floor(cadence.interviews * share + 0.5)
    return evaluations, min(evaluations, max(interviews, 1 if evaluations and cadence.interviews else 0))


def check_year(done: Sequence[Done], cadence: Cadence, year: int, starts_on: dt.date,
               ends_on: dt.date) -> list[Finding]:
    """PIIS-30 (WARN: the CPAS is behind, the contract stands): fewer evaluations or interviews in `year` than
    required_in_year. §6.4: signed 2017-02-10, evaluated 30/05 (interview), 15/09 (interview), 12/12 (phone)
    → nothing to say."""
    needed, interviews_needed = required_in_year(cadence, year, starts_on, ends_on)
    in_year = [d for d in done if d.day.year == year and starts_on <= d.day <= ends_on]
    interviews = sum(1 for d in in_year if d.kind == INTERVIEW)
    findings = []
    if len(in_year) < needed:
        findings.append(Finding("PIIS-30", WARN, N_("%(done)s of %(needed)s evaluations done in %(year)s."),
                                {"done": len(in_year), "needed": needed, "year": str(year)}))
    if interviews < interviews_needed:
        findings.append(Finding("PIIS-30", WARN, N_("%(done)s of %(needed)s interviews done in %(year)s."),
                                {"done": interviews, "needed": interviews_needed, "year": str(year)}))
    return findings


def silent_too_long(last_evaluation: dt.date | None, signed_on: dt.date, today: dt.date) -> bool:
    """PIIS-31's alert: no evaluation in the last NO_EVALUATION_ALERT_MONTHS months (counted from the signature
    when there was none yet)."""
    return add_months(last_evaluation or signed_on, NO_EVALUATION_ALERT_MONTHS) < today


LATE, DUE, ENDING = "late", "due", "ending"


def due_state(day: dt.date, today: dt.date) -> str | None:
    """An appointment not yet held: LATE when its day has passed, DUE within DUE_WITHIN_DAYS, else None."""
    if day < today:
        return LATE
    if (day - today).days <= DUE_WITHIN_DAYS:
        return DUE
    return None


def ending_soon(ends_on: dt.date, today: dt.date) -> bool:
    """A running PIIS whose end is within a month: time to evaluate it and decide what follows."""
    return today <= ends_on <= add_months(today, 1)
