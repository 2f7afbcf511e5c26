"""Shared fixtures: an engine-parametrised `db`, the app client, the actors, login helpers.

Every database test runs on SQLite, and on PostgreSQL too when PLANNER_TEST_POSTGRES is set
(CI sets PLANNER_REQUIRE_POSTGRES=1 so a missing server fails instead of skipping).

The world is built once per engine and saved; each test starts from a copy of it (or of the empty
database when it does not ask for `world`), with the same ids every time. Everything a run writes on
disk is under one temporary folder, removed when the run ends.
"""

from __future__ import annotations

import asyncio
import atexit
import copy
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import asynccontextmanager, closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The run's one temporary folder: the SQLite test file, its saved states, pytest's tmp_path folders.
_TMP = Path(tempfile.mkdtemp(prefix="planner-tests-"))
# At exit rather than at pytest's end: a run stopped by an error or a closed pipe, or a script that
# imports this module, cleans up too.
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
SQLITE_URL = f"sqlite:///{_TMP / 'test.sqlite'}"
POSTGRES_URL = os.environ.get("PLANNER_TEST_POSTGRES", "")
# Before anything imports piccolo_conf: the default engine of this process is the test SQLite file.
os.environ["PLANNER_DATABASE_URL"] = SQLITE_URL
os.environ["PLANNER_SECRET"] = "test-secret-not-for-production"

from piccolo.apps.migrations.tables import Migration  # noqa: E402
from piccolo.conf.apps import Finder  # noqa: E402
from piccolo.engine.postgres import PostgresEngine  # noqa: E402
from piccolo.table import sort_table_classes  # noqa: E402

import piccolo_conf  # noqa: E402
from planner.auth.passwords import use_fast_hashing  # noqa: E402
from planner.db import engine_for  # noqa: E402
from planner.settings import Settings  # noqa: E402

use_fast_hashing()
PASSWORD = "correct horse battery"
TABLES = Finder().get_table_classes()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config) -> None:
    # Before pytest's own tmpdir plugin reads it: tmp_path folders go under _TMP, not /tmp/pytest-of-<user>.
    if config.option.basetemp is None:
        config.option.basetemp = str(_TMP / "pytest")


def _migrate(url: str) -> None:
    env = {**os.environ, "PLANNER_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "planner", "migrate"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def _postgres_available() -> str | None:
    if not POSTGRES_URL:
        return "PLANNER_TEST_POSTGRES is not set"
    try:
        import asyncpg

        async def ping():
            conn = await asyncpg.connect(POSTGRES_URL, timeout=5)
            await conn.execute("DROP SCHEMA public CASCADE")
            await conn.execute("CREATE SCHEMA public")
            await conn.close()

        asyncio.run(ping())
    except Exception as exc:  # noqa: BLE001 (any failure means: no usable server)
        return f"PostgreSQL at PLANNER_TEST_POSTGRES is not reachable: {exc}"
    return None


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def engine(request):
    if request.param == "postgres":
        problem = _postgres_available()
        if problem:
            if os.environ.get("PLANNER_REQUIRE_POSTGRES") == "1":
                pytest.fail(problem)
            pytest.skip(problem)
        url = POSTGRES_URL
    else:
        url = SQLITE_URL
    _migrate(url)
    yield engine_for(url)


def use_engine(engine) -> None:
    """Point every table (and planner.db) at this engine for the current test."""
    piccolo_conf.DB = engine
    for table in [*TABLES, Migration]:
        table._meta.db = engine


async def wipe(engine) -> None:
    """Empty every table of planner (not Piccolo's migration table) and restart the ids."""
    names = [t._meta.tablename for t in TABLES]
    if isinstance(engine, PostgresEngine):
        statements = [f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"]
    else:
        statements = [f"DELETE FROM {n}" for n in reversed(names)]
    for statement in statements:
        await engine._run_in_new_connection(statement)


class SqliteStates:
    """Saved states of the SQLite test file, each a file of its own, put back with SQLite's backup
    API: the connections the engine keeps open (one per thread, the browser tests' server included)
    stay valid and read the restored pages, where replacing the file would leave them on the old one.
    Restoring the world took 16 ms where emptying the tables and building it took 190 ms (measured
    together on the loaded 2-core machine)."""

    def __init__(self, engine) -> None:
        self.path = engine.path

    @staticmethod
    def _copy(source: str, target: str) -> None:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target, timeout=30)) as dst:
            src.backup(dst)

    def save(self, name: str) -> None:
        self._copy(self.path, str(_TMP / f"saved-{name}.sqlite"))

    def restore(self, name: str) -> None:
        self._copy(str(_TMP / f"saved-{name}.sqlite"), self.path)

    def drop(self) -> None:
        pass  # the files go with _TMP


