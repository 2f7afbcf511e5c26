"""Who sees and who runs a module: its CPAS, its cluster's CPAS, and its facilitators."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, PermissionDeniedException

from planner.auth.access import COORDINATORS, CurrentUser, own_object, requires  # noqa: F401 (COORDINATORS: modules' guard)
from planner.auth.rules import Role
from planner.modules.tables import Module, ModuleFacilitator, Session
from planner.orgs.tables import ClusterMember

STAFF_ROLES = (Role.COORDINATOR, Role.SOCIAL_WORKER, Role.FACILITATOR, Role.ADMINISTRATOR)
# The guards of the modules screens; which modules is decided by the helpers below.
VIEWERS = requires(*STAFF_ROLES, Role.PARTNER_FACILITATOR)


async def clusters_of(cpas_ids: set[int]) -> set[int]:
    rows = await ClusterMember.select(ClusterMember.cluster).where(ClusterMember.cpas.is_in(list(cpas_ids) or [0]))
    return {r["cluster"] for r in rows}


async def visible_module_ids(user: CurrentUser) -> list[int]:
    """Modules of the person's CPAS, modules shared with a cluster they belong to (directly or through
    their CPAS), and modules they facilitate (partner facilitators see only those)."""
    staff_orgs = user.organisations(*STAFF_ROLES)
    clusters = staff_orgs | await clusters_of(staff_orgs)
    rows = await Module.select(Module.id).where(
        Module.organisation.is_in(list(staff_orgs) or [0]) | Module.cluster.is_in(list(clusters) or [0])
    )
    led = await ModuleFacilitator.select(ModuleFacilitator.module).where(ModuleFacilitator.user == user.id)
    return sorted({r["id"] for r in rows} | {r["module"] for r in led}) or [0]


@own_object("module_id")  # a module not visible is a 404 before any 403 (auth.access.refuse)
async def sees_module(user: CurrentUser, module_id: int) -> bool:
    return module_id in await visible_module_ids(user)


@own_object("session_id")
async def sees_session(user: CurrentUser, session_id: int) -> bool:
    """Whether the session exists and its module is visible to this person."""
    row = await Session.select(Session.module).where(Session.id == session_id).first()
    return row is not None and await sees_module(user, row["module"])


async def get_module_for_user(user: CurrentUser, module_id: int) -> dict:
    if module_id not in await visible_module_ids(user):
        raise NotFoundException()
    return await Module.select().where(Module.id == module_id).first()


def can_manage(user: CurrentUser, module: dict) -> bool:
    """Coordinators of the organising CPAS, or of the cluster the module is shared with."""
    coordinated = user.organisations(Role.COORDINATOR)
    return module["organisation"] in coordinated or (module["cluster"] is not None and module["cluster"] in coordinated)


async def managed_module_ids(user: CurrentUser) -> list[int]:
    """The modules can_manage() lets this person run: of a CPAS or cluster they coordinate ([0] when none)."""
    coordinated = sorted(user.organisations(Role.COORDINATOR)) or [0]
    rows = await Module.select(Module.id).where(Module.organisation.is_in(coordinated) | Module.cluster.is_in(coordinated))
    return sorted(r["id"] for r in rows) or [0]


async def get_managed_module(user: CurrentUser, module_id: int) -> dict:
    module = await get_module_for_user(user, module_id)
    if not can_manage(user, module):
        raise PermissionDeniedException()
    return module


async def is_facilitator(user: CurrentUser, module_id: int) -> bool:
    return await ModuleFacilitator.exists().where(
        (ModuleFacilitator.module == module_id) & (ModuleFacilitator.user == user.id))


async def get_managed_session(user: CurrentUser, session_id: int) -> tuple[dict, dict]:
    """(session, module) for a coordinator of the module: 404 when there is no such session or the person
    does not see its module, 403 when they see it without managing it."""
    session = await Session.select().where(Session.id == session_id).first()
    if session is None:
        raise NotFoundException()
    return session, await get_managed_module(user, session["module"])


async def sees_costs(user: CurrentUser, module: dict) -> bool:
    """Whether the module page shows its costs section: to the coordinators and administrators of the organising
    CPAS, or of a CPAS of the cluster the module is shared with (the spending area decides what they see);
    social workers and facilitators never see amounts."""
    managers = user.organisations(Role.COORDINATOR, Role.ADMINISTRATOR)
    if module["organisation"] in managers:
        return True
    return module["cluster"] is not None and await ClusterMember.exists().where(
        (ClusterMember.cluster == module["cluster"]) & ClusterMember.cpas.is_in(list(managers) or [0]))
