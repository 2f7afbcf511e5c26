"""Writes of spending: expenses (checked against the year's rules of each source they are charged to), their
status, their scanned invoice, grants, the VAT policy, staff time and partner conventions. Each in one write_transaction(); an action that
finds a blocking rule writes nothing and returns the findings, one that only finds warnings writes and
returns them (the expense records who went on and which rules warned).

- common: Saved, ShareInput, lock_cpas (one spending write per CPAS at a time), the COST-01 check
- expenses: record_expense, update_expense (version check), set_status, attach_invoice
- funding: set_grant, set_vat_policy
- staff: record_staff_time (COST-09, SUB-PIIS-05), update_staff_time, delete_staff_time
- partners: save_convention, update_convention
- cluster: set_cluster_key (CLUSTER-SPLIT), mixed_public_findings (COST-06, called by expenses.check)
"""

from planner.spending.actions.cluster import mixed_public_findings, set_cluster_key  # noqa: F401
from planner.spending.actions.common import (  # noqa: F401
    Saved, ShareInput, lock_cpas, no_ruleset, personnel_cap_findings, ruleset_for,
)
from planner.spending.actions.expenses import (  # noqa: F401
    STALE, ExpenseInput, attach_invoice, check, record_expense, set_status, update_expense,
)
from planner.spending.actions.funding import set_grant, set_vat_policy  # noqa: F401
from planner.spending.actions.partners import (  # noqa: F401
    CONVENTION_STALE, ConventionInput, save_convention, update_convention,
)
from planner.spending.actions.staff import (  # noqa: F401
    STAFF_STALE, StaffTimeInput, check_staff_time, delete_staff_time, record_staff_time, update_staff_time,
)