class PostgresStates:
    """Saved states of the PostgreSQL test database, each a schema holding a copy of every table.
    A restore is one connection and one round trip: DELETE every table (children first), INSERT the
    saved rows (parents first), set each id sequence back. Restoring the world took 48 ms (20 of them
    to connect), where TRUNCATE ... RESTART IDENTITY alone took 610 ms and it with building the world
    1.6 s (measured together on the loaded 2-core machine)."""

    def __init__(self, engine) -> None:
        self.url = engine.config["dsn"]
        self.tables = [t._meta.tablename for t in sort_table_classes(TABLES)]
        self.scripts: dict[str, str] = {}

    async def _connect(self):
        import asyncpg

        return await asyncpg.connect(self.url)

    async def _save(self, name: str) -> None:
        schema = f"planner_test_{name}"
        connection = await self._connect()
        try:
            await connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};" + "".join(
                f'CREATE TABLE {schema}."{t}" AS SELECT * FROM public."{t}";' for t in self.tables))
            filled = [t for t in self.tables if await connection.fetchval(f'SELECT count(*) FROM public."{t}"')]
            sequences = await connection.fetch(
                "SELECT s.relname AS sequence FROM pg_class s JOIN pg_depend d ON d.objid = s.oid"
                " JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = s.relnamespace"
                " WHERE s.relkind = 'S' AND d.deptype = 'a' AND n.nspname = 'public' AND t.relname = ANY($1)",
                self.tables)
            positions = []
            for row in sequences:
                state = await connection.fetchrow(f'SELECT last_value, is_called FROM public."{row["sequence"]}"')
                positions.append(f"setval('public.\"{row['sequence']}\"', {state['last_value']}, "
                                 f"{'true' if state['is_called'] else 'false'})")
        finally:
            await connection.close()
        self.scripts[name] = "".join(
            [f'DELETE FROM public."{t}";' for t in reversed(self.tables)]
            + [f'INSERT INTO public."{t}" SELECT * FROM {schema}."{t}";' for t in filled]
            + ([f"SELECT {', '.join(positions)};"] if positions else []))

    async def _restore(self, name: str) -> None:
        connection = await self._connect()
        try:
            await connection.execute(self.scripts[name])  # several statements: one implicit transaction
        finally:
            await connection.close()

    async def _drop(self) -> None:
        connection = await self._connect()
        try:
            await connection.execute("".join(f"DROP SCHEMA IF EXISTS planner_test_{name} CASCADE;"
                                             for name in self.scripts))
        finally:
            await connection.close()

    def save(self, name: str) -> None:
        asyncio.run(self._save(name))

    def restore(self, name: str) -> None:
        asyncio.run(self._restore(name))

    def drop(self) -> None:
        asyncio.run(self._drop())


