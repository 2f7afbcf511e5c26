from planner.auth.tables import LoginAttempt, User, WebSession
from tests.conftest import PASSWORD, login, post


async def test_a_person_signs_in_and_reaches_the_home_page(client, world):
    response = await login(client, world.coordinator)
    assert response.headers["location"] == "/"
    home = await client.get("/")
    assert home.status_code == 200
    assert "Carl Coordinator" in home.text


async def test_wrong_password_and_unknown_email_get_the_same_message(client, world):
    wrong = await post(client, "/login", {"email": world.coordinator["email"], "password": "not the password"})
    unknown = await post(client, "/login", {"email": "nobody@nowhere.example", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 200
    assert "This e-mail address and password do not match." in wrong.text
    assert "This e-mail address and password do not match." in unknown.text
    assert "nobody@nowhere.example" in unknown.text  # what was typed is kept
    assert "/" == (await client.get("/", follow_redirects=False)).headers["location"][:1]


async def test_the_message_is_in_the_browsers_language(client, world):
    response = await post(client, "/login", {"email": "x@y.example", "password": "nope"},
                          headers={"accept-language": "nl-BE,nl;q=0.9"})
    assert 'lang="nl"' in response.text
    assert "Dit e-mailadres en dit wachtwoord komen niet overeen." in response.text


async def test_repeated_failures_slow_down_that_account_even_with_the_right_password(client, world):
    for _ in range(6):
        await post(client, "/login", {"email": world.coordinator["email"], "password": "guess"})
    response = await post(client, "/login", {"email": world.coordinator["email"], "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.text
    assert "/" != response.headers.get("location")


async def test_the_throttle_of_one_account_does_not_lock_out_a_colleague(client, world):
    for _ in range(6):
        await post(client, "/login", {"email": world.coordinator["email"], "password": "guess"})
    response = await post(client, "/login", {"email": world.social_worker["email"], "password": PASSWORD})
    assert response.status_code == 303


async def test_login_attempts_keep_no_email_address(client, world):
    await post(client, "/login", {"email": world.coordinator["email"], "password": "guess"})
    rows = await LoginAttempt.select()
    assert rows and all(world.coordinator["email"] not in str(row) for row in rows)


async def test_the_session_lives_in_the_database_and_logout_ends_it(client, world):
    await login(client, world.coordinator)
    assert await WebSession.count() == 1
    cookie = client.cookies["session"]
    assert await WebSession.count().where(WebSession.key == cookie) == 0  # only a hash is stored
    await post(client, "/logout")
    assert (await client.get("/", follow_redirects=False)).headers["location"].startswith("/login")
    assert await WebSession.count() == 0


async def test_a_second_app_process_serves_the_same_session(client, world, app):
    from litestar.testing import AsyncTestClient

    from planner.app import create_app
    from tests.conftest import app_settings

    await login(client, world.coordinator)
    other_process = create_app(app_settings())
    async with AsyncTestClient(app=other_process, base_url="http://127.0.0.1:8000") as other:
        other.cookies.set("session", client.cookies["session"])
        response = await other.get("/")
    assert response.status_code == 200
    assert "Carl Coordinator" in response.text


async def test_a_planted_session_id_is_replaced_at_login(client, world):
    client.cookies.set("session", "a" * 64, domain="127.0.0.1")
    response = await login(client, world.coordinator)
    cookie = [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("session=")][0]
    assert not cookie.startswith("session=" + "a" * 64)
    assert await WebSession.count() == 1


async def test_session_cookie_is_httponly_and_samesite_lax(client, world):
    response = await login(client, world.coordinator)
    cookie = [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("session=")][0]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Secure" not in cookie


async def test_cookies_are_secure_when_served_over_https(db, world):
    from litestar.testing import AsyncTestClient

    from planner.app import create_app
    from tests.conftest import app_settings
    import dataclasses

    app = create_app(dataclasses.replace(app_settings(), base_url="https://planner.example"))
    async with AsyncTestClient(app=app, base_url="https://planner.example") as c:
        response = await login(c, world.coordinator)
    cookie = [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("session=")][0]
    assert "Secure" in cookie


async def test_a_deactivated_account_cannot_sign_in(client, world):
    await User.update({User.is_active: False}).where(User.id == world.coordinator["id"])
    response = await post(client, "/login", {"email": world.coordinator["email"], "password": PASSWORD})
    assert response.status_code == 200
    assert "do not match" in response.text


async def test_after_login_the_person_returns_to_the_page_they_asked_for(client, world):
    first = await client.get("/people", follow_redirects=False)
    assert first.headers["location"] == "/login?next=/people"
    response = await post(client, "/login", {"email": world.social_worker["email"], "password": PASSWORD,
                                             "next": "/people"})
    assert response.headers["location"] == "/people"


async def test_login_never_redirects_to_another_site(client, world):
    response = await post(client, "/login", {"email": world.social_worker["email"], "password": PASSWORD,
                                             "next": "//evil.example/x"})
    assert response.headers["location"] == "/"


async def test_an_htmx_request_without_session_is_sent_to_login(client, world):
    response = await client.get("/people", headers={"hx-request": "true"})
    assert response.headers["hx-redirect"].startswith("/login")


async def test_a_post_without_csrf_token_is_refused_with_a_translated_page(client, world):
    await login(client, world.coordinator)
    response = await client.post("/logout", headers={"accept-language": "en"})
    assert response.status_code == 403
    assert "This form has expired" in response.text


async def test_the_session_cookie_is_sent_again_only_when_its_expiry_moves_on(client, world):
    import datetime as dt

    def session_cookie(response) -> list[str]:
        return [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("session=")]

    await login(client, world.coordinator)
    assert session_cookie(await client.get("/")) == []  # just signed in: nothing to renew, nothing sent
    # Some minutes later the stored expiry is pushed on, and the browser's cookie with it (sliding).
    await WebSession.update({WebSession.expires_at: WebSession.expires_at - dt.timedelta(minutes=5)}, force=True)
    renewed = session_cookie(await client.get("/"))
    assert len(renewed) == 1 and "Max-Age=" in renewed[0]
    assert session_cookie(await client.get("/")) == []


async def test_visitors_who_are_not_signed_in_leave_no_session_behind(client, world):
    # Every anonymous request used to store an empty session row (never read again, never deleted):
    # a loop on the sign-in page filled the table and took SQLite's write lock each time.
    answers = [await client.get("/login"), await client.get("/login?next=/people"),
               await client.get("/set-password/" + "x" * 43), await client.get("/cant-come/" + "x" * 43),
               await client.options("/people"), await client.options("/login"),
               await client.post("/language", data={"language": "nl"}),  # no CSRF token: 403
               await post(client, "/language", {"language": "nl"}),
               await post(client, "/login", {"email": world.coordinator["email"], "password": "guess"})]
    assert [r.status_code for r in answers][6] == 403
    for response in answers:
        assert not [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("session=")]
    assert await WebSession.count() == 0
    await login(client, world.coordinator)  # signing in still stores the one session
    assert await WebSession.count() == 1
    assert (await client.get("/")).status_code == 200


async def test_a_sign_in_clears_the_sessions_that_expired(client, world):
    import datetime as dt

    past = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    for n in range(3):
        await WebSession.insert(WebSession(key=f"old{n}", data=b'{"user_id": 1}', expires_at=past))
    await login(client, world.coordinator)
    assert await WebSession.count() == 1


def _session_cookies(response) -> list[str]:
    return [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("session=")]


async def test_an_anonymous_visit_sets_no_session_cookie(client, world):
    # A guarded page used to answer `session=null; Max-Age=43200`: a cookie kept 12 hours for nobody.
    for url in ("/login", "/", "/people", "/modules"):
        response = await client.get(url, follow_redirects=False)
        assert response.status_code in (200, 303), url
        assert _session_cookies(response) == [], url
    assert "session" not in client.cookies


async def test_signing_out_expires_the_session_cookie_at_once(client, world):
    await login(client, world.coordinator)
    response = await post(client, "/logout")
    [cookie] = _session_cookies(response)
    assert cookie.startswith('session=""') or cookie.startswith("session=;"), cookie
    assert "Max-Age=0" in cookie
    assert "session" not in client.cookies
