"""The hostile sweep: every POST route, and every GET route that reads a query parameter, signed in as a
role of Rivebelle its guard lets in, gets hostile input in every field it reads (tests/test_hostile_input.py
finds them in the handlers' source) and hostile bodies: missing fields, empty and blank strings, 10,000
characters, control characters, numbers a parser chokes on, dates and times that name nothing, another
CPAS's ids, duplicate fields, invalid UTF-8 and lone surrogates, JSON, multipart with and without files,
bodies over MAX_FORM_BYTES, markup, path traversal — each as a plain form and as an htmx request.

Every answer is checked for what a user would notice: never a 5xx or a traceback, markup never comes
back unescaped, a refusal is a translated page (a 422 marks a field or says what is wrong, a 400/404/413
is the error page), a refused request changes no row, and no answer shows another CPAS's people.

Sampling keeps it near a minute per engine: each field gets every value of its kind (number, date, time,
text) once, plain or htmx by turn; every field at once gets each value; the KEY forms get every value in
every field both ways. This file is longer than 300 lines because the sweep's checks belong together."""

from __future__ import annotations

import itertools
import os
import re
from urllib.parse import quote, urlencode

import pytest

from planner.web import MAX_FORM_BYTES
from tests.conftest import TABLES, login, post
from tests.test_hostile_input import CASES, _secret_paths, actor_for, fields_of, sensible_form
from tests.test_route_table import concrete

MARKUP = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
RAW_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror")
TEXT_VALUES = {
    "empty": "", "blank": " \t\r\n ", "long": "x" * 10_000, "markup": MARKUP,
    "control": "a\x00b\x01\x08\x1b[31m\x7f\u202e\ufeffz", "emoji": "😀🇧🇪\u0301",
}
NUMBER_VALUES = {"inf": "1e309", "nan": "NaN", "minus_zero": "-0", "huge": "99999999999999999999", "negative": "-1",
                 "zero": "0", "infinity": "Infinity", "underscore": "1_000", "arabic": "١٢", "float": "1.5",
                 "spaces": " 12 ", "hex": "0x10"}
DATE_VALUES = {"feb30": "2026-02-30", "year0": "0000-01-01", "year9999": "9999-12-31", "slashes": "31/12/2026",
               "week": "2026-W01", "long_year": "+12026-01-01", "compact": "20261207"}
TIME_VALUES = {"h24": "24:00", "h25": "25:61", "leap": "23:59:60", "short": "9:00", "offset": "09:00+01:00"}
ALL_VALUES = {**TEXT_VALUES, **NUMBER_VALUES, **DATE_VALUES, **TIME_VALUES}
# PostgreSQL answers each request several times slower than SQLite: there the sweep sends the values that reach
# the database differently (a NUL, text beyond a column, an int4 overflow, a year past the calendar's ends);
# how a value is parsed is the same code on both engines and is swept in full on SQLite.
ON_POSTGRES = {"control", "long", "huge", "negative", "year9999", "year0", "h25"}
ONE_FIELD_ON_POSTGRES = {"number": ("huge",), "date": ("year9999",), "time": ("h25",), "text": ("control", "long")}

# Another CPAS's people must never show: Otto is d'Ailleurs's beneficiary, Charlie its staff.
OUTSIDER_MARKERS = ("Fremdling", "AIL-7", "charlie@ailleurs.example", "Charlie Outsider")
# The forms people use most, and those that write money, people and contracts: every value in every field.
KEY = {("POST", "/people"), ("POST", "/people/{person_id:int}"), ("POST", "/modules/{module_id:int}"),
       ("POST", "/modules/{module_id:int}/schedule"), ("POST", "/spending/expenses"),
       ("POST", "/roll/{session_id:int}/taps"), ("POST", "/volunteering/{placement_id:int}/hours"),
       ("POST", "/piis/{piis_id:int}/sign"), ("GET", "/planning")}
SKIP = {("POST", "/logout")}

ID_FIELDS = {"organisation", "owner", "person", "beneficiary", "module", "room", "site", "session", "partner",
             "default_room", "facilitator", "facilitators", "partners", "cluster", "cluster_members", "instrument",
             "of", "cpas", "entry", "placement", "line"}
NUMBER_FIELDS = {"capacity", "minimum_size", "guests", "interval", "nth", "weekday", "weekdays", "year", "version",
                 "amount", "price", "annual_cost", "fte", "time_share", "overheads", "page", "piis_subsidy_year",
                 "minutes", "code"}


