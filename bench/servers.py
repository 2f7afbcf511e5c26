"""What every bench shares: the engines it measures, an empty migrated database for each, and the
servers it starts (a free port, a process, and waiting until it listens)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def engines(tmp: Path) -> dict[str, str]:
    """SQLite always; PostgreSQL when PLANNER_BENCH_POSTGRES names a database the bench may empty."""
    found = {"sqlite": f"sqlite:///{tmp / 'bench.sqlite'}"}
    if os.environ.get("PLANNER_BENCH_POSTGRES"):
        found["postgresql"] = os.environ["PLANNER_BENCH_POSTGRES"]
    return found


async def _empty_postgres(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    await connection.close()


def prepare(engine: str, url: str, env: dict) -> None:
    """An empty, migrated database on every run; this process's settings and tables then point at it."""
    if engine == "postgresql":
        asyncio.run(_empty_postgres(url))
    subprocess.run([sys.executable, "-m", "planner", "migrate"], cwd=ROOT, env={**os.environ, **env}, check=True,
                   stdout=subprocess.DEVNULL)
    os.environ.update(env)
    import piccolo_conf
    from piccolo.conf.apps import Finder

    from planner.db import engine_for

    piccolo_conf.DB = engine_for(url)
    for table in Finder().get_table_classes():
        table._meta.db = piccolo_conf.DB


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args: list[str], env: dict, port: int, cwd: Path = ROOT) -> subprocess.Popen:
    process = subprocess.Popen(args, cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process
        except OSError:
            time.sleep(0.05)
    raise SystemExit("server did not start")
