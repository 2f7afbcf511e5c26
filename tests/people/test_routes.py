import logging

from planner.people.tables import Beneficiary
from tests.conftest import login, make_beneficiary, post

PERSON = {"first_name": "Amina", "last_name": "Bakari", "gender": "F", "birth_date": "1988-02-29", "language": "nl",
          "email": "", "phone": "0470 11 22 33", "status": "eri", "file_reference": "RIV-2026-0042"}


async def test_a_social_worker_adds_a_beneficiary_to_their_cpas(client, world):
    await login(client, world.social_worker)
    response = await post(client, "/people", {**PERSON, "organisation": str(world.rivebelle)})
    assert response.status_code == 303
    row = await Beneficiary.select().where(Beneficiary.last_name == "Bakari").first()
    assert row["organisation"] == world.rivebelle and row["status"] == "eri" and row["language"] == "nl"
    assert response.headers["location"] == f"/people/{row['id']}"  # an id, never a name


async def test_errors_are_shown_with_everything_typed_kept(client, world):
    await login(client, world.social_worker)
    response = await post(client, "/people", {**PERSON, "birth_date": "2999-01-01", "email": "amina@",
                                              "organisation": str(world.rivebelle)}, htmx=True)
    assert response.status_code == 422
    assert "This birth date is not possible." in response.text
    assert "This e-mail address is not valid." in response.text
    assert 'value="Bakari"' in response.text and 'value="RIV-2026-0042"' in response.text
    assert await Beneficiary.count().where(Beneficiary.last_name == "Bakari") == 0


async def test_a_social_worker_cannot_add_to_another_cpas(client, world):
    await login(client, world.social_worker)
    response = await post(client, "/people", {**PERSON, "organisation": str(world.elsewhere)})
    assert response.status_code == 422
    assert await Beneficiary.count().where(Beneficiary.last_name == "Bakari") == 0


async def test_the_list_shows_only_the_own_cpas(client, world):
    await login(client, world.social_worker)
    response = await client.get("/people")
    assert "Quennevilleprivate" in response.text
    assert "Fremdling" not in response.text


async def test_search_is_a_post_so_names_stay_out_of_urls_and_logs(client, world, caplog):
    await make_beneficiary(world.rivebelle, "Omar", "Haddad")
    await login(client, world.social_worker)
    with caplog.at_level(logging.INFO):
        response = await post(client, "/people/search", {"query": "hadd"}, htmx=True)
    assert "Haddad" in response.text and "Quennevilleprivate" not in response.text
    assert "<html" not in response.text
    assert not any("hadd" in record.getMessage().lower() for record in caplog.records)


async def test_search_with_no_match_says_so(client, world):
    await login(client, world.social_worker)
    response = await post(client, "/people/search", {"query": "nobody-like-this"}, htmx=True)
    assert "Nobody matches this search." in response.text


async def test_a_social_worker_edits_a_record(client, world):
    await login(client, world.social_worker)
    response = await post(client, f"/people/{world.beneficiary}", {**PERSON, "version": "1"})
    assert response.status_code == 303
    row = await Beneficiary.select().where(Beneficiary.id == world.beneficiary).first()
    assert row["last_name"] == "Bakari" and row["version"] == 2


async def test_a_stale_edit_is_refused_and_shows_the_saved_version(client, world):
    await login(client, world.social_worker)
    await post(client, f"/people/{world.beneficiary}", {**PERSON, "version": "1", "phone": "0470 99 99 99"})
    response = await post(client, f"/people/{world.beneficiary}", {**PERSON, "version": "1", "last_name": "Other"})
    assert response.status_code == 409
    assert "Someone else saved this record" in response.text
    assert 'value="Other"' in response.text
    row = await Beneficiary.select().where(Beneficiary.id == world.beneficiary).first()
    assert row["last_name"] == "Bakari"


async def test_a_beneficiary_of_another_cpas_is_not_found(client, world):
    await login(client, world.social_worker)
    assert (await client.get(f"/people/{world.outsider_beneficiary}")).status_code == 404
    response = await post(client, f"/people/{world.outsider_beneficiary}", {**PERSON, "version": "1"})
    assert response.status_code == 404
    row = await Beneficiary.select().where(Beneficiary.id == world.outsider_beneficiary).first()
    assert row["last_name"] == "Fremdling"


async def test_facilitators_and_partner_staff_do_not_see_beneficiary_files(client, world):
    await login(client, world.facilitator)
    assert (await client.get("/people")).status_code == 403
    assert (await client.get(f"/people/{world.beneficiary}")).status_code == 403


async def test_an_empty_cpas_shows_how_to_start(client, world):
    await Beneficiary.delete().where(Beneficiary.organisation == world.rivebelle)
    await login(client, world.social_worker)
    response = await client.get("/people")
    assert "No beneficiaries yet." in response.text
