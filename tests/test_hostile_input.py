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
from tests.test_route_table import PUBLIC, ROUTES, concrete, hostile_form

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
    return {"/cant-come/{token:str}": cant_come, "/feed/{token:str}": feed, "/set-password/{token:str}":
            "/set-password/" + "x" * 43}


# A plain-form tap (no HX-Request) is being made to work on the roll's own branch (issue 12, section 2).
HTMX_ONLY = {("POST", "/roll/{session_id:int}/taps")}


async def _send(client, method: str, url: str, data: dict, htmx: bool = False):
    if method == "GET":
        query = {k: v for k, v in data.items() if not isinstance(v, list)}
        return await client.get(url, params=query, follow_redirects=False)
    return await post(client, url, data, htmx=htmx)


def _check(response, what: str) -> None:
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    assert MARKUP not in response.text, f"{what} sent the markup back unescaped"


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
    htmx = (method, path) in HTMX_ONLY
    for value in HOSTILE:
        response = await _send(client, method, url, {f: value for f in fields}, htmx)
        _check(response, f"{method} {url} with every field {value[:20]!r}")
        if response.status_code in (302, 303) and response.headers["location"].startswith("/"):
            pages.add(response.headers["location"])
    for field in fields:
        for value in [one_field_value(base.get(field, ""))]:
            response = await _send(client, method, url, {**base, field: value}, htmx)
            _check(response, f"{method} {url} with {field}={value[:20]!r}")
            if response.status_code in (302, 303) and response.headers["location"].startswith("/"):
                pages.add(response.headers["location"])
    # What was stored shows escaped wherever the user is sent next.
    for target in sorted(pages - {"/logout"}):
        if not target.startswith("/login"):
            _check(await client.get(target, follow_redirects=False), f"GET {target} after {method} {path}")


ID_ROUTES = [(m, p, h) for m, p, h in CASES if ":int}" in p]


async def test_an_id_out_of_range_in_a_path_answers_404(client, world):
    signed_in = None
    for method, path, handler in ID_ROUTES:
        actor = actor_for(handler, world)
        if actor is not signed_in:
            await login(client, actor)
            signed_in = actor
        for bad in (str(MAX_ID + 1), DIGITS, "0", "-1"):
            url = re.sub(r"\{\w+:int\}", bad, path)
            response = await _send(client, method, url, sensible_form(world), (method, path) in HTMX_ONLY)
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
        if method == "GET":  # in range, the same page still answers
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
