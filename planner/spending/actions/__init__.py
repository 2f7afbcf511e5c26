"""Writes of spending: expenses (checked against the year's rules of each source they are charged to), their
status, their scanned invoice, grants, the VAT policy, staff time and partner conventions. Each in one write_transaction(); an action that
finds a blocking rule writes nothing and returns the findings, one that only finds warnings writes and
returns them (the expense records who went on and which rules warned).

- common: Saved, ShareInput, lock_cpas (one spending write per CPAS at a time), the COST-01 check
- expenses: record_expense, update_expense (version check), set_status, attach_invoice
- funding: set_grant, set_vat_policy, record_staff_time (COST-09), save_convention
"""

from planner.spending.actions.common import (  # noqa: F401
    Saved, ShareInput, lock_cpas, no_ruleset, personnel_cap_findings,
)
from planner.spending.actions.expenses import (  # noqa: F401
    STALE, ExpenseInput, attach_invoice, check, record_expense, set_status, update_expense,
)
from planner.spending.actions.funding import (  # noqa: F401
    ConventionInput, StaffTimeInput, record_staff_time, save_convention, set_grant, set_vat_policy,
)
