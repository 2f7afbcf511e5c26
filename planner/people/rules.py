"""Checks on a beneficiary record: pure rules."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from planner.names import person_sort_key, search_text
from planner.i18n import N_


GENDERS = ("F", "M", "X")
STATUSES = ("ri", "eri", "other_user")  # domain.md FUND-03
LANGUAGES = ("fr", "nl", "de", "en")


@dataclass
class BeneficiaryForm:
    first_name: str
    last_name: str
    gender: str
    birth_date: str  # as typed: yyyy-mm-dd from <input type=date>
    language: str
    email: str
    phone: str
    status: str
    file_reference: str
    piis_subsidy_year: str = ""  # SUB-PIIS-05: the year the CPAS receives the 10 % PIIS subsidy, or empty


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


TOO_LONG = N_("This is too long: at most %(max)d characters.")


def clean_text(value: str) -> str:
    """A typed or imported one-line text as stored: composed (NFC: "Müller" typed on a Mac, u + combining
    diaeresis, is the same name as on Windows), no NUL byte (PostgreSQL refuses them), a line break, tab or
    run of spaces inside (a quoted CSV cell over two lines, a non-breaking space) as one space, none outside."""
    return " ".join(unicodedata.normalize("NFC", value.replace("\x00", "")).split())


def phone_problem(phone: str) -> str:
    """The message id when phone (as typed, "" for none) is not a phone number, else "": digits, spaces and
    + . / ( ) - only, so no markup reaches a page, a letter or a host's link. Shared by every phone field."""
    if phone and not all(c.isdigit() or c in "+ ./()-" for c in phone):
        return N_("A phone number has only digits, spaces and + . / ( ) -.")
    return ""


def beneficiary_problems(form: BeneficiaryForm, today: dt.date, limits: Mapping[str, int]) -> dict[str, str]:
    """Field -> untranslated message id, for each field that is wrong.

    limits: field -> most characters (people.tables.text_limits()); a message with %(max)d is
    translated with max=limits[field]."""
    problems: dict[str, str] = {}
    if not form.first_name and not form.last_name:
        # Many people have one name only (a mononym, or one name in their papers): either field may hold it.
        problems["first_name"] = N_("Fill in the first name or the last name, or both.")
    if form.gender not in GENDERS:
        problems["gender"] = N_("Choose a gender.")
    birth = parse_date(form.birth_date)
    if birth is None:
        problems["birth_date"] = N_("Give the birth date as day, month and year.")
    elif birth > today or birth.year < today.year - 120:
        problems["birth_date"] = N_("This birth date is not possible.")
    if form.language not in LANGUAGES:
        problems["language"] = N_("Choose the language for letters and invitations.")
    if form.email:
        local, at, domain = form.email.partition("@")
        if not (local and at and "." in domain) or " " in form.email:
            problems["email"] = N_("This e-mail address is not valid.")
    if phone_problem(form.phone):
        problems["phone"] = phone_problem(form.phone)
    if form.status not in STATUSES:
        problems["status"] = N_("Choose the person's status at the CPAS.")
    year = form.piis_subsidy_year
    if year and not (year.isascii() and year.isdigit() and len(year) == 4 and 2000 <= int(year) <= today.year + 1):
        problems["piis_subsidy_year"] = N_("Give the year of the 10 %% PIIS subsidy as four digits, from 2000 to "
                                           "next year, or leave it empty.")
    for field, length in limits.items():
        if len(getattr(form, field, "")) > length:
            problems[field] = TOO_LONG
    return problems


def derived_columns(first_name: str, last_name: str, file_reference: str) -> dict[str, str]:
    """Column name -> value of the columns every save of a person writes from their names."""
    return {"sort_key": person_sort_key(last_name, first_name),
            "search_text": search_text(first_name, last_name, file_reference)}


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


NISS_DIGITS = N_("“%(value)s” is not a national register number: it has 11 digits, written as yy.mm.dd-xxx.cc "
                 "or without dots and dashes.")
NISS_CHECK = N_("“%(value)s” is not a national register number: its last two digits do not match the first "
                "nine. Check it against the identity card.")
NISS_BIRTH = N_("The national register number “%(value)s” does not match the birth date of this line.")


def niss_digits(value: str) -> str:
    """The digits of a national register number (NISS/INSZ) as typed: "85.02.01-123.45", "85020112345",
    "85 02 01 123 45"; "" when it holds anything but digits, spaces, dots, dashes and slashes."""
    if any(not (c.isascii() and c.isdigit()) and c not in " .-/" for c in value):
        return ""
    return "".join(c for c in value if c.isdigit())


def niss_problem(value: str, birth: dt.date | None = None) -> str:
    """The untranslated message id when `value` (as typed, non-empty) is no valid NISS, else "".

    The check (Registre national): the last two digits are 97 - (the first nine mod 97); for a person born
    in 2000 or later the nine are prefixed with a 2 (2000000000 + nine). A bis number adds 20 or 40 to the
    month, and a birth date unknown to the register is written 00; otherwise the date must be `birth`
    (the line's birth date), whose century picks the rule."""
    digits = niss_digits(value)
    if len(digits) != 11:
        return NISS_DIGITS
    nine, check = int(digits[:9]), int(digits[9:])
    before_2000, after_2000 = 97 - nine % 97, 97 - (2_000_000_000 + nine) % 97
    if check not in (before_2000, after_2000):
        return NISS_CHECK
    month = int(digits[2:4]) % 20 if int(digits[2:4]) > 12 else int(digits[2:4])  # bis: +20 or +40
    if birth is not None and month and int(digits[4:6]):
        century_ok = (birth.year >= 2000) == (check == after_2000) or before_2000 == after_2000
        if (birth.year % 100, birth.month, birth.day) != (int(digits[:2]), month, int(digits[4:6])) or not century_ok:
            return NISS_BIRTH
    return ""
