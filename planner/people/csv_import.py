"""Reading an export of the CPAS's social software, or a spreadsheet, into beneficiary forms (pure).

Files as Belgian offices save them: CSV in UTF-8 (with or without BOM) or Windows-1252, "Unicode text"
(UTF-16 with BOM, tab-separated), separators ; , or tab, and Excel workbooks (.xlsx, read directly);
French/Dutch/German/English headers, dd/mm/yyyy dates or date cells. Every row is checked with the same
rules as the form; the import is all or nothing. A known file reference updates that person
(reimport.py): the monthly full export can be imported again without making anyone twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

from planner.people.import_columns import ALIASES, KEPT, columns_of, key, parse_date, phone
from planner.people.reimport import changes, merged
from planner.people.rules import BeneficiaryForm, beneficiary_problems, clean_text, niss_problem, parse_date as iso_date
from planner.i18n import N_

MAX_ROWS = 2000

REQUIRED = ("gender", "birth_date", "language", "status")  # and a name column: last, first or both
GENDERS = {"f": "F", "v": "F", "w": "F", "female": "F", "femme": "F", "vrouw": "F", "frau": "F",
           "m": "M", "h": "M", "male": "M", "homme": "M", "man": "M", "mann": "M", "x": "X"}
STATUSES = {"ri": "ri", "ris": "ri", "ll": "ri", "leefloon": "ri", "revenudintegration": "ri",
            "eri": "eri", "equivalentri": "eri", "equivalentleefloon": "eri", "aidesociale": "eri",
            "other": "other_user", "other_user": "other_user", "autre": "other_user", "andere": "other_user",
            "usager": "other_user", "gebruiker": "other_user"}
LANGUAGE_CODES = {"fr": "fr", "francais": "fr", "frans": "fr", "nl": "nl", "neerlandais": "nl", "nederlands": "nl",
                  "de": "de", "allemand": "de", "duits": "de", "deutsch": "de", "en": "en", "anglais": "en",
                  "engels": "en", "english": "en"}


HOW_TO_SAVE = N_("Save the list from your spreadsheet or social software as “CSV UTF-8” or as an Excel "
                  "workbook (.xlsx), then choose that file.")
UNREADABLE = N_("This file cannot be read as a list of people.")
OLD_EXCEL = N_("This is an old Excel file (.xls).")
EMPTY = N_("The file is empty.")
SWOLLEN = N_("This workbook is too large to be a list of people.")
# The sheets and shared texts of a workbook, unpacked: 2000 people take a few megabytes; a file of half a
# megabyte can unpack to hundreds (a thousand cells a row), each one parsed, the server busy for minutes.
MAX_UNPACKED_SHEETS = 20_000_000


class UnreadableFile(ValueError):
    """The upload is no CSV, text or .xlsx file; args[0] is an untranslated message id."""


def decode(data: bytes) -> str:
    """Text of a CSV or text export: UTF-16 with its BOM ("Unicode text"), UTF-8 with or without
    BOM, else Windows-1252. UnreadableFile when it is no text at all."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif len(data) >= 4 and data[1] == 0 and data[3] == 0 and data[0] and data[2]:
        encodings = ("utf-16-le",)  # "Unicode text" whose BOM was lost
    else:
        encodings = ("utf-8-sig", "cp1252", "latin-1")  # ISO-8859-1: bytes cp1252 leaves undefined
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(UNREADABLE)
    # A PDF, an image or random bytes decode as Windows-1252 too, but are full of control characters.
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\r\n")
    if controls > len(text) // 100:
        raise UnreadableFile(UNREADABLE)
    return text


