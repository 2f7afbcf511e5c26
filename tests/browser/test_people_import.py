"""Importing the monthly full export twice in a browser (issue 18): the second preview lists the changes, the
confirmation updates the people, nobody is added twice."""

import pytest
from playwright.async_api import expect

from planner.people.tables import Beneficiary
from tests.browser.test_tablet_login import sign_in

pytestmark = pytest.mark.browser
EXPORT = ("Nom;Prénom;Sexe;Date de naissance;Langue;Statut;Courriel;GSM;Dossier\r\n"
          "Diallo;Fatou;F;03/02/1991;fr;RI;fatou@mail.example;0470 11 22 33;RIV-11\r\n"
          "Peeters;Jonas;M;24/12/1985;nl;ERI;;;RIV-12\r\n")


async def _import(page, server: str, data: bytes) -> None:
    await page.goto(f"{server}/people/import")
    await page.get_by_label("CSV or Excel file").set_input_files(
        {"name": "export.csv", "mimeType": "text/csv", "buffer": data})
    await page.get_by_role("button", name="Check the file").tap()


async def test_the_monthly_export_imported_again_shows_its_changes_and_adds_nobody_twice(server, world, tablet):
    await sign_in(tablet, server, world.social_worker["email"])
    await _import(tablet, server, EXPORT.encode("cp1252"))  # Windows-1252, as many offices save it
    await expect(tablet.locator("#import-summary")).to_contain_text("2 new people will be added.")
    await tablet.get_by_role("button", name="Confirm: add 2, update 0").tap()
    await expect(tablet.locator(".flash")).to_contain_text("2 people have been imported.")

    next_month = EXPORT.replace("fatou@mail.example", "fatou.diallo@mail.example").replace(";nl;ERI;", ";fr;ERI;")
    await _import(tablet, server, next_month.encode("utf-8-sig"))  # Excel's "CSV UTF-8", with its BOM
    await expect(tablet.locator("#import-summary")).to_contain_text("0 new people will be added.")
    await expect(tablet.locator("#import-summary")).to_contain_text("2 known people will be updated.")
    await expect(tablet.locator("#line-2 .changes")).to_contain_text("fatou@mail.example → fatou.diallo@mail.example")
    await expect(tablet.locator("#line-3 .changes")).to_contain_text("Language: Nederlands → Français")
    await tablet.get_by_role("button", name="Confirm: add 0, update 2").tap()
    await expect(tablet.locator(".flash")).to_contain_text("2 people have been updated.")
    rows = await Beneficiary.select(Beneficiary.email, Beneficiary.language).where(
        Beneficiary.file_reference.is_in(["RIV-11", "RIV-12"]))
    assert sorted((r["email"], r["language"]) for r in rows) == [("", "fr"), ("fatou.diallo@mail.example", "fr")]