class States:
    """What a test can start from on one engine: "empty" (migrated, no rows) and "world" (built the
    first time a test asks for it)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.saved = PostgresStates(engine) if isinstance(engine, PostgresEngine) else SqliteStates(engine)
        self.world: World | None = None
        self.current = ""
        use_engine(engine)
        asyncio.run(wipe(engine))
        self.saved.save("empty")

    def start_from(self, name: str) -> None:
        if name == "world" and self.world is None:
            self.saved.restore("empty")
            self.world = asyncio.run(make_world())
            self.saved.save("world")
        self.saved.restore(name)
        self.current = name


@pytest.fixture(scope="session")
def states(engine):
    states = States(engine)
    yield states
    states.saved.drop()


@pytest.fixture
def db(request, engine, states):
    """The engine, its tables as the test wants them: the world if it asks for `world` (even through
    another fixture), else empty."""
    use_engine(engine)
    states.start_from("world" if "world" in request.fixturenames else "empty")
    yield engine


def app_settings(url: str = SQLITE_URL) -> Settings:
    return Settings(database_url=url, secret="test-secret-not-for-production", db_pool=False,
                    fast_password_hashing=True, base_url="http://127.0.0.1:8000",
                    default_language="en", mail_worker=False, job_worker=False,
                    roll_days_ahead=3650)  # the world's session is on 2026-12-07: its roll takes taps whenever the suite runs


@pytest.fixture
def app(db):
    from planner.app import create_app

    return create_app(app_settings())


@pytest.fixture
async def client(app):
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8000") as c:
        yield c


@asynccontextmanager
async def another_device(app):
    """Another browser on a server a test client already runs: its own cookies, the same app. Not
    entered: entering starts the app a second time, and that second start of its event emitter left
    the first one's stream open (a ResourceWarning). Unentered, each request runs in a portal (thread
    and loop) of its own, closed with the request, so nothing is left to close."""
    from litestar.testing import AsyncTestClient

    yield AsyncTestClient(app=app, base_url="http://127.0.0.1:8000")


# ---- the world: CPAS de Rivebelle and its people, and an outsider CPAS -------------------------

@dataclass
class World:
    rivebelle: int
    elsewhere: int
    partner: int
    cluster: int
    administrator: dict
    coordinator: dict
    social_worker: dict
    facilitator: dict
    partner_facilitator: dict
    outsider: dict
    beneficiary: int
    outsider_beneficiary: int
    room: int = 0
    module: int = 0
    session: int = 0
    enrolment: int = 0
    closure: int = 0
    mail: int = 0
    expense: int = 0
    placement: int = 0
    hours_entry: int = 0
    bilan: int = 0
    piis: int = 0
    evaluation: int = 0  # the first evaluation planned for Zoé's PIIS
    report_job: int = 0  # Carl's finished inspection pack of 2026


async def make_user(email: str, name: str, grants: list[tuple[int, str]], language: str = "en") -> dict:
    from planner.auth.passwords import hash_password
    from planner.auth.tables import Membership, User

    user_id = (await User.insert(User(email=email, full_name=name, language=language,
                                      password_hash=hash_password(PASSWORD))).returning(User.id))[0]["id"]
    memberships = []
    for org, role in grants:
        row = await Membership.insert(Membership(user=user_id, organisation=org, role=role)).returning(Membership.id)
        memberships.append(row[0]["id"])
    return {"id": user_id, "email": email, "name": name, "memberships": memberships}


async def make_org(kind: str, name_fr: str, **values) -> int:
    from planner.orgs.tables import Organisation

    defaults = {"region": "brussels", "street": "Rue du Test 1", "postcode": "1000", "city": "Bruxelles"} \
        if kind == "cpas" else {}
    row = Organisation(kind=kind, name_fr=name_fr, **{**defaults, **values})
    return (await Organisation.insert(row).returning(Organisation.id))[0]["id"]


async def make_beneficiary(org: int, first: str, last: str, **values) -> int:
    import datetime as dt

    from planner.people.rules import derived_columns
    from planner.people.tables import Beneficiary

    reference = values.get("file_reference", "RIV-1")
    row = Beneficiary(organisation=org, first_name=first, last_name=last, gender=values.get("gender", "F"),
                      birth_date=values.get("birth_date", dt.date(1990, 5, 17)), language=values.get("language", "fr"),
                      status=values.get("status", "ri"), email=values.get("email", ""),
                      file_reference=reference, **derived_columns(first, last, reference))  # as the app saves
    return (await Beneficiary.insert(row).returning(Beneficiary.id))[0]["id"]


@pytest.fixture
def world(db, states) -> World:
    """CPAS de Rivebelle and its people (see make_world); `db` has already put its rows back."""
    if states.current != "world":  # asked for with request.getfixturevalue, after `db` emptied the tables
        states.start_from("world")
    return copy.deepcopy(states.world)  # a test may change its copy's fields


async def make_world() -> World:
    """Rivebelle with an administrator, a coordinator, a social worker, a facilitator and a partner's
    facilitator, Zoé and a module (make_module_world); an outsider CPAS with Charlie and Otto."""
    from planner.orgs.tables import ClusterMember

    rivebelle = await make_org("cpas", "CPAS de Rivebelle", name_nl="OCMW Rivebelle")
    elsewhere = await make_org("cpas", "CPAS d'Ailleurs")
    partner = await make_org("partner", "Accès-Sport Rivebelle", partner_type="sports_club", owner=rivebelle)
    neighbour = await make_org("cpas", "CPAS de Montfleuri")
    cluster = await make_org("cluster", "Cluster Rivebelle-Nord", owner=rivebelle)
    for member in (rivebelle, neighbour):
        await ClusterMember.insert(ClusterMember(cluster=cluster, cpas=member))
    world = World(
        rivebelle=rivebelle, elsewhere=elsewhere, partner=partner, cluster=cluster,
        administrator=await make_user("alice@rivebelle.example", "Alice Admin", [(rivebelle, "administrator")]),
        coordinator=await make_user("carl@rivebelle.example", "Carl Coordinator", [(rivebelle, "coordinator")]),
        social_worker=await make_user("sofie@rivebelle.example", "Sofie Worker", [(rivebelle, "social_worker")]),
        facilitator=await make_user("fred@rivebelle.example", "Fred Facilitator", [(rivebelle, "facilitator")]),
        partner_facilitator=await make_user("pat@sport.example", "Pat Partner", [(partner, "partner_facilitator")]),
        # Charlie holds every CPAS role, but in another CPAS: only the organisation can refuse him.
        outsider=await make_user("charlie@ailleurs.example", "Charlie Outsider", [
            (elsewhere, "administrator"), (elsewhere, "coordinator"), (elsewhere, "social_worker"),
            (elsewhere, "facilitator")]),
        beneficiary=await make_beneficiary(rivebelle, "Zoé", "Quennevilleprivate", email="zoe.q@mail.example"),
        outsider_beneficiary=await make_beneficiary(elsewhere, "Otto", "Fremdling", file_reference="AIL-7"),
    )
    await make_module_world(world)
    await make_volunteering_world(world)
    await make_piis_world(world)
    await make_report_world(world)
    return world


async def make_report_world(world: World) -> None:
    """Carl asked for Rivebelle's inspection pack of 2026; it is ready (a tiny zip)."""
    import datetime as dt

    from planner.report.tables import ReportJob

    now = dt.datetime.now(dt.timezone.utc)
    world.report_job = (await ReportJob.insert(ReportJob(
        organisation=world.rivebelle, kind="inspection_pack", requested_by=world.coordinator["id"],
        parameters='{"year": 2026, "module": null}', state="done", done=1, total=1, error="", attempts=1,
        result=b"PK\x05\x06" + b"\x00" * 18, result_name="inspection-pack-2026.zip", result_type="application/zip",
        created_at=now, started_at=now, finished_at=now)).returning(ReportJob.id))[0]["id"]


