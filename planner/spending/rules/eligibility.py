"""Whether one expense can be charged to a funding source at all: its date, its kind, its module, its size.

Each check takes plain values (and a RuleSet where the year's rules decide) and returns a list of findings,
empty when the expense passes; none raises for what a user typed.
"""

from __future__ import annotations

import datetime as dt

from planner.i18n import N_
from planner.spending.rules.common import BLOCK, Finding, Money, Share, of_bp
from planner.spending.rules.ruleset import RuleSet


def check_period(day: dt.date, ruleset: RuleSet) -> list[Finding]:
    """FUND-01: an expense dated outside the subsidy period (bounds included) is refused."""
    if ruleset.eligible_from <= day <= ruleset.eligible_until:
        return []
    return [Finding("FUND-01", BLOCK, N_("This expense is dated %(date)s, outside the subsidy period from "
                                         "%(start)s to %(end)s."),
                    {"date": day, "start": ruleset.eligible_from, "end": ruleset.eligible_until})]


def check_professional_activation(is_professional_activation: bool, ruleset: RuleSet) -> list[Finding]:
    """FUND-06: a module flagged as professional activation (towards a job) is not fundable when the year's
    rules say so (the Fonds PAS funds social integration only)."""
    if not is_professional_activation or ruleset.professional_activation_fundable:
        return []
    return [Finding("FUND-06", BLOCK, N_("This module prepares for a job; this subsidy only pays for social "
                                         "activation, not for professional integration."))]


def check_category(category: str, strand_code: str, ruleset: RuleSet) -> list[Finding]:
    """COST-07: a forbidden category (buying a building) is refused everywhere; STRAND-CATEGORY (domain.md
    §3.3): otherwise the category must be one the strand allows, and the strand must exist."""
    if category in ruleset.forbidden_categories:
        return [Finding("COST-07", BLOCK, N_("Buying a building cannot be paid by this subsidy; renting "
                                             "premises can."))]
    strand = ruleset.strand(strand_code)
    if strand is None:
        return [Finding("STRAND-CATEGORY", BLOCK, N_("This funding source has no strand %(strand)s."),
                        {"strand": strand_code})]
    if category not in strand.categories:
        return [Finding("STRAND-CATEGORY", BLOCK, N_("This kind of expense cannot be charged to strand "
                                                     "%(strand)s."), {"strand": strand_code})]
    return []


def check_investment(amount_excl_vat_cents: int, cap_cents: int | None) -> list[Finding]:
    """COST-05: one investment costs at most cap_cents excluding VAT (whether or not the CPAS recovers VAT);
    equal to the cap passes. No cap (None): always passes."""
    if cap_cents is None or amount_excl_vat_cents <= cap_cents:
        return []
    return [Finding("COST-05", BLOCK, N_("An investment can cost at most %(cap)s excluding VAT; this one costs "
                                         "%(amount)s."),
                    {"cap": Money(cap_cents), "amount": Money(amount_excl_vat_cents)})]


def overhead_cap_cents(direct_cents: int, overhead_cents: int, cap_bp: int, basis: str) -> int:
    """COST-02: the most a subcontractor's overheads may be, rounded down to the cent: cap_bp of the
    invoice's own costs (basis "direct_costs") or of the whole invoice, overheads included ("invoice_total")."""
    return of_bp(direct_cents + (overhead_cents if basis == "invoice_total" else 0), cap_bp)


def check_subcontractor_overheads(direct_cents: int, overhead_cents: int, cap_bp: int | None,
                                  basis: str = "direct_costs") -> list[Finding]:
    """COST-02: overheads above the cap block; the finding carries the part that cannot be charged
    (`excess`) so the user can charge the rest."""
    if cap_bp is None:
        return []
    cap = overhead_cap_cents(direct_cents, overhead_cents, cap_bp, basis)
    if overhead_cents <= cap:
        return []
    message = (N_("A subcontractor's overheads can be at most %(share)s of the whole invoice, here %(cap)s; "
                  "this invoice has %(overhead)s of overheads, so %(excess)s cannot be charged.")
               if basis == "invoice_total" else
               N_("A subcontractor's overheads can be at most %(share)s of the service's other costs, here "
                  "%(cap)s; this invoice has %(overhead)s of overheads, so %(excess)s cannot be charged."))
    return [Finding("COST-02", BLOCK, message, {"share": Share(cap_bp), "cap": Money(cap),
                                                "overhead": Money(overhead_cents),
                                                "excess": Money(overhead_cents - cap)})]


def check_expense(day: dt.date, category: str, strand_code: str, amount_excl_vat_cents: int,
                  ruleset: RuleSet, is_professional_activation: bool = False) -> list[Finding]:
    """The checks of one expense line that need nothing but the expense and the year's rules: FUND-01,
    FUND-06, COST-07 / STRAND-CATEGORY, COST-05 (investments only)."""
    findings = check_period(day, ruleset)
    findings += check_professional_activation(is_professional_activation, ruleset)
    findings += check_category(category, strand_code, ruleset)
    if category == "investment":
        findings += check_investment(amount_excl_vat_cents, ruleset.investment_cap_cents)
    return findings
