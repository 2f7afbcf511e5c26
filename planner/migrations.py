"""Running and reporting the one linear migration history (both engines)."""

from __future__ import annotations

import contextlib
import importlib
import io
import pkgutil
import warnings

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration

from planner import piccolo_migrations
from planner.db import prepare_database


def known_migrations() -> list[str]:
    ids = []
    for module in pkgutil.iter_modules(piccolo_migrations.__path__):
        ids.append(importlib.import_module(f"{piccolo_migrations.__name__}.{module.name}").ID)
    return sorted(ids)


async def migration_state() -> dict:
    known = known_migrations()
    try:
        ran = set(await Migration.get_migrations_which_ran(app_name="planner"))
    except Exception:  # no migration table yet: nothing has run
        ran = set()
    pending = [m for m in known if m not in ran]
    return {"applied": len(known) - len(pending), "pending": len(pending), "latest": known[-1] if known else ""}


def _migrations(n: int) -> str:
    return f"{n} migration{'' if n == 1 else 's'}"


async def migrate() -> str:
    """Run the pending migrations. Returns one line for the operator ("4 migrations run, 8 already
    complete"); raises SystemExit with Piccolo's output when one fails."""
    await prepare_database()
    before = await migration_state()
    # Piccolo prints the total as "already complete" before the pending count (both 8 on a fresh database),
    # and warns that SQLite keeps no column lengths, which planner never relies on.
    with contextlib.redirect_stdout(io.StringIO()) as output, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*SQLITE doesn't support changes in length")
        result = await run_forwards("planner")
    if not result.success:
        raise SystemExit(f"migration failed: {result.message}\n{output.getvalue()}")
    if not before["pending"]:
        return f"No migrations to run: {_migrations(before['applied'])} already complete."
    return f"{_migrations(before['pending'])} run, {before['applied']} already complete."
