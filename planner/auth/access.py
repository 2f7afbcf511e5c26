"""Who is asking: the signed-in person, their roles per organisation, the guards that check them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException, PermissionDeniedException

from planner.auth import queries
from planner.auth.rules import Role
from planner.auth.store import PERSON, PREFETCHED
from planner.auth.tables import Membership
from planner.db import fetch
from planner.orgs.tables import ClosureDay, Organisation, Room


@dataclass(frozen=True)
class Grant:
    organisation_id: int
    kind: str
    role: str


@dataclass(frozen=True)
class CurrentUser:
    id: int
    email: str
    full_name: str
    language: str
    grants: tuple[Grant, ...]

    def organisations(self, *roles: str) -> set[int]:
        """Ids of the organisations where this person holds one of the roles (any role if none given)."""
        return {g.organisation_id for g in self.grants if not roles or g.role in roles}

    def has_role(self, *roles: str) -> bool:
        return any(g.role in roles for g in self.grants)

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}


async def load_user(user_id: Any, epoch: Any) -> CurrentUser | None:
    if not isinstance(user_id, int):
        return None
    prefetched = PREFETCHED.get()
    if prefetched is not None and prefetched[0] == user_id:
        rows = prefetched[1]  # read together with the session (auth/store.py)
    else:
        # The rare path (a session older than its account column) reads the person with the same
        # hand-written columns and joins as every request's session read (auth/store.py), so one shape.
        rows = await fetch(PERSON, user_id, True)
    if not rows or rows[0]["session_epoch"] != epoch:
        return None
    row = rows[0]
    return CurrentUser(
        id=row["id"], email=row["email"], full_name=row["full_name"], language=row["language"],
        grants=tuple(Grant(r["organisation"], r["kind"], r["role"]) for r in rows if r["organisation"] is not None),
    )


async def retrieve_user(session: dict[str, Any], connection: ASGIConnection) -> CurrentUser | None:
    return await load_user(session.get("user_id"), session.get("epoch"))


# Path parameter -> whether the object it names exists and is one of the person's own (README "everything else
# answers 404"). Each area registers the checks of its objects (own_object); requires() runs them before a 403.
OwnCheck = Callable[["CurrentUser", int], Awaitable[bool]]
OWN_CHECKS: dict[str, OwnCheck] = {}


def own_object(param: str) -> Callable[[OwnCheck], OwnCheck]:
    """Register `check(user, id) -> bool` for the path parameter `param` (e.g. "person_id"): True when the object
    exists and belongs to one of home_organisations(user), or (modules) is visible to them."""
    def register(check: OwnCheck) -> OwnCheck:
        OWN_CHECKS[param] = check
        return check
    return register


async def home_organisations(user: CurrentUser) -> set[int]:
    """The organisations whose objects are this person's own for the 403/404 choice: where they hold any role,
    and the CPAS owning a partner they work for (a partner's staff work for that CPAS). A cluster's owner is not
    added: a role in a cluster does not make its owning CPAS one's own."""
    own = user.organisations()
    partners = [g.organisation_id for g in user.grants if g.kind == "partner"]
    if partners:
        rows = await Organisation.select(Organisation.owner).where(Organisation.id.is_in(partners))
        own |= {r["owner"] for r in rows if r["owner"] is not None}
    return own


async def refuse(connection: ASGIConnection) -> None:
    """Raise the refusal of a person lacking the role: NotFoundException (404) when a path parameter names an
    object that does not exist or is not their own (another CPAS, also of their cluster), so a refusal never
    tells that the object exists; else PermissionDeniedException (403)."""
    for name, value in connection.path_params.items():
        check = OWN_CHECKS.get(name)
        if check is not None and not await check(connection.user, value):
            raise NotFoundException()
    raise PermissionDeniedException()


def requires(*roles: Role):
    """Guard: the person holds one of these roles somewhere; with no roles, any signed-in person.

    Without the role: 404 if the object named in the path is not theirs (refuse), else 403. With it, which
    organisation is checked in the query itself (get_<thing>_for_user), so another CPAS's object is a 404
    rather than a hint that it exists.
    """

    # async: Litestar runs a plain function guard in a worker thread, a round trip on every request.
    async def guard(connection: ASGIConnection, _handler: Any) -> None:
        if roles and not connection.user.has_role(*roles):
            await refuse(connection)

    guard.roles = roles  # read by the route-table test: every non-public route states its roles
    return guard


SIGNED_IN = requires()
# Guards several areas share; an area's own mixes of roles live in its access.py.
COORDINATORS = requires(Role.COORDINATOR)
ADMINISTRATORS = requires(Role.ADMINISTRATOR)


async def get_user_for_user(user: CurrentUser, user_id: int) -> dict:
    """The account's row if this administrator manages it (rules.manages_account: every organisation the
    account has a role in is one they administer), else 404."""
    if user_id not in await queries.managed_accounts(user.organisations(Role.ADMINISTRATOR)):
        raise NotFoundException()
    return await queries.account(user_id)


# ---- the objects of auth and orgs (orgs.access cannot import this module: auth.queries reads it) ----------------

async def _is_own_organisation(user: CurrentUser, organisation_id: int) -> bool:
    own = await home_organisations(user)
    row = await Organisation.select(Organisation.id, Organisation.owner).where(Organisation.id == organisation_id).first()
    return row is not None and (row["id"] in own or row["owner"] in own)


own_object("org_id")(_is_own_organisation)  # an organisation, or a cluster or partner one of them owns
own_object("partner_id")(_is_own_organisation)  # spending's partner page: a partner organisation


@own_object("user_id")
async def _is_colleague(user: CurrentUser, user_id: int) -> bool:
    """An account with a role in one of the person's own organisations."""
    return await Membership.exists().where(
        (Membership.user == user_id) & Membership.organisation.is_in(list(await home_organisations(user)) or [0]))


@own_object("membership_id")
async def _is_colleague_role(user: CurrentUser, membership_id: int) -> bool:
    row = await Membership.select(Membership.user).where(Membership.id == membership_id).first()
    return row is not None and await _is_colleague(user, row["user"])


async def is_own_row(user: CurrentUser, table: Any, row_id: int) -> bool:
    """Whether `table` (with an `organisation` column) has the row `row_id`, of one of home_organisations(user)."""
    return await table.exists().where(
        (table.id == row_id) & table.organisation.is_in(list(await home_organisations(user)) or [0]))


own_object("room_id")(lambda user, room_id: is_own_row(user, Room, room_id))
own_object("closure_id")(lambda user, closure_id: is_own_row(user, ClosureDay, closure_id))
