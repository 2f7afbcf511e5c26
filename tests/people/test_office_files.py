"""The people import fed what Belgian offices really have (issue 18's import, hardened): Windows-1252 and
ISO-8859-1 exports, German and French headers spelt in full, title lines above the column names, Excel date
serials and zero-padded references, national register numbers checked but never kept, names over two lines.
Files are built in the test; the routes run on both engines."""

import csv
import datetime as dt
import html
import io
import re

import openpyxl

from planner.people.csv_import import read_beneficiaries, read_upload
from planner.people.import_columns import parse_date, phone
from planner.people.rules import clean_text, niss_problem
from planner.people.tables import Beneficiary, text_limits
from planner.web import MAX_UPLOAD_BYTES
from tests.conftest import login, post

TODAY = dt.date(2026, 11, 23)
LIMITS = text_limits()


def niss(birth: dt.date, serial: str = "123") -> str:
    """A valid national register number for someone born on `birth`, as written on an identity card."""
    nine = f"{birth:%y%m%d}{serial}"
    check = 97 - (int(nine) + (2_000_000_000 if birth.year >= 2000 else 0)) % 97
    return f"{nine[:2]}.{nine[2:4]}.{nine[4:6]}-{nine[6:]}.{check:02d}"


def read(data: bytes):
    return read_beneficiaries(read_upload(data), TODAY, LIMITS)


def names(result) -> list[tuple[str, str]]:
    return [(r.form.last_name, r.form.first_name) for r in result.rows]


# ---- pure: the reading of files and values ------------------------------------------------------------

def test_imp_18_an_iso_8859_1_export_with_a_byte_windows_1252_leaves_undefined_is_read():
    data = ("Nom;Prénom;Sexe;Date de naissance;Langue;Statut\r\n"
            "Müller;Zoë;F;01/02/1985;fr;RI\r\n").encode("latin-1") + b"Nu\x81ez;Ana;F;01/02/1985;fr;RI\r\n"
    result = read(data)
    assert result.ok and names(result)[0] == ("Müller", "Zoë")


def test_imp_18_german_headers_spelt_in_full_keep_the_last_name():
    # "Familienname" was not understood: every person came in with a first name only, and no warning.
    data = "Familienname;Vorname;Geschlecht;Geburtsdatum;Sprache;Status\nMüller;Jörg;M;01.02.1985;de;RI\n"
    result = read(data.encode("utf-8"))
    assert result.ok and names(result) == [("Müller", "Jörg")]


def test_imp_18_french_headers_with_spaces_capitals_and_a_degree_sign_are_understood():
    data = ("NOM DE FAMILLE,Prénom ,Sexe,Date naissance,Langue,Statut,N° de dossier,,\r\n"
            "De Smet,Anne,F,01/02/85,FR,R.I.,007,,\r\n")
    result = read(data.encode("utf-8-sig"))
    assert result.ok
    row = result.rows[0]
    assert (row.form.last_name, row.form.birth_date, row.form.status, row.form.file_reference) == (
        "De Smet", "1985-02-01", "ri", "007")


def test_imp_18_a_missing_column_is_named_with_the_line_the_file_has():
    result = read("Naam;Voornaam;Geboortedatum;Taal\nPeeters;Jan;01/02/1985;nl\n".encode())
    assert result.problem.startswith("Some columns are missing")
    assert result.missing == ("gender", "status") and result.header == "Naam | Voornaam | Geboortedatum | Taal"


def test_imp_18_a_quoted_name_over_two_lines_is_one_name():
    data = b'Nom;Pr\xe9nom;Sexe;Date de naissance;Langue;Statut\r\n"Van den\r\nBroeck";"Marie-\r\nTh\xe9r\xe8se";F;01/02/1985;nl;RI\r\n'
    result = read(data)
    assert result.ok and names(result) == [("Van den Broeck", "Marie- Thérèse")]


def test_imp_18_a_title_line_and_blank_lines_above_the_column_names_are_passed_over():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Liste des bénéficiaires — export du 01/11/2026"])
    sheet.merge_cells("A1:G1")
    sheet.append([])
    sheet.append(["Nom", "Prénom", "Sexe", "Date de naissance", "Langue", "Statut", "Dossier"])
    sheet.append(["Nguyễn", "Thị", "F", 31079, "fr", "RI", "00045"])  # a date column saved as numbers
    sheet.append([None] * 7)
    sheet.append(["Ørsted", "", "M", "1985-02-01", "fr", "ri", 46])
    sheet["G6"].number_format = "00000"  # 46 shown as 00046, as the social software numbers its files
    out = io.BytesIO()
    book.save(out)
    result = read(out.getvalue())
    assert result.ok, result.problem or [r.problems for r in result.rows]
    assert [(r.line, r.form.birth_date, r.form.file_reference) for r in result.rows] == [
        (4, "1985-02-01", "00045"), (6, "1985-02-01", "00046")]


