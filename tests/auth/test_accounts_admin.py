from planner.auth.tables import Membership, User
from tests.conftest import another_device, login, post


async def test_an_administrator_lists_the_accounts_of_their_organisations(client, world):
    await login(client, world.administrator)
    response = await client.get("/users")
    assert "Carl Coordinator" in response.text
    assert "Pat Partner" in response.text  # partner organisations registered by Rivebelle
    assert "Charlie Outsider" not in response.text


async def test_a_duplicate_email_is_refused_and_what_was_typed_is_kept(client, world):
    await login(client, world.administrator)
    response = await post(client, "/users", {
        "email": world.coordinator["email"], "full_name": "Second Carl", "organisation": str(world.rivebelle),
        "role": "coordinator"}, htmx=True)
    assert response.status_code == 422
    assert "An account with this e-mail address already exists." in response.text
    assert "Second Carl" in response.text
    assert await User.count() == 6  # nobody was added


async def test_a_partner_organisation_cannot_hold_a_cpas_role(client, world):
    await login(client, world.administrator)
    response = await post(client, "/users", {
        "email": "x@sport.example", "full_name": "X", "organisation": str(world.partner), "role": "social_worker"})
    assert response.status_code == 422
    assert "This role does not exist in this kind of organisation." in response.text


async def test_one_person_can_hold_roles_in_several_organisations(client, world):
    await login(client, world.administrator)
    await post(client, f"/users/{world.facilitator['id']}/memberships",
               {"organisation": str(world.cluster), "role": "coordinator"})
    roles = await Membership.select(Membership.organisation, Membership.role).where(
        Membership.user == world.facilitator["id"])
    assert {(r["organisation"], r["role"]) for r in roles} == {
        (world.rivebelle, "facilitator"), (world.cluster, "coordinator")}


async def test_an_administrator_removes_a_role(client, world):
    await login(client, world.administrator)
    await post(client, f"/users/{world.social_worker['id']}/memberships",
               {"organisation": str(world.rivebelle), "role": "coordinator"})
    membership = world.social_worker["memberships"][0]
    response = await post(client, f"/users/{world.social_worker['id']}/memberships/{membership}/delete")
    assert response.status_code == 303
    assert await Membership.count().where(Membership.id == membership) == 0
    page = await client.get(f"/users/{world.social_worker['id']}")
    assert "The role has been removed." in page.text


async def test_the_last_role_is_kept_and_the_administrator_is_told_to_deactivate(client, world):
    await login(client, world.administrator)
    membership = world.social_worker["memberships"][0]
    response = await post(client, f"/users/{world.social_worker['id']}/memberships/{membership}/delete")
    assert response.status_code == 422
    assert "This is the account&#39;s last role: deactivate the account instead." in response.text
    assert await Membership.count().where(Membership.id == membership) == 1


async def test_a_coordinator_cannot_manage_accounts(client, world):
    await login(client, world.coordinator)
    response = await client.get("/users")
    assert response.status_code == 403
    assert "You do not have access to this page." in response.text


async def test_a_deactivated_account_is_signed_out_at_once(client, world, app):
    async with another_device(app) as other:
        await login(other, world.facilitator)
        await login(client, world.administrator)
        await post(client, f"/users/{world.facilitator['id']}", {"full_name": "Fred Facilitator", "language": "fr"})
        assert (await other.get("/", follow_redirects=False)).status_code == 303


async def test_a_refused_account_edit_keeps_what_was_typed_with_the_message_on_the_field(client, world):
    await login(client, world.administrator)
    too_long = "Carl " + "Q" * 200  # beyond the column's 200 characters
    url = f"/users/{world.coordinator['id']}"
    response = await post(client, url, {"full_name": too_long, "language": "nl"}, htmx=True)
    assert response.status_code == 422
    assert f'value="{too_long}"' in response.text and 'aria-invalid="true"' in response.text
    assert '<option value="nl" selected' in response.text
    stored = await User.select(User.full_name, User.language).where(User.id == world.coordinator["id"]).first()
    assert stored["full_name"] == "Carl Coordinator"
    plain = await post(client, url, {"full_name": "", "language": "de"})  # no JavaScript: the whole page
    assert plain.status_code == 422 and "<h1>Carl Coordinator</h1>" in plain.text
    assert "Fill in the name." in plain.text and '<option value="de" selected' in plain.text


async def test_the_new_account_form_preselects_no_role_and_asks_for_one(client, world):
    await login(client, world.administrator)
    form = (await client.get("/users/new")).text
    assert '<option value="" selected>Choose a role</option>' in form
    response = await post(client, "/users", {"email": "nora@rivebelle.example", "full_name": "Nora New",
                                             "organisation": str(world.rivebelle), "role": ""}, htmx=True)
    assert response.status_code == 422
    assert "Choose a role." in response.text and "Nora New" in response.text
    assert await User.count().where(User.email == "nora@rivebelle.example") == 0


async def test_creating_an_account_replaces_the_main_area_with_the_account_page_at_its_address(client, world):
    await login(client, world.administrator)
    response = await post(client, "/users", {"email": "nora@rivebelle.example", "full_name": "Nora New",
                                             "organisation": str(world.rivebelle), "role": "facilitator"}, htmx=True)
    user_id = (await User.select(User.id).where(User.email == "nora@rivebelle.example").first())["id"]
    assert response.headers["hx-retarget"] == "#main" and response.headers["hx-push-url"] == f"/users/{user_id}"
    assert "<html" not in response.text and 'id="user-form"' not in response.text  # not nested in the form
    assert "Nora New" in response.text and "/set-password/" in response.text
