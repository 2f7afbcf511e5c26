"""What the PIIS actions share: their result and the clock."""

from __future__ import annotations

import datetime as dt

from planner.findings import Saved  # noqa: F401  (the PIIS actions' result, as every area's)
from planner.i18n import N_
from planner.piis.rules import BLOCK, Finding


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


STALE = Finding("VERSION", BLOCK, N_("Someone changed this while you were editing it: look at it again before "
                                     "saving."))
