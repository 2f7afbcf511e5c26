"""SQLite run inside the event loop on kept connections (one file on purpose, ~300 lines: the writer lock,
the group commit and the busy retry only hold together when read side by side).

Piccolo's SQLiteEngine opens a new aiosqlite connection, and so a new thread, for every query: about
2 ms each, which held a tap on the roll to 24 a second (bench/attendance.py). On a local file a
query takes microseconds, so this engine runs it directly, on connections kept per thread (each event
loop lives in one thread; sqlite3 connections must not cross threads).

Blocking the loop is only safe if SQLite never makes it wait, so every write of a process queues on
one asyncio lock per loop: a transaction holds it from BEGIN IMMEDIATE to COMMIT, a lone write holds
it for its statement. Reads need no lock (WAL: readers never wait for the writer). Another process
writing at the same moment (the CLI, a second server) is not waited for inside SQLite (its busy timeout
would freeze every request of this process, /healthz included): these connections have no busy
timeout, and a statement SQLite refuses as busy is tried again after an asyncio.sleep, up to
`busy_wait` seconds, then DatabaseBusy (the app answers 503 with Retry-After).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory
from piccolo.querystring import QueryString

T = TypeVar("T")
CHECKPOINT_EVERY = 1.0  # seconds
BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class DatabaseBusy(sqlite3.OperationalError):
    """Another process held the write lock for longer than the engine's busy_wait: nothing was written."""


def _busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return (code & 0xFF) in BUSY_CODES if code is not None else "locked" in str(exc)
_batches: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list]" = weakref.WeakKeyDictionary()
_locks: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]" = weakref.WeakKeyDictionary()


def writer_lock() -> asyncio.Lock:
    """The lock every writer of this event loop queues on."""
    loop = asyncio.get_running_loop()
    lock = _locks.get(loop)
    if lock is None:
        lock = _locks[loop] = asyncio.Lock()
    return lock


async def _acquire(lock: asyncio.Lock, seconds: float) -> None:
    # Bounded: behind a writer that waits for another process, the queue would otherwise grow without end.
    try:
        await asyncio.wait_for(lock.acquire(), timeout=seconds)
    except TimeoutError:
        raise DatabaseBusy("the database stayed locked by another writer") from None


class _Held:
    """`async with _Held(engine):` the writer lock of this loop, waited for at most engine.busy_wait."""

    def __init__(self, engine: InlineSQLiteEngine) -> None:
        self.engine = engine
        self.lock = writer_lock()

    async def __aenter__(self) -> None:
        await _acquire(self.lock, self.engine.busy_wait)

    async def __aexit__(self, *exc_info) -> None:
        self.lock.release()


class InlineTransaction(SQLiteTransaction):
    """Always IMMEDIATE and always under the writer lock: two transactions of one loop never meet
    inside SQLite, where the second would block the loop the first needs to finish."""

    async def __aenter__(self) -> InlineTransaction:
        if self._parent is not None:
            return self._parent
        self._lock = writer_lock()
        await _acquire(self._lock, self.engine.busy_wait)
        try:
            self.connection = self.engine.take_connection()
            await self.engine.patiently(self.connection, "BEGIN IMMEDIATE")
        except BaseException:
            if getattr(self, "connection", None) is not None and not self.connection.in_transaction:
                self.engine.give_back(self.connection)
            self._lock.release()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def begin(self):
        self.connection.execute("BEGIN IMMEDIATE")

    async def commit(self):
        await self.engine.patiently(self.connection, "COMMIT")  # a busy COMMIT leaves the transaction open
        self._committed = True

    async def rollback(self):
        self.connection.execute("ROLLBACK")
        self._rolled_back = True

    async def savepoint(self, name: str | None = None):
        raise NotImplementedError("savepoints are not used in planner")

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            if self.connection.in_transaction:  # a failed COMMIT: never hand back a dirty connection
                self.connection.close()
            else:
                self.engine.give_back(self.connection)
            self.engine.current_transaction.reset(self.context)
            self._lock.release()
        return exception is None


