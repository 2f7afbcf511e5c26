"""The words for marks and excuse reasons, in the reader's language.

Plain functions rather than template macros: a roll of 50 shows them hundreds of times, and a macro
rebuilt its whole dictionary of translations on every call."""

from __future__ import annotations

import functools

from markupsafe import Markup

from planner.i18n import current_language, gettext, translations
from planner.i18n import N_

MARK_LABELS = {"present": N_("present"), "late": N_("late"), "left_early": N_("left early"),
               "excused": N_("excused absence"), "unexcused": N_("unexcused absence")}
EXCUSE_LABELS = {"illness": N_("Illness"), "employment_service": N_("Appointment at the employment service"),
                 "childcare": N_("Childcare"), "transport": N_("Transport"),
                 "told_beforehand": N_("Told beforehand"), "other": N_("Other")}


def mark_label(status: str) -> str:
    return gettext(MARK_LABELS[status]) if status in MARK_LABELS else ""


def excuse_label(reason: str) -> str:
    return gettext(EXCUSE_LABELS[reason]) if reason in EXCUSE_LABELS else ""


@functools.cache
def _status_options(language: str, selected: str) -> Markup:
    text = translations(language).ugettext
    options = [Markup('<option value="{}"{}>{}</option>').format(s, Markup(" selected") if s == selected else "",
                                                                 text(MARK_LABELS[s])) for s in MARK_LABELS]
    options.append(Markup('<option value="">{}</option>').format(text(N_("not marked"))))
    return Markup("").join(options)


@functools.cache
def _reason_options(language: str, selected: str) -> Markup:
    text = translations(language).ugettext
    return Markup('<option value="">—</option>') + Markup("").join(
        Markup('<option value="{}"{}>{}</option>').format(r, Markup(" selected") if r == selected else "",
                                                          text(label)) for r, label in EXCUSE_LABELS.items())


def status_options(selected: str) -> Markup:
    """The <option>s of the roll's "Mark" select, built once per language: every row of every roll has one."""
    return _status_options(current_language(), selected)


def reason_options(selected: str = "") -> Markup:
    return _reason_options(current_language(), selected if selected in EXCUSE_LABELS else "")


# The templates' names for these functions: app.py hands them to web.make_environment().
TEMPLATE_GLOBALS = {"mark_label": mark_label, "excuse_label": excuse_label, "status_options": status_options,
                    "reason_options": reason_options}
