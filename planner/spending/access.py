"""Who sees spending: the coordinators and administrators of the CPAS that made the expense (issue 14:
social workers and facilitators never see amounts or invoices)."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser, is_own_row, own_object, requires
from planner.auth.rules import Role
from planner.modules.tables import Module
from planner.orgs.tables import ClusterMember
from planner.spending.tables import Expense, PartnerConvention, StaffAllocation

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


async def get_module_for_spending(user: CurrentUser, module_id: int) -> tuple[dict, int]:
    """(the module, the CPAS whose costs the person sees): the organising CPAS when they manage its spending,
    else a CPAS of the module's cluster whose spending they manage (it sees its share only); 404 otherwise,
    a CPAS of the same cluster included when the module is not shared with that cluster."""
    module = await Module.select().where(Module.id == module_id).first()
    if module is None:
        raise NotFoundException()
    managed = spending_organisations(user)
    if module["organisation"] in managed:
        return module, module["organisation"]
    if module["cluster"] is not None:
        members = await ClusterMember.select(ClusterMember.cpas).where(
            (ClusterMember.cluster == module["cluster"]) & ClusterMember.cpas.is_in(list(managed) or [0])
        ).order_by(ClusterMember.cpas)
        if members:
            return module, members[0]["cpas"]
    raise NotFoundException()


# Another CPAS's expense, convention or staff time is a 404 before any 403 (auth.access.refuse).
own_object("expense_id")(lambda user, expense_id: is_own_row(user, Expense, expense_id))
own_object("convention_id")(lambda user, convention_id: is_own_row(user, PartnerConvention, convention_id))
own_object("allocation_id")(lambda user, allocation_id: is_own_row(user, StaffAllocation, allocation_id))
