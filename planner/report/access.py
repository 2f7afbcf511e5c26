"""Who sees the report (issue 16): the coordinators and administrators of the CPAS; any other role 403, and
another CPAS, a CPAS of the same cluster included, 404 (not even a hint that the CPAS has figures)."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser, requires
from planner.auth.rules import Role
from planner.orgs.queries import organisation_choices

REPORT_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)
REPORT_READERS = requires(*REPORT_ROLES)


async def report_cpas_choices(user: CurrentUser) -> list[dict]:
    """The CPAS whose report this person reads: [{id, name, kind}] by name (a cluster has no report of its own:
    each member CPAS reports its rows)."""
    return [c for c in await organisation_choices(user.organisations(*REPORT_ROLES)) if c["kind"] == "cpas"]


async def get_cpas_for_report(user: CurrentUser, organisation_id: int) -> dict:
    """The CPAS {id, name, kind} when the person is its coordinator or administrator; 404 otherwise."""
    cpas = next((c for c in await report_cpas_choices(user) if c["id"] == organisation_id), None)
    if cpas is None:
        raise NotFoundException()
    return cpas
