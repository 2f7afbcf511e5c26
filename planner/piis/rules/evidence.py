"""What the register says about a person's PIIS commitments since the last evaluation (issue 15: the
evaluation screen's evidence). Pure, built on the attendance figures (one way of counting in the whole app).

Unexcused absences are flagged *for the social worker to discuss*; nothing here proposes or triggers a
sanction (PIIS-40..42: a person decides, after hearing the person).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from planner.attendance.figures import Figures, Participant, SessionSlot, participant_figures

DISCUSS_FROM_UNEXCUSED = 1  # one unexcused absence from a commitment is already worth a word; a product setting


@dataclass(frozen=True)
class Evidence:
    figures: Figures  # sessions expected, attended, late, excused, unexcused, not recorded, hours
    reasons: tuple[tuple[str, int], ...]  # excuse reason → count, most frequent first
    to_discuss: bool  # unexcused absences to talk about at the evaluation (PIIS-40: never a sanction)


def evidence_since(sessions: Sequence[SessionSlot], participant: Participant, since: dt.date | None,
                   now: dt.datetime) -> Evidence:
    """The figures of one commitment (a module or a volunteering placement) over its sessions after `since`
    (the last evaluation's day; None: since the PIIS began, which the caller's sessions already bound), up to
    `now` (sessions not started are not expected)."""
    after = [s for s in sessions if since is None or s.day > since]
    figures = participant_figures(after, participant, now)
    kept = {s.id for s in after}
    counts: dict[str, int] = {}
    for mark in participant.marks:
        if mark.session in kept and mark.status == "excused":
            counts[mark.reason or "other"] = counts.get(mark.reason or "other", 0) + 1
    reasons = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return Evidence(figures, reasons, figures.unexcused >= DISCUSS_FROM_UNEXCUSED)