def kind_of(field: str, sensible: object) -> str:
    if field in ID_FIELDS or field in NUMBER_FIELDS or re.fullmatch(r"-?\d+", str(sensible)):
        return "number"
    if re.fullmatch(r"\d{4}-\d\d-\d\d", str(sensible)) or field in ("day", "start", "end", "from", "to") \
            or field.endswith(("_on", "_date")):
        return "date"
    if field in ("starts_at", "ends_at", "arrived_at", "left_at", "time", "default_time"):
        return "time"
    return "text"


VALUES_OF = {"number": NUMBER_VALUES, "date": DATE_VALUES, "time": TIME_VALUES, "text": TEXT_VALUES}


def _routes():
    return [(m, p, h) for m, p, h in CASES if (m, p) not in SKIP and (m == "POST" or fields_of(h))]


ROUTES = _routes()


def _area(path: str) -> str:
    return path.split("/")[1] or "home"


AREAS = sorted({_area(p) for _m, p, _h in ROUTES})


# ---- what every answer must be ---------------------------------------------------------------------------

async def row_counts() -> dict[str, int]:
    from planner.db import fetch

    names = sorted(t._meta.tablename for t in TABLES if t._meta.tablename not in ("web_session", "login_attempt"))
    sql = " UNION ALL ".join(f"SELECT '{n}' AS t, COUNT(*) AS c FROM \"{n}\"" for n in names)
    return {row["t"]: row["c"] for row in await fetch(sql)}


async def rows_of(organisation: int) -> dict[str, int]:
    """How many rows of each table with an `organisation` column belong to this organisation."""
    from planner.db import fetch

    names = sorted(t._meta.tablename for t in TABLES if "organisation" in {c._meta.name for c in t._meta.columns})
    sql = " UNION ALL ".join(f"SELECT '{n}' AS t, COUNT(*) AS c FROM \"{n}\" WHERE organisation = {organisation:d}"
                             for n in names)
    return {row["t"]: row["c"] for row in await fetch(sql)}


class Sweep:
    """Sends requests and keeps every problem seen, so one run names them all."""

    def __init__(self, client, world) -> None:
        self.client, self.world, self.problems, self.sent = client, world, [], 0
        self.counts: dict | None = None  # the row counts after the last refusal: nothing changed since

    async def row_counts(self) -> dict[str, int]:
        if self.counts is None:
            self.counts = await row_counts()
        return self.counts

    def problem(self, what: str, why: str) -> None:
        self.problems.append(f"{what}: {why}")

    async def send(self, method: str, url: str, what: str, *, data=None, content: bytes | None = None,
                   content_type: str = "", htmx: bool = False, query: str | None = None, fields=()) -> None:
        headers = {"x-csrftoken": self.client.cookies.get("csrftoken", "")}
        if htmx:
            headers["hx-request"] = "true"
        before = await self.row_counts()
        if method == "GET":
            target = url + ("?" + query if query is not None else "")
            if data is not None:
                target = url + "?" + urlencode(data, doseq=True)
            response = await self.client.get(target, headers=headers, follow_redirects=False)
        elif content is not None:
            response = await self.client.post(url, content=content, headers={**headers, "content-type": content_type},
                                              follow_redirects=False)
        else:
            response = await self.client.post(url, data=data or {}, headers=headers, follow_redirects=False)
        self.sent += 1
        self.counts = None
        await self.check(response, f"{method} {url} {what}{' (htmx)' if htmx else ''}", before, fields)
        return response

    async def check(self, response, what: str, before: dict, fields) -> None:
        status, body = response.status_code, response.text
        if status >= 500:
            return self.problem(what, f"answered {status}")
        if "Traceback" in body or 'File "/' in body:
            self.problem(what, "shows a traceback")
        if any(raw in body for raw in RAW_MARKUP):
            self.problem(what, "sent markup back unescaped")
        if any(marker in body for marker in OUTSIDER_MARKERS):
            self.problem(what, "shows another CPAS's person")
        html = response.headers.get("content-type", "").startswith("text/html")
        if status >= 400 and status not in (401,):
            if not html:
                self.problem(what, f"answered {status} as {response.headers.get('content-type')!r}, not a page")
            elif status == 422 and not re.search(r'class="[^"]*\berror|aria-invalid|role="alert"', body):
                self.problem(what, "answered 422 without saying which field is wrong")
            elif status != 422 and "<title>" not in body and 'class="error' not in body:
                self.problem(what, f"answered {status} with no readable message")
            after = await row_counts()
            self.counts = after
            if after != before:
                changed = {t: (before.get(t), after.get(t)) for t in after if after.get(t) != before.get(t)}
                self.problem(what, f"answered {status} but changed rows {changed}")


