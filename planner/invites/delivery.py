"""When to try a mail again, and when to stop trying. Pure rules."""

from __future__ import annotations

import datetime as dt

# Wait after the n-th failed attempt, in units of the base delay (60 s by default: 1, 2, 5, 15, 30
# minutes, 1, 2, 4 hours, then every 6 hours).
DELAY_STEPS = (1, 2, 5, 15, 30, 60, 120, 240, 360)
# With the default base that is 8 h of short waits, then 11 waits of 6 h: about 3 days between the
# first attempt and the last. After it the mail is "failed"; an administrator can still retry it.
MAX_ATTEMPTS = 20


def retry_delay(attempts: int, base_seconds: float) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt (1 for the first failure)."""
    step = DELAY_STEPS[min(max(attempts, 1), len(DELAY_STEPS)) - 1]
    return dt.timedelta(seconds=base_seconds * step)


def gives_up(attempts: int) -> bool:
    """After this many failed attempts the mail is not tried again by itself."""
    return attempts >= MAX_ATTEMPTS


def classify(code: int | None) -> str:
    """"refused" for a permanent SMTP reply (5xx: unknown mailbox, bad address, policy), which no
    retry will change; "retry" for a transient one (4xx) and for no reply at all (code None: the
    connection was refused or lost, or timed out)."""
    if code is not None and 500 <= code <= 599:
        return "refused"
    return "retry"


def total_wait(base_seconds: float, attempts: int = MAX_ATTEMPTS) -> dt.timedelta:
    """How long a mail is retried: the sum of the waits between its first and last attempt."""
    return sum((retry_delay(n, base_seconds) for n in range(1, attempts)), dt.timedelta())