def _cell_text(value, number_format: str = "General") -> str:
    # A reference such as 00045 typed in a cell formatted "00000" is the number 45 shown with its zeros.
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() \
            and number_format and set(number_format) == {"0"}:
        return str(int(value)).zfill(len(number_format))
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes) -> list[list[str]]:
    """The first sheet's rows as text; date cells as yyyy-mm-dd. UnreadableFile if it is no workbook."""
    import openpyxl  # only an import of a workbook needs it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist()
                           if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml")
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise UnreadableFile(UNREADABLE) from error
    if unpacked > MAX_UNPACKED_SHEETS:
        raise UnreadableFile(SWOLLEN)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a .docx, an .ods or a broken zip: openpyxl raises many kinds
        raise UnreadableFile(UNREADABLE) from error
    try:  # the sheets are read lazily: a broken one fails only here
        rows: list[list[str]] = []
        filled = 0
        # Blank rows are kept, so line numbers are the spreadsheet's; the header and one person too
        # many are enough to refuse a file, and a sheet formatted down to row 1,048,576 is not read to its end.
        for row in book.worksheets[0].iter_rows():
            cells = [_cell_text(c.value, getattr(c, "number_format", "General")) for c in row]
            filled += any(c.strip() for c in cells)
            rows.append(cells)
            if filled > MAX_ROWS + 1 or len(rows) > 10 * MAX_ROWS:
                break
        return rows
    except Exception as error:
        raise UnreadableFile(UNREADABLE) from error
    finally:
        book.close()


def read_text(text: str) -> list[list[str]]:
    """The rows of a CSV or tab-separated text; the separator (; , or tab) is the one a first line uses most."""
    text = text.replace("\x00", "")
    # Counted on the first lines, not only the first: a title line above the column names has no separator.
    first = [line for line in text.splitlines() if line.strip()][:10] or [""]
    delimiter = max((";", ",", "\t"), key=lambda d: max(line.count(d) for line in first))
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:  # a quote never closed makes one cell of the rest of the file, past csv's limit
        raise UnreadableFile(UNREADABLE) from error


def read_upload(data: bytes) -> list[list[str]]:
    """The rows of an uploaded file, recognised by its content (never its name). UnreadableFile with
    the message id to show, which the caller completes with HOW_TO_SAVE."""
    if not data.strip():
        raise UnreadableFile(EMPTY)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the OLE2 container of .xls (and .doc)
        raise UnreadableFile(OLD_EXCEL)
    if data.startswith(b"PK\x03\x04") and zipfile.is_zipfile(io.BytesIO(data)):
        return read_xlsx(data)
    return read_text(decode(data))


