"""Reads of the auth area: accounts and their roles for the pages, which accounts an administrator
manages, set-password links."""

from __future__ import annotations

import datetime as dt
import hashlib

from planner.auth import rules
from planner.auth.tables import Membership, PasswordToken, User
from planner.names import person_sort_key
from planner.orgs.access import administered_by, name_of


def token_hash(token: str) -> str:
    """What is stored of a set-password token (hex SHA-256): a copy of the database opens no account."""
    return hashlib.sha256(token.encode()).hexdigest()


async def find_password_token(token: str) -> dict | None:
    """{"id", "user", "user.email"} of this set-password link if unused and not expired, else None."""
    return await PasswordToken.select(PasswordToken.id, PasswordToken.user, PasswordToken.user.email).where(
        (PasswordToken.token_hash == token_hash(token))
        & PasswordToken.used_at.is_null()
        & (PasswordToken.expires_at > dt.datetime.now(dt.timezone.utc))
    ).first()


async def email_taken(email: str, except_user: int | None = None) -> bool:
    """Whether another account (any but `except_user`) has this address, compared normalised."""
    query = User.exists().where(User.email == rules.normalise_email(email))
    if except_user is not None:
        query = query.where(User.id != except_user)
    return await query


async def account(user_id: int) -> dict | None:
    """The account's row (every column), None if there is no such account."""
    return await User.select().where(User.id == user_id).first()


async def account_list(user_ids: list[int]) -> tuple[list[dict], dict[int, set[str]]]:
    """These accounts ({"id", "full_name", "email", "is_active", "password_hash"}) in the order of every
    list of people (planner/names.py), and account id -> the roles it holds anywhere."""
    users = await User.select(User.id, User.full_name, User.email, User.is_active, User.password_hash).where(
        User.id.is_in(user_ids or [0])
    ).order_by(User.full_name).order_by(User.id)
    users.sort(key=lambda u: person_sort_key(u["full_name"], ""))
    roles = await Membership.select(Membership.user, Membership.role).where(Membership.user.is_in(user_ids or [0]))
    by_user: dict[int, set[str]] = {}
    for r in roles:
        by_user.setdefault(r["user"], set()).add(r["role"])
    return users, by_user


async def account_memberships(user_id: int) -> list[dict]:
    """The account's roles in the order given: membership id, role, the organisation's columns
    ("organisation.<column>") and its "name" in the current language."""
    memberships = await Membership.select(
        Membership.id, Membership.role, Membership.organisation, Membership.organisation.kind,
        *Membership.organisation.all_columns(exclude=["id", "kind"])
    ).where(Membership.user == user_id).order_by(Membership.id)
    return [{**m, "name": name_of(m, "organisation.")} for m in memberships]


# ---- who manages an account (rules.manages_account) ----------------------------------------------

async def account_organisations(user_ids: list[int]) -> dict[int, set[int]]:
    """Account id -> the organisations it holds a role in (accounts without any role are left out)."""
    rows = await Membership.select(Membership.user, Membership.organisation).where(
        Membership.user.is_in(user_ids or [0]))
    found: dict[int, set[int]] = {}
    for row in rows:
        found.setdefault(row["user"], set()).add(row["organisation"])
    return found


async def managed_accounts(admin_of: set[int]) -> set[int]:
    """Ids of the accounts an administrator of the CPAS `admin_of` manages: every organisation the
    account has a role in is one they administer."""
    administered = await administered_by(admin_of)
    candidates = await Membership.select(Membership.user).where(
        Membership.organisation.is_in(list(administered) or [0]))
    organisations = await account_organisations(sorted({r["user"] for r in candidates}))
    return {user for user, orgs in organisations.items() if rules.manages_account(administered, orgs)}
