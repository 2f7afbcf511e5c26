"""The evaluation form's qualitative answers (REP-07): objectives reached, through which partnerships, the reasons
for what was not reached. Pure."""

from __future__ import annotations

from collections.abc import Mapping

from planner.i18n import N_

FIELDS = ("objectives_reached", "partnerships", "not_reached")
MAX_CHARS = 4000  # the federal form's text boxes are short; a page of text is plenty [I]


def check_answers(values: Mapping[str, str]) -> dict[str, tuple[str, dict]]:
    """field -> (message id, its figures) for each answer that cannot be kept; empty answers are allowed (the form
    is filled over weeks)."""
    errors = {}
    for name in FIELDS:
        text = values.get(name, "")
        if len(text) > MAX_CHARS:
            errors[name] = (N_("Write at most %(most)s characters (this answer has %(count)s)."),
                            {"most": MAX_CHARS, "count": len(text)})
    return errors