async def _sign_in(sweep: Sweep, handler, signed_in):
    actor = actor_for(handler, sweep.world)
    if actor is not None and actor is not signed_in:
        await login(sweep.client, actor)
    elif actor is None and signed_in is not None:
        await post(sweep.client, "/logout")
    if "csrftoken" not in sweep.client.cookies:
        await sweep.client.get("/login")
    return actor


def _other_cpas_id(world, field: str) -> str:
    if field in ("person", "beneficiary"):
        return str(world.outsider_beneficiary)
    return str(world.elsewhere)


async def _other_cpas(sweep: Sweep, method: str, url: str, base: dict, field: str, kind: str, htmx: bool) -> None:
    """An id field naming another CPAS's organisation or person: refused or ignored, nothing written there."""
    if kind == "number" or field in ID_FIELDS:
        before = await rows_of(sweep.world.elsewhere)
        await sweep.send(method, url, f"{field}=another CPAS's",
                         data={**base, field: _other_cpas_id(sweep.world, field)}, htmx=htmx)
        if await rows_of(sweep.world.elsewhere) != before:
            sweep.problem(f"{method} {url} {field}=another CPAS's", "wrote in another CPAS")


def _sampler():
    from planner.db import on_postgres

    if on_postgres():
        return lambda values: {k: v for k, v in values.items() if k in ON_POSTGRES}
    return lambda values: values


async def _walk_fields(sweep: Sweep, method: str, path: str, url: str, handler, full: bool) -> None:
    world = sweep.world
    fields = fields_of(handler)
    base = {k: v for k, v in sensible_form(world).items()}
    if method == "GET":
        base = {k: v for k, v in base.items() if k in fields}
    from planner.db import on_postgres

    postgres = on_postgres()
    turn = itertools.cycle((False, True))
    sample = _sampler()
    # Every field at once: each value of every kind.
    for name, value in sample(ALL_VALUES).items():
        await sweep.send(method, url, f"every field {name}", data={f: value for f in fields}, htmx=next(turn))
    for field in fields:
        kind = kind_of(field, base.get(field, ""))
        values = ALL_VALUES if full else {**VALUES_OF[kind], "markup": MARKUP, "long": "x" * 10_000, "empty": ""}
        if postgres:
            values = {k: v for k, v in ALL_VALUES.items() if k in ONE_FIELD_ON_POSTGRES[kind]}
            full = False
        for name, value in values.items():
            both = (False, True) if full else (next(turn),)
            for htmx in both:
                await sweep.send(method, url, f"{field}={name}", data={**base, field: value}, htmx=htmx)
        if postgres:  # what follows is parsing and rendering, the same code on both engines
            await _other_cpas(sweep, method, url, base, field, kind, next(turn))
            continue
        without = {k: v for k, v in base.items() if k != field}
        await sweep.send(method, url, f"without {field}", data=without, htmx=next(turn))
        # Duplicate names: the sensible value then a hostile one, and a hostile one first.
        await sweep.send(method, url, f"{field} twice", data={**base, field: [str(base.get(field, "1")), MARKUP]},
                         htmx=next(turn))
        await sweep.send(method, url, f"{field} as an array", data={**base, field: ["-1", "x" * 300, ""]},
                         htmx=next(turn))
        await _other_cpas(sweep, method, url, base, field, kind, next(turn))
        if kind == "text" and method == "POST":
            # A refused form comes back with what was typed, escaped: typed text is never lost.
            response = await sweep.send(method, url, f"{field} kept", data={**base, field: "Typed <b>&</b>",
                                                                            "version": base.get("version", "")})
            if response.status_code == 422 and "Typed &lt;b&gt;&amp;&lt;/b&gt;" not in response.text \
                    and typed_box(response.text, field):
                sweep.problem(f"{method} {url} {field}", "refused the form and lost what was typed in the field")
    if "version" in fields and method == "POST":
        await _stale(sweep, url, base)


