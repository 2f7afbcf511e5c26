"""Reading a CSV export of the CPAS's social software into beneficiary forms (pure).

Exports differ: ; or , separators, French/Dutch/English headers, dd/mm/yyyy dates, UTF-8 or Windows
encoding. Every row is checked with the same rules as the form; the import is all or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass

from planner.people.rules import BeneficiaryForm, beneficiary_problems

N_ = str  # marks a message id for extraction; it is translated where it is shown
MAX_ROWS = 2000

# Header spellings seen in exports, after lower-casing and removing accents and separators.
ALIASES = {
    "last_name": {"lastname", "nom", "naam", "familienaam", "achternaam", "surname", "nachname", "name"},
    "first_name": {"firstname", "prenom", "voornaam", "vorname", "givenname"},
    "gender": {"gender", "sexe", "geslacht", "genre", "geschlecht", "sex"},
    "birth_date": {"birthdate", "datedenaissance", "naissance", "geboortedatum", "geburtsdatum", "dateofbirth"},
    "language": {"language", "langue", "taal", "sprache"},
    "email": {"email", "mail", "courriel", "adresseemail", "emailadres"},
    "phone": {"phone", "telephone", "tel", "gsm", "telefoon", "telefon", "mobile"},
    "status": {"status", "statut", "statuut"},
    "file_reference": {"filereference", "reference", "dossier", "numerodedossier", "dossiernummer", "ref", "aktenzeichen"},
}
REQUIRED = ("last_name", "first_name", "gender", "birth_date", "language", "status")
GENDERS = {"f": "F", "v": "F", "w": "F", "female": "F", "femme": "F", "vrouw": "F", "frau": "F",
           "m": "M", "h": "M", "male": "M", "homme": "M", "man": "M", "mann": "M", "x": "X"}
STATUSES = {"ri": "ri", "ris": "ri", "ll": "ri", "leefloon": "ri", "revenudintegration": "ri",
            "eri": "eri", "equivalentri": "eri", "equivalentleefloon": "eri", "aidesociale": "eri",
            "other": "other_user", "other_user": "other_user", "autre": "other_user", "andere": "other_user",
            "usager": "other_user", "gebruiker": "other_user"}
LANGUAGE_CODES = {"fr": "fr", "francais": "fr", "frans": "fr", "nl": "nl", "neerlandais": "nl", "nederlands": "nl",
                  "de": "de", "allemand": "de", "duits": "de", "deutsch": "de", "en": "en", "anglais": "en",
                  "engels": "en", "english": "en"}


def _key(value: str) -> str:
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in plain if c.isalnum() or c == "_")


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _date(value: str) -> str:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return value  # left as typed: the form rule reports it


@dataclass(frozen=True)
class ImportRow:
    line: int  # as in a spreadsheet: the header is line 1
    form: BeneficiaryForm
    problems: dict[str, str]


@dataclass(frozen=True)
class ImportResult:
    rows: list[ImportRow]
    problem: str = ""  # a problem with the whole file

    @property
    def ok(self) -> bool:
        return not self.problem and bool(self.rows) and not any(r.problems for r in self.rows)


def read_beneficiaries(text: str, today: dt.date, known_references: set[str] = frozenset()) -> ImportResult:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return ImportResult([], N_("The file is empty."))
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        for field, aliases in ALIASES.items():
            if _key(name) in aliases or _key(name) == field.replace("_", ""):
                columns.setdefault(field, index)
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        return ImportResult([], N_("Some columns are missing. The file needs: last name, first name, gender, "
                                   "birth date, language and status."))
    rows: list[ImportRow] = []
    seen: set[str] = set()
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            return ImportResult([], N_("The file has more than 2000 people. Split it in smaller files."))

        def cell(field: str) -> str:
            index = columns.get(field)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        form = BeneficiaryForm(
            first_name=cell("first_name"), last_name=cell("last_name"),
            gender=GENDERS.get(_key(cell("gender")), cell("gender")), birth_date=_date(cell("birth_date")),
            language=LANGUAGE_CODES.get(_key(cell("language")), cell("language").lower()),
            email=cell("email"), phone=cell("phone"),
            status=STATUSES.get(_key(cell("status")), cell("status").lower()), file_reference=cell("file_reference"),
        )
        problems = beneficiary_problems(form, today)
        reference = form.file_reference
        if reference and (reference in known_references or reference in seen):
            problems["file_reference"] = N_("A person with this file reference already exists.")
        if reference:
            seen.add(reference)
        rows.append(ImportRow(line, form, problems))
    if not rows:
        return ImportResult([], N_("The file has no people in it."))
    return ImportResult(rows)
