"""What the PIIS actions share: their result and the clock."""

from __future__ import annotations

from planner.findings import Saved  # noqa: F401  (the PIIS actions' result, as every area's)
from planner.i18n import N_, now_utc
from planner.piis.rules import BLOCK, Finding


STALE = Finding("VERSION", BLOCK, N_("Someone changed this while you were editing it: look at it again before "
                                     "saving."))
