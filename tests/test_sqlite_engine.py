"""The in-loop SQLite engine: batched writes share one COMMIT yet fail one by one."""

import asyncio

import pytest
from piccolo.engine.postgres import PostgresEngine

from planner.db import fetch
from planner.orgs.tables import Organisation


async def test_queued_writes_commit_together_and_a_failing_one_fails_alone(db):
    if isinstance(db, PostgresEngine):
        pytest.skip("SQLite's batching; PostgreSQL runs each tap as one statement")

    async def insert(name: str) -> str:
        await fetch("INSERT INTO organisation (kind, name_fr, name_nl, name_de, name_en, region, partner_type, street, "
                    "postcode, city) VALUES ('cpas', {}, '', '', '', 'brussels', '', '', '', '')", name, writes=True)
        if name == "bad":
            raise ValueError("refused")
        return name

    results = await asyncio.gather(*(db.run_batched(lambda n=n: insert(n)) for n in ["a", "bad", "b", "c"]),
                                   return_exceptions=True)
    assert results[0] == "a" and isinstance(results[1], ValueError) and results[2:] == ["b", "c"]
    names = {r["name_fr"] for r in await Organisation.select(Organisation.name_fr)}
    assert names == {"a", "b", "c"}  # the failing piece was rolled back to its savepoint, the others kept
