"""A person's measurements with one instrument over time: the figure of each, the pair §4.3 compares in a year,
the year's progress, and the outcome of a trajectory (E2). Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fractions import Fraction

from planner.i18n import N_
from planner.piis.rules.progress import OUTCOMES, LADDER_UNPAID_WORK, Scores, YearProgress, score, year_progress

END_CONTEXTS = ("end", "31dec")  # what may close a year's comparison (§4.3: the situation on 31 December)
LADDER = "participation_ladder"  # the instrument whose levels map to E2a (§5.1)
NONE = "none"


@dataclass(frozen=True)
class Point:
    """One measurement as the progress page shows it: its day, context, levels and one figure (rules.score)."""
    id: int
    day: dt.date
    context: str
    scores: Scores
    value: Fraction


def series(rows: Sequence[tuple[int, dt.date, str, Scores]], kind: str) -> list[Point]:
    """(id, day, context, scores) rows as points, oldest first (by day, then the order they were taken)."""
    return [Point(i, day, context, scores, score(scores, kind))
            for i, day, context, scores in sorted(rows, key=lambda r: (r[1], r[0]))]


def year_pair(points: Sequence[Point], year: int) -> tuple[Point | None, Point | None]:
    """§4.3: the start is the last measurement before 1 January when the trajectory was already running, else
    the first of the year; the end the latest of the year taken at an end or on 31 December, after the
    start. (None, None) or (start, None) when the year cannot be counted."""
    first = dt.date(year, 1, 1)
    before = [p for p in points if p.day < first]
    during = [p for p in points if p.day.year == year]
    start = before[-1] if before else (during[0] if during else None)
    if start is None:
        return None, None
    ends = [p for p in during if p.context in END_CONTEXTS and p.day > start.day]
    return start, (ends[-1] if ends else None)


def progress_in_year(points: Sequence[Point], year: int, kind: str, rule: str, code: str,
                     referred_to_isp: bool = False, volunteering_started: bool = False) -> YearProgress:
    """§4.3 E2 for one person and instrument: rules.year_progress over year_pair (the ladder's level 4 counts
    as towards a socio-professional path, §5.1)."""
    start, end = year_pair(points, year)
    return year_progress(start and start.scores, end and end.scores, kind, code == LADDER, referred_to_isp,
                         volunteering_started, rule)


def reached_unpaid_work(points: Sequence[Point], year: int) -> bool:
    """§6.4's "reached level 4": a ladder end measurement of the year at level 4 or more."""
    _start, end = year_pair(points, year)
    return end is not None and max(end.scores.values(), default=0) >= LADDER_UNPAID_WORK


def check_outcome(flags: Collection[str], primary: str, ended_on: dt.date | None,
                  started_on: dt.date | None) -> dict[str, str]:
    """§4.3 E2 at the end of a trajectory: non-exclusive flags from OUTCOMES, and a primary category that is one
    of them, or "none" when there is no flag; the end day on or after the start. Field → message id."""
    problems = {}
    if any(f not in OUTCOMES for f in flags):
        problems["flags"] = N_("Choose outcomes from the list.")
    if (primary == NONE and flags) or (primary != NONE and primary not in flags):
        problems["primary"] = N_("The main outcome is one of those ticked, or none when none is ticked.")
    if ended_on is None:
        problems["ended_on"] = N_("Give the end date as a day, e.g. 31/12/2026.")
    elif started_on is not None and ended_on < started_on:
        problems["ended_on"] = N_("The end date is before the PIIS started.")
    return problems
