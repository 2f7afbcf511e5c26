"""Engine selection and the one write-transaction helper every read-then-write uses."""

from __future__ import annotations

import contextlib
from pathlib import Path

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.query import OrderByRaw
from piccolo.querystring import QueryString

from planner.sqlite_engine import InlineSQLiteEngine


def engine_for(url: str) -> Engine:
    if url.startswith(("postgres://", "postgresql://")):
        return PostgresEngine(config={"dsn": url})
    path = Path(url.removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    # busy_wait: a write waits up to 5 s (on the event loop, never blocking it) for another process's
    # write lock, then fails as DatabaseBusy (503, the tablet keeps the tap). timeout: the busy timeout of
    # the connections Piccolo opens in threads (migrations, tests), where waiting blocks nothing.
    return InlineSQLiteEngine(path=str(path), busy_wait=5.0, timeout=30)


def current_engine() -> Engine:
    # piccolo_conf.DB itself rather than Piccolo's engine_finder(), which imports the conf module
    # again on every call (every query of a tap asks); tests swap this same attribute.
    import piccolo_conf

    return piccolo_conf.DB


def engine_label(engine: Engine) -> str:
    return "postgresql" if isinstance(engine, PostgresEngine) else "sqlite"


@contextlib.asynccontextmanager
async def write_transaction():
    """One transaction for a read-then-write: IMMEDIATE and queued per process on SQLite (see
    sqlite_engine.py), so two such requests cannot interleave; plain on PostgreSQL, where the rows
    that decide are locked with for_update()."""
    async with current_engine().transaction() as transaction:
        yield transaction


def for_update(query):
    """Lock the selected rows until the transaction ends (PostgreSQL); SQLite's IMMEDIATE
    transaction already holds the whole database, and Piccolo refuses FOR UPDATE there."""
    return query.lock_rows() if isinstance(current_engine(), PostgresEngine) else query


async def fetch(sql: str, *args, writes: bool = False) -> list[dict]:
    """A hand-written query, `{}` as placeholders, for the paths every request or every tap takes:
    there, building the query with the ORM costs more than running it (bench/attendance.py)."""
    rows = await current_engine().run_querystring(QueryString(sql, *args, query_type="generic" if writes else "select"))
    return [dict(row) for row in rows]


def bytewise_order(column):
    """An order_by() term comparing `column` byte by byte (as Python compares str): COLLATE "C" on
    PostgreSQL, whatever the database's collation; SQLite's default BINARY collation already does."""
    if isinstance(current_engine(), PostgresEngine):
        return OrderByRaw(f'"{column._meta.db_column_name}" COLLATE "C"')
    return column


async def _keep_session(connection) -> None:
    """asyncpg resets a connection with a query each time it goes back to the pool (a round trip on
    every query); planner never LISTENs or SETs, and its only advisory locks (a tap's) end with their
    transaction, so there is nothing to reset.
    An open transaction is still rolled back by asyncpg before this is called."""


async def start_pool(max_size: int = 10) -> None:
    """Open the PostgreSQL connection pool (no reset query); SQLite keeps its connections per thread."""
    engine = current_engine()
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(max_size=max_size, reset=_keep_session)


async def close_pool() -> None:
    """Close the pool start_pool() opened; nothing to do on SQLite."""
    engine = current_engine()
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


def on_postgres() -> bool:
    """True when the current engine is PostgreSQL (server-side functions, row locks), False on SQLite."""
    return isinstance(current_engine(), PostgresEngine)


def skip_locked_clause() -> str:
    """SQL ending a claim's SELECT: FOR UPDATE SKIP LOCKED on PostgreSQL; nothing on SQLite (IMMEDIATE holds all)."""
    return " FOR UPDATE SKIP LOCKED" if on_postgres() else ""


async def run_batched(work):
    """SQLite only: run `work` (an async callable) in the next group commit with the writes queued beside
    it (sqlite_engine.py, InlineSQLiteEngine.run_batched). Returns its result; its error fails it alone."""
    return await current_engine().run_batched(work)


async def prepare_database() -> None:
    """Before migrating: WAL on SQLite (readers and the writer stop blocking each other; the setting stays in
    the file). Nothing on PostgreSQL."""
    if not on_postgres():
        await current_engine().run_ddl("PRAGMA journal_mode=WAL")
