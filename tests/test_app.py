import subprocess
import sys

from tests.conftest import ROOT, login


async def test_healthz_reports_engine_and_migrations_without_personal_data(client, world, engine):
    from planner.db import engine_label

    response = await client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["engine"] == engine_label(engine)
    assert body["migrations"]["pending"] == 0 and body["migrations"]["applied"] >= 1
    assert "rivebelle" not in response.text.lower()
    head = await client.head("/healthz")  # what uptime monitors ask
    assert head.status_code == 200 and head.content == b""


async def test_an_unknown_page_is_a_translated_404_without_a_trace(client, world):
    response = await client.get("/no-such-page", headers={"accept-language": "en"})
    assert response.status_code == 404
    assert "This page does not exist" in response.text
    assert "Traceback" not in response.text


async def test_a_crash_shows_a_translated_page_without_the_trace(client, world, monkeypatch):
    from planner.people import routes

    async def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(routes, "_rows", broken)
    await login(client, world.social_worker)
    response = await client.get("/people")
    assert response.status_code == 500
    assert "Something went wrong on our side." in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text


async def test_the_browser_tab_shows_the_apps_icon_from_the_page_and_from_the_root(client, world):
    page = (await client.get("/login")).text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    root = await client.get("/favicon.ico", follow_redirects=False)  # asked for by browsers and bookmarks
    assert root.status_code == 301 and root.headers["location"] == "/static/favicon.svg"
    icon = await client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")


async def test_pages_tell_caches_they_vary_with_htmx_and_send_no_referrer(client, world):
    await login(client, world.social_worker)
    response = await client.get("/people")
    assert response.headers["vary"] == "HX-Request"
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_htmx_is_served_from_our_own_static_folder(client, world):
    page = await client.get("/login")
    assert '<script src="/static/vendor/htmx.min.js"' in page.text
    script = await client.get("/static/vendor/htmx.min.js")
    assert script.status_code == 200 and "htmx" in script.text[:2000]


async def test_the_csrf_token_reaches_htmx_requests_from_the_body(client, world):
    await login(client, world.social_worker)
    page = await client.get("/people")
    token = page.text.split('hx-headers=\'{"X-CSRFToken": "')[1].split('"')[0]
    response = await client.post("/people/search", data={"query": ""},
                                 headers={"x-csrftoken": token, "hx-request": "true"})
    assert response.status_code == 200


async def test_the_demo_loads_once_and_a_second_load_changes_nothing(db, engine):
    from fixtures.demo import load_demo
    from planner.auth.tables import User
    from planner.people.tables import Beneficiary

    assert "loaded" in await load_demo()
    counts = (await User.count(), await Beneficiary.count())
    assert await load_demo() == "demo CPAS already loaded: nothing changed"
    assert (await User.count(), await Beneficiary.count()) == counts
    assert counts[1] >= 60
    from planner.enrolment.tables import Enrolment
    from planner.modules.tables import Module, Session

    assert await Module.count() >= 12 and await Session.count() > 200
    full = await Enrolment.count().where(Enrolment.status == "waitlisted")
    assert full > 0  # some modules are full, with a waitlist


async def test_the_demo_cpas_has_recorded_its_past_rolls_and_only_the_last_days_wait(db, engine):
    # A coordinator opening the demo sees the few rolls of the last days on the desk, not every session since January.
    import datetime as dt

    from fixtures.demo import load_demo
    from fixtures.demo_rolls import WAITING_DAYS
    from planner import i18n
    from planner.attendance.queries import count_unrecorded_rolls
    from planner.modules.tables import Module, Session
    from planner.orgs.tables import Organisation

    await load_demo()
    rivebelle = (await Organisation.select(Organisation.id).where(Organisation.name_fr == "CPAS de Rivebelle").first())["id"]
    modules = [r["id"] for r in await Module.select(Module.id).where(Module.organisation == rivebelle)]
    today = i18n.today()
    recent = await Session.count().where(Session.module.is_in(modules) & (Session.day >= today - dt.timedelta(days=WAITING_DAYS))
                                         & (Session.day <= today))
    waiting = await count_unrecorded_rolls({rivebelle}, i18n.wall_clock_now())
    assert waiting <= recent
    assert await Session.count().where(Session.module.is_in(modules) & Session.roll_closed_at.is_not_null()
                                       & (Session.day >= dt.date(today.year, 1, 1))) > 100


