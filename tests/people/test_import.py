import datetime as dt
import html
import io
import random
import re
import zipfile

import openpyxl
import pytest
from markupsafe import escape

from planner.auth.tables import User
from planner.people.csv_import import decode, read_beneficiaries, read_text
from planner.people.tables import Beneficiary, text_limits
from tests.conftest import login, post

TODAY = dt.date(2026, 11, 23)
LIMITS = text_limits()
GOOD = ("Nom;Prénom;Sexe;Date de naissance;Langue;Statut;GSM;Dossier\n"
        "Diallo;Fatou;F;03/02/1991;fr;RI;0470 11 22 33;RIV-11\n"
        "Peeters;Jonas;M;1985-12-24;nl;ERI;;RIV-12\n")
# Issue 12, section 4: the names, in the order a reader expects them in every list.
ISSUE_PEOPLE = [("Çelik", "Deniz"), ("D'Hondt", "Gaëlle"), ("de Smet", "Noël"), ("Évrard", "Jérôme"),
                ("Goossens", "Lætitia"), ("Özdemir", "Zoë"), ("Van Damme", "Cœline"), ("Wauters", "François")]
HEADER = ["Nom", "Prénom", "Sexe", "Date de naissance", "Langue", "Statut", "Dossier"]
SAVE_HINT = "Save the list from your spreadsheet or social software as “CSV UTF-8” or as an Excel workbook (.xlsx)"


def issue_rows(birth=lambda n: f"0{n + 1}/02/1991") -> list[list]:
    # Shuffled: the file's order must not be what the list shows.
    rows = [[last, first, "F", birth(n), "fr", "RI", f"RIV-€{n}"] for n, (last, first) in enumerate(ISSUE_PEOPLE)]
    random.Random(12).shuffle(rows)
    return rows


def text_file(separator: str, encoding: str) -> bytes:
    lines = [separator.join(HEADER)] + [separator.join(row) for row in issue_rows()]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_file() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for n, row in enumerate(issue_rows()):
        if n % 2:  # half as date cells, half as dd/mm/yyyy text, as offices type them
            row[3] = dt.datetime.strptime(row[3], "%d/%m/%Y")
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def upload(client, world, data: bytes, name: str = "export.csv"):
    return await post(client, "/people/import", {"organisation": str(world.rivebelle)},
                      files={"file": (name, data, "application/octet-stream")})


def carried_text(preview) -> str:
    """The file's rows as the preview page carries them to the confirming POST."""
    return html.unescape(re.search(r'<textarea name="csv_text"[^>]*>(.*?)</textarea>', preview.text, re.S)[1])


def test_a_belgian_excel_export_is_read():
    result = read_beneficiaries(read_text(GOOD), TODAY, LIMITS)
    assert result.ok
    assert result.rows[0].form.birth_date == "1991-02-03" and result.rows[1].form.status == "eri"


def test_each_bad_row_is_reported_with_its_line():
    result = read_beneficiaries(read_text(GOOD + "\nNowak;Anna;Q;31/02/1990;fr;RI;;\n"), TODAY, LIMITS)
    assert not result.ok
    bad = result.rows[2]
    assert bad.line == 5 and set(bad.problems) == {"gender", "birth_date"}  # the blank line 4 counts


def test_a_file_without_the_needed_columns_is_refused():
    assert read_beneficiaries(read_text("a,b\n1,2\n"), TODAY, LIMITS).problem.startswith("Some columns are missing")


JONAS_NOW = {"last_name": "Peeters", "first_name": "Jonas", "gender": "M", "birth_date": "1985-12-24",
             "language": "fr", "status": "eri", "email": "jonas@mail.example", "phone": ""}


def test_a_known_file_reference_updates_that_person_and_lists_what_changes():
    result = read_beneficiaries(read_text(GOOD), TODAY, LIMITS, known={"RIV-12": JONAS_NOW})
    assert result.ok
    jonas = result.rows[1]
    assert jonas.known and jonas.changes == (("language", "fr", "nl"),)  # the file has no e-mail column: kept
    assert jonas.form.email == "jonas@mail.example"
    assert [r.form.last_name for r in result.new_rows] == ["Diallo"]
    assert [r.form.last_name for r in result.changed_rows] == ["Peeters"]


def test_a_known_person_the_file_does_not_change_is_counted_as_unchanged():
    result = read_beneficiaries(read_text(GOOD), TODAY, LIMITS, known={"RIV-12": {**JONAS_NOW, "language": "nl"}})
    assert result.unchanged_count == 1 and not result.changed_rows


