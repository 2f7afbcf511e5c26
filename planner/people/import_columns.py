"""What the import understands in a file's header and cells (pure): column names as the social software and
offices write them in French, Dutch, German and English, and cell values as Excel and CSV exports give them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata


def key(value: str) -> str:
    """A header or a code as compared: no accents, lower case, only letters, digits and _ ("N° de dossier" ->
    "ndedossier", "Date de naissance " -> "datedenaissance")."""
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in plain if c.isalnum() or c == "_")


# Header spellings seen in exports, as key() gives them.
ALIASES = {
    "last_name": {"lastname", "nom", "naam", "familienaam", "achternaam", "surname", "nachname", "name",
                  "nomdefamille", "nomfamille", "familyname", "familienname", "famname", "nomdenaissance"},
    "first_name": {"firstname", "prenom", "voornaam", "vorname", "givenname", "prenoms", "voornamen", "vornamen",
                   "firstnames", "givennames", "prenomusuel", "roepnaam"},
    "gender": {"gender", "sexe", "geslacht", "genre", "geschlecht", "sex"},
    "birth_date": {"birthdate", "datedenaissance", "naissance", "geboortedatum", "geburtsdatum", "dateofbirth",
                   "datenaissance", "datedenaiss", "datenaiss", "dob", "birthday", "geburtstag", "geboortedag",
                   "geboren", "nele", "nee", "ne"},
    "language": {"language", "langue", "taal", "sprache", "languedecorrespondance", "languecorrespondance",
                 "correspondentietaal", "korrespondenzsprache", "taalrol"},
    "email": {"email", "mail", "courriel", "adresseemail", "emailadres", "emailadresse", "adressemail",
              "adressecourriel", "emailaddress", "adresseelectronique", "emailadresse"},
    "phone": {"phone", "telephone", "tel", "gsm", "telefoon", "telefon", "mobile", "telephonenumber",
              "numerodetelephone", "telefoonnummer", "telefonnummer", "handy", "portable", "mobiel", "gsmnummer",
              "phonenumber", "telnr", "telephoneportable", "mobilnummer"},
    "status": {"status", "statut", "statuut"},
    "file_reference": {"filereference", "reference", "dossier", "numerodedossier", "dossiernummer", "ref",
                       "aktenzeichen", "ndedossier", "nodedossier", "ndossier", "nodossier", "numerodossier",
                       "dossiernr", "dossierno", "refdossier", "referencedossier", "akte", "aktennummer",
                       "filenumber", "casenumber", "dossiern", "dossierref"},
    # Checked, never kept (people/tables.py: planner holds no national register number).
    "niss": {"niss", "insz", "nn", "rrn", "nrn", "ssin", "numeronational", "registrenational",
             "numeroderegistrenational", "numeroregistrenational", "numeronationalniss", "rijksregisternummer",
             "rijksregister", "rijksregisternr", "nationalnumber", "nationalregisternumber", "nationalenummer",
             "nationalnummer", "nationalregisternummer", "inszrijksregisternummer", "nissinsz", "inszniss"},
}
# Kept in the preview's carried rows and compared with a known person; "niss" is left out of both.
KEPT = ("last_name", "first_name", "gender", "birth_date", "language", "email", "phone", "status", "file_reference")


def column_of(name: str) -> str | None:
    """The field a header names, or None."""
    found = key(name)
    if not found:
        return None
    return next((f for f, aliases in ALIASES.items() if found in aliases or found == f.replace("_", "")), None)


def columns_of(header: list[str]) -> dict[str, int]:
    """Field -> index of the first column of the header naming it."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        field = column_of(name)
        if field:
            columns.setdefault(field, index)
    return columns


# An Excel date serial: days since 1899-12-30 (Excel's 1900 system, its leap-year bug included).
EXCEL_EPOCH = dt.date(1899, 12, 30)
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")  # "1985-02-01 00:00:00" from a date cell saved as text


def parse_date(value: str, today: dt.date) -> str:
    """A birth date cell as yyyy-mm-dd, or the value as typed (the form rule reports it): dd/mm/yyyy, dd-mm-yyyy,
    dd.mm.yyyy, yyyy-mm-dd, yyyymmdd, dd/mm/yy (a two-digit year after this year's is last century), with or
    without a time after it, and Excel serial numbers (a date column saved as numbers)."""
    value = _TIME_TAIL.sub("", value.strip()).strip()
    if value.isascii() and value.isdigit() and len(value) <= 5 and 0 < int(value) < 2_958_466:
        return (EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y%m%d", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    short = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})", value)
    if short:
        day, month, year = (int(g) for g in short.groups())
        year += 2000 if year <= today.year % 100 else 1900
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return value
    return value


def phone(value: str) -> str:
    """A phone cell as kept: a Belgian number that Excel stored as a number lost its leading 0 ("470123456" ->
    "0470123456", "32470123456" -> "+32470123456"); anything else as typed."""
    if value.isascii() and value.isdigit():
        if len(value) in (8, 9) and not value.startswith("0"):
            return "0" + value
        if len(value) in (10, 11) and value.startswith("32"):
            return "+" + value
    return value