def typed_box(page: str, field: str) -> bool:
    """Whether the page has a box the user types this field's text in (not a choice, a file or a password)."""
    return bool(re.search(rf'<textarea[^>]*name="{field}"', page) or any(
        not re.search(r'type="(hidden|checkbox|radio|file|password|submit)"', tag)
        for tag in re.findall(rf'<input[^>]*name="{field}"[^>]*>', page)))


async def versions() -> int:
    """The sum of every `version` column: a save that is refused bumps none."""
    from planner.db import fetch

    names = sorted(t._meta.tablename for t in TABLES if "version" in {c._meta.name for c in t._meta.columns})
    sql = " UNION ALL ".join(f"SELECT COALESCE(SUM(version), 0) AS v FROM \"{n}\"" for n in names)
    return sum(int(row["v"]) for row in await fetch(sql))


async def _stale(sweep: Sweep, url: str, base: dict) -> None:
    """Saved once with the version read, the same form sent again carries a stale version: refused, the
    form shown again with a message, nothing written."""
    response = await sweep.client.post(url, data=base, headers={"x-csrftoken": sweep.client.cookies["csrftoken"]},
                                       follow_redirects=False)
    sweep.counts = None
    if response.status_code not in (302, 303):
        return  # the sensible form is not enough for this handler: the stale case is left to its area's tests
    for htmx in (False, True):
        before = await versions()
        response = await sweep.send("POST", url, "a stale version", data=base, htmx=htmx)
        if await versions() != before:
            sweep.problem(f"POST {url} with a stale version", f"answered {response.status_code}: saved over a newer one")


def _multipart(parts: list[tuple[str, bytes, str | None]]) -> tuple[bytes, str]:
    boundary = "hostile-boundary-1234"
    body = b""
    for name, value, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        if filename:
            body += b"Content-Type: application/octet-stream\r\n"
        body += b"\r\n" + value + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


async def _walk_bodies(sweep: Sweep, method: str, url: str, handler) -> None:
    """Bodies and query strings no browser sends."""
    fields = fields_of(handler) or ["q"]
    base = {k: str(v) for k, v in sensible_form(sweep.world).items() if k in fields and not isinstance(v, list)}
    invalid = "&".join(f"{f}=%FF%FE%C0%AF" for f in fields)
    surrogate = "&".join(f"{f}=%ED%A0%80x" for f in fields)
    raw_bytes = "&".join(f"{f}=" for f in fields).encode() + b"\xff\xfe\x80"
    if method == "GET":
        for htmx in (False, True):
            await sweep.send(method, url, "invalid UTF-8 query", query=invalid, htmx=htmx)
            await sweep.send(method, url, "lone surrogate query", query=surrogate, htmx=htmx)
            await sweep.send(method, url, "query of 10,000 characters", query=f"{fields[0]}=" + "%3C" * 3000, htmx=htmx)
        return
    from planner.db import on_postgres

    form_type = "application/x-www-form-urlencoded"
    for htmx in (False,) if on_postgres() else (False, True):
        await sweep.send(method, url, "invalid UTF-8 body", content=invalid.encode(), content_type=form_type, htmx=htmx)
        await sweep.send(method, url, "lone surrogate body", content=surrogate.encode(), content_type=form_type,
                         htmx=htmx)
        await sweep.send(method, url, "raw bytes body", content=raw_bytes, content_type=form_type, htmx=htmx)
    if on_postgres():
        body, kind = _multipart([(f, v.encode(), None) for f, v in base.items()])
        await sweep.send(method, url, "multipart without a file", content=body, content_type=kind)
        return
    await sweep.send(method, url + "?" + invalid, "invalid UTF-8 query on a post", content=urlencode(base).encode(),
                     content_type=form_type)
    await sweep.send(method, url, "JSON", content=('{"%s": "%s"}' % (fields[0], "x")).encode(),
                     content_type="application/json")
    await sweep.send(method, url, "JSON array", content=b"[1, 2, {\"a\": null}]", content_type="application/json",
                     htmx=True)
    await sweep.send(method, url, "a broken form content type", content=b"a=1", content_type="multipart/form-data")
    body, kind = _multipart([(f, v.encode(), None) for f, v in base.items()])
    await sweep.send(method, url, "multipart without a file", content=body, content_type=kind)
    body, kind = _multipart([(f, b"<script>alert(1)</script>\xff", "evil.txt") for f in fields])
    await sweep.send(method, url, "a file in every field", content=body, content_type=kind, htmx=True)
    body, kind = _multipart([(f, b"", "") for f in fields])
    await sweep.send(method, url, "empty file parts", content=body, content_type=kind)
    await sweep.send(method, url, "a broken multipart body", content=b"--nope\r\ngarbage", content_type=kind)
    huge = b"a=" + b"x" * (MAX_FORM_BYTES + 1)
    limit = handler.request_max_body_size
    if fields_of(handler) and (not isinstance(limit, int) or limit <= MAX_FORM_BYTES):  # a handler that reads it
        response = await sweep.send(method, url, "a body over MAX_FORM_BYTES", content=huge, content_type=form_type)
        if response.status_code not in (302, 303, 404, 413):  # 302/303: the anonymous visitor is sent to sign in
            sweep.problem(f"POST {url} over MAX_FORM_BYTES", f"answered {response.status_code}, not 413")


