"""Walks the route table and sends every field a handler reads hostile values: no answer is a 5xx,
markup never comes back unescaped, and an id out of range in a path is a 404 (both engines).

The fields of a route are the form keys and query parameters its handler (and the module helpers it
calls) reads, found in their source; each is sent alone inside an otherwise sensible form (so the
handler gets past its first check), and all of them together get each hostile value."""

from __future__ import annotations

import inspect
import re
from urllib.parse import urlsplit

import pytest

from planner.auth.rules import Role
from planner.web import MAX_ID
from tests.conftest import login, post
from tests.test_route_table import ROUTES, concrete, hostile_form

MARKUP = "<script>alert(1)</script>"
DIGITS = "9" * 40
IMPOSSIBLE_DATE = "2026-02-30"
# Every hostile value, each sent to all fields at once.
HOSTILE = ["", "x" * 10_000, MARKUP, DIGITS, IMPOSSIBLE_DATE, "a\x00b😀🇧🇪"]
# Each field alone, inside a sensible form: a number field gets a number that overflows, a date field an
# impossible date, any other field markup with NUL and emoji (short enough to be stored and read back).
STORED_MARKUP = MARKUP + "\x00😀"


def one_field_value(sensible: object) -> str:
    if re.fullmatch(r"-?\d+", str(sensible)):
        return DIGITS
    if re.fullmatch(r"\d{4}-\d\d-\d\d", str(sensible)):
        return IMPOSSIBLE_DATE
    return STORED_MARKUP

FORM_KEY = re.compile(r"""(?:text|form_\w+)\(\s*(?:form|await request\.form\(\))\s*,\s*["'](\w+)["']"""
                      r"""|form\.get(?:all)?\(\s*["'](\w+)["']|query_params\.get\(\s*["'](\w+)["']""")
KEY_TUPLE = re.compile(r"for \w+ in \(([^)]*)\)")
HELPER = re.compile(r"\b(_\w+)\(")


def _source_keys(source: str) -> set[str]:
    keys = {next(g for g in m.groups() if g) for m in FORM_KEY.finditer(source)}
    for group in KEY_TUPLE.finditer(source):
        keys |= set(re.findall(r"""["'](\w+)["']""", group.group(1)))
    return keys


def fields_of(handler) -> list[str]:
    """The form keys and query parameters the handler and the module helpers it calls read."""
    fn = handler.fn
    module = inspect.getmodule(fn)
    seen, sources, todo = set(), [], [fn]
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        source = inspect.getsource(f)
        sources.append(source)
        todo += [getattr(module, n) for n in HELPER.findall(source) if inspect.isfunction(getattr(module, n, None))]
    keys = set().union(*(_source_keys(s) for s in sources))
    if any("form_version(form" in s for s in sources):  # the edit forms' hidden version
        keys.add("version")
    if any('f"name_{lang}"' in s for s in sources):  # one name per language
        keys = (keys - {"fr", "nl", "de", "en"}) | {f"name_{lang}" for lang in ("fr", "nl", "de", "en")}
    keys |= set(getattr(module, "FIELDS", ()) if "FIELDS" in "".join(sources) else ())
    params = inspect.signature(fn).parameters
    keys |= {name for name, p in params.items() if "FromQuery" in str(p.annotation) or "Parameter(query" in str(p.annotation)}
    keys |= {name for name in params if name in ("view", "day", "module", "room", "facilitator", "partner", "month",
                                                 "next", "kind")}
    return sorted(keys)


def actor_for(handler, world) -> dict | None:
    """A Rivebelle user the route's guard lets in (None on public routes)."""
    roles = next((g.roles for layer in handler.ownership_layers for g in (getattr(layer, "guards", None) or [])
                  if hasattr(g, "roles")), None)
    if roles is None:
        return None
    for role, user in ((Role.ADMINISTRATOR, world.administrator), (Role.COORDINATOR, world.coordinator),
                       (Role.FACILITATOR, world.facilitator), (Role.SOCIAL_WORKER, world.social_worker)):
        if not roles or role in roles:
            return user
    return world.partner_facilitator


def sensible_form(world) -> dict:
    """Values that pass each handler's first checks, so a hostile field is read where it is used."""
    return {**hostile_form(world), "organisation": str(world.rivebelle), "owner": str(world.rivebelle),
            "cluster_members": [str(world.rivebelle)], "session": str(world.session), "person": str(world.beneficiary),
            "status": "present", "client_id": "hostile-1", "room": str(world.room), "end": "2027-01-31",
            "kind": "weekly", "interval": "1", "nth": "1", "weekday": "0", "month": "2026-12",
            "name": "Salle", "capacity": "12", "label": "Fermé", "code": "X1", "title": "Atelier",
            "guests": "1", "answer": "coming", "next": "/", "view": "week"}


