"""Engine selection and the one write-transaction helper every read-then-write uses."""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from pathlib import Path

from piccolo.engine import engine_finder
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType


def engine_for(url: str) -> Engine:
    if url.startswith(("postgres://", "postgresql://")):
        return PostgresEngine(config={"dsn": url})
    path = Path(url.removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    # A long busy timeout lets concurrent writers queue instead of failing with "database is locked".
    return SQLiteEngine(path=str(path), timeout=30)


def current_engine() -> Engine:
    engine = engine_finder()
    assert engine is not None, "piccolo_conf.DB is not set"
    return engine


def engine_label(engine: Engine) -> str:
    return "postgresql" if isinstance(engine, PostgresEngine) else "sqlite"


_sqlite_writers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]" = weakref.WeakKeyDictionary()


@contextlib.asynccontextmanager
async def write_transaction():
    """IMMEDIATE on SQLite (so two read-then-write requests cannot interleave), plain on PostgreSQL.

    On SQLite the writers of one process also queue on an asyncio lock first: waiting there is free,
    while waiting on SQLite's busy handler sleeps in steps and made 50 tablets crawl (bench/attendance.py).
    """
    engine = current_engine()
    if isinstance(engine, SQLiteEngine):
        loop = asyncio.get_running_loop()
        lock = _sqlite_writers.setdefault(loop, asyncio.Lock())
        async with lock:
            async with engine.transaction(transaction_type=TransactionType.immediate) as transaction:
                yield transaction
    else:
        async with engine.transaction() as transaction:
            yield transaction


def icontains(column, text: str):
    """Case-insensitive substring match: ILIKE on PostgreSQL; SQLite's LIKE already ignores ASCII case."""
    pattern = "%" + text.replace("%", "").replace("_", "") + "%"
    return column.ilike(pattern) if isinstance(current_engine(), PostgresEngine) else column.like(pattern)


def for_update(query):
    """Lock the selected rows until the transaction ends (PostgreSQL); SQLite's IMMEDIATE
    transaction already holds the whole database, and Piccolo refuses FOR UPDATE there."""
    return query.lock_rows() if isinstance(current_engine(), PostgresEngine) else query
