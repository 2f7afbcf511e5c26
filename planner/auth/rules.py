"""Roles, the login throttle and the password policy: pure rules, no web or database."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Iterable
from planner.i18n import N_


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


# ---- who manages an account (README, "Accounts") ------------------------------------------------

@dataclass(frozen=True)
class OrgRef:
    id: int
    kind: str  # "cpas" | "cluster" | "partner"
    owner: int | None  # the CPAS that created the cluster or registered the partner


def administered_organisations(admin_of: Iterable[int], organisations: Iterable[OrgRef]) -> frozenset[int]:
    """Ids of what a person administers: each CPAS where they hold the administrator role, and the
    clusters and partners one of those CPAS owns. A cluster their CPAS merely belongs to is not theirs:
    only the owner's administrators manage a cluster and its roles."""
    organisations = list(organisations)
    cpas = {o.id for o in organisations if o.kind == "cpas" and o.id in set(admin_of)}
    return frozenset(cpas | {o.id for o in organisations if o.kind != "cpas" and o.owner in cpas})


def manages_account(administered: Iterable[int], account_organisations: Iterable[int]) -> bool:
    """True when EVERY organisation the account has a role in is administered by this person.

    An account without any role is managed by nobody (else every administrator could claim it)."""
    account_organisations = set(account_organisations)
    return bool(account_organisations) and account_organisations <= set(administered)


def role_change_problem(actor_id: int, account_id: int, administered: Iterable[int], organisation_id: int,
                        organisations_after: Iterable[int]) -> str | None:
    """Why an administrator may not add or remove this account's role in this organisation, as an
    untranslated message id, or None. `organisations_after`: where the account holds a role once the
    change is made. The account must be one they manage (the caller answers 404 otherwise)."""
    if actor_id == account_id:
        # Nobody raises their own rights, nor drops their administrator role and leaves a CPAS headless.
        return N_("Nobody changes their own roles: ask another administrator.")
    if organisation_id not in set(administered):
        return N_("Choose an organisation you manage.")
    if not set(organisations_after):
        # With no role left the account would be in nobody's hands; deactivating it is what is meant.
        return N_("This is the account's last role: deactivate the account instead.")
    return None


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