def test_the_same_file_reference_twice_in_a_file_is_a_problem():
    result = read_beneficiaries(read_text(GOOD + "Peeters;Jan;M;1985-12-24;nl;ERI;;RIV-12\n"), TODAY, LIMITS)
    assert "file_reference" in result.rows[2].problems


def test_a_value_not_understood_is_quoted_with_the_spellings_accepted():
    result = read_beneficiaries(read_text(GOOD + "Nowak;Anna;Q;31/02/1990;polski;chômeur;;\n"), TODAY, LIMITS)
    problems = result.rows[2].problems
    assert result.rows[2].raw["gender"] == "Q" and result.rows[2].raw["status"] == "chômeur"
    assert problems["gender"].startswith("“%(value)s” is not a gender") and "F, M or X" in problems["gender"]
    assert "fr, nl, de or en" in problems["language"] and "RI, ERI or other" in problems["status"]
    assert "17/05/1990" in problems["birth_date"]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_each_sample_file_imports_as_it_is(language):
    from planner.people.reimport import sample_csv

    data = sample_csv(language)
    assert data.startswith(b"\xef\xbb\xbf") and b";" in data  # UTF-8 with its BOM, semicolons: as Excel saves
    result = read_beneficiaries(read_text(decode(data)), TODAY, LIMITS)
    assert result.ok and result.rows[0].form.file_reference == "2026/0001"


def test_windows_encoded_files_keep_their_accents():
    assert decode("Prénom Œ €".encode("cp1252")) == "Prénom Œ €"


async def test_an_import_is_previewed_then_saved_all_at_once(client, world):
    await login(client, world.social_worker)
    preview = await upload(client, world, GOOD.encode("utf-8"))
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
    assert "“not a date” is not a date this import understands. Write day/month/year" in html.unescape(response.text)
    assert await Beneficiary.count().where(Beneficiary.last_name == "Diallo") == 0


async def test_nobody_imports_into_another_cpas(client, world):
    await login(client, world.social_worker)
    response = await post(client, "/people/import", {"organisation": str(world.elsewhere), "confirm": "1",
                                                     "csv_text": GOOD})
    assert response.status_code == 404
    assert await Beneficiary.count().where(Beneficiary.last_name == "Diallo") == 0


@pytest.mark.parametrize("kind, data", [
    ("CSV UTF-8", text_file(";", "utf-8")),
    ("CSV UTF-8 with BOM (Excel's “CSV UTF-8”)", text_file(";", "utf-8-sig")),
    ("CSV Windows-1252 (Excel's plain “CSV”)", text_file(";", "cp1252")),
    ("CSV with commas", text_file(",", "utf-8")),
    ("Unicode text (UTF-16 with BOM, tabs)", text_file("\t", "utf-16")),
    ("Excel workbook (.xlsx)", xlsx_file()),
], ids=["utf8", "utf8-bom", "cp1252", "comma", "utf16-tabs", "xlsx"])
async def test_each_kind_of_file_offices_save_is_imported_with_its_accents(client, world, kind, data):
    await login(client, world.social_worker)
    preview = await upload(client, world, data)
    assert preview.status_code == 200, kind
    assert "Confirm: add 8, update 0" in preview.text
    assert "D&#39;Hondt, Gaëlle" in preview.text and "Van Damme, Cœline" in preview.text
    saved = await post(client, "/people/import", {"organisation": str(world.rivebelle), "confirm": "1",
                                                  "csv_text": carried_text(preview)})
    assert saved.status_code == 303
    rows = await Beneficiary.select(Beneficiary.last_name, Beneficiary.first_name, Beneficiary.birth_date,
                                    Beneficiary.file_reference).where(Beneficiary.file_reference.like("RIV-€%"))
    assert sorted((r["last_name"], r["first_name"]) for r in rows) == sorted(ISSUE_PEOPLE)
    assert {r["file_reference"]: r["birth_date"] for r in rows}["RIV-€3"] == dt.date(1991, 2, 4)
    listed = (await client.get("/people")).text
    positions = [listed.index(escape(f"{last}, {first}")) for last, first in ISSUE_PEOPLE]
    assert positions == sorted(positions)


