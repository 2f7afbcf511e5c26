"""Writes of the auth area: sign-in with its throttle, accounts, memberships, password links."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from planner.auth import rules
from planner.auth.passwords import hash_password, verify_password
from planner.auth.tables import LoginAttempt, Membership, PasswordToken, User
from planner.invites import feedcache
from planner.db import write_transaction


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


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


async def sign_in(email: str, password: str, address: str) -> SignIn:
    key, now = rules.email_key(email), _now()
    wait = max(
        rules.seconds_to_wait(await _recent_failures(LoginAttempt.email_key == key), now, rules.ACCOUNT_THROTTLE),
        rules.seconds_to_wait(await _recent_failures(LoginAttempt.address == address), now, rules.ADDRESS_THROTTLE),
    )
    if wait:
        return SignIn(wait_seconds=wait)
    row = await User.select(User.id, User.password_hash, User.session_epoch).where(
        (User.email == rules.normalise_email(email)) & (User.is_active == True)  # noqa: E712
    ).first()
    # Verify even when nobody has this address, so the answer time gives nothing away.
    ok = verify_password(row["password_hash"] if row else "", password) and row is not None
    await LoginAttempt.insert(LoginAttempt(email_key=key, address=address[:64], succeeded=ok, attempted_at=now))
    return SignIn(user_id=row["id"], epoch=row["session_epoch"]) if ok else SignIn()


async def change_password(user_id: int, current: str, new: str) -> int | None:
    """New epoch (other sessions end) or None when the current password is wrong."""
    row = await User.select(User.password_hash, User.session_epoch).where(User.id == user_id).first()
    if row is None or not verify_password(row["password_hash"], current):
        return None
    epoch = row["session_epoch"] + 1
    await User.update({User.password_hash: hash_password(new), User.session_epoch: epoch}).where(User.id == user_id)
    return epoch


async def set_language(user_id: int, language: str) -> None:
    await User.update({User.language: language}).where(User.id == user_id)
    await feedcache.forget_person(user=user_id)  # the feed speaks their language


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_password_link(user_id: int, valid_days: int) -> str:
    """A new one-time token; earlier unused links of this person stop working."""
    token = secrets.token_urlsafe(32)
    async with write_transaction():
        await PasswordToken.delete().where((PasswordToken.user == user_id) & PasswordToken.used_at.is_null())
        await PasswordToken.insert(PasswordToken(
            user=user_id, token_hash=_token_hash(token), expires_at=_now() + dt.timedelta(days=valid_days)
        ))
    return token


async def find_password_token(token: str) -> dict | None:
    return await PasswordToken.select(PasswordToken.id, PasswordToken.user, PasswordToken.user.email).where(
        (PasswordToken.token_hash == _token_hash(token))
        & PasswordToken.used_at.is_null()
        & (PasswordToken.expires_at > _now())
    ).first()


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


async def create_user(email: str, full_name: str, language: str, organisation_id: int, role: str) -> int:
    async with write_transaction():
        user = (await User.insert(User(
            email=rules.normalise_email(email), full_name=full_name, language=language
        )).returning(User.id))[0]["id"]
        await Membership.insert(Membership(user=user, organisation=organisation_id, role=role))
    return user


async def email_taken(email: str, except_user: int | None = None) -> bool:
    query = User.exists().where(User.email == rules.normalise_email(email))
    if except_user is not None:
        query = query.where(User.id != except_user)
    return await query


async def grant(user_id: int, organisation_id: int, role: str) -> None:
    async with write_transaction():
        exists = await Membership.exists().where(
            (Membership.user == user_id) & (Membership.organisation == organisation_id) & (Membership.role == role)
        )
        if not exists:
            await Membership.insert(Membership(user=user_id, organisation=organisation_id, role=role))


async def revoke(membership_id: int) -> None:
    await Membership.delete().where(Membership.id == membership_id)


async def update_user(user_id: int, full_name: str, language: str, is_active: bool) -> None:
    values = {User.full_name: full_name, User.language: language, User.is_active: is_active}
    if not is_active:
        values[User.session_epoch] = User.session_epoch + 1  # a deactivated person is signed out at once
    await User.update(values).where(User.id == user_id)
    await feedcache.forget_all()  # feeds show facilitators' first names