def test_imp_18_a_comma_separated_file_with_a_title_line_is_split_on_its_commas():
    data = "Export 2026\nNom,Prénom,Sexe,Date de naissance,Langue,Statut\nDiallo,Fatou,F,03/02/1991,fr,RI\n"
    assert names(read(data.encode())) == [("Diallo", "Fatou")]


def test_imp_18_dates_as_offices_write_them():
    for typed in ("01/02/1985", "1985-02-01", "1/2/1985", "01.02.1985", "01-02-1985", "19850201", "31079",
                  "1985-02-01 00:00:00", "01/02/1985 00:00", "01/02/85"):
        assert parse_date(typed, TODAY) == "1985-02-01", typed
    assert parse_date("01/02/05", TODAY) == "2005-02-01"
    assert parse_date("31/02/1985", TODAY) == "31/02/1985"  # no such day: left for the rule to report


def test_imp_18_a_phone_number_excel_stored_as_a_number_gets_its_zero_back():
    assert phone("470123456") == "0470123456" and phone("22791111") == "022791111"
    assert phone("32470123456") == "+32470123456"
    assert phone("+32 470 12 34 56") == "+32 470 12 34 56" and phone("0470/12.34.56") == "0470/12.34.56"


def test_imp_18_emails_are_kept_in_small_letters_and_phones_as_typed():
    data = ("Nom;Prénom;Sexe;Date de naissance;Langue;Statut;E-mail;GSM\n"
            "O'Brien;Seán;M;01/02/1985;en;RI;Sean.OBrien@Mail.Example;+32 470 12 34 56\n"
            "D’Hondt;Lies;F;01/02/1985;nl;RI;;0470/12.34.56\n")
    result = read(data.encode())
    assert result.ok
    assert [(r.form.email, r.form.phone) for r in result.rows] == [
        ("sean.obrien@mail.example", "+32 470 12 34 56"), ("", "0470/12.34.56")]


def test_imp_18_names_are_kept_composed_whatever_keyboard_typed_them():
    assert clean_text("Mu\u0308ller\u00a0 ") == "Müller"  # a Mac's decomposed ü, a non-breaking space


def test_imp_18_the_national_register_number_checksum_with_the_rule_after_2000():
    born_1985, born_2005 = dt.date(1985, 2, 1), dt.date(2005, 2, 1)
    for typed in (niss(born_1985), niss(born_1985).replace(".", "").replace("-", ""),
                  " ".join(re.findall(r"\d+", niss(born_1985)))):
        assert niss_problem(typed, born_1985) == "", typed
    assert niss_problem(niss(born_2005), born_2005) == ""  # the 2 before the nine digits
    last = niss(born_1985)[-1]
    wrong = niss(born_1985)[:-1] + str((int(last) + 1) % 10)
    assert "do not match the first nine" in niss_problem(wrong, born_1985)
    assert "11 digits" in niss_problem("85.02.01-123.4", born_1985)
    assert "11 digits" in niss_problem("85.02.01-12A.45", born_1985)
    assert "birth date" in niss_problem(niss(born_1985), dt.date(1985, 2, 2))
    assert "birth date" in niss_problem(niss(born_2005), dt.date(1905, 2, 1))  # the century is in the check
    bis = niss(dt.date(1985, 2, 1)).replace("85.02", "85.22")  # a bis number: month + 20, checked again
    nine = re.sub(r"\D", "", bis)[:9]
    bis = bis[:-2] + f"{97 - int(nine) % 97:02d}"
    assert niss_problem(bis, born_1985) == ""


def test_imp_18_a_national_register_number_column_is_checked_on_each_line():
    born = dt.date(1985, 2, 1)
    data = ("Nom;Prénom;Sexe;Date de naissance;Langue;Statut;Numéro national\n"
            f"Müller;Jörg;M;01/02/1985;de;RI;{niss(born)}\n"
            "Peeters;Jan;M;01/02/1985;nl;RI;85.02.01-123.00\n")
    result = read(data.encode())
    assert not result.ok and result.niss_column == 6
    assert "niss" not in result.rows[0].problems
    assert "do not match" in result.rows[1].problems["niss"] and result.rows[1].raw["niss"] == "85.02.01-123.00"


# ---- routes (both engines) ----------------------------------------------------------------------------

