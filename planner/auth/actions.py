"""Writes of the auth area: sign-in with its throttle, accounts, memberships, password links."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from planner.auth import rules
from planner.auth.queries import account_organisations, find_password_token, token_hash
from planner.auth.passwords import hash_password, verify_password
from planner.auth.tables import LoginAttempt, Membership, PasswordToken, User
from planner.invites.actions import forget_all_feeds, forget_feeds_of_person
from planner.db import write_transaction
from planner.orgs.access import NotManaged, administered_by
from planner.i18n import now_utc as _now


@dataclass(frozen=True)
class SignIn:
    user_id: int | None = None
    epoch: int = 0
    wait_seconds: int = 0  # > 0: refused before checking the password


async def _recent_failures(where) -> list[dt.datetime]:
    since = _now() - rules.ACCOUNT_THROTTLE.window
    rows = await LoginAttempt.select(LoginAttempt.attempted_at, LoginAttempt.succeeded).where(
        where & (LoginAttempt.attempted_at >= since)
    ).order_by(LoginAttempt.attempted_at)
    failures: list[dt.datetime] = []
    for row in rows:
        # A success forgives the failures before it.
        failures = [] if row["succeeded"] else [*failures, row["attempted_at"]]
    return failures


async def _seconds_to_wait(key: str, address: str, now: dt.datetime) -> int:
    return max(
        rules.seconds_to_wait(await _recent_failures(LoginAttempt.email_key == key), now, rules.ACCOUNT_THROTTLE),
        rules.seconds_to_wait(await _recent_failures(LoginAttempt.address == address), now, rules.ADDRESS_THROTTLE),
    )


async def sign_in(email: str, password: str, address: str) -> SignIn:
    key, now = rules.email_key(email), _now()
    wait = await _seconds_to_wait(key, address, now)
    if wait:
        return SignIn(wait_seconds=wait)
    row = await User.select(User.id, User.password_hash, User.session_epoch).where(
        (User.email == rules.normalise_email(email)) & (User.is_active == True)  # noqa: E712
    ).first()
    # Verify even when nobody has this address, so the answer time gives nothing away.
    ok = verify_password(row["password_hash"] if row else "", password) and row is not None
    await LoginAttempt.insert(LoginAttempt(email_key=key, address=address[:64], succeeded=ok, attempted_at=now))
    return SignIn(user_id=row["id"], epoch=row["session_epoch"]) if ok else SignIn()


@dataclass(frozen=True)
class PasswordChange:
    epoch: int | None = None  # the new epoch (other sessions end); None: refused
    wait_seconds: int = 0  # > 0: refused before checking the current password


async def change_password(user_id: int, current: str, new: str, address: str) -> PasswordChange:
    """Throttled like sign-in, on the same attempts: a wrong current password here and a wrong
    password at sign-in are both guesses at the same secret (someone at an unlocked screen)."""
    row = await User.select(User.email, User.password_hash, User.session_epoch).where(User.id == user_id).first()
    if row is None:
        return PasswordChange()
    key, now = rules.email_key(row["email"]), _now()
    wait = await _seconds_to_wait(key, address, now)
    if wait:
        return PasswordChange(wait_seconds=wait)
    ok = verify_password(row["password_hash"], current)
    await LoginAttempt.insert(LoginAttempt(email_key=key, address=address[:64], succeeded=ok, attempted_at=now))
    if not ok:
        return PasswordChange()
    epoch = row["session_epoch"] + 1
    await User.update({User.password_hash: hash_password(new), User.session_epoch: epoch}).where(User.id == user_id)
    return PasswordChange(epoch=epoch)


async def set_language(user_id: int, language: str) -> None:
    async with write_transaction():
        await User.update({User.language: language}).where(User.id == user_id)
        await forget_feeds_of_person(user=user_id)  # the feed speaks their language


async def issue_password_link(user_id: int, valid_days: int, admin_of: set[int]) -> str:
    """A new one-time token; earlier unused links of this person stop working.
    Raises NotManaged unless the administrator of the CPAS `admin_of` manages the account."""
    token = secrets.token_urlsafe(32)
    async with write_transaction():
        await _check_managed(user_id, admin_of)
        await PasswordToken.delete().where((PasswordToken.user == user_id) & PasswordToken.used_at.is_null())
        await PasswordToken.insert(PasswordToken(
            user=user_id, token_hash=token_hash(token), expires_at=_now() + dt.timedelta(days=valid_days)
        ))
    return token


async def set_password_with_token(token: str, password: str) -> bool:
    async with write_transaction():
        found = await find_password_token(token)
        if found is None:
            return False
        await PasswordToken.update({PasswordToken.used_at: _now()}).where(PasswordToken.id == found["id"])
        await User.update({
            User.password_hash: hash_password(password), User.session_epoch: User.session_epoch + 1,
        }).where(User.id == found["user"])
    return True


async def add_membership(user_id: int, organisation_id: int, role: str) -> None:
    """Give the account this role in the organisation; inside the caller's transaction when there is
    one (a new CPAS and its first administrator are written together)."""
    async with write_transaction():
        await Membership.insert(Membership(user=user_id, organisation=organisation_id, role=role))


async def create_user(email: str, full_name: str, language: str, organisation_id: int, role: str,
                      password: str | None = None) -> int:
    """The new account's id, with one role. Without a password the person signs in through a set-password link."""
    password_hash = hash_password(password) if password else ""  # hashed before the writer lock is taken
    async with write_transaction():
        user = (await User.insert(User(
            email=rules.normalise_email(email), full_name=full_name, language=language, password_hash=password_hash
        )).returning(User.id))[0]["id"]
        await Membership.insert(Membership(user=user, organisation=organisation_id, role=role))
    return user


