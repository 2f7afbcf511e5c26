from planner.auth.tables import PasswordToken, User, WebSession
from tests.conftest import PASSWORD, another_device, login, post


async def test_a_person_changes_their_password_and_signs_in_with_the_new_one(client, world):
    await login(client, world.coordinator)
    response = await post(client, "/account/password", {
        "current_password": PASSWORD, "new_password": "a brand new secret", "confirmation": "a brand new secret"})
    assert "Your password has been changed." in response.text
    await post(client, "/logout")
    response = await post(client, "/login", {"email": world.coordinator["email"], "password": "a brand new secret"})
    assert response.status_code == 303


async def test_a_wrong_current_password_changes_nothing(client, world):
    await login(client, world.coordinator)
    before = await User.select(User.password_hash).where(User.id == world.coordinator["id"]).first()
    response = await post(client, "/account/password", {
        "current_password": "not mine", "new_password": "a brand new secret", "confirmation": "a brand new secret"},
        htmx=True)
    assert response.status_code == 422
    assert "Your current password is not right." in response.text
    assert "<html" not in response.text  # only the form block is swapped
    assert await User.select(User.password_hash).where(User.id == world.coordinator["id"]).first() == before


async def test_changing_the_password_signs_out_the_other_devices(client, world, app):
    async with another_device(app) as tablet:
        await login(tablet, world.coordinator)
        await login(client, world.coordinator)
        await post(client, "/account/password", {
            "current_password": PASSWORD, "new_password": "a brand new secret", "confirmation": "a brand new secret"})
        assert (await client.get("/", follow_redirects=False)).status_code == 200
        assert (await tablet.get("/", follow_redirects=False)).headers["location"].startswith("/login")


async def test_a_person_switches_language_and_keeps_it_on_the_next_visit(client, world):
    await login(client, world.coordinator)
    response = await post(client, "/language", {"language": "de", "next": "/account"})
    assert response.headers["location"] == "/account"
    assert await User.select(User.language).where(User.id == world.coordinator["id"]).first() == {"language": "de"}
    page = await client.get("/account")
    assert '<html lang="de">' in page.text


async def test_an_unknown_language_is_ignored(client, world):
    await login(client, world.coordinator)
    await post(client, "/language", {"language": "xx", "next": "/"})
    assert await User.select(User.language).where(User.id == world.coordinator["id"]).first() == {"language": "en"}


async def test_the_login_page_switches_language_without_an_account(client, world):
    response = await post(client, "/language", {"language": "nl", "next": "/login"})
    assert response.headers["location"] == "/login"
    page = await client.get("/login")
    assert '<html lang="nl">' in page.text


async def test_a_new_account_sets_its_password_through_the_one_time_link(client, world):
    await login(client, world.administrator)
    response = await post(client, "/users", {
        "email": "New.Person@Rivebelle.example", "full_name": "New Person", "language": "nl",
        "organisation": str(world.rivebelle), "role": "facilitator"})
    assert response.status_code == 200
    link = response.text.split('readonly value="')[1].split('"')[0]
    token_path = link.removeprefix("http://127.0.0.1:8000")
    assert token_path.startswith("/set-password/")
    assert await PasswordToken.count().where(PasswordToken.token_hash == token_path.split("/")[-1]) == 0
    await post(client, "/logout")

    form = await client.get(token_path)
    assert "new.person@rivebelle.example" in form.text
    response = await post(client, token_path, {"password": "my own secret 1", "confirmation": "my own secret 1"})
    assert response.headers["location"] == "/login"
    signed_in = await post(client, "/login", {"email": "new.person@rivebelle.example", "password": "my own secret 1"})
    assert signed_in.status_code == 303
    again = await client.get(token_path)
    assert again.status_code == 404  # used once, gone


async def test_a_weak_password_on_the_link_page_is_explained(client, world):
    from planner.auth.actions import issue_password_link

    token = await issue_password_link(world.facilitator["id"], 7, {world.rivebelle})
    response = await post(client, f"/set-password/{token}", {"password": "short", "confirmation": "short"})
    assert response.status_code == 422
    assert "at least 10 characters" in response.text


async def test_an_expired_link_does_not_work(client, world):
    import datetime as dt

    from planner.auth.actions import issue_password_link

    token = await issue_password_link(world.facilitator["id"], 7, {world.rivebelle})
    await PasswordToken.update({PasswordToken.expires_at: dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)}).where(
        PasswordToken.user == world.facilitator["id"])
    response = await post(client, f"/set-password/{token}", {"password": "long enough 1", "confirmation": "long enough 1"})
    assert response.status_code == 404


async def test_logout_removes_the_session_from_the_database(client, world):
    await login(client, world.coordinator)
    await post(client, "/logout")
    assert await WebSession.count() == 0


async def test_twelve_wrong_current_passwords_end_in_the_sign_in_wait(client, world):
    from planner.auth.tables import LoginAttempt

    await login(client, world.coordinator)
    wrong = {"current_password": "guess", "new_password": "a brand new secret", "confirmation": "a brand new secret"}
    answers = [await post(client, "/account/password", {**wrong, "current_password": f"guess {i}"}, htmx=True)
               for i in range(12)]
    codes = [a.status_code for a in answers]
    assert codes[:5] == [422] * 5 and codes[-1] == 429
    assert "Too many failed attempts. Wait" in answers[-1].text
    # Even the right password waits: the guesses are counted in the database, with sign-in's.
    right = await post(client, "/account/password", {**wrong, "current_password": PASSWORD}, htmx=True)
    assert right.status_code == 429
    assert await LoginAttempt.count().where(LoginAttempt.succeeded == False) == 5  # noqa: E712 (then refused unread)
    await post(client, "/logout")
    response = await post(client, "/login", {"email": world.coordinator["email"], "password": PASSWORD})
    assert response.status_code == 429