async def upload(client, world, data: bytes, name: str = "export.csv"):
    return await post(client, "/people/import", {"organisation": str(world.rivebelle)},
                      files={"file": (name, data, "application/octet-stream")})


def carried_text(preview) -> str:
    return html.unescape(re.search(r'<textarea name="csv_text"[^>]*>(.*?)</textarea>', preview.text, re.S)[1])


async def test_imp_18_a_windows_export_with_national_numbers_is_imported_and_the_numbers_kept_nowhere(client, world):
    await login(client, world.social_worker)
    born = dt.date(1985, 2, 1)
    number = niss(born, "077")
    data = ("Rapport du CPAS\r\n\r\nNOM;PRÉNOM;SEXE;DATE DE NAISSANCE;LANGUE;STATUT;NISS;N° DE DOSSIER;;\r\n"
            f"Müller;Jörg;M;01/02/1985;fr;RI;{number};0099;;\r\n"
            f"D’Hondt;Marie-Thérèse;F;01/02/1985;fr;ERI;{number.replace('.', '').replace('-', '')};0100;;\r\n")
    preview = await upload(client, world, data.encode("cp1252"))
    assert preview.status_code == 200, preview.text
    assert "Müller, Jörg" in preview.text and "D’Hondt, Marie-Thérèse" in html.unescape(preview.text)
    assert 'id="niss-note"' in preview.text
    carried = carried_text(preview)
    assert number not in carried and number.replace(".", "").replace("-", "") not in carried
    assert number[:2] + number[3:5] not in preview.headers.get("location", "")
    saved = await post(client, "/people/import", {"organisation": str(world.rivebelle), "confirm": "1",
                                                  "csv_text": carried})
    assert saved.status_code == 303 and "85" not in saved.headers["location"]
    rows = await Beneficiary.select(Beneficiary.last_name, Beneficiary.file_reference).where(
        Beneficiary.file_reference.is_in(["0099", "0100"])).order_by(Beneficiary.file_reference)
    assert rows == [{"last_name": "Müller", "file_reference": "0099"},
                    {"last_name": "D’Hondt", "file_reference": "0100"}]
    for query, expected in (("muller", "Müller, Jörg"), ("dhondt", "D’Hondt, Marie-Thérèse"),
                            ("marie therese", "D’Hondt, Marie-Thérèse")):
        found = await post(client, "/people/search", {"query": query}, htmx=True)
        assert expected in html.unescape(found.text), query


async def test_imp_18_a_wrong_national_number_is_quoted_on_its_line_and_nothing_is_saved(client, world):
    await login(client, world.social_worker)
    data = "Nom;Prénom;Sexe;Date de naissance;Langue;Statut;Rijksregisternummer\nPeeters;Jan;M;01/02/1985;nl;RI;85020112300\n"
    preview = await upload(client, world, data.encode())
    assert preview.status_code == 422
    assert "“85020112300” is not a national register number" in html.unescape(preview.text)
    assert await Beneficiary.count().where(Beneficiary.last_name == "Peeters") == 0


async def test_imp_18_missing_columns_are_named_on_the_page(client, world):
    await login(client, world.social_worker)
    preview = await upload(client, world, "Naam;Voornaam;Geboortedatum\nPeeters;Jan;01/02/1985\n".encode())
    assert preview.status_code == 422
    text = html.unescape(preview.text)
    assert "Some columns are missing: Gender, Language, Status at the CPAS." in text
    assert "Naam | Voornaam | Geboortedatum" in text


async def test_imp_18_a_file_too_large_gets_the_import_page_with_the_limit(client, world):
    await login(client, world.social_worker)
    response = await upload(client, world, b"Nom;Prenom\n" + b"x" * (MAX_UPLOAD_BYTES + 10))
    assert response.status_code == 413
    text = html.unescape(response.text)
    assert "This file is larger than 10 MB" in text and 'name="file"' in text  # the form, to choose another


def test_imp_18_a_cp1252_csv_built_with_the_csv_module_round_trips():
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\r\n")
    writer.writerow(["Achternaam", "Voornaam", "Geslacht", "Geboortedatum", "Taal", "Statuut", "", ""])
    writer.writerow(["Van den Broeck", "Ingrid", "V", "01/02/1985", "Nederlands", "leefloon", "", ""])
    writer.writerow(["IJzerman", "Piet", "M", "1985-02-01", "nl", "RI", "", ""])
    result = read(out.getvalue().encode("cp1252"))
    assert result.ok and names(result) == [("Van den Broeck", "Ingrid"), ("IJzerman", "Piet")]
