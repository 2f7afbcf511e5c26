import datetime as dt

from planner.people.csv_import import decode, read_beneficiaries
from planner.people.tables import Beneficiary
from tests.conftest import login, post

TODAY = dt.date(2026, 11, 23)
GOOD = ("Nom;Prénom;Sexe;Date de naissance;Langue;Statut;GSM;Dossier\n"
        "Diallo;Fatou;F;03/02/1991;fr;RI;0470 11 22 33;RIV-11\n"
        "Peeters;Jonas;M;1985-12-24;nl;ERI;;RIV-12\n")


def test_a_belgian_excel_export_is_read():
    result = read_beneficiaries(GOOD, TODAY)
    assert result.ok
    assert result.rows[0].form.birth_date == "1991-02-03" and result.rows[1].form.status == "eri"


def test_each_bad_row_is_reported_with_its_line():
    result = read_beneficiaries(GOOD + "Nowak;Anna;Q;31/02/1990;fr;RI;;\n", TODAY)
    assert not result.ok
    bad = result.rows[2]
    assert bad.line == 4 and set(bad.problems) == {"gender", "birth_date"}


def test_a_file_without_the_needed_columns_is_refused():
    assert read_beneficiaries("a,b\n1,2\n", TODAY).problem.startswith("Some columns are missing")


def test_a_file_reference_already_known_is_a_problem():
    result = read_beneficiaries(GOOD, TODAY, known_references={"RIV-12"})
    assert "file_reference" in result.rows[1].problems


def test_windows_encoded_files_keep_their_accents():
    assert decode("Prénom".encode("cp1252")) == "Prénom"


async def test_an_import_is_previewed_then_saved_all_at_once(client, world):
    await login(client, world.social_worker)
    preview = await post(client, "/people/import", {"organisation": str(world.rivebelle)},
                         files={"file": ("export.csv", GOOD.encode("utf-8"), "text/csv")})
    assert preview.status_code == 200 and "Diallo, Fatou" in preview.text
    assert await Beneficiary.count().where(Beneficiary.last_name == "Diallo") == 0
    saved = await post(client, "/people/import", {"organisation": str(world.rivebelle), "confirm": "1",
                                                  "csv_text": GOOD})
    assert saved.status_code == 303
    assert await Beneficiary.count().where(Beneficiary.file_reference.is_in(["RIV-11", "RIV-12"])) == 2


async def test_a_file_with_one_bad_row_imports_nothing(client, world):
    await login(client, world.social_worker)
    text = GOOD + "Nowak;Anna;F;not a date;fr;RI;;\n"
    response = await post(client, "/people/import", {"organisation": str(world.rivebelle), "confirm": "1",
                                                     "csv_text": text})
    assert response.status_code == 422
    assert "Give the birth date as day, month and year." in response.text
    assert await Beneficiary.count().where(Beneficiary.last_name == "Diallo") == 0


async def test_nobody_imports_into_another_cpas(client, world):
    await login(client, world.social_worker)
    response = await post(client, "/people/import", {"organisation": str(world.elsewhere), "confirm": "1",
                                                     "csv_text": GOOD})
    assert response.status_code == 404
    assert await Beneficiary.count().where(Beneficiary.last_name == "Diallo") == 0
