"""Enrolment in a collective module: places, group composition, the waitlist and early ends. Pure rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from planner.i18n import N_


STATUSES = ("proposed", "refused", "waitlisted", "enrolled", "ended")
OPEN = ("proposed", "waitlisted", "enrolled")  # a person in one of these cannot be proposed again
END_REASONS = ("job", "training", "moved", "health", "stopped", "other")  # why an enrolment ends early

# Who a single-gender group takes without a coordinator's written exception; "mixed" takes everyone.
# Gender "X" is in neither set: it fits mixed groups automatically, the rest is a human decision.
_GENDERS_OF = {"women": frozenset({"F"}), "men": frozenset({"M"})}


def seats_left(capacity: int, enrolled: int) -> int:
    return max(0, capacity - enrolled)  # a lowered capacity can leave more people enrolled than places


def fits_composition(composition: str, gender: str) -> bool:
    if composition == "mixed":
        return True
    return gender in _GENDERS_OF.get(composition, frozenset())


def composition_message(composition: str) -> str:
    return {"women": N_("This group is for women only."), "men": N_("This group is for men only.")}.get(
        composition, "")


@dataclass(frozen=True)
class Decision:
    outcome: str  # "enrol" | "waitlist" | "refuse_composition"
    message: str = ""  # N_ message id explaining a refusal


def decide_acceptance(capacity: int, enrolled: int, composition: str, gender: str, override: bool) -> Decision:
    """Accepting a proposed person: composition first, then a place or the waitlist."""
    if not override and not fits_composition(composition, gender):
        return Decision("refuse_composition", composition_message(composition))
    return Decision("enrol" if seats_left(capacity, enrolled) else "waitlist")


@dataclass(frozen=True)
class WaitlistEntry:
    enrolment_id: int
    gender: str
    queued_at: dt.datetime  # order of the waitlist: earliest first, ties broken by enrolment_id
    override: bool = False  # a coordinator already accepted a composition exception for this person


def waitlist_order(entries: Sequence[WaitlistEntry]) -> list[WaitlistEntry]:
    return sorted(entries, key=lambda e: (e.queued_at, e.enrolment_id))


def promotions(capacity: int, enrolled: int, waitlist: Sequence[WaitlistEntry],
               composition: str) -> tuple[list[WaitlistEntry], list[WaitlistEntry]]:
    """(promoted in order, skipped for composition): who takes the free places now."""
    free = seats_left(capacity, enrolled)
    promoted: list[WaitlistEntry] = []
    skipped: list[WaitlistEntry] = []
    for entry in waitlist_order(waitlist):
        if len(promoted) == free:
            break  # people behind the last free place were not passed over: they are not reported
        if entry.override or fits_composition(composition, entry.gender):
            promoted.append(entry)
        else:
            skipped.append(entry)  # keeps its place in the queue; a coordinator may still make an exception
    return promoted, skipped


def is_enrolled_on(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    # someone who joins in week 4 is not expected (nor absent) in weeks 1-3
    return start <= day and (end is None or day <= end)


def expected_sessions(start: dt.date, end: dt.date | None, session_days: Sequence[dt.date]) -> list[dt.date]:
    return sorted(day for day in session_days if is_enrolled_on(start, end, day))


def end_problems(start: dt.date, end: dt.date | None, reason: str, series_end: dt.date) -> dict[str, str]:
    """Field -> untranslated message id, for an enrolment that ends on end (None: it does not end)."""
    problems: dict[str, str] = {}
    if end is None:
        return problems
    if end < start:
        problems["end"] = N_("The end date cannot be before the start date.")
    if end < series_end and reason not in END_REASONS:
        problems["reason"] = N_("Choose why the enrolment ends.")  # the report counts early leavers by reason
    return problems
