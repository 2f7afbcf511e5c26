"""Walks the application's route table: every route states who may use it, anonymous visitors are
sent to login, and a user of another CPAS (or the administrator of a CPAS sharing Rivebelle's
cluster) is refused or sees nothing of Rivebelle; on a route naming one of Rivebelle's objects, the staff of
another CPAS, whatever their role, get a 404, never a 403 that would tell the object exists."""

import re

import pytest
from litestar.routes import HTTPRoute

from planner.app import create_app
from planner.auth.tables import Membership, PasswordToken, User
from planner.enrolment.tables import Enrolment
from planner.modules.tables import Module, Session
from planner.orgs.tables import ClosureDay, ClusterMember, Organisation, Room, Site
from planner.people.tables import Beneficiary
from planner.report.tables import ReportAccessLog, ReportJob
from planner.spending.tables import Expense, ExpenseShare, InvoiceScan
from planner.volunteering.tables import HoursEntry, Placement
from planner.auth.access import OWN_CHECKS
from tests.conftest import app_settings, login, make_org, make_user, post

# The explicit, short list of routes anybody may call without signing in.
PUBLIC = {
    ("GET", "/healthz"), ("HEAD", "/healthz"), ("GET", "/sw.js"), ("GET", "/favicon.ico"), ("GET", "/login"), ("POST", "/login"), ("POST", "/language"),
    ("GET", "/set-password/{token:str}"), ("POST", "/set-password/{token:str}"),
    ("GET", "/static/{file_path:path}"), ("HEAD", "/static/{file_path:path}"),
    # secret links: the token is the key (a calendar feed, a participant's "can't come" page)
    ("GET", "/feed/{token:str}"), ("HEAD", "/feed/{token:str}"), ("GET", "/cant-come/{token:str}"), ("POST", "/cant-come/{token:str}"),
    ("GET", "/host/{token:str}"), ("POST", "/host/{token:str}"),  # a volunteering host records hours
    ("GET", "/my-hours/{token:str}"), ("POST", "/my-hours/{token:str}"),  # ... and the volunteer too
}


def all_routes():
    app = create_app(app_settings())
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods):
                if method != "OPTIONS":
                    yield method, route.path, handler


ROUTES = list(all_routes())


def test_the_public_list_is_exactly_the_routes_marked_public():
    marked = {(m, p) for m, p, h in ROUTES if h.opt.get("public")}
    assert marked == PUBLIC


