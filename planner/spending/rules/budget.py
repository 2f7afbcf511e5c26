"""A strand's year at a glance: granted, committed, spent, left, its caps (COST-01) and what is to be
recovered after the deadline (COST-11)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planner.i18n import N_
from planner.spending.rules.common import BLOCK, WARN, WHOLE, Finding, Money, Share, of_bp, share_bp
from planner.spending.rules.ruleset import Strand

OK, NEAR, OVER = "ok", "near", "over"


def cap_state(used_cents: int, cap_cents: int, warn_from_bp: int) -> str:
    """OVER above the cap (the cap itself is allowed), NEAR from warn_from_bp of it, else OK. Compared
    exactly (used × 10000 ≥ cap × warn_from_bp), no rounding."""
    if used_cents > cap_cents:
        return OVER
    if used_cents > 0 and used_cents * WHOLE >= cap_cents * warn_from_bp:
        return NEAR
    return OK


def personnel_cap_cents(strand_amount_cents: int, cap_bp: int) -> int:
    """COST-01: the most personnel may cost in a strand, rounded down to the cent."""
    return of_bp(strand_amount_cents, cap_bp)


def check_personnel_cap(strand_code: str, strand_amount_cents: int, personnel_cents: int, cap_bp: int | None,
                        warn_from_bp: int) -> list[Finding]:
    """COST-01: personnel_cents (everything charged to the strand's personnel, this expense included) above
    cap_bp of the strand's amount blocks; from warn_from_bp of the cap it warns."""
    if cap_bp is None:
        return []
    cap = personnel_cap_cents(strand_amount_cents, cap_bp)
    state = cap_state(personnel_cents, cap, warn_from_bp)
    figures = {"strand": strand_code, "cap": Money(cap), "total": Money(personnel_cents)}
    if state == OVER:
        return [Finding("COST-01", BLOCK, N_("Personnel costs in strand %(strand)s can be at most %(cap)s "
                                             "(%(share)s of the strand); with this one they would reach "
                                             "%(total)s."), {**figures, "share": Share(cap_bp)})]
    if state == NEAR:
        return [Finding("COST-01", WARN, N_("Personnel costs in strand %(strand)s reach %(total)s, %(used)s of "
                                            "their cap of %(cap)s."),
                        {**figures, "used": Share(share_bp(personnel_cents, cap))})]
    return []


@dataclass(frozen=True)
class CapUse:
    rule: str  # "COST-01"
    what: str  # "personnel"
    used_cents: int
    cap_cents: int
    used_bp: int  # rounded down
    state: str  # OK, NEAR, OVER


@dataclass(frozen=True)
class BudgetLine:
    granted_cents: int
    committed_cents: int  # ordered or invoiced, not yet paid
    spent_cents: int  # paid
    left_cents: int  # granted − committed − spent; negative when overspent
    used_bp: int  # (committed + spent) / granted, rounded down
    state: str  # of the grant itself: OK, NEAR, OVER
    caps: tuple[CapUse, ...] = field(default=())


def budget_line(granted_cents: int, committed_cents: int, spent_cents: int, personnel_cents: int,
                strand: Strand, warn_from_bp: int) -> BudgetLine:
    """One strand's year: what is left and the state of the grant and of each cap (COST-01 personnel,
    counting committed and spent personnel alike), NEAR from warn_from_bp so the warning comes before."""
    used = committed_cents + spent_cents
    caps = []
    if strand.personnel_cap_bp is not None:
        cap = personnel_cap_cents(granted_cents, strand.personnel_cap_bp)
        caps.append(CapUse("COST-01", "personnel", personnel_cents, cap, share_bp(personnel_cents, cap),
                           cap_state(personnel_cents, cap, warn_from_bp)))
    return BudgetLine(granted_cents, committed_cents, spent_cents, granted_cents - used,
                      share_bp(used, granted_cents), cap_state(used, granted_cents, warn_from_bp), tuple(caps))


@dataclass(frozen=True)
class Recovery:
    cents: int  # to be paid back; 0 until the deadline has passed
    unjustified_cents: int  # granted − justified: at risk before the deadline, recovered after it
    findings: tuple[Finding, ...] = field(default=(), hash=False)


def to_recover(granted_cents: int, justified_cents: int, deadline: dt.date, today: dt.date,
               notice_days: int = 60) -> Recovery:
    """COST-11: after the report deadline (today > deadline), the grant not spent and justified is to be
    recovered (warn: it is a fact to show, nothing to refuse). Within notice_days before it, the same amount
    is announced as still to spend or justify."""
    unjustified = max(0, granted_cents - justified_cents)
    if unjustified == 0:
        return Recovery(0, 0)
    figures = {"amount": Money(unjustified), "deadline": deadline}
    if today > deadline:
        return Recovery(unjustified, unjustified, (Finding(
            "COST-11", WARN, N_("%(amount)s was not spent or justified by %(deadline)s and is to be paid back."),
            figures),))
    if (deadline - today).days <= notice_days:
        return Recovery(0, unjustified, (Finding(
            "COST-11", WARN, N_("%(amount)s is still to be spent or justified by %(deadline)s, or it will be "
                                "paid back."), figures),))
    return Recovery(0, unjustified)
