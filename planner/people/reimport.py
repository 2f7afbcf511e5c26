"""Importing the social software's monthly full export again (issue 18), and the sample files: pure.

A row whose file reference is already known updates that person; what changes is listed, field by field
(old → new), before the import is confirmed. A field whose column the file does not have keeps its value.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Mapping

from planner.people.rules import BeneficiaryForm

# The fields an import may change, in the order the preview lists them.
COMPARED = ("last_name", "first_name", "gender", "birth_date", "language", "status", "email", "phone")


def current_values(row: Mapping) -> dict[str, str]:
    """A stored person as the import compares them: text values, the birth date as yyyy-mm-dd."""
    values = {field: str(row.get(field) or "") for field in COMPARED}
    birth = row.get("birth_date")
    values["birth_date"] = birth.isoformat() if hasattr(birth, "isoformat") else values["birth_date"]
    return values


def merged(form: BeneficiaryForm, current: Mapping[str, str], columns: set[str]) -> BeneficiaryForm:
    """The form to save for a known person: the file's value where the file has the column, else the current one."""
    kept = {field: current.get(field, "") for field in COMPARED if field not in columns}
    return dataclasses.replace(form, **kept)


def changes(current: Mapping[str, str], form: BeneficiaryForm) -> tuple[tuple[str, str, str], ...]:
    """(field, old, new) for each compared field the form changes; e-mail addresses compared without case."""
    found = []
    for field in COMPARED:
        old, new = current.get(field, ""), getattr(form, field)
        if (old.lower() != new.lower()) if field == "email" else (old != new):
            found.append((field, old, new))
    return tuple(found)


# A sample file per language, its headers spelt as the importer reads them (csv_import.ALIASES) and one person.
SAMPLES = {
    "fr": (("Nom", "Prénom", "Sexe", "Date de naissance", "Langue", "Statut", "Courriel", "Téléphone",
            "Numéro de dossier"),
           ("Dupont", "Marie", "F", "17/05/1990", "fr", "RI", "marie.dupont@exemple.be", "0470 12 34 56", "2026/0001")),
    "nl": (("Naam", "Voornaam", "Geslacht", "Geboortedatum", "Taal", "Statuut", "E-mail", "Telefoon",
            "Dossiernummer"),
           ("Peeters", "Jan", "M", "24/12/1985", "nl", "leefloon", "jan.peeters@voorbeeld.be", "0470 12 34 56",
            "2026/0001")),
    "de": (("Nachname", "Vorname", "Geschlecht", "Geburtsdatum", "Sprache", "Status", "E-Mail", "Telefon",
            "Aktenzeichen"),
           ("Schmitz", "Anna", "F", "03.02.1991", "de", "RI", "anna.schmitz@beispiel.be", "0470 12 34 56",
            "2026/0001")),
    "en": (("Last name", "First name", "Gender", "Birth date", "Language", "Status", "E-mail", "Phone",
            "File reference"),
           ("Smith", "Alex", "X", "01/09/1979", "en", "ERI", "alex.smith@example.be", "0470 12 34 56", "2026/0001")),
}


def sample_csv(language: str) -> bytes:
    """The sample file of a language (KeyError for another): UTF-8 with its BOM and semicolons, as Excel
    saves "CSV UTF-8" in Belgium, so it opens with its accents in Excel and imports as it is."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(SAMPLES[language])
    return out.getvalue().encode("utf-8-sig")
