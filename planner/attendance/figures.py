"""Attendance figures of a module, per participant, and the rolls still to record. Pure: no Litestar, no
Piccolo, no clock (queries.py reads the rows and hands in "now").

Everything is keyed by session, never by day: a module may meet twice on one day, and each meeting has its own
mark."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from planner.attendance.rules import ATTENDED, BRUSSELS, STATUSES


@dataclass(frozen=True)
class SessionSlot:
    """One session as the figures see it: its id, and its day and times in Europe/Brussels wall-clock."""
    id: int
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time
    held: bool = True  # False when cancelled

    def has_started(self, now: dt.datetime) -> bool:
        return dt.datetime.combine(self.day, self.starts_at) <= wall_clock(now)


def slots_by_module(rows: Sequence[dict]) -> dict[int, list[SessionSlot]]:
    """Session rows (id, module, day, starts_at, ends_at, status), in the order they take place, as
    module id -> its SessionSlots in that order; a cancelled session is not held."""
    slots: dict[int, list[SessionSlot]] = {}
    for s in rows:
        slots.setdefault(s["module"], []).append(
            SessionSlot(s["id"], s["day"], s["starts_at"], s["ends_at"], held=s["status"] != "cancelled"))
    return slots


@dataclass(frozen=True)
class Mark:
    """A person's mark in one session (SessionSlot.id)."""
    session: int
    status: str  # one of STATUSES, or "" once the mark was cleared
    arrived_at: dt.time | None = None
    left_at: dt.time | None = None
    reason: str = ""


@dataclass(frozen=True)
class Participant:
    """Someone on a module's roll: the days of their enrolment (both included) and their marks; someone
    enrolled again after an end has their other periods in more_periods, and is still one participant."""
    enrolled_from: dt.date
    enrolled_until: dt.date | None = None
    marks: tuple[Mark, ...] = ()
    more_periods: tuple[tuple[dt.date, dt.date | None], ...] = ()

    def enrolled_on(self, day: dt.date) -> bool:
        periods = ((self.enrolled_from, self.enrolled_until), *self.more_periods)
        return any(start <= day and (until is None or day <= until) for start, until in periods)


@dataclass(frozen=True)
class Figures:
    expected: int  # held sessions that have started, within the enrolment period
    present: int
    late: int
    left_early: int
    excused: int
    unexcused: int
    not_recorded: int  # expected sessions without a recorded mark: unknown, which is not absent
    hours_attended: float  # time actually there, rounded to 2 decimals
    rate: float | None  # attended / recorded sessions; None when no session is recorded

    @property
    def recorded(self) -> int:
        return self.expected - self.not_recorded


@dataclass(frozen=True)
class UnrecordedSession:
    session: SessionSlot
    missing: int  # people expected at it without a recorded mark
    expected: int  # people expected at it


def wall_clock(now: dt.datetime) -> dt.datetime:
    """`now` on the naive Brussels wall clock sessions are planned on (an aware instant is converted)."""
    return now.astimezone(BRUSSELS).replace(tzinfo=None) if now.tzinfo else now


def is_recorded(mark: Mark | None) -> bool:
    """A mark is recorded when it holds one of STATUSES. Closing a roll records nobody: someone left without a
    mark on a closed roll (or a cleared mark) is "not recorded", to be chased, never counted absent."""
    return mark is not None and mark.status in STATUSES


def expected_sessions(sessions: Sequence[SessionSlot], participant: Participant,
                      now: dt.datetime) -> list[SessionSlot]:
    """The held sessions that have started by `now` (naive Brussels wall-clock, or aware) while the person was
    enrolled: a session later today, or a cancelled one, is not expected yet or at all."""
    return [s for s in sessions if s.held and s.has_started(now) and participant.enrolled_on(s.day)]


def _seconds(time: dt.time) -> int:
    return time.hour * 3600 + time.minute * 60 + time.second


def _seconds_there(session: SessionSlot, mark: Mark) -> int:
    # a late arrival counts from arrived_at, an early leaver until left_at, both kept within the session;
    # a missing time (not sent by an older tablet) falls back on the session's own start or end
    start, end = _seconds(session.starts_at), _seconds(session.ends_at)
    came = _seconds(mark.arrived_at) if mark.status == "late" and mark.arrived_at else start
    went = _seconds(mark.left_at) if mark.status == "left_early" and mark.left_at else end
    came, went = min(max(came, start), end), min(max(went, start), end)
    return max(0, went - came)


