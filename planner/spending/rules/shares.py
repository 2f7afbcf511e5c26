"""How much of a cost lands where: VAT, the mixed-public share, splits between sources and between CPAS."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from planner.i18n import N_
from planner.spending.rules.common import BLOCK, WHOLE, Finding, Money, Share, apportion, of_bp, part_of
from planner.spending.rules.ruleset import RuleSet


# -- VAT --------------------------------------------------------------------------------------------------------

def amount_incl_vat(excl_vat_cents: int, vat_cents: int) -> int:
    return excl_vat_cents + vat_cents


def eligible_amount(excl_vat_cents: int, vat_cents: int, cpas_recovers_vat: bool) -> int:
    """VAT: a CPAS that recovers VAT charges the amount excluding VAT; one that does not, the amount including
    it (the VAT is then a real cost)."""
    return excl_vat_cents if cpas_recovers_vat else amount_incl_vat(excl_vat_cents, vat_cents)


def check_vat(excl_vat_cents: int, vat_cents: int, incl_vat_cents: int) -> list[Finding]:
    """VAT: the three amounts typed from an invoice must agree to the cent (incl. = excl. + VAT)."""
    if vat_cents < 0:
        return [Finding("VAT", BLOCK, N_("The VAT cannot be negative."))]
    expected = amount_incl_vat(excl_vat_cents, vat_cents)
    if incl_vat_cents == expected:
        return []
    return [Finding("VAT", BLOCK, N_("The amount including VAT should be %(expected)s: %(excl)s plus %(vat)s "
                                     "of VAT."),
                    {"expected": Money(expected), "excl": Money(excl_vat_cents), "vat": Money(vat_cents)})]


# -- mixed public (COST-06) -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MixedPublicShare:
    """The chargeable part of a module's cost and how it was computed: `users` of `participants` from the
    register, or a reasoned key `key_bp` when the counts are unknown (then users = participants = 0)."""
    cost_cents: int
    chargeable_cents: int
    users: int = 0
    participants: int = 0
    key_bp: int | None = None
    reason: str = ""
    findings: tuple[Finding, ...] = field(default=(), hash=False)


def mixed_public_share(cost_cents: int, users: int, participants: int) -> MixedPublicShare:
    """COST-06: only the target public's share is chargeable: cost × users / participants, rounded down to the
    cent. SPORT: 6 CPAS users of 20, €2,400 → €720. Impossible counts charge nothing and say why (block)."""
    if users < 0 or participants < 0 or users > participants:
        return MixedPublicShare(cost_cents, 0, users, participants, findings=(Finding(
            "COST-06", BLOCK, N_("There cannot be more CPAS service users (%(users)s) than participants "
                                 "(%(participants)s)."), {"users": users, "participants": participants}),))
    if participants == 0:
        return MixedPublicShare(cost_cents, 0, findings=(Finding(
            "COST-06", BLOCK, N_("No participant is recorded yet, so the share of CPAS service users cannot be "
                                 "computed: record the attendance, or an estimated share with its reason.")),))
    return MixedPublicShare(cost_cents, part_of(cost_cents, users, participants), users, participants)


def mixed_public_share_by_key(cost_cents: int, key_bp: int, reason: str) -> MixedPublicShare:
    """COST-06 when the counts are unknown: a reasoned estimation key in basis points, rounded down to the
    cent. Without a reason, or outside 0..100 %, nothing is charged (block)."""
    if not 0 <= key_bp <= WHOLE:
        return MixedPublicShare(cost_cents, 0, key_bp=key_bp, reason=reason, findings=(Finding(
            "COST-06", BLOCK, N_("The estimated share must be between %(low)s and %(high)s."),
            {"low": Share(0), "high": Share(WHOLE)}),))
    if not reason.strip():
        return MixedPublicShare(cost_cents, 0, key_bp=key_bp, reason=reason, findings=(Finding(
            "COST-06", BLOCK, N_("Explain how the estimated share of CPAS service users was chosen.")),))
    return MixedPublicShare(cost_cents, of_bp(cost_cents, key_bp), key_bp=key_bp, reason=reason.strip())


# -- one expense on several sources (COST-03) -------------------------------------------------------------------

@dataclass(frozen=True)
class Charge:
    """The part of one expense charged to one funding source's strand, in cents."""
    source: str
    strand: str
    cents: int


def check_split(amount_cents: int, charges: Sequence[Charge]) -> list[Finding]:
    """COST-03: the same euro is never paid twice: charges are never negative, a (source, strand) appears
    once, and together they never exceed the expense (what is left is not charged to any subsidy)."""
    findings = []
    if any(c.cents < 0 for c in charges):
        findings.append(Finding("COST-03", BLOCK, N_("A share charged to a funding source cannot be negative.")))
    if len({(c.source, c.strand) for c in charges}) < len(charges):
        findings.append(Finding("COST-03", BLOCK, N_("The same funding source and strand appear twice in this "
                                                     "split; charge each one once.")))
    charged = sum(c.cents for c in charges)
    if charged > amount_cents:
        findings.append(Finding("COST-03", BLOCK, N_("The shares charged add up to %(charged)s, more than the "
                                                     "expense itself (%(amount)s): the same euro cannot be "
                                                     "paid twice."),
                                {"charged": Money(charged), "amount": Money(amount_cents)}))
    return findings


