"""The words for marks and excuse reasons, in the reader's language.

Plain functions rather than template macros: a roll of 50 shows them hundreds of times, and a macro
rebuilt its whole dictionary of translations on every call."""

from __future__ import annotations

from planner.i18n import gettext
from planner.web import N_

MARK_LABELS = {"present": N_("present"), "late": N_("late"), "left_early": N_("left early"),
               "excused": N_("excused absence"), "unexcused": N_("unexcused absence")}
EXCUSE_LABELS = {"illness": N_("Illness"), "employment_service": N_("Appointment at the employment service"),
                 "childcare": N_("Childcare"), "transport": N_("Transport"),
                 "told_beforehand": N_("Told beforehand"), "other": N_("Other")}


def mark_label(status: str) -> str:
    return gettext(MARK_LABELS[status]) if status in MARK_LABELS else ""


def excuse_label(reason: str) -> str:
    return gettext(EXCUSE_LABELS[reason]) if reason in EXCUSE_LABELS else ""
