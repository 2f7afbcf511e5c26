"""Upgrades keep old data: the demo CPAS as the previous release left it (README.md here) is migrated by
this release's `python -m planner migrate`, then read back through the app by a demo coordinator."""

from __future__ import annotations

import re
import sqlite3
from html import unescape
from contextlib import contextmanager

import pytest
from litestar.testing import AsyncTestClient

import piccolo_conf
from planner.db import engine_for
from planner.migrations import known_migrations
from tests.conftest import app_settings, login, use_engine
from tests.upgrade.databases import ENGINES, fresh_database, migrate, restore_previous_release

# Frozen with the fixtures: the previous release's demo password and coordinator.
DEMO_PASSWORD = "rivebelle-demo"
COORDINATOR = {"email": "coordinator@rivebelle.example"}


@pytest.fixture(scope="module", params=ENGINES)
def previous_release(request):
    """The URL of a database holding the previous release's demo, migrated to this release (once per
    engine: restoring and dropping a PostgreSQL database takes seconds)."""
    with fresh_database(request.param) as url:
        restore_previous_release(request.param, url)
        ran_before = _migrations_ran(request.param, url)
        output = migrate(url)
        known = len(known_migrations())
        if known == ran_before:
            assert output == f"No migrations to run: {known} migrations already complete.\n"
        else:
            assert output.endswith(f" run, {ran_before} already complete.\n"), output
        yield url


def _migrations_ran(engine: str, url: str) -> int:
    if engine == "sqlite":
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return db.execute("SELECT count(*) FROM migration").fetchone()[0]
    import asyncio

    import asyncpg

    async def count() -> int:
        conn = await asyncpg.connect(url)
        try:
            return await conn.fetchval("SELECT count(*) FROM migration")
        finally:
            await conn.close()

    return asyncio.run(count())


def shown(response) -> str:
    """The page's text as a reader sees it (entities decoded)."""
    assert response.status_code == 200, response.status_code
    return unescape(response.text)


@contextmanager
def tables_on(url: str):
    """Every table (and planner.db) reads the database at `url`; the test engine comes back afterwards."""
    before = piccolo_conf.DB
    use_engine(engine_for(url))
    try:
        yield
    finally:
        use_engine(before)


async def test_the_previous_release_s_demo_reads_the_same_after_the_upgrade(previous_release):
    from planner.app import create_app
    from planner.attendance.tables import Mark
    from planner.modules.tables import Module
    from planner.orgs.tables import Organisation
    from planner.people.tables import Beneficiary

    with tables_on(previous_release):
        rivebelle = (await Organisation.select(Organisation.id).where(
            Organisation.name_fr == "CPAS de Rivebelle").first())["id"]
        modules = await Module.select(Module.id, Module.title).where(Module.organisation == rivebelle)
        person = await Beneficiary.select().where(Beneficiary.organisation == rivebelle).order_by(
            Beneficiary.id).first()
        mark = await Mark.select(Mark.session, Mark.beneficiary, Mark.beneficiary.first_name,
                                 Mark.beneficiary.last_name, Mark.session.module).where(
            Mark.status == "unexcused").order_by(Mark.id).first()
        assert len(modules) >= 5 and person and mark, "the fixture holds the demo and its rolls"
        present = await Mark.count().where((Mark.session == mark["session"]) & (Mark.status == "present"))
        unexcused = await Mark.count().where((Mark.beneficiary == mark["beneficiary"]) & (
            Mark.session.module == mark["session.module"]) & (Mark.status == "unexcused"))
        name = f'{mark["beneficiary.last_name"]}, {mark["beneficiary.first_name"]}'
        async with AsyncTestClient(app=create_app(app_settings(previous_release)),
                                   base_url="http://127.0.0.1:8000") as client:
            await login(client, COORDINATOR, DEMO_PASSWORD)  # the argon2 hash the old release stored
            listing = shown(await client.get("/modules"))
            for module in modules:
                assert module["title"] in listing, module["title"]
            file = shown(await client.get(f"/people/{person['id']}"))
            assert person["last_name"] in file and person["file_reference"] in file
            # The coordinator reads French: the roll the old release closed, with its marks.
            roll = shown(await client.get(f"/roll/{mark['session']}"))
            assert "liste clôturée" in roll and f"{present} présents sur " in roll
            assert f'<li id="person-{mark["beneficiary"]}" class="person unexcused">' in roll
            figures = shown(await client.get(f"/modules/{mark['session.module']}/attendance"))
            # Name, expected, present, late, left early, excused, unexcused, ...: unexcused as stored.
            row = re.search(rf"<tr><td>{re.escape(name)}[ <].*?</td>(.*?)</tr>", figures, re.S).group(1)
            assert re.findall(r"<td>([^<]*)</td>", row)[5] == str(unexcused), row


async def test_migrating_twice_changes_nothing(previous_release):
    known = len(known_migrations())
    assert migrate(previous_release) == f"No migrations to run: {known} migrations already complete.\n"
