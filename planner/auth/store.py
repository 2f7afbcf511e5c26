"""Litestar session store backed by the database, so any app process can serve any request."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from contextvars import ContextVar

from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.stores.base import Store
from litestar.types import Empty
from litestar.utils.dataclass import extract_dataclass_items

from planner.auth.tables import WebSession
from planner.db import fetch

# The signed-in person's rows, read with the session in one query and handed to load_user().
PREFETCHED: ContextVar[tuple[int, list[dict]] | None] = ContextVar("planner_prefetched_user", default=None)
# The signed-in person and their memberships, a row per membership: read with the session on every
# request, or alone by load_user() when the session was written before it knew its account.
# Hand-written because every request pays for it: one query of 32-49 us against 780 us for the same
# read as three Piccolo queries (session, account, memberships), and bench/attendance.py on SQLite
# gave 366-407 marks/s with it against 202 marks/s with Piccolo's (p95 90-345 ms against 1079 ms;
# both on a machine shared with other jobs, Nov 2026, issue 13).
PERSON_COLUMNS = "a.id, a.email, a.full_name, a.language, a.session_epoch, m.organisation, o.kind, m.role"
PERSON_JOINS = ('LEFT JOIN membership m ON m."user" = a.id LEFT JOIN organisation o ON o.id = m.organisation')
SESSION_AND_PERSON = (f"SELECT w.data, w.expires_at, {PERSON_COLUMNS} FROM web_session w "
                      f"LEFT JOIN account a ON a.id = w.account AND a.is_active = {{}} {PERSON_JOINS} WHERE w.key = {{}}")
PERSON = f"SELECT {PERSON_COLUMNS} FROM account a {PERSON_JOINS} WHERE a.id = {{}} AND a.is_active = {{}}"
# Whether this request's read pushed the session's expiry on: only then is the cookie sent again.
RENEWED: ContextVar[bool] = ContextVar("planner_session_renewed", default=False)
ROTATE = "planner.rotate_session"
RENEW_EVERY = dt.timedelta(minutes=1)
LOADED = "planner.session_loaded"


def _key(session_id: str) -> str:
    # Only a hash of the cookie value is stored: a copy of the database opens no session.
    return hashlib.sha256(session_id.encode()).hexdigest()


def _account(data: bytes) -> int | None:
    try:
        user_id = json.loads(data).get("user_id")
    except (ValueError, AttributeError):
        return None
    return user_id if isinstance(user_id, int) else None


def _expiry(expires_in: int | dt.timedelta | None) -> dt.datetime | None:
    if expires_in is None:
        return None
    seconds = expires_in.total_seconds() if isinstance(expires_in, dt.timedelta) else expires_in
    return dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds)


class DatabaseStore(Store):
    async def set(self, key: str, value: str | bytes, expires_in: int | dt.timedelta | None = None) -> None:
        data = value.encode() if isinstance(value, str) else value
        hashed, expires_at = _key(key), _expiry(expires_in)
        await WebSession.insert(WebSession(key=hashed, data=data, expires_at=expires_at,
                                           account=_account(data))).on_conflict(
            target=WebSession.key, action="DO UPDATE", values=[WebSession.data, WebSession.expires_at,
                                                               WebSession.account]
        )

    async def get(self, key: str, renew_for: int | dt.timedelta | None = None) -> bytes | None:
        rows = await fetch(SESSION_AND_PERSON, True, _key(key))
        if not rows:
            return None
        row = rows[0]
        if row["id"] is not None:
            PREFETCHED.set((row["id"], rows))
        if row["expires_at"] is not None and row["expires_at"] <= dt.datetime.now(dt.timezone.utc):
            await self.delete(key)
            return None
        new_expiry = _expiry(renew_for)
        # Renew at most once a minute: a write on every request would cost more than the request.
        if new_expiry is not None and (row["expires_at"] is None or new_expiry - row["expires_at"] > RENEW_EVERY):
            await WebSession.update({WebSession.expires_at: new_expiry}).where(WebSession.key == _key(key))
            RENEWED.set(True)
        return bytes(row["data"])

    async def delete(self, key: str) -> None:
        await WebSession.delete().where(WebSession.key == _key(key))

    async def delete_all(self) -> None:
        await WebSession.delete(force=True)

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        row = await WebSession.select(WebSession.expires_at).where(WebSession.key == _key(key)).first()
        if row is None or row["expires_at"] is None:
            return None
        return int((row["expires_at"] - dt.datetime.now(dt.timezone.utc)).total_seconds())

    async def delete_expired(self) -> None:
        await WebSession.delete().where(WebSession.expires_at < dt.datetime.now(dt.timezone.utc))


class RotatingSessionBackend(ServerSideSessionBackend):
    """Gives a fresh session id when a handler asks for it (at login), so a planted id is useless."""

    def get_session_id(self, connection) -> str:
        state = connection.scope.setdefault("state", {})
        if state.get(ROTATE):
            if "planner.new_session_id" not in state:
                state["planner.new_session_id"] = self.generate_session_id()
            return state["planner.new_session_id"]
        return super().get_session_id(connection)

    async def load_from_connection(self, connection) -> dict:
        data = await super().load_from_connection(connection)
        connection.scope.setdefault("state", {})[LOADED] = self.serialize_data(data) if data else None
        return data

    async def store_in_message(self, scope_session, message, connection) -> None:
        # Litestar writes the session back on every response. When nothing changed, nothing is written;
        # the cookie is sent again only when the store pushed the expiry on (sliding, once a minute).
        state = connection.scope.setdefault("state", {})
        if scope_session is Empty:  # signed out, or a guarded page refused for want of a session
            await self._forget(connection, message)
            return
        if not scope_session and state.get(LOADED) is None and not state.get(ROTATE):
            return  # a visitor who is not signed in: no row, no cookie (a loop on /login must not fill the table)
        unchanged = (not state.get(ROTATE) and scope_session and state.get(LOADED) is not None
                     and self.serialize_data(scope_session) == state[LOADED])
        if not unchanged:
            await super().store_in_message(scope_session, message, connection)
            return
        if not RENEWED.get():
            return
        params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
        MutableScopeHeaders.from_message(message).add(
            "Set-Cookie", Cookie(value=self.get_session_id(connection), key=self.config.key, **params).to_header(header=""))

    async def _forget(self, connection, message) -> None:
        """Delete the session row and expire the browser's cookie, if the browser sent one. Litestar's own
        answer set `session=null` with the config's Max-Age, which wins over its past Expires: anonymous
        visitors kept a null cookie for 12 hours."""
        session_id = connection.cookies.get(self.config.key)
        if not session_id:
            return
        await self.delete(session_id, store=self.config.get_store_from_app(connection.scope["app"]))
        params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
        params.update(max_age=0, expires=0)
        MutableScopeHeaders.from_message(message).add(
            "Set-Cookie", Cookie(value="", key=self.config.key, **params).to_header(header=""))


class SessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend
