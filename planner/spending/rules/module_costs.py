"""A module's costs (COST-06, CLUSTER-SPLIT): its chargeable share from the register, a cluster CPAS's part of it,
and its cost per participant and per attended hour. Pure: the counts come from spending/queries.py."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

from planner.i18n import N_
from planner.spending.rules.common import BLOCK, WARN, WHOLE, Finding, Money, Share, share_bp
from planner.spending.rules.shares import MixedPublicShare, cluster_split, mixed_public_share


@dataclass(frozen=True)
class Register:
    """What the register says of a module's year, counted per person-session (one person at one held session):
    the CPAS service users' attendances per CPAS holding their file, the roll's guests (participants who are not
    CPAS service users, counted at each roll), the distinct people who came and the most guests at one roll."""
    user_sessions: Mapping[Hashable, int]  # CPAS -> its service users' attendances
    guest_sessions: int = 0
    people: Mapping[Hashable, int] = field(default_factory=dict)  # CPAS -> distinct service users who came
    most_guests: int = 0
    seconds: Mapping[Hashable, int] = field(default_factory=dict)  # CPAS -> its users' attended seconds
    guest_seconds: int = 0

    @property
    def users(self) -> int:
        return sum(self.user_sessions.values())

    @property
    def mixed(self) -> bool:
        """A mixed public: someone who is not a CPAS service user took part."""
        return self.guest_sessions > 0


def chargeable_share(cost_cents: int, register: Register) -> MixedPublicShare:
    """COST-06 from the register: with guests, cost × users' attendances / every attendance (SPORT: 6 users of 20
    at each of 10 sessions → 60 of 200 → €720 of €2,400); without guests, the whole cost."""
    if not register.mixed:
        return MixedPublicShare(cost_cents, cost_cents, register.users, register.users)
    return mixed_public_share(cost_cents, register.users, register.users + register.guest_sessions)


def share_of(result: MixedPublicShare) -> int:
    """The chargeable share in basis points (the whole when nobody is counted)."""
    return share_bp(result.users, result.participants) if result.participants else WHOLE


@dataclass(frozen=True)
class CpasPart:
    cents: int  # this CPAS's part of the chargeable cost
    weight: int  # its weight in the split: person-sessions, or the key in basis points
    total_weight: int
    by_key: bool  # a fixed key the cluster recorded, not the register
    findings: tuple[Finding, ...] = ()


def cpas_part(chargeable_cents: int, cpas: Hashable, register: Register,
              key_bp: Mapping[Hashable, int] | None = None) -> CpasPart:
    """CLUSTER-SPLIT: this CPAS's part of a shared module's chargeable cost, by the cluster's fixed key when it
    recorded one, else by the person-sessions of each CPAS's service users in the register."""
    weights = dict(key_bp) if key_bp else dict(register.user_sessions)
    weights.setdefault(cpas, 0)
    split = cluster_split(chargeable_cents, weights)
    return CpasPart(split.parts[cpas], weights[cpas], sum(weights.values()), bool(key_bp), split.findings)


def check_cluster_key(keys_bp: Mapping[Hashable, int]) -> list[Finding]:
    """CLUSTER-SPLIT: a fixed key gives each CPAS of the cluster a share from 0 to 100 %, together 100 %."""
    if any(not 0 <= k <= WHOLE for k in keys_bp.values()):
        return [Finding("CLUSTER-SPLIT", BLOCK, N_("Each CPAS's share must be between %(low)s and %(high)s."),
                        {"low": Share(0), "high": Share(WHOLE)})]
    total = sum(keys_bp.values())
    if total != WHOLE:
        return [Finding("CLUSTER-SPLIT", BLOCK, N_("The shares add up to %(total)s; together they must make "
                                                   "%(whole)s."), {"total": Share(total), "whole": Share(WHOLE)})]
    return []


def cost_per(cents: int, count: int) -> int | None:
    """COST-06: a cost per participant, rounded to the nearest cent; None when nobody came (nothing to divide
    by: the screen shows "—")."""
    if count <= 0:
        return None
    return (2 * cents + count) // (2 * count)


def cost_per_hour(cents: int, seconds: int) -> int | None:
    """COST-06: a cost per attended hour, rounded to the nearest cent; None without attended time."""
    if seconds <= 0:
        return None
    return (2 * cents * 3600 + seconds) // (2 * seconds)


def check_mixed_public_charge(charged_cents: int, amount_cents: int, users: int, participants: int) -> list[Finding]:
    """COST-06 on one expense of a module with a mixed public: charging subsidies more than the module's
    chargeable share of the expense warns, with the figures (the user may go on; who did is recorded)."""
    share = mixed_public_share(amount_cents, users, participants)
    if share.findings or charged_cents <= share.chargeable_cents:
        return []
    return [Finding("COST-06", WARN, N_("This module has a mixed public: %(users)s of its %(participants)s "
                                        "attendances are CPAS service users', so only %(chargeable)s of this "
                                        "%(amount)s may be charged to subsidies, not %(charged)s."),
                    {"users": users, "participants": participants, "chargeable": Money(share.chargeable_cents),
                     "amount": Money(amount_cents), "charged": Money(charged_cents)})]
