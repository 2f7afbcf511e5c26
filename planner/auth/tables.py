from piccolo.columns import Boolean, Bytea, ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.table import Table

from planner.orgs.tables import Organisation


class User(Table, tablename="account"):  # "user" is a reserved word in PostgreSQL
    email = Varchar(length=254, unique=True)  # stored lower-case
    full_name = Varchar(length=200)
    password_hash = Varchar(length=200)  # empty until the person follows their set-password link
    language = Varchar(length=2)  # empty: follow the browser
    is_active = Boolean(default=True)
    # Bumped on password change: every other session of this person stops working.
    session_epoch = Integer(default=0)
    created_at = Timestamptz()


class Membership(Table):
    user = ForeignKey(User, on_delete=OnDelete.cascade)
    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade)
    role = Varchar(length=24)


class PasswordToken(Table):
    """One-time set-password link; only the SHA-256 of the token is stored."""

    user = ForeignKey(User, on_delete=OnDelete.cascade)
    token_hash = Varchar(length=64, unique=True)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class LoginAttempt(Table):
    # A hash, not the address: the throttle needs to group tries, not to know who typed what.
    email_key = Varchar(length=64, index=True)
    address = Varchar(length=64, index=True)
    succeeded = Boolean(default=False)
    attempted_at = Timestamptz(index=True)


class WebSession(Table):
    """Server-side sessions, shared by every app process behind the load balancer."""

    key = Varchar(length=128, unique=True)
    data = Bytea()
    # Whose session (None before sign-in): lets one query load the session and its person.
    account = Integer(null=True, default=None)
    expires_at = Timestamptz(null=True, default=None, index=True)
