"""Issue 12 §1: the administrator of Montfleuri, a CPAS in Rivebelle's cluster, never reaches Rivebelle's
staff, though Carl (coordinator) and Fred (facilitator) hold roles in that cluster; Rivebelle's
administrator still does each step."""

from planner.auth.tables import Membership, PasswordToken, User
from tests.conftest import PASSWORD, login, make_user, post

STAFF_MARKERS = ("Carl Coordinator", "carl@rivebelle.example", "Fred Facilitator", "fred@rivebelle.example",
                 "Pat Partner", "pat@sport.example")


async def test_the_list_shows_a_neighbour_administrator_none_of_rivebelles_staff(client, world, neighbour_admin):
    await login(client, neighbour_admin)
    response = await client.get("/users")
    assert response.status_code == 200
    assert "Chantal Evrard" in response.text
    assert not any(marker in response.text for marker in STAFF_MARKERS)


async def test_the_list_shows_rivebelles_administrator_its_cluster_staff(client, world, neighbour_admin):
    await login(client, world.administrator)
    response = await client.get("/users")
    assert "Carl Coordinator" in response.text and "Fred Facilitator" in response.text
    assert "Chantal Evrard" not in response.text


async def test_a_neighbour_administrator_cannot_open_rivebelles_staff(client, world, neighbour_admin):
    await login(client, neighbour_admin)
    for person in (world.coordinator, world.facilitator, world.partner_facilitator):
        response = await client.get(f"/users/{person['id']}")
        assert response.status_code == 404
        assert person["email"] not in response.text


async def test_a_neighbour_administrator_cannot_make_a_set_password_link(client, world, neighbour_admin):
    await login(client, neighbour_admin)
    response = await post(client, f"/users/{world.coordinator['id']}/password-link", htmx=True)
    assert response.status_code == 404
    assert "/set-password/" not in response.text
    assert await PasswordToken.count().where(PasswordToken.user == world.coordinator["id"]) == 0


async def test_a_neighbour_administrator_cannot_deactivate_or_rename(client, world, neighbour_admin):
    await login(client, neighbour_admin)
    response = await post(client, f"/users/{world.coordinator['id']}", {"full_name": "Taken Over", "language": "fr"})
    assert response.status_code == 404
    row = await User.select(User.full_name, User.is_active).where(User.id == world.coordinator["id"]).first()
    assert row == {"full_name": "Carl Coordinator", "is_active": True}
    await post(client, "/logout")
    await login(client, world.coordinator)  # Carl still signs in


async def test_a_neighbour_administrator_cannot_remove_a_role_of_rivebelles_staff(client, world, neighbour_admin):
    cluster_role = await Membership.select(Membership.id).where(
        (Membership.user == world.coordinator["id"]) & (Membership.organisation == world.cluster)).first()
    await login(client, neighbour_admin)
    response = await post(client, f"/users/{world.coordinator['id']}/memberships/{cluster_role['id']}/delete")
    assert response.status_code == 404
    assert await Membership.count().where(Membership.id == cluster_role["id"]) == 1


async def test_a_neighbour_administrator_cannot_give_themself_a_role_in_the_cluster(client, world, neighbour_admin):
    from planner.modules.tables import Module

    await Module.update({Module.cluster: world.cluster}).where(Module.id == world.module)  # a cluster module
    await login(client, neighbour_admin)
    response = await post(client, f"/users/{neighbour_admin['id']}/memberships",
                          {"organisation": str(world.cluster), "role": "coordinator"}, htmx=True)
    assert response.status_code == 422
    assert "Choose an organisation you manage." in response.text
    assert await Membership.count().where(Membership.user == neighbour_admin["id"]) == 1
    # Nor in their own CPAS: nobody raises their own rights.
    response = await post(client, f"/users/{neighbour_admin['id']}/memberships",
                          {"organisation": str(neighbour_admin["cpas"]), "role": "social_worker"}, htmx=True)
    assert response.status_code == 422
    assert "Nobody changes their own roles: ask another administrator." in response.text
    assert await Membership.count().where(Membership.user == neighbour_admin["id"]) == 1
    # So the cluster module's Rivebelle participant stays out of reach.
    await post(client, "/logout")
    await login(client, neighbour_admin)
    assert "Quennevilleprivate" not in (await client.get(f"/modules/{world.module}")).text


async def test_an_administrator_does_not_remove_their_own_role(client, world, neighbour_admin):
    await login(client, world.administrator)
    own = world.administrator["memberships"][0]
    response = await post(client, f"/users/{world.administrator['id']}/memberships/{own}/delete", htmx=True)
    assert response.status_code == 422
    assert "Nobody changes their own roles: ask another administrator." in response.text
    assert await Membership.count().where(Membership.id == own) == 1
    page = await client.get(f"/users/{world.administrator['id']}")
    assert "Add this role" not in page.text and "Account active (can sign in)" not in page.text


async def test_an_account_with_a_role_in_another_cpas_is_nobodys_alone(client, world):
    shared = await make_user("dana@both.example", "Dana Both", [(world.rivebelle, "facilitator"),
                                                                 (world.elsewhere, "facilitator")])
    for admin in (world.administrator, world.outsider):
        await login(client, admin)
        assert "Dana Both" not in (await client.get("/users")).text
        assert (await client.get(f"/users/{shared['id']}")).status_code == 404
        await post(client, "/logout")


# ---- the legitimate administrator still does each step --------------------------------------------

async def test_rivebelles_administrator_opens_carl_and_sees_his_cluster_role(client, world, neighbour_admin):
    await login(client, world.administrator)
    response = await client.get(f"/users/{world.coordinator['id']}")
    assert response.status_code == 200
    assert "carl@rivebelle.example" in response.text and "Cluster Rivebelle-Nord" in response.text


async def test_rivebelles_administrator_makes_a_link_that_sets_carls_password(client, world, neighbour_admin):
    await login(client, world.administrator)
    response = await post(client, f"/users/{world.coordinator['id']}/password-link", htmx=True)
    assert response.status_code == 200
    link = response.text.split('value="http://127.0.0.1:8000')[1].split('"')[0]
    assert link.startswith("/set-password/")
    await post(client, "/logout")
    response = await post(client, link, {"password": "a brand new secret", "confirmation": "a brand new secret"})
    assert response.status_code == 303
    await login(client, world.coordinator, password="a brand new secret")


async def test_rivebelles_administrator_deactivates_carl(client, world, neighbour_admin):
    await login(client, world.administrator)
    response = await post(client, f"/users/{world.coordinator['id']}", {"full_name": "Carl Coordinator"})
    assert response.status_code == 303
    assert "The account has been saved." in (await client.get(f"/users/{world.coordinator['id']}")).text
    await post(client, "/logout")
    response = await post(client, "/login", {"email": world.coordinator["email"], "password": PASSWORD})
    assert response.status_code == 200 and "do not match" in response.text


async def test_rivebelles_administrator_gives_fred_a_cluster_role_but_not_themself(client, world, neighbour_admin):
    await login(client, world.administrator)
    response = await post(client, f"/users/{world.facilitator['id']}/memberships",
                          {"organisation": str(world.cluster), "role": "coordinator"})
    assert response.status_code == 303
    assert "The role has been added." in (await client.get(f"/users/{world.facilitator['id']}")).text
    response = await post(client, f"/users/{world.administrator['id']}/memberships",
                          {"organisation": str(world.cluster), "role": "coordinator"}, htmx=True)
    assert response.status_code == 422
    assert await Membership.count().where(Membership.user == world.administrator["id"]) == 1