async def make_volunteering_world(world: World) -> None:
    """Zoé volunteers at Accès-Sport Rivebelle (contact Nadia) with one day of hours waiting for approval and
    the signed convention scanned."""
    import datetime as dt

    from planner.volunteering.tables import ConventionScan, HoursEntry, HoursEvent, Placement

    now = dt.datetime.now(dt.timezone.utc)
    world.placement = (await Placement.insert(Placement(
        organisation=world.rivebelle, beneficiary=world.beneficiary, host=world.partner, host_kind="non_profit",
        tasks="Welcoming members", minutes_per_week=180, days_per_week=1, starts_on=dt.date(2026, 10, 5),
        informed_on=dt.date(2026, 9, 28), availability_note="Mornings", allowance_kind="none", insurance="",
        contact_first_name="Nadia", contact_phone="0470 00 00 00", warnings="", created_at=now, updated_at=now))
        .returning(Placement.id))[0]["id"]
    world.hours_entry = (await HoursEntry.insert(HoursEntry(
        placement=world.placement, day=dt.date(2026, 10, 5), minutes=180, note="", recorded_by_kind="host",
        reason="", created_at=now)).returning(HoursEntry.id))[0]["id"]
    await HoursEvent.insert(HoursEvent(entry=world.hours_entry, old_state="", new_state="pending", reason="",
                                       by_kind="host", at=now))
    pdf = b"%PDF-1.4\n%%EOF\n"
    await ConventionScan.insert(ConventionScan(placement=world.placement, file_name="signed.pdf",
                                               media_type="application/pdf", size=len(pdf), content=pdf, uploaded_at=now))