def to_text(rows: list[list[str]]) -> str:
    """The rows as one CSV text, carried by the preview page to the confirming POST."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return out.getvalue()


@dataclass(frozen=True)
class ImportRow:
    line: int  # as in a spreadsheet: the header is line 1
    form: BeneficiaryForm  # what will be saved (for a known person, merged with what the file leaves out)
    problems: dict[str, str]  # field -> message id, translated with value=raw[field] and max
    raw: dict[str, str] = field(default_factory=dict)  # field -> the cell as the file has it
    known: bool = False  # the file reference is a person of the CPAS: this row updates them
    changes: tuple[tuple[str, str, str], ...] = ()  # (field, old, new) of a known person


# A value the import does not understand is quoted and the accepted spellings listed (issue 18).
NOT_UNDERSTOOD = {
    "gender": N_("“%(value)s” is not a gender this import understands. Write F, M or X (also femme, homme, "
                 "vrouw, man, Frau, Mann, female, male)."),
    "language": N_("“%(value)s” is not a language this import understands. Write fr, nl, de or en (also "
                   "français, nederlands, deutsch, english)."),
    "status": N_("“%(value)s” is not a status this import understands. Write RI, ERI or other (also leefloon, "
                 "équivalent RI, aide sociale, autre, andere)."),
    "birth_date": N_("“%(value)s” is not a date this import understands. Write day/month/year, e.g. 17/05/1990."),
    "email": N_("“%(value)s” is not a valid e-mail address."),
}


MISSING = N_("Some columns are missing: %(missing)s. The file needs a column for each of: last name or first "
             "name, gender, birth date, language and status. Its first line reads: %(header)s")
NISS_NOT_KEPT = N_("The national register numbers of this file are checked, never kept: planner does not store them.")
HEADER_ROWS = 10  # a title, a date or blank rows above the column names, as exports and merged cells leave them


@dataclass(frozen=True)
class ImportResult:
    rows: list[ImportRow]
    problem: str = ""  # a problem with the whole file
    missing: tuple[str, ...] = ()  # with MISSING: the fields no column names ("name" for last and first name)
    header: str = ""  # with MISSING: the file's first line, as the reader wrote it
    niss_column: int | None = None  # the column of national register numbers: checked, left out of what is carried

    @property
    def ok(self) -> bool:
        return not self.problem and bool(self.rows) and not any(r.problems for r in self.rows)

    @property
    def new_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.known]

    @property
    def changed_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.known and r.changes]

    @property
    def unchanged_count(self) -> int:
        return sum(1 for r in self.rows if r.known and not r.changes)


def _missing(columns: Mapping[str, int]) -> list[str]:
    return ([] if {"first_name", "last_name"} & set(columns) else ["name"]) + [f for f in REQUIRED if f not in columns]


def _header(table: list[list[str]]) -> tuple[int, dict[str, int]]:
    """The index of the line naming the columns (the first of the first HEADER_ROWS filled lines naming every
    needed one, else the first filled line) and its columns."""
    filled = [i for i, cells in enumerate(table) if any(c.strip() for c in cells)][:HEADER_ROWS]
    for index in filled:
        columns = columns_of(table[index])
        if not _missing(columns):
            return index, columns
    return filled[0], columns_of(table[filled[0]])


def carried(table: list[list[str]], result: ImportResult) -> list[list[str]]:
    """The rows the preview carries to the confirming POST: the national register numbers left out."""
    column = result.niss_column
    if column is None:
        return table
    return [cells[:column] + cells[column + 1:] for cells in table]


def read_beneficiaries(table: list[list[str]], today: dt.date, limits: Mapping[str, int],
                       known: Mapping[str, Mapping[str, str]] | None = None) -> ImportResult:
    """table: the file's rows (read_upload / read_text), the column names first (a title or blank lines above
    them are passed over); limits: field -> most characters, as for the form; known: file reference -> the
    current values of that person of the CPAS (reimport.current_values): such a row updates them (never a
    second person), its changes listed. A column of national register numbers is checked (rules.niss_problem)
    and kept nowhere."""
    known = known or {}
    if not any(c.strip() for cells in table for c in cells):
        return ImportResult([], EMPTY)
    start, columns = _header(table)
    missing = _missing(columns)
    if missing:
        header = " | ".join(c.strip() for c in table[start] if c.strip())
        return ImportResult([], MISSING, tuple(missing), header[:300])
    rows: list[ImportRow] = []
    seen: set[str] = set()
    for line, cells in enumerate(table[start + 1:], start=start + 2):
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            return ImportResult([], N_("The file has more than 2000 people. Split it in smaller files."))

        def cell(field: str) -> str:
            index = columns.get(field)
            return clean_text(cells[index]) if index is not None and index < len(cells) else ""

        form = BeneficiaryForm(
            first_name=cell("first_name"), last_name=cell("last_name"),
            gender=GENDERS.get(key(cell("gender")), cell("gender")),
            birth_date=parse_date(cell("birth_date"), today),
            language=LANGUAGE_CODES.get(key(cell("language")), cell("language").lower()),
            email=cell("email").lower(), phone=phone(cell("phone")),
            status=STATUSES.get(key(cell("status")), cell("status").lower()), file_reference=cell("file_reference"),
        )
        raw = {name: cell(name) for name in ALIASES}
        current = known.get(form.file_reference) if form.file_reference else None
        if current is not None:
            form = merged(form, current, set(columns) & set(KEPT))
        problems = beneficiary_problems(form, today, limits)
        for name, message in NOT_UNDERSTOOD.items():
            if name in problems and raw.get(name):
                problems[name] = message
        if raw["niss"] and niss_problem(raw["niss"], iso_date(form.birth_date)):
            problems["niss"] = niss_problem(raw["niss"], iso_date(form.birth_date))
        reference = form.file_reference
        if reference and reference in seen:
            problems["file_reference"] = N_("This file reference is on an earlier line of the file too.")
        if reference:
            seen.add(reference)
        rows.append(ImportRow(line, form, problems, raw, current is not None,
                              changes(current, form) if current is not None else ()))
    if not rows:
        return ImportResult([], N_("The file has no people in it."))
    return ImportResult(rows, niss_column=columns.get("niss"))
