"""Progress measured with an instrument, as the evaluation form counts it (domain.md §4.3 E2, §5). Pure.

An instrument's scores are integers per domain (one domain, None, for a single-scale instrument such as the
participation ladder). Progress is a positive difference between the start (entry, or 1 January when already
running) and 31 December (§4.3); how a multi-domain instrument progresses is the CPAS's choice (§5.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

ORDINAL, LIKERT, MATRIX = "ordinal", "likert", "matrix"
SUM, ANY_DOMAIN = "sum", "any_domain"  # §5.2: sum(end) > sum(start), or any domain improved
CONTEXTS = ("start", "interim", "end", "31dec")
SOCIO_PRO, AUTONOMY, VOLUNTEERING, EMPLOYMENT = "socio_pro", "autonomy", "volunteering", "employment"
OUTCOMES = (SOCIO_PRO, AUTONOMY, VOLUNTEERING, EMPLOYMENT)  # §4.3's counts, plus "none"
LADDER_UNPAID_WORK = 4  # §5.1: level 4, unpaid work (volunteering, internship)

Scores = Mapping[str | None, int]  # domain code (None for a single scale) → level


def check_scores(scores: Scores, domains: tuple[str | None, ...], low: int, high: int) -> list[str]:
    """The problems of a measurement: a domain not of the instrument, a level outside low..high, a domain left
    out (§5.2: one level per domain, integers only). [] when it can be stored."""
    problems = [f"{d}: unknown domain" for d in scores if d not in domains]
    problems += [f"{d}: {v} not in {low}..{high}" for d, v in scores.items()
                 if not isinstance(v, int) or isinstance(v, bool) or not low <= v <= high]
    problems += [f"{d}: missing" for d in domains if d not in scores]
    return problems


def score(scores: Scores, scale: str) -> Fraction:
    """One figure for a measurement: the level (ordinal, one domain), the sum of levels (matrix, §5.2), the
    mean (likert, §5.3), kept exact."""
    values = list(scores.values())
    if not values:
        return Fraction(0)
    if scale == LIKERT:
        return Fraction(sum(values), len(values))
    return Fraction(sum(values))


def dimension_means(scores: Scores, dimensions: Mapping[str | None, str]) -> tuple[tuple[str, Fraction], ...]:
    """§5.3: a questionnaire's score per dimension, the mean of its items' levels, kept exact; the dimensions
    in the order of their first item (`dimensions`: item code → dimension). Items without a dimension and
    dimensions without an answered item are left out."""
    found: dict[str, list[int]] = {}
    for code, dimension in dimensions.items():
        if dimension and code in scores:
            found.setdefault(dimension, []).append(scores[code])
    return tuple((d, Fraction(sum(v), len(v))) for d, v in found.items())


def progressed(start: Scores, end: Scores, scale: str, rule: str = SUM) -> bool:
    """§4.3 E2: end better than start. Matrix instruments follow the CPAS's rule (SUM or ANY_DOMAIN, §5.2)."""
    if scale == MATRIX and rule == ANY_DOMAIN:
        return any(end.get(d, 0) > v for d, v in start.items())
    return score(end, scale) > score(start, scale)


@dataclass(frozen=True)
class YearProgress:
    """One person's progress in a year, as the evaluation form counts it: non-exclusive flags and a primary
    category (§4.3: E2a + E2b + E2c may exceed E2)."""
    progressed: bool
    flags: frozenset[str]
    primary: str | None


def year_progress(start: Scores | None, end: Scores | None, scale: str, ladder: bool, referred_to_isp: bool,
                  volunteering_started: bool, rule: str = SUM) -> YearProgress:
    """§4.3 E2/E2a–c with §5.1's mapping: a person counts only with a start and an end measurement; an end
    ladder level ≥ 4, or a recorded referral to a socio-professional programme, is progress towards a
    socio-professional path (E2a); another improvement is reinforced autonomy (E2b); a volunteering placement
    started in the year is E2c. Primary category: E2a before E2c before E2b."""
    if start is None or end is None or not progressed(start, end, scale, rule):
        return YearProgress(False, frozenset(), None)
    flags = set()
    if referred_to_isp or (ladder and max(end.values(), default=0) >= LADDER_UNPAID_WORK):
        flags.add(SOCIO_PRO)
    else:
        flags.add(AUTONOMY)
    if volunteering_started:
        flags.add(VOLUNTEERING)
    primary = next(c for c in (SOCIO_PRO, VOLUNTEERING, AUTONOMY) if c in flags)
    return YearProgress(True, frozenset(flags), primary)


def measured_in_time(start_on: dt.date, end_on: dt.date, year: int) -> bool:
    """§4.3: the end measurement no later than 31 December of the year, after the start."""
    return start_on <= end_on <= dt.date(year, 12, 31)