async def make_module_world(world: World) -> None:
    """A room, a closure day, a weekly module led by Fred with one session and Zoé enrolled."""
    import datetime as dt

    from planner.enrolment.tables import Enrolment
    from planner.modules.tables import Module, ModuleFacilitator, Session
    from planner.orgs.tables import ClosureDay, Room, Site

    site = (await Site.insert(Site(organisation=world.rivebelle, name="Maison sociale")).returning(Site.id))[0]["id"]
    world.room = (await Room.insert(Room(site=site, organisation=world.rivebelle, name="Salle Meuse", capacity=14))
                  .returning(Room.id))[0]["id"]
    world.closure = (await ClosureDay.insert(ClosureDay(organisation=world.rivebelle, day=dt.date(2026, 12, 24),
                                                        label="Staff day")).returning(ClosureDay.id))[0]["id"]
    world.module = (await Module.insert(Module(
        organisation=world.rivebelle, code="SWITCH", title="Switch activation group", module_type="activation_group",
        strand="B", aim="social_activation", composition="mixed", capacity=2, minimum_size=1, languages="fr",
        default_room=world.room)).returning(Module.id))[0]["id"]
    await ModuleFacilitator.insert(ModuleFacilitator(module=world.module, user=world.facilitator["id"]))
    world.session = (await Session.insert(Session(
        module=world.module, day=dt.date(2026, 12, 7), starts_at=dt.time(9, 30), ends_at=dt.time(12, 30),
        room=world.room)).returning(Session.id))[0]["id"]
    world.enrolment = (await Enrolment.insert(Enrolment(
        module=world.module, beneficiary=world.beneficiary, organisation=world.rivebelle, status="enrolled",
        start_date=dt.date(2026, 12, 1), proposed_at=dt.datetime.now(dt.timezone.utc)))
        .returning(Enrolment.id))[0]["id"]
    from planner.invites.tables import OutboxMail

    now = dt.datetime.now(dt.timezone.utc)
    world.mail = (await OutboxMail.insert(OutboxMail(  # a mail to Zoé waiting in Rivebelle's outbox
        organisation=world.rivebelle, kind="reminder", beneficiary=world.beneficiary, module=world.module,
        to_address="zoe.q@mail.example", language="fr", subject="Rappel : Switch activation group",
        message_id="<world@test>", message="To: zoe.q@mail.example\nSubject: Rappel\n\nBonjour Zoé",
        status="queued", next_attempt_at=now, last_error="", created_at=now)).returning(OutboxMail.id))[0]["id"]
    await make_spending_world(world)


WORLD_SCAN = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


