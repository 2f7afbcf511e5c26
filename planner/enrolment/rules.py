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


# ---- warnings when proposing someone (issue 18) ---------------------------------------------------------------

@dataclass(frozen=True)
class Slot:
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time


def has_ended(last_session_day: dt.date | None, today: dt.date) -> bool:
    """The module's last session is past (a module not planned yet has not ended)."""
    return last_session_day is not None and last_session_day < today


def double_bookings(module_slots: Sequence[Slot], person_slots: Sequence[Slot]) -> list[dt.date]:
    """The days on which one of the module's sessions overlaps a session the person is already booked for,
    in order, once each. Half-open: a session ending at 12:00 leaves the person free for one at 12:00."""
    by_day: dict[dt.date, list[Slot]] = {}
    for s in person_slots:
        by_day.setdefault(s.day, []).append(s)
    return sorted({m.day for m in module_slots for p in by_day.get(m.day, ())
                   if m.starts_at < p.ends_at and p.starts_at < m.ends_at})


def proposal_warnings(ended: bool, composition: str, gender: str, clashes: Sequence[dt.date]) -> tuple[str, ...]:
    """What to tell the social worker before proposing, as kinds the page words: "ended" (the module's last
    session is past), "women" / "men" (a group for the other gender only), "one_gender" (a single-gender group
    and a person of gender X: the coordinator decides, see _GENDERS_OF), "booked" (already booked elsewhere at
    the time of some of its sessions). None of them refuses the proposal."""
    found = []
    if ended:
        found.append("ended")
    if not fits_composition(composition, gender):
        found.append(composition if gender in ("F", "M") else "one_gender")
    if clashes:
        found.append("booked")
    return tuple(found)
