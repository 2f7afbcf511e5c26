from planner.auth.tables import Membership
from planner.orgs.tables import ClusterMember, Organisation
from tests.conftest import login, post

CPAS_FORM = {"kind": "cpas", "name_fr": "CPAS de Sauveterre", "name_nl": "OCMW Zoutberg", "region": "wallonia",
             "street": "Rue Haute 1", "postcode": "5000", "city": "Sauveterre"}


async def test_an_administrator_creates_a_cpas_and_administers_it(client, world):
    await login(client, world.administrator)
    response = await post(client, "/orgs", CPAS_FORM)
    assert response.status_code == 303
    org = await Organisation.select().where(Organisation.name_fr == "CPAS de Sauveterre").first()
    assert org["region"] == "wallonia" and org["name_nl"] == "OCMW Zoutberg"
    assert await Membership.exists().where((Membership.organisation == org["id"])
                                           & (Membership.user == world.administrator["id"])
                                           & (Membership.role == "administrator"))


async def test_a_cpas_without_region_is_refused_with_the_typed_values_kept(client, world):
    await login(client, world.administrator)
    response = await post(client, "/orgs", {**CPAS_FORM, "region": ""}, htmx=True)
    assert response.status_code == 422
    assert "Choose the region." in response.text
    assert 'value="CPAS de Sauveterre"' in response.text
    assert await Organisation.count().where(Organisation.name_fr == "CPAS de Sauveterre") == 0


async def test_an_administrator_creates_a_partner_for_their_cpas(client, world):
    await login(client, world.administrator)
    await post(client, "/orgs", {"kind": "partner", "name_fr": "Centre culturel Le Phare",
                                 "partner_type": "cultural_centre", "owner": str(world.rivebelle)})
    partner = await Organisation.select().where(Organisation.name_fr == "Centre culturel Le Phare").first()
    assert partner["owner"] == world.rivebelle and partner["partner_type"] == "cultural_centre"
    listing = await client.get("/orgs")
    assert "Centre culturel Le Phare" in listing.text


async def test_a_cluster_groups_cpas_and_shows_in_the_list(client, world):
    await login(client, world.administrator)
    response = await post(client, "/orgs", {"kind": "cluster", "name_fr": "Cluster Sud", "owner": str(world.rivebelle),
                                            "cluster_members": [str(world.rivebelle), str(world.elsewhere)]})
    assert response.status_code == 303
    cluster = await Organisation.select(Organisation.id).where(Organisation.name_fr == "Cluster Sud").first()
    members = await ClusterMember.select(ClusterMember.cpas).where(ClusterMember.cluster == cluster["id"])
    assert {m["cpas"] for m in members} == {world.rivebelle, world.elsewhere}


async def test_a_cluster_must_include_one_of_the_administrators_cpas(client, world):
    await login(client, world.administrator)
    response = await post(client, "/orgs", {"kind": "cluster", "name_fr": "Cluster Sud", "owner": str(world.rivebelle),
                                            "cluster_members": [str(world.elsewhere), str(world.cluster)]})
    assert response.status_code == 422
    assert "A cluster you create must include one of your CPAS." in response.text


async def test_the_second_of_two_concurrent_edits_does_not_overwrite_the_first(client, world):
    await login(client, world.administrator)
    first = {**CPAS_FORM, "name_fr": "CPAS de Rivebelle", "version": "1", "city": "Rivebelle-Centre"}
    second = {**CPAS_FORM, "name_fr": "CPAS de Rivebelle", "version": "1", "phone": "02 555 99 99"}
    assert (await post(client, f"/orgs/{world.rivebelle}", first)).status_code == 303
    response = await post(client, f"/orgs/{world.rivebelle}", second)
    assert response.status_code == 409
    assert "Someone else saved this organisation" in response.text
    assert "Rivebelle-Centre" in response.text  # what the first person saved is shown
    assert 'value="02 555 99 99"' in response.text  # what the second person typed is kept
    org = await Organisation.select().where(Organisation.id == world.rivebelle).first()
    assert org["city"] == "Rivebelle-Centre" and org["phone"] == ""


async def test_another_cpas_is_not_found(client, world):
    await login(client, world.administrator)
    response = await client.get(f"/orgs/{world.elsewhere}")
    assert response.status_code == 404


CLUSTER_FORM = {"name_fr": "Cluster Rivebelle-Nord", "version": "1"}


async def test_a_neighbour_administrator_neither_sees_nor_edits_the_cluster(client, world, neighbour_admin):
    await login(client, neighbour_admin)
    assert "Cluster Rivebelle-Nord" not in (await client.get("/orgs")).text
    assert (await client.get(f"/orgs/{world.cluster}")).status_code == 404
    before = (await Organisation.select().where(Organisation.id == world.cluster).first(),
              await ClusterMember.select(ClusterMember.cpas).where(ClusterMember.cluster == world.cluster))
    response = await post(client, f"/orgs/{world.cluster}", {**CLUSTER_FORM, "name_fr": "Cluster Montfleuri",
                          "cluster_members": [str(neighbour_admin["cpas"]), str(world.elsewhere)]})
    assert response.status_code == 404
    assert (await Organisation.select().where(Organisation.id == world.cluster).first(),
            await ClusterMember.select(ClusterMember.cpas).where(ClusterMember.cluster == world.cluster)) == before


async def test_the_owning_cpas_administrator_edits_the_cluster_and_its_members(client, world, neighbour_admin):
    await login(client, world.administrator)
    response = await post(client, f"/orgs/{world.cluster}", {**CLUSTER_FORM, "name_nl": "Cluster Rivebelle-Noord",
                          "cluster_members": [str(world.rivebelle), str(world.elsewhere)]})
    assert response.status_code == 303
    page = await client.get(f"/orgs/{world.cluster}")
    assert "The organisation has been saved." in page.text and 'value="Cluster Rivebelle-Noord"' in page.text
    members = await ClusterMember.select(ClusterMember.cpas).where(ClusterMember.cluster == world.cluster)
    assert {m["cpas"] for m in members} == {world.rivebelle, world.elsewhere}


async def test_the_cluster_keeps_the_cpas_that_manages_it(client, world, neighbour_admin):
    await login(client, world.administrator)
    response = await post(client, f"/orgs/{world.cluster}", {**CLUSTER_FORM, "cluster_members": [
                          str(neighbour_admin["cpas"]), str(world.elsewhere)]}, htmx=True)
    assert response.status_code == 422
    assert "The cluster must include the CPAS that manages it." in response.text
    members = await ClusterMember.select(ClusterMember.cpas).where(ClusterMember.cluster == world.cluster)
    assert {m["cpas"] for m in members} == {world.rivebelle, neighbour_admin["cpas"]}


async def test_a_partner_registered_by_rivebelle_is_not_the_neighbours(client, world, neighbour_admin):
    await login(client, neighbour_admin)
    assert "Accès-Sport Rivebelle" not in (await client.get("/orgs")).text
    assert (await client.get(f"/orgs/{world.partner}")).status_code == 404