async def make_spending_world(world: World) -> None:
    """An invoiced stationery expense of Rivebelle in 2025, charged to no subsidy, with its scanned invoice."""
    import datetime as dt
    import hashlib

    from planner.spending.tables import Expense, InvoiceScan

    now = dt.datetime.now(dt.timezone.utc)
    world.expense = (await Expense.insert(Expense(
        organisation=world.rivebelle, day=dt.date(2025, 11, 20), supplier="Papeterie Meuse", category="operating",
        amount_excl_vat_cents=12_000, vat_cents=2_520, status="invoiced", activity="Classeurs",
        invoice_reference="PM-2025-88", warnings="", version=1, created_by=world.coordinator["id"], created_at=now,
        updated_by=world.coordinator["id"], updated_at=now)).returning(Expense.id))[0]["id"]
    await InvoiceScan.insert(InvoiceScan(
        expense=world.expense, file_name="facture-PM-2025-88.pdf", media_type="application/pdf", size=len(WORLD_SCAN),
        sha256=hashlib.sha256(WORLD_SCAN).hexdigest(), content=WORLD_SCAN, uploaded_by=world.coordinator["id"],
        uploaded_at=now))


SCAN_PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


async def make_piis_world(world: World) -> None:
    """Zoé's PIIS file (RI granted 2 November 2026), a bilan social by Sofie, and a PIIS signed on 20 November
    with SWITCH written in, its evaluations planned and its signed scan attached (issue 15)."""
    import datetime as dt

    from planner.piis import actions

    sofie = world.social_worker["id"]
    await actions.save_file(world.rivebelle, world.beneficiary, None,
                            actions.FileInput(ri_granted_on=dt.date(2026, 11, 2), social_worker=sofie), sofie)
    world.bilan = await actions.record_bilan(world.rivebelle, world.beneficiary, actions.BilanInput(
        dt.date(2026, 11, 10), domains=(("werk_opleiding", "Wants to work with children"),),
        needs="Confidence in a group", own_goals="Find a training"), sofie)
    data = actions.PiisInput(
        type_code=11, orientation="social_activation", starts_on=dt.date(2026, 11, 20), ends_on=dt.date(2027, 11, 19),
        evaluation_method="Interviews with Sofie", objectives=(actions.ObjectiveInput(
            "Take part in a group every week", person_steps="Come to SWITCH", cpas_steps="Pays the bus pass",
            enrolments=(world.enrolment,)),))
    world.piis = (await actions.create_piis(world.rivebelle, world.beneficiary, data, sofie)).id
    await actions.propose(world.piis, 1, dt.date(2026, 11, 12))
    await actions.sign(world.piis, 2, dt.date(2026, 11, 20), False, sofie)
    from planner.piis.tables import Evaluation

    world.evaluation = (await Evaluation.select(Evaluation.id).where(
        (Evaluation.piis == world.piis) & (Evaluation.number == 1)).first())["id"]
    await actions.attach_scan(world.piis, "contrat signé.pdf", SCAN_PDF, sofie)


@pytest.fixture
async def neighbour_admin(world) -> dict:
    """Chantal, administrator of CPAS de Montfleuri, which shares the cluster Rivebelle-Nord (owned by
    Rivebelle) with Rivebelle; as in the demo, Carl and Fred also hold their role in that cluster."""
    from planner.auth.tables import Membership
    from planner.orgs.tables import ClusterMember

    montfleuri = (await ClusterMember.select(ClusterMember.cpas).where(
        (ClusterMember.cluster == world.cluster) & (ClusterMember.cpas != world.rivebelle)).first())["cpas"]
    for person, role in ((world.coordinator, "coordinator"), (world.facilitator, "facilitator")):
        await Membership.insert(Membership(user=person["id"], organisation=world.cluster, role=role))
    return {**await make_user("chantal@montfleuri.example", "Chantal Evrard", [(montfleuri, "administrator")]),
            "cpas": montfleuri}


async def csrf_token(client) -> str:
    if "csrftoken" not in client.cookies:
        await client.get("/login")
    return client.cookies["csrftoken"]


async def post(client, url: str, data: dict | None = None, htmx: bool = False, headers: dict | None = None,
               **kwargs):
    headers = {**(headers or {}), "x-csrftoken": await csrf_token(client)}
    if htmx:
        headers["hx-request"] = "true"
    return await client.post(url, data=data or {}, headers=headers, follow_redirects=False, **kwargs)