TRAVERSALS = ("..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "....//....//etc/passwd",
              "..\\..\\windows\\win.ini", "%00", "%C0%AE%C0%AE%2F", "x" * 5000)


async def _walk_path(sweep: Sweep, method: str, path: str, handler) -> None:
    """Path traversal and junk in every str or path parameter."""
    for value in TRAVERSALS:
        url = re.sub(r"\{(\w+):(str|path)\}", lambda _m: value, concrete(path, sweep.world) if ":int}" in path else path)
        response = await sweep.send(method, url, "path traversal", data=None if method == "GET" else {})
        if "root:x:0" in response.text or "[fonts]" in response.text:
            sweep.problem(f"{method} {url}", "served a file outside the app")
        if response.status_code == 200 and method == "GET" and "/static/" not in url:
            sweep.problem(f"{method} {url}", "answered 200 to a traversal")


@pytest.mark.parametrize("area", AREAS)
async def test_hostile_sweep_of_every_form_and_filter(client, world, area):
    sweep = Sweep(client, world)
    secret = await _secret_paths(world)
    signed_in = None
    for method, path, handler in [r for r in ROUTES if _area(r[1]) == area]:
        signed_in = await _sign_in(sweep, handler, signed_in)
        url = secret.get(path) or concrete(path, world)
        await _walk_fields(sweep, method, path, url, handler, full=(method, path) in KEY)
        await _walk_bodies(sweep, method, url, handler)
        if re.search(r":(str|path)\}", path):
            await _walk_path(sweep, method, path, handler)
    if os.environ.get("HOSTILE_SWEEP_REPORT"):
        with open(os.environ["HOSTILE_SWEEP_REPORT"], "a") as report:
            report.writelines(p + "\n" for p in sweep.problems)
    assert sweep.problems == [], f"{len(sweep.problems)} problems in {sweep.sent} requests:\n" + "\n".join(
        sorted(set(sweep.problems))[:80])


# ---- headers, cookies and methods no browser sends ------------------------------------------------------

HOSTILE_HEADERS = [
    {"accept-language": "q=nan, fr;q=1e309, nl;q=-1, *;q=abc, " + "x" * 5000},
    {"accept-language": "\u00e9\u00e8;q=0.5, fr".encode("utf-8"), "hx-request": b"\xff\xfe"},
    {"hx-request": "false", "hx-target": "<script>", "hx-current-url": "javascript:alert(1)"},
    {"hx-request": "true", "hx-history-restore-request": "true", "hx-trigger": "x" * 5000},
    {"content-type": "text/plain", "x-planner-queue": "1"},
]
HOSTILE_COOKIES = [b"lang=<script>", b"lang=" + b"x" * 4000, b"session=garbage", b"session=" + "\u00e9".encode() * 50,
                   b"session=\xff\xfe; lang=\xff", b"csrftoken=; session=; lang=", b";;;==;"]
OTHER_METHODS = ("PUT", "DELETE", "PATCH")


def _one_route_per_area():
    seen, picked = set(), []
    for method, path, handler in CASES:
        if (method, _area(path)) not in seen:
            seen.add((method, _area(path)))
            picked.append((method, path, handler))
    return picked