def zip_of_a_text_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize("data, says", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8, "This is an old Excel file (.xls)."),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n" + random.Random(1).randbytes(3000),
     "This file cannot be read as a list of people."),
    (random.Random(2).randbytes(5000), "This file cannot be read as a list of people."),
    (zip_of_a_text_document(), "This file cannot be read as a list of people."),
    (b"", "The file is empty."),
    (b"\r\n \r\n", "The file is empty."),
], ids=["xls", "pdf", "random-bytes", "docx-like-zip", "empty", "blank"])
async def test_a_file_that_is_no_list_is_refused_with_how_to_save_it(client, world, data, says):
    await login(client, world.social_worker)
    before = await Beneficiary.count()
    response = await upload(client, world, data, "people.xls")
    assert response.status_code == 422
    assert escape(says) in response.text and escape(SAVE_HINT) in response.text
    assert await Beneficiary.count() == before


async def test_the_refusal_is_in_the_readers_language(client, world):
    await User.update({User.language: "nl"}).where(User.id == world.social_worker["id"])
    await login(client, world.social_worker)
    response = await upload(client, world, b"%PDF-1.4\x00\x01\x02\x03" * 50, "people.pdf")
    assert response.status_code == 422
    assert escape("Sla de lijst uit uw rekenblad of sociale software op als “CSV UTF-8”") in response.text


async def test_people_with_one_name_are_imported_and_a_row_without_any_is_refused(client, world):
    await login(client, world.social_worker)
    text = ("Nom;Prénom;Sexe;Date de naissance;Langue;Statut;Dossier\n"
            "Sukarno;;M;01/06/1970;fr;RI;RIV-31\n;Mariam;F;02/06/1980;nl;RI;RIV-32\n")
    preview = await upload(client, world, text.encode())
    assert preview.status_code == 200 and "<td>Sukarno</td>" in preview.text and "<td>Mariam</td>" in preview.text
    saved = await post(client, "/people/import", {"organisation": str(world.rivebelle), "confirm": "1",
                                                  "csv_text": carried_text(preview)})
    assert saved.status_code == 303
    assert await Beneficiary.count().where(Beneficiary.file_reference.is_in(["RIV-31", "RIV-32"])) == 2
    refused = await upload(client, world, (text + ";;F;03/06/1990;fr;RI;RIV-33\n").encode())
    assert refused.status_code == 422
    assert "Fill in the first name or the last name, or both." in refused.text


async def test_too_long_cells_are_refused_on_their_line_and_nul_bytes_dropped(client, world):
    await login(client, world.social_worker)
    two_phones = "0470 12 34 56 / 02 123 45 67 / 0499 12 34 56"  # 44 characters: a 500 on PostgreSQL before
    text = ("Nom;Prénom;Sexe;Date de naissance;Langue;Statut;GSM;Dossier\n"
            f"{'L' * 130};Anna;F;01/06/1970;fr;RI;;RIV-41\n"
            f"Nowak;Ewa\x00;F;01/06/1970;fr;RI;{two_phones};RIV-42\n")
    refused = await upload(client, world, text.encode())
    assert refused.status_code == 422
    assert "This is too long: at most 100 characters." in refused.text
    assert await Beneficiary.count().where(Beneficiary.file_reference.like("RIV-4%")) == 0
    fixed = text.replace("L" * 130, "L" * 100)
    preview = await upload(client, world, fixed.encode())
    saved = await post(client, "/people/import", {"organisation": str(world.rivebelle), "confirm": "1",
                                                  "csv_text": carried_text(preview)})
    assert saved.status_code == 303
    row = await Beneficiary.select().where(Beneficiary.file_reference == "RIV-42").first()
    assert row["first_name"] == "Ewa" and row["phone"] == two_phones


async def test_a_quote_never_closed_is_refused_not_a_server_error(client, world):
    await login(client, world.social_worker)
    text = GOOD + 'Nowak;"Anna;F;01/06/1970;fr;RI;;\n' + "x" * 200_000 + "\n"
    response = await upload(client, world, text.encode())
    assert response.status_code == 422 and str(escape(SAVE_HINT)) in response.text


