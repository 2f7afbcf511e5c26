"""Engine selection and the one write-transaction helper every read-then-write uses."""

from __future__ import annotations

import contextlib
from pathlib import Path

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
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


def icontains(column, text: str):
    """Case-insensitive substring match: ILIKE on PostgreSQL; SQLite's LIKE already ignores ASCII case."""
    pattern = "%" + text.replace("%", "").replace("_", "") + "%"
    return column.ilike(pattern) if isinstance(current_engine(), PostgresEngine) else column.like(pattern)


def for_update(query):
    """Lock the selected rows until the transaction ends (PostgreSQL); SQLite's IMMEDIATE
    transaction already holds the whole database, and Piccolo refuses FOR UPDATE there."""
    return query.lock_rows() if isinstance(current_engine(), PostgresEngine) else query


async def fetch(sql: str, *args, writes: bool = False) -> list[dict]:
    """A hand-written query, `{}` as placeholders, for the paths every request or every tap takes:
    there, building the query with the ORM costs more than running it (bench/attendance.py)."""
    rows = await current_engine().run_querystring(QueryString(sql, *args, query_type="generic" if writes else "select"))
    return [dict(row) for row in rows]
