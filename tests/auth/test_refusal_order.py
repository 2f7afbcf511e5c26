"""404 before 403 (README "everything else answers 404"): a person lacking the role gets a 403 only on an object
of their own CPAS; on another CPAS's object, or a missing one, a 404 like anyone else, so a refusal never tells
that the object exists (auth.access.refuse)."""

from tests.conftest import login, make_user


async def test_rivebelle_staff_without_the_role_get_403_on_rivebelle_people_and_404_on_another_cpas(client, world):
    for person in (world.administrator, world.facilitator, world.partner_facilitator):
        await login(client, person)
        own = await client.get(f"/people/{world.beneficiary}")
        other = await client.get(f"/people/{world.outsider_beneficiary}")
        missing = await client.get("/people/987654")
        assert (own.status_code, other.status_code, missing.status_code) == (403, 404, 404), person["email"]
        assert "Fremdling" not in other.text


async def test_montfleuri_administrator_gets_404_on_rivebelle_objects_as_on_its_module_page(client, world,
                                                                                          neighbour_admin):
    await login(client, neighbour_admin)
    for url in (f"/modules/{world.module}", f"/modules/{world.module}/edit", f"/roll/{world.session}",
                f"/people/{world.beneficiary}", f"/volunteering/{world.placement}"):
        assert (await client.get(url)).status_code == 404, url


async def test_a_role_missing_on_a_page_without_an_object_is_still_403(client, world):
    otto_worker = await make_user("ow@ailleurs.example", "Ow Worker", [(world.elsewhere, "social_worker")])
    await login(client, otto_worker)
    assert (await client.get("/modules/new")).status_code == 403
    assert (await client.get(f"/people/{world.outsider_beneficiary}/edit")).status_code == 200
