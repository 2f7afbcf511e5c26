"""Roles, the login throttle and the password policy: pure rules, no web or database."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum

N_ = str  # marks a message id for extraction; it is translated where it is shown


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    COORDINATOR = "coordinator"
    SOCIAL_WORKER = "social_worker"
    FACILITATOR = "facilitator"
    PARTNER_FACILITATOR = "partner_facilitator"


CPAS_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR, Role.SOCIAL_WORKER, Role.FACILITATOR)
# Which roles an organisation of each kind can grant: partner staff never see CPAS files.
ROLES_BY_KIND = {
    "cpas": CPAS_ROLES,
    "cluster": (Role.COORDINATOR, Role.FACILITATOR),
    "partner": (Role.PARTNER_FACILITATOR,),
}


def can_grant(kind: str, role: str) -> bool:
    return role in ROLES_BY_KIND.get(kind, ())


@dataclass(frozen=True)
class Throttle:
    free_failures: int  # failures allowed before any wait
    first_wait: float  # seconds after the first failure beyond the free ones; doubles each time
    max_wait: float
    window: dt.timedelta  # failures older than this are forgotten


# One person mistyping stays free for a while; a CPAS office shares one address, hence more room.
ACCOUNT_THROTTLE = Throttle(free_failures=5, first_wait=2, max_wait=900, window=dt.timedelta(hours=1))
ADDRESS_THROTTLE = Throttle(free_failures=30, first_wait=2, max_wait=900, window=dt.timedelta(hours=1))


def seconds_to_wait(failures: list[dt.datetime], now: dt.datetime, throttle: Throttle) -> int:
    """Seconds before the next try is allowed, given the recent failures (after the last success)."""
    recent = sorted(t for t in failures if now - t <= throttle.window)
    excess = len(recent) - throttle.free_failures
    if excess < 0:
        return 0
    wait = min(throttle.first_wait * 2**excess, throttle.max_wait)
    remaining = (recent[-1] + dt.timedelta(seconds=wait) - now).total_seconds()
    return max(0, int(remaining + 0.999))


def email_key(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def looks_like_email(email: str) -> bool:
    local, at, domain = email.strip().partition("@")
    return bool(local and at and "." in domain and " " not in email.strip())


MIN_PASSWORD_LENGTH = 10


def password_problem(password: str, confirmation: str, email: str) -> str | None:
    """The first reason a new password is refused, as an untranslated message id, or None."""
    if password != confirmation:
        return N_("The two passwords are not the same.")
    if len(password) < MIN_PASSWORD_LENGTH:
        return N_("The password must have at least 10 characters.")
    if password.strip().lower() == normalise_email(email):
        return N_("The password must not be your e-mail address.")
    return None