async def test_hostile_headers_cookies_and_methods_get_a_readable_answer(client, world):
    sweep = Sweep(client, world)
    secret = await _secret_paths(world)
    signed_in = None
    for method, path, handler in _one_route_per_area():
        signed_in = await _sign_in(sweep, handler, signed_in)
        url = secret.get(path) or concrete(path, world)
        for headers in HOSTILE_HEADERS:
            before = await row_counts()
            extra = {"x-csrftoken": client.cookies.get("csrftoken", "")} if method == "POST" else {}
            response = await client.request(method, url, headers={**headers, **extra}, follow_redirects=False)
            sweep.sent += 1
            await sweep.check(response, f"{method} {url} with headers {sorted(headers)}", before, ())
        for other in OTHER_METHODS:
            before = await row_counts()
            response = await client.request(other, url, headers={"x-csrftoken": client.cookies.get("csrftoken", "")},
                                            follow_redirects=False)
            if response.status_code not in (404, 405):
                sweep.problem(f"{other} {url}", f"answered {response.status_code}, not 405")
            await sweep.check(response, f"{other} {url}", before, ())
    # Cookies a visitor forged: never a 5xx; a forged session is a visitor who is not signed in.
    for cookies in HOSTILE_COOKIES:
        for url in ("/", "/planning", "/login"):
            client.cookies.clear()
            before = await row_counts()
            response = await client.get(url, headers={"cookie": cookies}, follow_redirects=False)
            await sweep.check(response, f"GET {url} with cookies {cookies[:30]!r}", before, ())
            if url != "/login" and response.status_code not in (302, 303):
                sweep.problem(f"GET {url} with cookies {cookies[:30]!r}", f"answered {response.status_code}, not sign-in")
    client.cookies.clear()
    # A form posted without its CSRF token is refused with a page in the user's language, nothing written.
    await login(client, world.coordinator)
    before = await row_counts()
    response = await client.post("/rooms/sites", data={"organisation": str(world.rivebelle), "name": "No token"},
                                 headers={"accept-language": "nl"}, follow_redirects=False)
    assert response.status_code == 403 and "This form has expired." in response.text  # Carl reads English
    await sweep.check(response, "POST /rooms/sites without a CSRF token", before, ())
    assert sweep.problems == [], "\n".join(sorted(set(sweep.problems)))


# ---- what the sweep found, one test each -----------------------------------------------------------------

async def test_hours_typed_as_an_overflowing_number_are_a_message_on_the_field(client, world):
    """'1e309' was read by float() as infinity, and rounding it answered 500 on the hours forms."""
    from planner.volunteering.tables import HoursEntry

    await login(client, world.coordinator)
    for typed in ("1e309", "inf", "nan", "1_0", "-2", "1e3"):
        response = await post(client, f"/volunteering/{world.placement}/hours",
                               {"day": "2026-10-12", "time": typed, "note": "Garden"}, htmx=True)
        assert response.status_code == 422, typed
        assert "Give the time done, for example 3 or 2:30." in response.text and 'value="' + typed in response.text
    assert await HoursEntry.count() == 1
    response = await post(client, f"/volunteering/{world.placement}/hours", {"day": "2026-10-12", "time": "2,5"})
    assert response.status_code == 303
    import datetime as dt

    saved = await HoursEntry.select(HoursEntry.minutes).where(HoursEntry.day == dt.date(2026, 10, 12)).first()
    assert saved["minutes"] == 150


async def test_proposing_or_signing_a_piis_signed_meanwhile_says_so(client, world):
    """A second tab still showed the PIIS as proposed: its htmx swap came back as an empty card, no word why."""
    from planner.piis.tables import Piis

    await login(client, world.social_worker)
    before = await Piis.select(Piis.status, Piis.version).where(Piis.id == world.piis).first()
    for action, field in (("propose", "proposed_on"), ("sign", "signed_on")):
        response = await post(client, f"/piis/{world.piis}/{action}", {field: "", "version": "2"}, htmx=True)
        assert response.status_code == 422
        assert "Someone changed this while you were editing it" in response.text, action
    response = await post(client, f"/piis/{world.piis}/propose", {"proposed_on": "2026-11-20", "version": "1"},
                          htmx=True)
    assert response.status_code == 422 and "Someone changed this while you were editing it" in response.text
    assert await Piis.select(Piis.status, Piis.version).where(Piis.id == world.piis).first() == before


async def test_an_organisation_form_of_an_unknown_kind_says_what_is_wrong(client, world):
    """The kind is a hidden field: tampered, the form came back 422 with no message anywhere."""
    from planner.orgs.tables import Organisation

    await login(client, world.administrator)
    count = await Organisation.count()
    response = await post(client, "/orgs", {"kind": "weekly", "name_fr": "Nouveau", "region": "brussels"})
    assert response.status_code == 422 and "Choose the kind of organisation." in response.text
    assert await Organisation.count() == count