async def login(client, user: dict, password: str = PASSWORD):
    response = await post(client, "/login", {"email": user["email"], "password": password})
    assert response.status_code in (302, 303), response.text
    return response


# ---- a real SMTP server (aiosmtpd) that keeps what it receives ----------------------------------

def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps (envelope sender, recipients, parsed message) in arrival order.
    `refuse` maps an address to the reply its RCPT gets; with `hold_after` set, the mails after that
    many wait in DATA, never answered, until the server stops (it goes down with a mail in flight)."""

    def __init__(self) -> None:
        import threading

        self.messages: list = []
        self.refuse: dict[str, str] = {}
        self.hold_after: int | None = None
        self.holding = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        if self.hold_after is not None and len(self.messages) >= self.hold_after:
            self.holding.set()
            await asyncio.sleep(3600)  # cancelled when the server stops: never accepted
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for _f, rcpt, m in self.messages if address in rcpt]

    def message_ids(self):
        from collections import Counter

        return Counter(message["Message-ID"] for _from, _to, message in self.messages)


class SmtpServer:
    """One port, a server that can be stopped and started again on it (its own loop in a thread)."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.hostname = "127.0.0.1"
        self.port = free_port()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.inbox, hostname=self.hostname, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def config(self, **values):
        from planner.invites.worker import SmtpConfig

        return SmtpConfig(**{"host": self.hostname, "port": self.port, "timeout": 5.0, **values})


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


_HOLD_WRITE_LOCK = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


@contextmanager
def write_lock_held_elsewhere(engine, busy_wait: float):
    """Another process (the command line, a second server) holds the SQLite file's write lock for the
    block, while this process gives up waiting for it after `busy_wait` seconds."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_WRITE_LOCK, engine.path], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    engine.busy_wait, kept = busy_wait, engine.busy_wait
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.communicate("release\n", timeout=10)
        engine.busy_wait = kept


# ---- every route's happy path is taken by some test (issue 12 §2) ----------------------------------------
# Each app the tests build records the routes that answered below 400; tests/test_zz_every_route.py, the
# last file pytest runs, lists the routes no test took through after a whole run.
TAKEN: set[tuple[str, str]] = set()
WHOLE_RUN: list[bool] = [False]


def _record_happy_paths(app) -> None:
    from litestar.routes import HTTPRoute

    names = {(id(handler), method): (method, route.path) for route in app.routes if isinstance(route, HTTPRoute)
             for handler in route.route_handlers for method in handler.http_methods}

    async def record(message, scope) -> None:
        if message["type"] == "http.response.start" and message["status"] < 400:
            key = names.get((id(scope.get("route_handler")), scope.get("method")))
            if key:
                TAKEN.add(key)

    app.before_send.append(record)


def _recording_create_app(settings=None):
    app = _create_app(settings)
    _record_happy_paths(app)
    return app


import planner.app as _app_module  # noqa: E402

_create_app = _app_module.create_app
_app_module.create_app = _recording_create_app
_make_environment = _app_module.make_environment
_environments: dict[tuple, tuple] = {}


def _shared_environment(*args):
    """One Jinja2 environment for every app the tests build, as a server process has one: each template
    is compiled once per run instead of once per test (about 0.1 s a test). It holds no settings; its
    arguments (module constants) are told apart by identity, and kept so that identity stays theirs."""
    key = tuple(map(id, args))
    if key not in _environments:
        _environments[key] = (args, _make_environment(*args))
    return _environments[key][1]


_app_module.make_environment = _shared_environment


def pytest_collection_modifyitems(session, config, items):
    # Only a run of every test can tell a route that no test takes; `make test` is one.
    WHOLE_RUN[0] = (not config.option.keyword and not config.option.markexpr
                    and not getattr(config.option, "lf", False)  # absent with -p no:cacheprovider
                    and all(Path(a).resolve() == ROOT / "tests" for a in config.args))
    # pytest collects files and folders together in name order (tests/upgrade/ comes after test_zz_*):
    # the every-route check must run after every other test.
    items.sort(key=lambda item: Path(str(item.fspath)).name.startswith("test_zz_"))
