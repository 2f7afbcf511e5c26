import logging

import pytest
from markupsafe import escape

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


# ---- names as Belgian offices write them (issue 12, section 4) -----------------------------------

# The order a reader expects; typed in another order.
ISSUE_PEOPLE = [("Çelik", "Deniz"), ("D'Hondt", "Gaëlle"), ("de Smet", "Noël"), ("Évrard", "Jérôme"),
                ("Goossens", "Anna"), ("Özdemir", "Zoë"), ("Van Damme", "Cœline"), ("Wauters", "François")]
TWO_PHONES = "0470 12 34 56 / 02 123 45 67 / 0499 12 34 56"  # 44 characters


async def add(client, world, first: str, last: str, **changes):
    return await post(client, "/people", {**PERSON, "first_name": first, "last_name": last, "file_reference": "",
                                          "organisation": str(world.rivebelle), **changes})


def in_order(page: str, names: list[str]) -> bool:
    positions = [page.index(str(escape(name))) for name in names]
    return positions == sorted(positions)


async def test_a_person_with_one_name_only_is_added_and_shown_without_a_stray_comma(client, world):
    await login(client, world.social_worker)
    assert (await add(client, world, "", "Sukarno")).status_code == 303
    assert (await add(client, world, "Mariam", "")).status_code == 303
    listed = (await client.get("/people")).text
    assert '">Sukarno</a>' in listed and '">Mariam</a>' in listed and ", Sukarno" not in listed
    row = await Beneficiary.select().where(Beneficiary.last_name == "Sukarno").first()
    shown = (await client.get(f"/people/{row['id']}")).text
    assert "<h1>Sukarno</h1>" in shown and row["first_name"] == ""


async def test_a_person_without_any_name_is_refused(client, world):
    await login(client, world.social_worker)
    response = await add(client, world, " ", "", htmx=True)
    assert response.status_code == 422
    assert "Fill in the first name or the last name, or both." in response.text
    assert await Beneficiary.count().where(Beneficiary.organisation == world.rivebelle) == 1


async def test_the_list_sorts_names_as_a_reader_expects(client, world):
    await login(client, world.social_worker)
    for last, first in sorted(ISSUE_PEOPLE, key=lambda p: p[1]):
        assert (await add(client, world, first, last)).status_code == 303
    listed = (await client.get("/people")).text
    assert in_order(listed, [f"{last}, {first}" for last, first in ISSUE_PEOPLE])
    # the database orders the page itself: the first page of a large CPAS starts right too
    rows = await Beneficiary.select(Beneficiary.last_name).where(Beneficiary.last_name.is_in(
        [last for last, _ in ISSUE_PEOPLE])).order_by(Beneficiary.sort_key)
    assert [r["last_name"] for r in rows] == [last for last, _ in ISSUE_PEOPLE]


@pytest.mark.parametrize("query, found", [
    ("özdemir", "Özdemir, Zoë"), ("ozdemir", "Özdemir, Zoë"), ("OZDEMIR", "Özdemir, Zoë"),
    ("gaelle", "D&#39;Hondt, Gaëlle"), ("evrard", "Évrard, Jérôme"), ("dhondt", "D&#39;Hondt, Gaëlle"),
    ("d'hondt", "D&#39;Hondt, Gaëlle"), ("D’Hondt", "D&#39;Hondt, Gaëlle"), ("vandamme", "Van Damme, Cœline"),
    ("van-damme", "Van Damme, Cœline"), ("coeline", "Van Damme, Cœline"), ("zoe ozd", "Özdemir, Zoë"),
])
async def test_search_ignores_case_accents_and_apostrophes(client, world, query, found):
    for last, first in ISSUE_PEOPLE:
        await make_beneficiary(world.rivebelle, first, last)
    await login(client, world.social_worker)
    response = await post(client, "/people/search", {"query": query}, htmx=True)
    assert found in response.text
    assert response.text.count('<a href="/people/') == 1  # that person only


async def test_a_saved_edit_is_found_under_the_new_name(client, world):
    await login(client, world.social_worker)
    await post(client, f"/people/{world.beneficiary}", {**PERSON, "version": "1", "last_name": "Ödegaard"})
    assert "Ödegaard, Amina" in (await post(client, "/people/search", {"query": "odegaard"}, htmx=True)).text
    assert "Nobody matches" in (await post(client, "/people/search", {"query": "bakari"}, htmx=True)).text


async def test_text_longer_than_its_column_is_refused_on_its_field_with_the_rest_kept(client, world):
    await login(client, world.social_worker)
    response = await add(client, world, "Anna", "L" * 130, htmx=True, phone="0" * 101)
    assert response.status_code == 422
    assert response.text.count("This is too long: at most 100 characters.") == 2
    assert 'value="Anna"' in response.text and "L" * 130 in response.text
    assert await Beneficiary.count().where(Beneficiary.first_name == "Anna") == 0
    edit = await post(client, f"/people/{world.beneficiary}", {**PERSON, "version": "1", "file_reference": "R" * 51},
                      htmx=True)
    assert edit.status_code == 422 and "at most 50 characters" in edit.text


async def test_two_phone_numbers_fit_and_nul_bytes_are_dropped(client, world):
    await login(client, world.social_worker)
    assert (await add(client, world, "Ew\x00a", "Nowak\x00", phone=TWO_PHONES)).status_code == 303
    row = await Beneficiary.select().where(Beneficiary.last_name == "Nowak").first()
    assert row["first_name"] == "Ewa" and row["phone"] == TWO_PHONES
