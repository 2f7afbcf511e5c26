"""Who is asking: the signed-in person, their roles per organisation, the guards that check them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException, PermissionDeniedException

from planner.auth import queries
from planner.auth.rules import Role
from planner.auth.store import PERSON, PREFETCHED
from planner.db import fetch


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


def requires(*roles: Role):
    """Guard: the person holds one of these roles somewhere; with no roles, any signed-in person.

    Which organisation is checked in the query itself (get_<thing>_for_user), so another
    CPAS's object is a 404 rather than a hint that it exists.
    """

    # async: Litestar runs a plain function guard in a worker thread, a round trip on every request.
    async def guard(connection: ASGIConnection, _handler: Any) -> None:
        if roles and not connection.user.has_role(*roles):
            raise PermissionDeniedException()

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
