"""Every kind of answer carries the security headers, pages with personal data are never stored, and
no template holds inline script or style (the Content-Security-Policy would block it)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient

from planner.app import create_app
from planner.security import CONTENT_SECURITY_POLICY
from tests.conftest import ROOT, app_settings, login, post

POLICY = CONTENT_SECURITY_POLICY


def assert_secure(response, what: str) -> None:
    headers = response.headers
    assert headers.get("content-security-policy") == POLICY, what
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "script-src 'self'", "base-uri 'none'",
                      "form-action 'self'"):
        assert directive in headers["content-security-policy"], (what, directive)
    assert "unsafe-inline" not in headers["content-security-policy"], what
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("x-frame-options") == "DENY", what
    assert headers.get("referrer-policy") == "no-referrer", what
    assert headers.get_list("content-security-policy") == [POLICY], f"{what}: the policy is sent once"


async def test_every_kind_of_answer_carries_the_security_headers(client, world, monkeypatch):
    answers = {
        "sign-in page": await client.get("/login"),
        "unknown page (404)": await client.get("/no-such-page"),
        "unknown feed (404)": await client.get("/feed/" + "x" * 43 + ".ics"),
        "unknown can't-come link (404)": await client.get("/cant-come/" + "x" * 43),
        "static file": await client.get("/static/css/app.css"),
        "service worker": await client.get("/sw.js"),
        "health check": await client.get("/healthz"),
        "anonymous redirect to sign-in": await client.get("/people", follow_redirects=False),
        "CSRF refusal (403)": await client.post("/login", data={"email": "x", "password": "y"}),
        "wrong method (405)": await client.get("/logout"),
    }
    assert answers["CSRF refusal (403)"].status_code == 403
    assert answers["wrong method (405)"].status_code == 405
    await login(client, world.facilitator)
    answers["page of another role (403)"] = await client.get("/users")
    assert answers["page of another role (403)"].status_code == 403
    answers["another CPAS's object (404)"] = await client.get(f"/roll/{world.session + 1000}")
    answers["signed-in page"] = await client.get("/today")
    answers["htmx fragment"] = await client.get("/today", headers={"hx-request": "true"})
    answers["redirect after a form"] = await post(client, "/language", {"language": "nl", "next": "/today"})
    from planner.attendance.routes import today as routes

    async def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(routes, "_live", broken)
    answers["server error (500)"] = await client.get("/today")
    assert answers["server error (500)"].status_code == 500
    for what, response in answers.items():
        assert_secure(response, what)


async def test_pages_with_personal_data_are_never_stored_and_static_files_may_be(client, world):
    from planner.invites import actions as invites

    await login(client, world.coordinator)
    for url in ("/", "/people", f"/people/{world.beneficiary}", f"/modules/{world.module}", "/planning",
                f"/roll/{world.session}", "/account"):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == "no-store", url
    cant_come = await invites.cant_come_url(world.enrolment, world.rivebelle)
    response = await client.get(cant_come.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    assert (await client.get("/no-such-page")).headers["cache-control"] == "no-store"
    # The feed keeps its own rule (each phone asks again, mostly for a 304), private to that phone.
    feed = await invites.feed_url(world.rivebelle, beneficiary=world.beneficiary, create=True)
    response = await client.get(feed.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200 and response.headers["cache-control"] == "private, no-cache"
    static = await client.get("/static/css/app.css")
    assert "no-store" not in static.headers.get("cache-control", "")


async def test_https_deployments_send_hsts_and_plain_http_ones_do_not(client, db):
    assert "strict-transport-security" not in (await client.get("/login")).headers
    app = create_app(replace(app_settings(), base_url="https://planner.rivebelle.example"))
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8000") as https_client:
        for url in ("/login", "/no-such-page", "/static/css/app.css"):
            response = await https_client.get(url)
            assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains", url


INLINE = [
    # a data block (type="application/json") is never run, so the CSP lets it be: the budget chart's figures
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on...= handler"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style", re.I), "a <style> element"),
    (re.compile(r"javascript:", re.I), "a javascript: link"),
    (re.compile(r"hx-on|hx-vals=['\"]\s*js:", re.I), "htmx code in an attribute (needs eval)"),
]


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT / "templates").as_posix()
                                            for p in (ROOT / "templates").rglob("*.html")
                                            if p.parent.name != "mail"))
def test_no_template_holds_inline_script_or_style(template):
    # Mails are not served under the policy: mail clients need their inline style.
    source = (ROOT / "templates" / template).read_text()
    for pattern, what in INLINE:
        assert not pattern.search(source), f"{template} holds {what}"


def test_htmx_is_told_not_to_inject_its_indicator_style():
    base = (ROOT / "templates" / "base.html").read_text()
    assert '"includeIndicatorStyles": false' in base
    assert ".htmx-request .htmx-indicator" in (ROOT / "planner" / "static" / "css" / "app.css").read_text()


async def test_every_text_answer_names_its_charset_once(client, world):
    # Pages passed "text/html; charset=utf-8" and Litestar added its own: "charset=utf-8; charset=utf-8".
    from planner.invites import actions as invites

    answers = {"sign-in page": await client.get("/login"), "404 page": await client.get("/no-such-page"),
               "anonymous redirect": await client.get("/people", follow_redirects=False)}
    await login(client, world.facilitator)
    answers["signed-in page"] = await client.get("/today")
    answers["htmx fragment"] = await client.get("/today", headers={"hx-request": "true"})
    answers["the tablet queue's row"] = await post(
        client, f"/roll/{world.session}/taps", {"person": str(world.beneficiary), "status": "present",
                                                "client_id": "charset-1", "device_time": "2026-01-05T09:00:00Z"},
        headers={"x-planner-queue": "1"})
    feed = await invites.feed_url(world.rivebelle, beneficiary=world.beneficiary, create=True)
    answers["calendar feed"] = await client.get(feed.removeprefix("http://127.0.0.1:8000"))
    for what, response in answers.items():
        content_type = response.headers["content-type"]
        assert content_type.count("charset=") == 1, (what, content_type)
    assert answers["signed-in page"].headers["content-type"] == "text/html; charset=utf-8"
    assert answers["the tablet queue's row"].headers["content-type"] == "text/html; charset=utf-8"
