"""Spending rules (domain.md §3, §2.7 SUB-PIIS-05), pure: amounts in integer cents, shares in basis points,
today passed in. Each check returns Findings (rule ID, BLOCK or WARN, message id, figures); none raises for
what a user typed.

- common: Finding, Money, Share, rounding helpers, `apportion` (largest remainder)
- ruleset: RuleSet and its validation (the files are read by planner.spending.rulesets)
- eligibility: FUND-01 period, FUND-06 professional activation, COST-07 and strand categories,
  COST-05 investment, COST-02 subcontractor overheads
- shares: VAT, COST-06 mixed public, COST-03 split between sources, CLUSTER-SPLIT
- personnel: COST-09 staff time, SUB-PIIS-05
- scans: the scanned invoice's type (from its content) and size
- module_costs: a module's chargeable share from the register (COST-06), a cluster CPAS's part, cost per
  participant and per attended hour
- budget: COST-01 personnel cap, the budget line and its cap states, COST-11 recovery
- months: the budget chart's cumulated months
"""

from planner.spending.rules.budget import (  # noqa: F401
    NEAR, OK, OVER, BudgetLine, CapUse, Recovery, budget_line, cap_state, check_personnel_cap,
    personnel_cap_cents, to_recover,
)
from planner.spending.rules.common import (  # noqa: F401
    BLOCK, WARN, WHOLE, Finding, Money, Share, apportion, blocks, of_bp, part_of, placeholders,
    share_bp,
)
from planner.spending.rules.eligibility import (  # noqa: F401
    check_category, check_expense, check_investment, check_period, check_professional_activation,
    check_subcontractor_overheads, overhead_cap_cents,
)
from planner.spending.rules.months import (  # noqa: F401
    MonthCharge, MonthFigures, cumulative_months, month_of, spread_over_months,
)
from planner.spending.rules.module_costs import (  # noqa: F401
    CpasPart, Register, chargeable_share, check_cluster_key, check_mixed_public_charge, cost_per, cost_per_hour,
    cpas_part, share_of,
)
from planner.spending.rules.personnel import (  # noqa: F401
    PIIS_TASKS, TASKS, PersonnelCharge, PiisShare, check_piis_double_funding, days_in_year, personnel_charge,
    piis_chargeable,
)
from planner.spending.rules.ruleset import (  # noqa: F401
    CATEGORIES, OVERHEAD_BASES, RuleSet, RuleSetError, Strand, default_report_deadline, folded, parse_ruleset,
)
from planner.spending.rules.scans import MAX_SCAN_BYTES, check_scan, scan_type  # noqa: F401
from planner.spending.rules.shares import (  # noqa: F401
    Charge, ClusterSplit, MixedPublicShare, amount_incl_vat, check_piis_subsidy_split, check_shares_bp, check_split,
    check_vat, cluster_split,
    ShareCents, eligible_amount, mixed_public_share, mixed_public_share_by_key, share_cents, split_by_shares,
)