# Routes whose handler reads nothing a visitor sends but the path, and the session-ending one.
SKIP = {("POST", "/logout")}
CASES = [(m, p, h) for m, p, h in ROUTES if m in ("GET", "POST") and (m, p) not in SKIP
         and not p.startswith(("/static", "/sw.js", "/healthz"))]


async def _secret_paths(world) -> dict[str, str]:
    from planner.invites import actions as invites

    cant_come = urlsplit(await invites.cant_come_url(world.enrolment, world.rivebelle)).path
    feed = urlsplit(await invites.feed_url(world.rivebelle, beneficiary=world.beneficiary, create=True)).path
    host = urlsplit(await invites.host_hours_link(world.placement, world.rivebelle)).path
    own = urlsplit(await invites.host_hours_link(world.placement, world.rivebelle, kind="own_hours")).path
    return {"/cant-come/{token:str}": cant_come, "/feed/{token:str}": feed, "/set-password/{token:str}":
            "/set-password/" + "x" * 43, "/host/{token:str}": host, "/my-hours/{token:str}": own}


async def _send(client, method: str, url: str, data: dict):
    if method == "GET":
        query = {k: v for k, v in data.items() if not isinstance(v, list)}
        return await client.get(url, params=query, follow_redirects=False)
    return await post(client, url, data)


def _check(response, what: str) -> None:
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    assert MARKUP not in response.text, f"{what} sent the markup back unescaped"
    if response.headers.get("content-type", "").startswith("text/html"):
        # A plain form (no JavaScript) gets a whole page back, never a bare fragment.
        assert response.text.lstrip()[:15].lower() == "<!doctype html>", f"{what} answered a bare fragment"


def _area(path: str) -> str:
    return path.split("/")[1] or "home"


# One test per area (a fresh world each): the walk's routes share the setup, which is slow on PostgreSQL.
AREAS = sorted({_area(p) for _m, p, _h in CASES})


@pytest.mark.parametrize("area", AREAS)
async def test_hostile_values_in_every_field_never_cause_a_server_error(client, world, area):
    signed_in = None
    for method, path, handler in [c for c in CASES if _area(c[1]) == area]:
        actor = actor_for(handler, world)
        if actor is not None and actor is not signed_in:
            await login(client, actor)
            signed_in = actor
        await _walk(client, world, method, path, handler)


async def _walk(client, world, method: str, path: str, handler) -> None:
    secret = await _secret_paths(world)
    url = secret.get(path) or concrete(path, world)
    fields = fields_of(handler)
    base = sensible_form(world)
    pages = {url} if method == "GET" else set()
    for value in HOSTILE:
        response = await _send(client, method, url, {f: value for f in fields})
        _check(response, f"{method} {url} with every field {value[:20]!r}")
        if response.status_code in (302, 303) and response.headers["location"].startswith("/"):
            pages.add(response.headers["location"])
    for field in fields:
        for value in [one_field_value(base.get(field, ""))]:
            response = await _send(client, method, url, {**base, field: value})
            _check(response, f"{method} {url} with {field}={value[:20]!r}")
            if response.status_code in (302, 303) and response.headers["location"].startswith("/"):
                pages.add(response.headers["location"])
    # What was stored shows escaped wherever the user is sent next.
    for target in sorted(pages - {"/logout"}):
        if not target.startswith("/login"):
            _check(await client.get(target, follow_redirects=False), f"GET {target} after {method} {path}")


ID_ROUTES = [(m, p, h) for m, p, h in CASES if ":int}" in p]


# In range, these answer 404 in the world because what they serve does not exist there yet: a frozen
# workbook exists only once a coordinator froze the year (tests/report make one).
NOT_IN_THE_WORLD = {("GET", "/report/{org_id:int}/{year:int}/frozen.xlsx")}


async def test_an_id_out_of_range_in_a_path_answers_404(client, world):
    signed_in = None
    for method, path, handler in ID_ROUTES:
        actor = actor_for(handler, world)
        if actor is not signed_in:
            await login(client, actor)
            signed_in = actor
        for bad in (str(MAX_ID + 1), DIGITS, "0", "-1"):
            url = re.sub(r"\{\w+:int\}", bad, path)
            response = await _send(client, method, url, sensible_form(world))
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
        if method == "GET" and (method, path) not in NOT_IN_THE_WORLD:  # in range, the same page still answers
            url = concrete(path, world)
            assert (await client.get(url)).status_code == 200, url


async def test_an_id_out_of_range_in_a_filter_answers_404(client, world):
    await login(client, world.coordinator)
    for name in ("module", "room", "facilitator", "partner"):
        response = await client.get("/planning", params={name: DIGITS})
        assert response.status_code == 404, name
        response = await client.get("/planning", params={name: str(world.module)})
        assert response.status_code == 200, name