def workbook_swollen_with_cells(rows: int = 1100, columns: int = 1000) -> bytes:
    """A real workbook (the header, then rows of a thousand cells): half a megabyte to upload, 44 MB of
    sheet to parse, which held the server for most of a minute."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_file())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in source.namelist():
            if name == "xl/worksheets/sheet1.xml":
                row = "<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * columns + "</row>"
                copy.writestr(name, '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                              'openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + row * rows
                              + "</sheetData></worksheet>")
            else:
                copy.writestr(name, source.read(name))
    return out.getvalue()


async def test_a_workbook_swollen_far_beyond_a_list_is_refused_before_it_is_read(client, world):
    import time

    await login(client, world.social_worker)
    data = workbook_swollen_with_cells()
    assert len(data) < 1_000_000
    started = time.monotonic()
    response = await upload(client, world, data, "people.xlsx")
    assert response.status_code == 422
    assert "This workbook is too large to be a list of people." in response.text
    assert escape(SAVE_HINT) in response.text
    assert time.monotonic() - started < 10
    assert await Beneficiary.count() == 2


# ---- the monthly full export, imported again (issue 18) --------------------------------------------------------

MONTHLY = ("Nom;Prénom;Sexe;Date de naissance;Langue;Statut;Courriel;GSM;Dossier\n"
           "Diallo;Fatou;F;03/02/1991;fr;RI;fatou@mail.example;0470 11 22 33;RIV-11\n"
           "Peeters;Jonas;M;24/12/1985;nl;ERI;;;RIV-12\n")


async def test_i18_the_import_preview_shows_changes_in_words_and_dates_in_the_readers_style(client, world):
    """Issue 18: the preview of an English reader shows "24 Dec 1985" (en_BE), words for codes, never ISO dates."""
    await login(client, world.social_worker)
    await post(client, "/people/import", {"organisation": str(world.rivebelle), "confirm": "1", "csv_text": MONTHLY})
    changed = MONTHLY.replace("Peeters;Jonas;M;24/12/1985;nl;ERI;", "Peeters;Jonas;X;25/12/1985;nl;RI;")
    preview = await upload(client, world, changed.encode("utf-8-sig"))
    assert preview.status_code == 200
    text = preview.text
    assert "Gender: <del>Man</del> → <ins>X (other or not stated)</ins>" in text
    assert "Birth date: <del>24 Dec 1985</del> → <ins>25 Dec 1985</ins>" in text
    assert ("Status at the CPAS: <del>Equivalent of integration income</del> → <ins>Integration income (RI)</ins>"
            in text)
    assert "1985-12-2" not in text.split("<textarea")[0]  # the file carried to the confirmation aside
    assert "Dec 25, 1985" not in text and "12/25/85" not in text


async def test_the_monthly_export_imported_again_updates_known_people_and_adds_nobody_twice(client, world):
    await login(client, world.social_worker)
    await post(client, "/people/import", {"organisation": str(world.rivebelle), "confirm": "1", "csv_text": MONTHLY})
    next_month = MONTHLY.replace("fatou@mail.example", "fatou.diallo@mail.example").replace(";nl;ERI;", ";fr;ERI;")
    preview = await upload(client, world, next_month.encode("utf-8-sig"))
    assert preview.status_code == 200
    assert "0 new people will be added." in preview.text and "2 known people will be updated." in preview.text
    assert "<del>fatou@mail.example</del> → <ins>fatou.diallo@mail.example</ins>" in preview.text
    assert "Language: <del>Nederlands</del> → <ins>Français</ins>" in preview.text
    saved = await post(client, "/people/import", {"organisation": str(world.rivebelle), "confirm": "1",
                                                  "csv_text": carried_text(preview)})
    assert saved.status_code == 303
    rows = await Beneficiary.select().where(Beneficiary.file_reference.is_in(["RIV-11", "RIV-12"]))
    assert len(rows) == 2
    assert {r["email"] for r in rows} == {"fatou.diallo@mail.example", ""} and {r["language"] for r in rows} == {"fr"}
    assert {r["version"] for r in rows} == {2}


async def test_the_preview_shows_every_value_it_understood(client, world):
    await login(client, world.social_worker)
    preview = (await upload(client, world, MONTHLY.encode("cp1252"))).text
    line = preview.split('id="line-2"', 1)[1].split("</tr>", 1)[0]
    for shown in ("Diallo, Fatou", "Woman", "03 Feb 1991", "Français", "Integration income (RI)", "fatou@mail.example",
                  "RIV-11", "New person"):
        assert shown in line, shown


async def test_a_bad_value_is_quoted_in_the_preview(client, world):
    await login(client, world.social_worker)
    preview = (await upload(client, world, (MONTHLY + "Nowak;Anna;Q;1990-01-01;fr;RI;;;RIV-13\n").encode())).text
    assert "“Q” is not a gender this import understands. Write F, M or X" in html.unescape(preview)


async def test_the_sample_files_download_in_each_language(client, world):
    await login(client, world.social_worker)
    response = await client.get("/people/import/sample/nl")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").startswith("Naam;Voornaam;Geslacht;Geboortedatum")
    assert (await client.get("/people/import/sample/xx")).status_code == 404
    assert 'href="/people/import/sample/de"' in (await client.get("/people/import")).text
