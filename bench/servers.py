"""What every bench shares: its temporary folder, the engines it measures, an empty migrated database for each,
the rows it seeds, the servers it starts (a free port; `planner serve` or a bare Litestar floor in a process, or
an app under uvicorn in a thread; waiting until it listens; stopping it) and signing in over HTTP."""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from litestar import Litestar, get
from litestar.response import Response  # at module level: bare_app's annotations are resolved here

ROOT = Path(__file__).resolve().parent.parent


def temp_folder(name: str) -> Path:
    """A folder for this run (its SQLite file, scripts), removed at exit: a bench leaves no folder behind."""
    folder = Path(tempfile.mkdtemp(prefix=f"planner-bench-{name}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def engines(tmp: Path) -> dict[str, str]:
    """SQLite always; PostgreSQL when PLANNER_BENCH_POSTGRES names a database the bench may empty."""
    found = {"sqlite": f"sqlite:///{tmp / 'bench.sqlite'}"}
    if os.environ.get("PLANNER_BENCH_POSTGRES"):
        found["postgresql"] = os.environ["PLANNER_BENCH_POSTGRES"]
    return found


def one_engine(name: str) -> tuple[Path, str, str]:
    """(folder, engine, url) for a bench that measures one engine in-process: its temp_folder, PostgreSQL when
    PLANNER_BENCH_POSTGRES is set, else SQLite in that folder; the app's settings in this process point at it."""
    folder = temp_folder(name)
    engine, url = list(engines(folder).items())[-1]
    os.environ["PLANNER_DATABASE_URL"] = url
    os.environ.setdefault("PLANNER_SECRET", "bench")
    return folder, engine, url


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


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait()


@contextmanager
def planner_server(env: dict) -> Iterator[str]:
    """`python -m planner serve` (uvicorn, one worker) on a free port with env: its base URL, stopped on leaving."""
    port = free_port()
    process = start([sys.executable, "-m", "planner", "serve", "--port", str(port)], env, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@contextmanager
def bare_server(source: str, folder: Path, env: dict, *options: str) -> Iterator[str]:
    """The floor a bench compares with: `source` (a module defining a Litestar `app`) written to folder/bare.py
    and run under uvicorn in its own process, with env and uvicorn's options; its base URL, stopped on leaving."""
    (folder / "bare.py").write_text(source)
    port = free_port()
    process = start([sys.executable, "-m", "uvicorn", "bare:app", "--port", str(port), "--log-level", "warning",
                     *options], {**env, "PYTHONPATH": str(folder)}, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@contextmanager
def serving_in_thread(app) -> Iterator[str]:
    """An ASGI app under uvicorn in a thread of this process: its base URL, asked to stop on leaving."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True


def bare_app(size: int):
    """A Litestar app whose GET / answers `size` bytes of HTML: the floor a page's time is compared with."""
    body = "x" * size

    @get("/", sync_to_thread=False)
    def bare() -> Response:
        return Response(body, media_type="text/html")

    return Litestar([bare])


def sign_in(client, email: str, password: str) -> None:
    """Sign an httpx client in as the login form does: the CSRF cookie from the form's page, then the form."""
    client.get("/login")
    client.post("/login", data={"email": email, "password": password},
                headers={"x-csrftoken": client.cookies["csrftoken"]})


async def insert(row) -> int:
    """Insert one Piccolo row: its id."""
    return (await type(row).insert(row).returning(type(row).id))[0]["id"]