def test_the_hostile_walk_finds_the_fields_of_the_handlers():
    by_route = {(m, p): fields_of(h) for m, p, h in CASES}
    assert {"capacity", "minimum_size", "version", "code", "title"} <= set(by_route[("POST", "/modules/{module_id:int}")])
    assert {"facilitator", "day", "view"} <= set(by_route[("GET", "/planning")])
    assert {"person", "guests"} & set(by_route[("POST", "/roll/{session_id:int}/taps")])
    assert {"name", "capacity", "site"} <= set(by_route[("POST", "/rooms")])


# -- limits declared once, on the table, and told on the field -----------------------------------------

async def test_text_longer_than_its_column_is_refused_with_a_message_on_the_field(client, world):
    import html

    from planner.auth.tables import User
    from planner.modules.tables import Module, Session
    from planner.orgs.tables import Organisation

    await login(client, world.administrator)
    response = await post(client, f"/orgs/{world.rivebelle}", {
        "name_fr": "CPAS de Rivebelle", "street": "Rue du Test 1", "postcode": "1000", "city": "Bruxelles",
        "phone": "02 123 45 67 / 0470 12 34 56 (accueil, du lundi au vendredi)", "version": "1"})
    assert response.status_code == 422
    assert 'id="e-phone"' in response.text and "At most 40 characters." in response.text
    assert (await Organisation.select(Organisation.phone).where(Organisation.id == world.rivebelle).first())["phone"] == ""
    response = await post(client, "/users", {"email": "new@rivebelle.example", "full_name": "N" * 201,
                                             "organisation": str(world.rivebelle), "role": "facilitator"})
    assert response.status_code == 422 and 'id="e-full_name"' in response.text
    assert "At most 200 characters." in response.text
    assert await User.count().where(User.email == "new@rivebelle.example") == 0

    await login(client, world.coordinator)
    form = {"code": "C" * 21, "title": "Atelier", "module_type": "sport", "strand": "B", "aim": "social_activation",
            "composition": "mixed", "capacity": "9" * 40, "minimum_size": "2", "languages": "fr",
            "organisation": str(world.rivebelle)}
    response = await post(client, "/modules", form)
    assert response.status_code == 422
    assert 'id="e-code"' in response.text and "At most 20 characters." in response.text
    assert 'id="e-capacity"' in response.text
    assert await Module.count() == 1
    response = await post(client, f"/modules/sessions/{world.session}/cancel", {"reason": "r" * 301})
    assert response.status_code == 422 and "At most 300 characters." in html.unescape(response.text)
    assert (await Session.select(Session.status).where(Session.id == world.session).first())["status"] == "planned"


async def test_a_count_out_of_range_in_a_form_is_a_translated_422_on_the_field(client, world):
    await login(client, world.coordinator)
    response = await post(client, f"/modules/{world.module}/schedule", {
        "kind": "monthly", "start": "2026-12-01", "end": "2027-01-31", "starts_at": "09:00", "ends_at": "10:00",
        "nth": DIGITS, "weekday": "9", "interval": "1"})
    assert response.status_code == 422
    assert "Give a whole number from -1 to 4." in response.text and "Give a whole number from 0 to 6." in response.text
    response = await post(client, f"/modules/{world.module}", {
        "title": "Switch", "module_type": "activation_group", "strand": "B", "aim": "social_activation",
        "composition": "mixed", "capacity": "2", "minimum_size": "1", "languages": "fr", "version": DIGITS})
    assert response.status_code == 422
    assert "This form could not be read completely. Check it and save again." in response.text
    assert 'name="version" value="1"' in response.text  # the saved version: saving again works
    await login(client, world.administrator)
    response = await post(client, f"/orgs/{world.rivebelle}", {
        "name_fr": "CPAS de Rivebelle", "region": "brussels", "street": "Rue du Test 1", "postcode": "1000",
        "city": "Bruxelles", "version": "9" * 20})
    assert response.status_code == 422 and "This form could not be read completely." in response.text


async def test_nul_bytes_are_dropped_from_forms_and_query_strings(client, world):
    from planner.orgs.tables import Site

    await login(client, world.coordinator)
    response = await post(client, "/rooms/sites", {"organisation": str(world.rivebelle), "name": "Annexe\x00 Nord"})
    assert response.status_code == 303
    assert await Site.count().where(Site.name == "Annexe Nord") == 1  # PostgreSQL refuses a NUL in text
    response = await client.get("/planning?view=month%00&day=2026-12-07%00&module=%00")
    assert response.status_code == 200 and "December 2026" in response.text
    for url in ("/cant-come/abc%00def", "/feed/%00.ics", "/people/%00", "/static/css/app.css%00"):
        assert (await client.get(url)).status_code == 404, url