class _Shared:
    """What run_querystring needs of a transaction: its connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection


class InlineSQLiteEngine(SQLiteEngine):
    __slots__ = ("_local", "_checkpointer", "busy_wait")

    def __init__(self, path: str, busy_wait: float = 5.0, **connection_kwargs: Any) -> None:
        """busy_wait: seconds a write waits for another process's write lock before DatabaseBusy.
        connection_kwargs (timeout included) go to the connections Piccolo opens off the loop."""
        super().__init__(path=path, **connection_kwargs)
        self._local = threading.local()
        self._checkpointer: threading.Thread | None = None
        self.busy_wait = busy_wait

    async def patiently(self, connection: sqlite3.Connection, query: str, args: list | None = None) -> list[dict]:
        """Run one statement; while SQLite says busy (another process writes), wait on the loop, not in
        SQLite, and try again, for up to busy_wait seconds. A refused statement did nothing, so a retry is safe."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.busy_wait
        delay = 0.002
        while True:
            try:
                return self._execute(connection, query, args)
            except sqlite3.OperationalError as exc:
                if not _busy(exc):
                    raise
                if loop.time() >= deadline:
                    raise DatabaseBusy(str(exc)) from exc
            await asyncio.sleep(min(delay, max(deadline - loop.time(), 0)))
            delay = min(delay * 2, 0.05)

    def _open(self) -> sqlite3.Connection:
        # timeout=0: SQLite answers "busy" at once instead of sleeping in this thread, the loop's (see patiently).
        connection = sqlite3.connect(**{**self.connection_kwargs, "timeout": 0})
        connection.row_factory = dict_factory
        connection.execute("PRAGMA foreign_keys = 1")
        # The WAL is copied back into the database by a thread of its own (below), not by whichever
        # commit crosses 1,000 pages: that copy and its fsync stalled the whole loop for tens of ms.
        connection.execute("PRAGMA wal_autocheckpoint = 0")
        if self._checkpointer is None:
            self._checkpointer = threading.Thread(target=self._checkpoint_forever, name="sqlite-checkpoint",
                                                  daemon=True)
            self._checkpointer.start()
        return connection

    def _checkpoint_forever(self) -> None:
        connection = sqlite3.connect(self.path, timeout=self.connection_kwargs.get("timeout", 5))
        while True:
            time.sleep(CHECKPOINT_EVERY)
            try:
                # PASSIVE: never waits for readers or the writer; what it cannot copy now, it copies next time.
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:
                pass  # a busy or vanished file (a test's): try again later

    def _shared(self) -> sqlite3.Connection:
        """The thread's autocommit connection for statements outside a transaction."""
        connection = getattr(self._local, "shared", None)
        if connection is None:
            connection = self._local.shared = self._open()
        return connection

    def take_connection(self) -> sqlite3.Connection:
        free = getattr(self._local, "free", None)
        return free.pop() if free else self._open()

    def give_back(self, connection: sqlite3.Connection) -> None:
        if not hasattr(self._local, "free"):
            self._local.free = []
        self._local.free.append(connection)

    @staticmethod
    def _execute(connection: sqlite3.Connection, query: str, args: list | None) -> list[dict]:
        cursor = connection.execute(query, args or [])
        try:
            return cursor.fetchall()
        finally:
            cursor.close()

    async def _run(self, query: str, args: list | None, writes: bool) -> list[dict]:
        transaction = self.current_transaction.get()
        if transaction is not None:
            return self._execute(transaction.connection, query, args)
        if not writes:
            return await self.patiently(self._shared(), query, args)
        async with _Held(self):
            return await self.patiently(self._shared(), query, args)

    async def run_querystring(self, querystring: QueryString, in_pool: bool = False):
        query, args = querystring.compile_string(engine_type=self.engine_type)
        if self.log_queries:
            self.print_query(query_id=self.get_query_id(), query=str(querystring))
        # Piccolo marks its SELECTs "generic" like any statement: a SELECT is known by its text, so the ORM's
        # reads neither queue behind the writer lock nor wait with a write for another process's lock.
        reads = querystring.query_type == "select" or query.lstrip(" (\n").upper().startswith("SELECT")
        return await self._run(query, args, writes=not reads)

    async def run_ddl(self, ddl: str, in_pool: bool = False):
        if self.log_queries:
            self.print_query(query_id=self.get_query_id(), query=ddl)
        return await self._run(ddl, None, writes=True)

    def transaction(self, transaction_type: TransactionType = TransactionType.immediate,
                    allow_nested: bool = True) -> InlineTransaction:
        return InlineTransaction(engine=self, transaction_type=TransactionType.immediate, allow_nested=allow_nested)

    async def run_batched(self, work: Callable[[], Awaitable[T]]) -> T:
        """Run `work` (a few statements, nothing else awaited) in one IMMEDIATE transaction together
        with the work other requests queued meanwhile: one COMMIT, so one fsync, for all of them.
        Each piece has its own savepoint, so one failing piece fails alone. The caller returns only
        after the COMMIT, as with a transaction of its own."""
        if self.current_transaction.get() is not None:  # already inside a transaction: just run it there
            return await work()
        loop = asyncio.get_running_loop()
        queue = _batches.setdefault(loop, [])
        future: asyncio.Future = loop.create_future()
        queue.append((work, future))
        # Statements run inline, so without a pause the first tap would commit alone before any other
        # request reached this queue; one turn of the loop lets the taps already arrived join it.
        await asyncio.sleep(0)
        try:
            await _acquire(writer_lock(), self.busy_wait)
        except DatabaseBusy:
            if (work, future) in queue:
                queue.remove((work, future))
                raise
            return await future  # a batch took it in: that batch gives the answer (itself bounded)
        try:
            if not future.done():
                batch = queue[:]
                queue.clear()
                await self._run_batch(batch)
        finally:
            writer_lock().release()
        return await future

    async def _run_batch(self, batch: list) -> None:
        connection = self.take_connection()
        outcomes = []
        context = self.current_transaction.set(_Shared(connection))
        try:
            await self.patiently(connection, "BEGIN IMMEDIATE")
            for work, future in batch:
                connection.execute("SAVEPOINT piece")
                try:
                    outcomes.append((future, await work(), None))
                except Exception as exc:  # noqa: BLE001 (handed to the piece's own caller)
                    connection.execute("ROLLBACK TO piece")
                    outcomes.append((future, None, exc))
                connection.execute("RELEASE piece")
            await self.patiently(connection, "COMMIT")
        except BaseException as exc:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            for _work, future in batch:
                if not future.done():
                    future.set_exception(exc if isinstance(exc, Exception) else RuntimeError("batch interrupted"))
            if not isinstance(exc, Exception):
                raise
            return
        finally:
            self.current_transaction.reset(context)
            self.give_back(connection)
        for future, result, exc in outcomes:
            if exc is None:
                future.set_result(result)
            else:
                future.set_exception(exc)
