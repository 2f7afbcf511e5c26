"""`python -m planner migrate` says in one true line what it did (Piccolo's own output said
"8 migrations already complete" then "8 migrations not yet run" on a fresh database)."""

from __future__ import annotations

import pytest

from planner.migrations import known_migrations
from tests.upgrade.databases import ENGINES, fresh_database, migrate


@pytest.mark.parametrize("engine", ENGINES)
def test_migrate_says_what_it_ran_then_that_nothing_is_left(engine):
    known = len(known_migrations())
    with fresh_database(engine) as url:
        assert migrate(url) == f"{known} migrations run, 0 already complete.\n"
        assert migrate(url) == f"No migrations to run: {known} migrations already complete.\n"