# -- dates at the ends of the calendar ---------------------------------------------------------------

EDGE_DAYS = ("9999-12-31", "9999-12-27", "0001-01-01", "0001-01-03")


async def test_a_date_at_the_ends_of_the_calendar_never_causes_a_server_error(client, world):
    """A week or a month beyond 9999-12-31 (or before 0001-01-01) does not exist: such a day in a filter
    is today, in a form a message on the field; nothing is stored."""
    from planner.modules.tables import Session

    await login(client, world.coordinator)
    for day in EDGE_DAYS:
        for view in ("week", "month"):
            response = await client.get("/planning", params={"view": view, "day": day})
            assert response.status_code == 200, (view, day)
        response = await client.get(f"/modules/{world.module}/sheet", params={"month": day[:7]})
        assert response.status_code == 200, day
        for kind in ("weekly", "monthly"):
            response = await post(client, f"/modules/{world.module}/schedule", {
                "kind": kind, "start": day, "end": day, "starts_at": "09:00", "ends_at": "10:00", "weekdays": "0",
                "interval": "1", "nth": "-1", "weekday": "0", "action": "save", "accept_conflicts": "1"})
            assert response.status_code == 422, (kind, day)
        response = await post(client, f"/modules/{world.module}/sessions",
                              {"day": day, "starts_at": "09:00", "ends_at": "10:00"})
        assert response.status_code == 422, day
        response = await post(client, f"/modules/sessions/{world.session}/move",
                              {"day": day, "starts_at": "09:00", "ends_at": "10:00"})
        assert response.status_code == 422, day
    assert await Session.count() == 1
    assert (await client.get("/planning", params={"day": "2026-12-07"})).status_code == 200


async def test_a_time_with_an_offset_or_a_fraction_is_refused_and_never_stored(client, world):
    """'09:00Z' was stored as a time with an offset; every later change to the module then compared it
    with plain times (TypeError): the module answered 500 for good."""
    from planner.attendance.tables import Mark
    from planner.modules.tables import Session

    await login(client, world.coordinator)
    for typed in ("09:00Z", "09:00+05:00", "09:00:00.999999", "T09:00", "09"):
        response = await post(client, f"/modules/{world.module}/sessions",
                              {"day": "2027-02-15", "starts_at": typed, "ends_at": "10:00"})
        assert response.status_code == 422, typed
        response = await post(client, f"/modules/sessions/{world.session}/move",
                              {"day": "2027-02-16", "starts_at": "08:00", "ends_at": typed})
        assert response.status_code == 422, typed
        response = await post(client, f"/modules/{world.module}/schedule", {
            "kind": "weekly", "start": "2027-01-04", "end": "2027-01-31", "starts_at": typed, "ends_at": "10:00",
            "weekdays": "0", "interval": "1"})
        assert response.status_code == 422, typed
    assert all(s["starts_at"].tzinfo is None and s["ends_at"].tzinfo is None for s in await Session.select())
    response = await post(client, f"/modules/{world.module}/sessions",
                          {"day": "2027-02-15", "starts_at": "09:00", "ends_at": "10:00"})
    assert response.status_code == 303
    await login(client, world.facilitator)
    await post(client, f"/roll/{world.session}/taps", {"person": str(world.beneficiary), "status": "late",
                                                       "arrived_at": "09:45+05:00", "client_id": "late-1"})
    assert all(m["arrived_at"] is None or m["arrived_at"].tzinfo is None for m in await Mark.select(Mark.arrived_at))


async def test_a_form_of_a_million_fields_is_refused_before_it_is_read(client, world):
    """Forms are small; only the import takes a file. A 10 MB form of a million fields, sent to the
    sign-in page by anyone, held the event loop for seconds while it was parsed."""
    from urllib.parse import urlencode

    huge = urlencode([(f"f{n}", "x") for n in range(300_000)]).encode()  # ~3 MB
    form = {"content-type": "application/x-www-form-urlencoded", "accept-language": "nl"}
    for url in ("/login", "/language"):
        response = await client.post(url, content=huge, headers=form)
        assert response.status_code == 413, url
        assert "Foutcode 413" in response.text
    await login(client, world.social_worker)
    response = await client.post("/people/search", content=huge, headers={**form, "hx-request": "true",
                                                                          "x-csrftoken": client.cookies["csrftoken"]})
    assert response.status_code == 413
    csv = ("nom;prenom;genre;naissance;langue;statut\n" + "Dupont;Anne;F;01/02/1990;fr;RI\n" * 100_000).encode()
    assert len(csv) > 3_000_000
    response = await post(client, "/people/import", {"organisation": str(world.rivebelle)},
                          files={"file": ("export.csv", csv, "text/csv")})
    assert response.status_code == 422 and "more than 2000 people" in response.text  # read, not refused for size