def test_the_command_line_migrates_a_fresh_sqlite_file(tmp_path):
    import os

    env = {**os.environ, "PLANNER_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite'}"}
    for _ in range(2):  # a second run finds nothing to do and still succeeds
        subprocess.run([sys.executable, "-m", "planner", "migrate"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    assert (tmp_path / "fresh.sqlite").stat().st_size > 0


# -- every form htmx enhances also works as a plain form (JavaScript not loaded yet, or switched off) -----

async def _plain(client, url: str, data: dict):
    """A plain form post, no HX-Request: a 303 is followed like a browser would."""
    from tests.conftest import post

    response = await post(client, url, data)
    assert response.status_code in (200, 303, 409, 422), f"{url} answered {response.status_code}"
    if response.status_code == 303:
        response = await client.get(response.headers["location"])
    assert response.text.lstrip()[:15].lower() == "<!doctype html>", f"{url} answered a bare fragment"
    return response


async def test_every_htmx_form_also_works_as_a_plain_post_with_the_result_on_a_whole_page(client, world):
    from planner.invites import actions as invites

    module_form = {"title": "Switch again", "module_type": "activation_group", "strand": "B", "aim": "social_activation",
                   "composition": "mixed", "capacity": "2", "minimum_size": "1", "languages": "fr", "version": "1"}
    await login(client, world.administrator)
    cases = [
        ("/users", {"email": "nina@rivebelle.example", "full_name": "Nina New", "organisation": str(world.rivebelle),
                    "role": "facilitator"}, "/set-password/"),
        (f"/users/{world.coordinator['id']}/password-link", {}, "/set-password/"),
        (f"/orgs/{world.rivebelle}", {"name_fr": "CPAS de Rivebelle", "street": "Rue Haute 2", "postcode": "1000",
                                      "city": "Bruxelles", "region": "brussels", "version": "1"},
         "The organisation has been saved."),
        ("/orgs", {"kind": "partner", "name_fr": "Club Nord", "partner_type": "sports_club",
                   "owner": str(world.rivebelle)}, "The organisation has been created."),
        ("/my-calendar/feed", {}, "Here is your new calendar link."),
    ]
    for url, data, result in cases:
        assert result in (await _plain(client, url, data)).text, url
    await login(client, world.coordinator)
    cases = [
        (f"/modules/{world.module}", module_form, "The module has been saved."),
        ("/modules", {**module_form, "organisation": str(world.rivebelle)}, "The module has been created."),
        (f"/modules/{world.module}/schedule", {"kind": "weekly", "weekdays": "0", "start": "2026-12-01",
                                               "end": "2026-12-31", "starts_at": "09:30", "ends_at": "12:30"},
         "Save these sessions"),
        (f"/people/{world.beneficiary}/calendar/feed", {}, "The calendar link is ready."),
        (f"/people/{world.beneficiary}/calendar/feed/renew", {}, "Here is the new one."),
        (f"/people/{world.beneficiary}/calendar/feed/revoke", {}, "The calendar link no longer works."),
        ("/people/search", {"query": "Quenneville"}, "Quennevilleprivate"),
        ("/account/password", {"current_password": "wrong password", "new_password": "x", "confirmation": "y"},
         'id="password-form"'),
    ]
    for url, data, result in cases:
        assert result in (await _plain(client, url, data)).text, url
    cant_come = (await invites.cant_come_url(world.enrolment, world.rivebelle)).removeprefix("http://127.0.0.1:8000")
    await client.post("/logout", headers={"x-csrftoken": client.cookies.get("csrftoken", "")})
    answer = await _plain(client, cant_come, {"session": str(world.session), "answer": "cannot"})
    assert 'class="flash success" role="status"' in answer.text  # told in the participant's language
