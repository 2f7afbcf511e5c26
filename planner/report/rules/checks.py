"""The cross-checks shown before export (issue 16; domain.md §4.1 validations, §4.3 E2 ≤ E1, COST-01 caps,
COST-06 charge, SUB-PIIS-05/COST-03 no double funding). Pure: each returns Findings with untranslated messages."""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.report.rules.figures import YearFigures
from planner.i18n import N_
from planner.spending.rules import Money, Share
from planner.spending.rules.common import Figure

# rule names: what was checked (shown with the message, and what tests and the workbook's log key on)
GENDER_SUM, AGE_SUM, USERS, RI, PIIS, SUBSIDY, E2_E1, CHARGED, CAP, DOUBLE = (
    "gender_sum", "age_sum", "users_le_participants", "ri_le_users", "piis_le_ri", "subsidy_le_piis", "e2_le_e1",
    "charged_le_chargeable", "personnel_cap", "no_double_funding")


@dataclass(frozen=True)
class Finding:
    """One cross-check that failed: `rule` one of the names above, `message` a message id whose %(name)s
    placeholders are keys of `figures` (spending.rules.placeholders shows them), and where it is: a module's
    row, a strand's personnel, or the evaluation (all None)."""
    rule: str
    message: str
    figures: dict[str, Figure] = field(default_factory=dict, hash=False)
    module: int | None = None
    strand: str | None = None


def cross_checks(figures: YearFigures) -> list[Finding]:
    """Every failed check, in the order of the screen: module rows by number, then personnel A–C, then E1/E2,
    then the PIIS subsidy's justification. An empty list means the year is consistent."""
    out: list[Finding] = []
    for row in figures.modules:
        m, n = row.module.id, row.participants
        code = row.module.code or str(row.module.number)
        genders = sum(len(v) for v in row.by_gender.values())
        if genders != n:
            out.append(Finding(GENDER_SUM, N_("%(module)s: men, women and X add up to %(sum)s, not to the "
                                              "%(participants)s participants."),
                               {"module": code, "sum": genders, "participants": n}, module=m))
        ages = sum(len(v) for v in row.by_age.values())
        if ages != n:
            out.append(Finding(AGE_SUM, N_("%(module)s: the age bands add up to %(sum)s, not to the "
                                           "%(participants)s participants."),
                               {"module": code, "sum": ages, "participants": n}, module=m))
        for rule, small, big, message in (
                (USERS, len(row.users), n, N_("%(module)s: %(small)s CPAS users is more than the %(big)s "
                                              "participants.")),
                (RI, len(row.ri), len(row.users), N_("%(module)s: %(small)s people with the RI is more than the "
                                                     "%(big)s CPAS users.")),
                (PIIS, len(row.piis), len(row.ri), N_("%(module)s: %(small)s people with a PIIS is more than the "
                                                      "%(big)s with the RI.")),
                (SUBSIDY, len(row.piis_subsidy), len(row.piis), N_(
                    "%(module)s: %(small)s people with the 10 %% PIIS subsidy is more than the %(big)s with a "
                    "PIIS."))):
            if small > big:
                out.append(Finding(rule, message, {"module": code, "small": small, "big": big}, module=m))
        if row.charged_cents > row.chargeable_cents:
            out.append(Finding(CHARGED, N_("%(module)s: %(charged)s is charged to the subsidy, more than (cost "
                                           "%(cost)s − other funding %(other)s) × share %(share)s = %(most)s."),
                               {"module": code, "charged": Money(row.charged_cents), "cost": Money(row.total_cents),
                                "other": Money(row.other_funding_cents), "share": Share(row.share_bp),
                                "most": Money(row.chargeable_cents)}, module=m))
    for strand in figures.personnel:
        if not strand.within_cap:
            out.append(Finding(CAP, N_("Strand %(strand)s: personnel costs of %(total)s are over the cap of "
                                       "%(cap)s (%(share)s of the strand's %(granted)s)."),
                               {"strand": strand.strand, "total": Money(strand.total_cents),
                                "cap": Money(strand.cap_cents or 0), "share": Share(strand.cap_bp),
                                "granted": Money(strand.granted_cents or 0)}, strand=strand.strand))
    ev = figures.evaluation
    if len(ev.e2) > len(ev.e1):
        out.append(Finding(E2_E1, N_("E2: %(e2)s people progressed, more than the %(e1)s counted in E1."),
                           {"e2": len(ev.e2), "e1": len(ev.e1)}))
    for cost in figures.subsidy.costs:
        if cost.in_strand_b_cents:
            row = figures.module(cost.module)
            out.append(Finding(DOUBLE, N_("%(module)s: %(amount)s of bilan and progress time spent on people with "
                                          "the 10 %% PIIS subsidy is also charged to strand B."),
                               {"module": row.module.code if row else "", "amount": Money(cost.in_strand_b_cents)},
                               module=cost.module, strand="B"))
    for expense in figures.subsidy.expenses:
        if expense.in_strand_b_cents:
            out.append(Finding(DOUBLE, N_("Expense %(expense)s is charged to the 10 %% PIIS subsidy (%(piis)s) and "
                                          "to strand B (%(amount)s): the same cost cannot be justified twice."),
                               {"expense": expense.expense, "piis": Money(expense.cents),
                                "amount": Money(expense.in_strand_b_cents)}, module=expense.module, strand="B"))
    return out
