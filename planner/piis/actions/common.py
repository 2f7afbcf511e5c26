"""What the PIIS actions share: their result and the clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planner.i18n import N_
from planner.piis.rules import BLOCK, WARN, Finding


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class Saved:
    """The id written (None when a rule blocked or the row changed meanwhile) and every finding."""
    id: int | None
    findings: tuple[Finding, ...] = field(default=())

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == WARN)


STALE = Finding("VERSION", BLOCK, N_("Someone changed this while you were editing it: look at it again before "
                                     "saving."))