@pytest.mark.parametrize("method,path,handler", [r for r in ROUTES if (r[0], r[1]) not in PUBLIC],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_every_private_route_states_its_roles(method, path, handler):
    guards = [g for layer in handler.ownership_layers for g in (getattr(layer, "guards", None) or [])]
    assert any(hasattr(g, "roles") for g in guards), f"{method} {path} has no requires(...) guard"


def concrete(path: str, world, **overrides) -> str:
    ids = {"org_id": world.rivebelle, "user_id": world.coordinator["id"], "person_id": world.beneficiary,
           "membership_id": world.coordinator["memberships"][0], "module_id": world.module,
           "session_id": world.session, "enrolment_id": world.enrolment, "room_id": world.room,
           "closure_id": world.closure, "mail_id": world.mail, "partner_id": world.partner,
           "expense_id": world.expense,
           # spending: the world has no convention nor staff time; tests/spending make theirs
           "convention_id": 1, "allocation_id": 1,
           "placement_id": world.placement, "entry_id": world.hours_entry, "piis_id": world.piis,
           "bilan_id": world.bilan, "evaluation_id": world.evaluation,
           "kind": "proposals", "language": "fr",  # /desk/{kind}, /people/import/sample/{language} (issue 18)
           "year": 2026, "job_id": world.report_job,  # the report: the world's session is in 2026
           **overrides}
    return re.sub(r"\{(\w+):\w+\}", lambda m: str(ids[m.group(1)]), path)


PRIVATE = [(m, p) for m, p, h in ROUTES if (m, p) not in PUBLIC and m in ("GET", "POST")]


@pytest.mark.parametrize("method,path", PRIVATE)
async def test_anonymous_visitors_are_sent_to_login(client, world, method, path):
    url = concrete(path, world)
    if method == "GET":
        response = await client.get(url, follow_redirects=False)
    else:
        response = await post(client, url, {})
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login")


async def rivebelle_rows(world) -> tuple:
    staff = [world.coordinator["id"], world.facilitator["id"], world.partner_facilitator["id"]]
    return (
        await Membership.count().where(Membership.organisation == world.rivebelle),
        await Beneficiary.count().where(Beneficiary.organisation == world.rivebelle),
        await Organisation.count().where(Organisation.owner == world.rivebelle),
        await ClusterMember.count().where(ClusterMember.cpas == world.rivebelle),
        await Beneficiary.select().where(Beneficiary.id == world.beneficiary).first(),
        await User.select(User.full_name, User.language, User.is_active, User.password_hash, User.session_epoch)
        .where(User.id.is_in(staff)).order_by(User.id),
        await Module.select().where(Module.id == world.module).first(),
        await Session.select().where(Session.module == world.module),
        await Enrolment.select().where(Enrolment.module == world.module),
        await Room.select().where(Room.organisation == world.rivebelle),
        await ClosureDay.select().where(ClosureDay.organisation == world.rivebelle),
        await Site.count().where(Site.organisation == world.rivebelle),
        await Organisation.select().where(Organisation.id == world.rivebelle).first(),
        # the cluster Rivebelle owns, its members and roles; the partner it registered; staff's links
        await Organisation.select().where(Organisation.id.is_in([world.cluster, world.partner]))
        .order_by(Organisation.id),
        await ClusterMember.select(ClusterMember.cpas).where(ClusterMember.cluster == world.cluster)
        .order_by(ClusterMember.cpas),
        await Membership.select(Membership.user, Membership.organisation, Membership.role).where(
            Membership.organisation.is_in([world.cluster, world.partner]) | Membership.user.is_in(staff))
        .order_by(Membership.id),
        await PasswordToken.count().where(PasswordToken.user.is_in(staff)),
        # its spending: the expenses, their shares and scans (an outsider's upload must not replace one)
        await Expense.select().where(Expense.organisation == world.rivebelle).order_by(Expense.id),
        await ExpenseShare.select().where(ExpenseShare.expense.organisation == world.rivebelle).order_by(ExpenseShare.id),
        await InvoiceScan.select(InvoiceScan.expense, InvoiceScan.sha256, InvoiceScan.file_name).order_by(InvoiceScan.id),
        await Placement.select().where(Placement.organisation == world.rivebelle),
        await HoursEntry.select().where(HoursEntry.placement == world.placement),
        # its exports: no job asked for, none downloaded in its name
        await ReportJob.select(ReportJob.id, ReportJob.state).order_by(ReportJob.id),
        await ReportAccessLog.count(),
    )


# What the outsider sends tries to reach Rivebelle: its organisation id, its beneficiary's name.
def hostile_form(world, organisation: int | None = None) -> dict:
    return {
        "organisation": str(organisation or world.rivebelle), "owner": str(world.rivebelle),
        "cluster_members": [str(world.rivebelle), str(world.elsewhere)], "kind": "cluster",
        "name_fr": "Pris", "role": "coordinator" if organisation == world.cluster else "social_worker",
        "email": "new@x.example", "full_name": "Intruder",
        "first_name": "Intruder", "last_name": "Intruder", "gender": "M", "birth_date": "1980-01-01",
        "language": "fr", "status": "ri", "query": "Zoé", "version": "1",
        "region": "brussels", "street": "x", "postcode": "1000", "city": "x",
        "beneficiary": str(world.beneficiary), "site": "1", "module_type": "sport", "strand": "B",
        "aim": "social_activation", "composition": "mixed", "capacity": "10", "minimum_size": "2",
        "languages": "fr", "day": "2026-12-08", "starts_at": "09:00", "ends_at": "10:00", "reason": "x",
        "start": "2026-12-01", "end_date": "2026-12-08", "weekdays": "0", "action": "save",
        "default_room": str(world.room),
    }


# CPAS names are public (an administrator picks them to form a cluster); people are not.
RIVEBELLE_MARKERS = ("Quennevilleprivate", "zoe.q@mail.example", "carl@rivebelle.example", "Carl Coordinator",
                     "fred@rivebelle.example", "Fred Facilitator", "pat@sport.example", "Pat Partner",
                     "Switch activation group", "Salle Meuse", "Staff day", "Papeterie Meuse", "PM-2025-88",
                     "Welcoming members")


async def _refused_and_nothing_seen(client, world, method: str, url: str, form: dict, markers=RIVEBELLE_MARKERS):
    before = await rivebelle_rows(world)
    if method == "GET":
        response = await client.get(url, follow_redirects=False)
    else:
        response = await post(client, url, form)
    if re.search(r"/\d+", url):
        assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
    assert not any(marker in response.text for marker in markers), f"{method} {url} shows Rivebelle"
    assert await rivebelle_rows(world) == before, f"{method} {url} changed Rivebelle"


@pytest.mark.parametrize("method,path", PRIVATE)
async def test_a_user_of_another_cpas_is_refused_or_sees_nothing_of_rivebelle(client, world, method, path):
    await login(client, world.outsider)
    await _refused_and_nothing_seen(client, world, method, concrete(path, world), hostile_form(world))


ACCOUNTS_AND_ORGS = [(m, p) for m, p in PRIVATE if p.startswith(("/users", "/orgs"))]
# What Rivebelle's administrators manage and Montfleuri's must not: the cluster Rivebelle owns (Montfleuri
# is a member), the partner it registered, Rivebelle itself; Carl and Fred, who also work in the cluster.
TARGETS = ("cluster", "partner", "rivebelle")


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("method,path", ACCOUNTS_AND_ORGS)
async def test_the_administrator_of_a_cpas_in_the_same_cluster_is_refused_or_sees_nothing_of_rivebelle(
        client, world, neighbour_admin, method, path, target):
    org = getattr(world, target)
    person = world.facilitator if target == "partner" else world.coordinator
    cluster_role = (await Membership.select(Membership.id).where(
        (Membership.user == person["id"]) & (Membership.organisation == world.cluster)).first())["id"]
    await login(client, neighbour_admin)
    url = concrete(path, world, org_id=org, user_id=person["id"],
                   membership_id=cluster_role if target == "cluster" else person["memberships"][0])
    await _refused_and_nothing_seen(client, world, method, url, hostile_form(world, organisation=org),
                                    markers=(*RIVEBELLE_MARKERS, "Cluster Rivebelle-Nord", "Accès-Sport Rivebelle"))


# ---- another CPAS's staff of any role: 404 on every route naming one of Rivebelle's objects -------------------

PARAM = re.compile(r"\{(\w+):int\}")
NOT_OBJECTS = {"year"}  # an int in a path that names no object of a CPAS


def test_every_object_in_a_path_has_its_own_check():
    """Each id a route takes is registered with auth.access.own_object, so refuse() can answer 404 for it."""
    params = {name for _m, path, _h in ROUTES for name in PARAM.findall(path)}
    assert params - NOT_OBJECTS <= set(OWN_CHECKS), sorted(params - NOT_OBJECTS - set(OWN_CHECKS))


OBJECT_ROUTES = [(m, p) for m, p in PRIVATE if set(PARAM.findall(p)) & set(OWN_CHECKS)]
ROLES = ("administrator", "coordinator", "social_worker", "facilitator")


async def other_staff(world) -> list[dict]:
    """One person per role at CPAS d'Ailleurs, at CPAS de Montfleuri (in Rivebelle's cluster), and a partner
    facilitator of a partner Ailleurs registered: nobody of them holds a role in Rivebelle."""
    from planner.orgs.tables import ClusterMember

    montfleuri = (await ClusterMember.select(ClusterMember.cpas).where(
        (ClusterMember.cluster == world.cluster) & (ClusterMember.cpas != world.rivebelle)).first())["cpas"]
    partner = await make_org("partner", "Club d'Ailleurs", partner_type="sports_club", owner=world.elsewhere)
    people = [await make_user(f"{role}@{place}.example", f"{role} {place}", [(org, role)])
              for place, org in (("ailleurs", world.elsewhere), ("montfleuri", montfleuri)) for role in ROLES]
    return [*people, await make_user("pf@ailleurs.example", "Partner Ailleurs", [(partner, "partner_facilitator")])]


@pytest.mark.parametrize("method,path", OBJECT_ROUTES)
async def test_another_cpas_staff_of_any_role_get_404_on_rivebelle_objects(client, world, method, path):
    url = concrete(path, world)
    for person in await other_staff(world):
        await login(client, person)
        before = await rivebelle_rows(world)
        if method == "GET":
            response = await client.get(url, follow_redirects=False)
        else:
            response = await post(client, url, hostile_form(world))
        assert response.status_code == 404, f"{person['email']}: {method} {url} answered {response.status_code}"
        assert await rivebelle_rows(world) == before, f"{person['email']}: {method} {url} changed Rivebelle"
        await post(client, "/logout")
