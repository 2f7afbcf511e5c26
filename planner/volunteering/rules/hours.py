"""Hours a volunteer did, as the host or the volunteer records them and the CPAS approves (issue 17). Pure.

An entry is never deleted: it is pending until the CPAS approves or declines it (with a reason), and each
change is a line of its history."""

from __future__ import annotations

import datetime as dt

from planner.i18n import N_

PENDING, APPROVED, DECLINED = "pending", "approved", "declined"
STATES = (PENDING, APPROVED, DECLINED)
RECORDERS = ("host", "volunteer", "cpas")
MAX_MINUTES_A_DAY = 16 * 60  # a day's entry beyond this is a typing error, not volunteering


def entry_problems(day: dt.date, minutes: int, today: dt.date, starts_on: dt.date,
                   ends_on: dt.date | None) -> dict[str, str]:
    """Field → untranslated message for an hours entry that cannot be stored: a day in the future or outside
    the placement, no time or more than a day's worth."""
    problems: dict[str, str] = {}
    if day > today:
        problems["day"] = N_("Hours are recorded once they are done: choose today or an earlier day.")
    elif day < starts_on or (ends_on is not None and day > ends_on):
        problems["day"] = N_("This day is outside the placement.")
    if minutes <= 0:
        problems["minutes"] = N_("Give the time done, more than zero.")
    elif minutes > MAX_MINUTES_A_DAY:
        problems["minutes"] = N_("That is more than 16 hours in a day: check the time.")
    return problems


def decision_problems(current: str, new: str, reason: str) -> dict[str, str]:
    """Approving or declining: a decline needs its reason; a decided entry may be decided again (a mistake
    put right), never set back to pending; ValueError for an unknown state."""
    if current not in STATES or new not in STATES:
        raise ValueError("unknown state")
    if new == PENDING:
        return {"state": N_("An entry goes back to the volunteer's list only by a new entry.")}
    if new == DECLINED and not reason.strip():
        return {"reason": N_("Say why these hours are declined: the volunteer and the host will read it.")}
    return {}


def approved_minutes(entries: list[tuple[str, int]]) -> int:
    """The minutes that count (PIIS evidence, the report): approved entries only, pending and declined not."""
    return sum(minutes for state, minutes in entries if state == APPROVED)
