"""Fresh databases on either engine for the tests of `python -m planner migrate`, and the previous
release's demo restored into one (README.md here says how the files were made)."""

from __future__ import annotations

import asyncio
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ENGINES = ["sqlite", "postgres"]


def migrate(url: str) -> str:
    """`python -m planner migrate` on the database at `url`, as an operator runs it; returns its output."""
    done = subprocess.run([sys.executable, "-m", "planner", "migrate"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PLANNER_DATABASE_URL": url}, timeout=300)
    assert done.returncode == 0 and not done.stderr, done.stderr
    return done.stdout


def _server() -> str:
    url = os.environ.get("PLANNER_TEST_POSTGRES", "")
    if not url:
        if os.environ.get("PLANNER_REQUIRE_POSTGRES") == "1":
            pytest.fail("PLANNER_TEST_POSTGRES is not set")
        pytest.skip("PLANNER_TEST_POSTGRES is not set")
    return url


def _admin(url: str, statement: str) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(url, timeout=10)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(run())


@contextmanager
def fresh_database(engine: str) -> Iterator[str]:
    """The URL of an empty database, gone afterwards: a file in a temporary folder, or a PostgreSQL
    database next to PLANNER_TEST_POSTGRES's (named after it, so two checkouts on one server don't meet)."""
    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="planner-upgrade-") as folder:
            yield f"sqlite:///{folder}/planner.sqlite"
        return
    server = _server()
    parts = urlsplit(server)
    name = f"{parts.path.lstrip('/') or 'postgres'}_upgrade"
    _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(server, f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore_previous_release(engine: str, url: str) -> None:
    """The demo as the previous release migrated and loaded it, into the empty database at `url`."""
    if engine == "sqlite":
        with gzip.open(HERE / "demo.sqlite.gz") as dump, open(url.removeprefix("sqlite:///"), "wb") as file:
            shutil.copyfileobj(dump, file)
        return
    _admin(url, gzip.decompress((HERE / "demo.sql.gz").read_bytes()).decode())
