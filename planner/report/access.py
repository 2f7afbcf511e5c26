"""Who produces and downloads the report's exports: the coordinators and administrators of the CPAS, for
that CPAS only (issue 16). Anything of another CPAS, one of the same cluster included, is a 404."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser, requires
from planner.auth.rules import Role
from planner.modules.tables import Module
from planner.orgs.tables import Organisation
from planner.report.tables import ReportJob

REPORT_MANAGERS = requires(Role.COORDINATOR, Role.ADMINISTRATOR)


def report_organisations(user: CurrentUser) -> set[int]:
    """The organisations where this person is coordinator or administrator (clusters included: callers
    keep CPAS only)."""
    return user.organisations(Role.COORDINATOR, Role.ADMINISTRATOR)


async def get_cpas_for_report(user: CurrentUser, organisation_id: int | None) -> dict:
    """The CPAS row the person reports for: `organisation_id` when they coordinate or administer that CPAS;
    None: their only such CPAS. 404 otherwise (another CPAS, a cluster, several CPAS and none chosen)."""
    managed = report_organisations(user)
    query = Organisation.select(Organisation.id, Organisation.region).where(
        Organisation.id.is_in(list(managed) or [0]) & (Organisation.kind == "cpas"))
    rows = await query
    if organisation_id is not None:
        rows = [r for r in rows if r["id"] == organisation_id]
    if len(rows) != 1:
        raise NotFoundException()
    return rows[0]


async def get_module_for_report(cpas_id: int, module_id: int) -> dict:
    """A module organised by this CPAS (its id, code, title); 404 for any other."""
    row = await Module.select(Module.id, Module.code, Module.title).where(
        (Module.id == module_id) & (Module.organisation == cpas_id)).first()
    if row is None:
        raise NotFoundException()
    return row


async def get_job_for_user(user: CurrentUser, job_id: int) -> dict:
    """The job's row without its result bytes, when its CPAS is one the person coordinates or administers;
    404 otherwise."""
    columns = [c for c in ReportJob._meta.columns if c._meta.name != "result"]
    row = await ReportJob.select(*columns).where(
        (ReportJob.id == job_id) & ReportJob.organisation.is_in(list(report_organisations(user)) or [0])).first()
    if row is None:
        raise NotFoundException()
    return row