def attended_seconds(session: SessionSlot, mark: Mark) -> int:
    """The time a mark says the person was there (0 unless present, late or left early): what hours_attended
    adds up, for readers that count over other groupings (spending's cost per attended hour)."""
    return _seconds_there(session, mark) if mark.status in ATTENDED else 0


def _rate(attended: int, recorded: int) -> float | None:
    return attended / recorded if recorded else None


def _marks_by_session(participant: Participant) -> dict[int, Mark]:
    # one mark per person and session (a unique index on the table); should two come, the last one counts
    return {m.session: m for m in participant.marks}


def participant_figures(sessions: Sequence[SessionSlot], participant: Participant, now: dt.datetime) -> Figures:
    """Someone who joined in week 4 is never counted absent for weeks 1-3; cancelled sessions and sessions that
    have not started by `now` are not expected; a session without a recorded mark counts as not recorded and
    is left out of the rate."""
    by_session = _marks_by_session(participant)
    expected = expected_sessions(sessions, participant, now)
    counts = dict.fromkeys(STATUSES, 0)
    not_recorded = seconds = 0
    for session in expected:
        mark = by_session.get(session.id)
        if mark is None or not is_recorded(mark):
            not_recorded += 1
            continue
        counts[mark.status] += 1
        if mark.status in ATTENDED:
            seconds += _seconds_there(session, mark)
    attended = sum(counts[s] for s in ATTENDED)
    return Figures(len(expected), counts["present"], counts["late"], counts["left_early"], counts["excused"],
                   counts["unexcused"], not_recorded, round(seconds / 3600, 2),
                   _rate(attended, len(expected) - not_recorded))


def module_figures(per_person: Sequence[Figures]) -> Figures:
    def total(field: str) -> int:
        return sum(getattr(f, field) for f in per_person)

    expected, not_recorded = total("expected"), total("not_recorded")
    attended = total("present") + total("late") + total("left_early")
    return Figures(expected, total("present"), total("late"), total("left_early"), total("excused"),
                   total("unexcused"), not_recorded, round(sum(f.hours_attended for f in per_person), 2),
                   _rate(attended, expected - not_recorded))


def unrecorded_sessions(sessions: Sequence[SessionSlot], participants: Sequence[Participant],
                        now: dt.datetime) -> list[UnrecordedSession]:
    """The started, held sessions where someone expected has no recorded mark (see is_recorded), latest first:
    the rolls a coordinator has to chase. Their `missing` add up to the participants' `not_recorded`."""
    missing: dict[int, int] = {}
    expected: dict[int, int] = {}
    for participant in participants:
        by_session = _marks_by_session(participant)
        for session in expected_sessions(sessions, participant, now):
            expected[session.id] = expected.get(session.id, 0) + 1
            if not is_recorded(by_session.get(session.id)):
                missing[session.id] = missing.get(session.id, 0) + 1
    chased = [UnrecordedSession(s, missing[s.id], expected[s.id]) for s in sessions if s.id in missing]
    return sorted(chased, key=lambda u: (u.session.day, u.session.starts_at, u.session.id), reverse=True)


def unexcused_streak(sessions: Sequence[SessionSlot], marks: Sequence[Mark]) -> int:
    """Unexcused absences in a row up to the latest mark, in the order the sessions took place: a hint for a
    PIIS follow-up, which a person decides on.

    Any other mark, an excused absence included, ends the streak; marks without a status, or of a session not
    given, are skipped.
    """
    order = {s.id: (s.day, s.starts_at, s.id) for s in sessions}
    streak = 0
    for mark in sorted((m for m in marks if m.status and m.session in order), key=lambda m: order[m.session]):
        streak = streak + 1 if mark.status == "unexcused" else 0
    return streak


def participants(enrolments: Sequence[dict], marks: dict[int, list[Mark]]) -> list[tuple[dict, Participant]]:
    """One participant per person and module, whatever their number of enrolments (ended, then enrolled
    again): (their latest enrolment, the participant with every period).

    enrolments: rows with beneficiary, start_date, end_date (None: open) and, over several modules, module;
    marks: beneficiary id -> their marks."""
    periods: dict[tuple[int, int], list[dict]] = {}
    for e in sorted(enrolments, key=lambda e: e["start_date"] or dt.date.min):
        periods.setdefault((e.get("module", 0), e["beneficiary"]), []).append(e)
    return [(rows[-1], Participant(rows[0]["start_date"] or dt.date.min, rows[0]["end_date"],
                                   tuple(marks.get(rows[0]["beneficiary"], ())),
                                   tuple((r["start_date"] or dt.date.min, r["end_date"]) for r in rows[1:])))
            for rows in periods.values()]