async def grant(actor_id: int, admin_of: set[int], user_id: int, organisation_id: int, role: str) -> str | None:
    """Give the account a role; an untranslated message id when the rule refuses (NotManaged: 404)."""
    async with write_transaction():
        organisations = await _check_managed(user_id, admin_of)
        problem = rules.role_change_problem(actor_id, user_id, await administered_by(admin_of), organisation_id,
                                            organisations | {organisation_id})
        if problem:
            return problem
        exists = await Membership.exists().where(
            (Membership.user == user_id) & (Membership.organisation == organisation_id) & (Membership.role == role)
        )
        if not exists:
            await Membership.insert(Membership(user=user_id, organisation=organisation_id, role=role))
    return None


async def revoke(actor_id: int, admin_of: set[int], user_id: int, membership_id: int) -> str | None:
    """Remove one role of the account; a message id when the rule refuses; NotManaged (404) when the
    account, or this role of it, is not the administrator's to see."""
    async with write_transaction():
        await _check_managed(user_id, admin_of)
        rows = await Membership.select(Membership.id, Membership.organisation).where(Membership.user == user_id)
        target = next((r for r in rows if r["id"] == membership_id), None)
        if target is None:
            raise NotManaged()
        problem = rules.role_change_problem(actor_id, user_id, await administered_by(admin_of),
                                            target["organisation"],
                                            {r["organisation"] for r in rows if r["id"] != membership_id})
        if problem:
            return problem
        await Membership.delete().where(Membership.id == membership_id)
    return None


async def update_user(actor_id: int, admin_of: set[int], user_id: int, full_name: str, language: str,
                      is_active: bool) -> None:
    """Raises NotManaged unless the account is the administrator's; nobody deactivates themself."""
    values = {User.full_name: full_name, User.language: language, User.is_active: is_active or user_id == actor_id}
    if not values[User.is_active]:
        values[User.session_epoch] = User.session_epoch + 1  # a deactivated person is signed out at once
    async with write_transaction():
        await _check_managed(user_id, admin_of)
        await User.update(values).where(User.id == user_id)
    await forget_all_feeds()  # feeds show facilitators' first names


# ---- who manages an account (rules.manages_account) ----------------------------------------------

async def _check_managed(user_id: int, admin_of: set[int]) -> set[int]:
    """The account's organisations, read inside the caller's transaction; NotManaged if not managed."""
    organisations = (await account_organisations([user_id])).get(user_id, set())
    if not rules.manages_account(await administered_by(admin_of), organisations):
        raise NotManaged()
    return organisations