def check_piis_subsidy_split(charged: Sequence[tuple[RuleSet, str]]) -> list[Finding]:
    """SUB-PIIS-05, COST-03: an expense charged to the 10 % special PIIS subsidy (a rule set with piis_subsidy)
    is that subsidy's support and activation cost; it cannot also be charged, even in part, to a strand another
    source excludes for it (strand B of the Fonds PAS), or the PIIS justification and that strand would show
    the same invoice. `charged`: each share's (rule set, strand)."""
    if not any(r.piis_subsidy for r, _strand in charged):
        return []
    excluded = [(r, strand) for r, strand in charged if strand in r.piis_subsidy_excluded_strands]
    if not excluded:
        return []
    return [Finding("SUB-PIIS-05", BLOCK, N_("This expense is charged to the special PIIS subsidy, so it cannot "
                                             "also be charged to strand %(strand)s: the same cost would be "
                                             "justified twice."), {"strand": excluded[0][1]})]


def check_shares_bp(shares_bp: Sequence[int]) -> list[Finding]:
    """COST-03 on the shares as typed, in basis points: none negative, together never above 100 %."""
    if any(s < 0 for s in shares_bp):
        return [Finding("COST-03", BLOCK, N_("A share charged to a funding source cannot be negative."))]
    if sum(shares_bp) > WHOLE:
        return [Finding("COST-03", BLOCK, N_("The shares of this expense add up to %(total)s; together they can "
                                             "be at most %(whole)s."),
                        {"total": Share(sum(shares_bp)), "whole": Share(WHOLE)})]
    return []


def split_by_shares(amount_cents: int, shares_bp: Sequence[int]) -> list[int]:
    """COST-03: the cents of each share (basis points, together at most 100 %) of an expense. Largest
    remainder over the shares and the uncharged rest, so the parts plus the rest are exactly the amount;
    shares of exactly 100 % charge every cent. Invalid shares (negative, above 100 % together) give all zeros:
    check_split says why."""
    if any(s < 0 for s in shares_bp) or sum(shares_bp) > WHOLE:
        return [0] * len(shares_bp)
    return apportion(amount_cents, [*shares_bp, WHOLE - sum(shares_bp)])[:-1]


@dataclass(frozen=True)
class ShareCents:
    """What one share of an expense charges, stored on its row when the expense is saved: excl_vat_cents when
    the CPAS recovers VAT in the share's year, incl_vat_cents when it does not (eligible_amount)."""
    excl_vat_cents: int
    incl_vat_cents: int


def share_cents(excl_vat_cents: int, vat_cents: int, shares: Sequence[tuple[int, int]]) -> list[ShareCents]:
    """COST-03: the cents each share (year, share_bp), in their order, charges under either VAT policy. The
    shares of one year are split together (split_by_shares: largest remainder, 100 % charges every cent), as
    a year's budget reads them; a share of another year does not take their cents."""
    result: list[ShareCents | None] = [None] * len(shares)
    for year in dict.fromkeys(y for y, _bp in shares):
        at = [i for i, (y, _bp) in enumerate(shares) if y == year]
        bps = [shares[i][1] for i in at]
        excl = split_by_shares(excl_vat_cents, bps)
        incl = split_by_shares(amount_incl_vat(excl_vat_cents, vat_cents), bps)
        for i, e, n in zip(at, excl, incl):
            result[i] = ShareCents(e, n)
    return result  # type: ignore[return-value]


# -- a cluster's shared module ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClusterSplit:
    parts: dict[Hashable, int]  # CPAS -> cents of the shared cost it carries and reports
    findings: tuple[Finding, ...] = field(default=(), hash=False)


def cluster_split(cost_cents: int, weights: Mapping[Hashable, int]) -> ClusterSplit:
    """CLUSTER-SPLIT: a shared module's cost between the cluster's CPAS, in proportion to their participants'
    person-sessions from the register, or to a fixed key the cluster recorded (any non-negative integers).
    Largest remainder, so the parts sum exactly to the cost; ties go to the CPAS listed first. Negative or
    all-zero weights split nothing (block)."""
    keys = list(weights)
    if any(w < 0 for w in weights.values()):
        return ClusterSplit(dict.fromkeys(keys, 0), (Finding(
            "CLUSTER-SPLIT", BLOCK, N_("A CPAS's part of the split key cannot be negative.")),))
    if not any(weights.values()):
        return ClusterSplit(dict.fromkeys(keys, 0), (Finding(
            "CLUSTER-SPLIT", BLOCK, N_("No attended session is recorded for this module yet, so its cost cannot "
                                       "be split by attendance: record a fixed key for the cluster.")),))
    return ClusterSplit(dict(zip(keys, apportion(cost_cents, [weights[k] for k in keys]))))
