"""Who sees the report (issue 16): the coordinators and administrators of the CPAS; any other role 403, and
another CPAS, a CPAS of the same cluster included, 404 (not even a hint that the CPAS has figures)."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser, is_own_row, own_object, requires
from planner.auth.rules import Role
from planner.modules.tables import Module
from planner.orgs.queries import organisation_choices
from planner.orgs.tables import Organisation
from planner.report.tables import ReportJob

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


async def get_workbook_owner(user: CurrentUser, organisation_id: int) -> dict:
    """The CPAS or the cluster {id, name, kind} whose workbook this person produces, freezes and downloads: its
    coordinators and administrators (a cluster's own, whose workbook holds each member CPAS's rows); 404
    otherwise, a CPAS of the same cluster included."""
    owner = next((c for c in await organisation_choices(user.organisations(*REPORT_ROLES))
                  if c["id"] == organisation_id and c["kind"] in ("cpas", "cluster")), None)
    if owner is None:
        raise NotFoundException()
    return owner


# -- the inspection pack and its jobs ----------------------------------------------------------------------------

REPORT_MANAGERS = REPORT_READERS  # who asks for exports and downloads them: the same people


def report_organisations(user: CurrentUser) -> set[int]:
    """The organisations where this person is coordinator or administrator (clusters included: callers
    keep CPAS only)."""
    return user.organisations(Role.COORDINATOR, Role.ADMINISTRATOR)


async def get_cpas_for_pack(user: CurrentUser, organisation_id: int | None) -> dict:
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


own_object("job_id")(lambda user, job_id: is_own_row(user, ReportJob, job_id))  # 404 before any 403
