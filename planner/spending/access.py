"""Who sees spending: the coordinators and administrators of the CPAS that made the expense (issue 14:
social workers and facilitators never see amounts or invoices)."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser, requires
from planner.auth.rules import Role
from planner.spending.tables import Expense

SPENDING_MANAGERS = requires(Role.COORDINATOR, Role.ADMINISTRATOR)


def spending_organisations(user: CurrentUser) -> set[int]:
    """The organisations whose spending this person manages."""
    return user.organisations(Role.COORDINATOR, Role.ADMINISTRATOR)


async def get_expense_for_user(user: CurrentUser, expense_id: int) -> dict:
    """The expense's row when it belongs to an organisation where the person is coordinator or administrator;
    404 otherwise (no such expense, another CPAS, another CPAS of the same cluster, another role)."""
    row = await Expense.select().where(
        (Expense.id == expense_id) & Expense.organisation.is_in(list(spending_organisations(user)) or [0])).first()
    if row is None:
        raise NotFoundException()
    return row
