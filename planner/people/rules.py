"""Checks on a beneficiary record: pure rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

N_ = str  # marks a message id for extraction; it is translated where it is shown

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


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def beneficiary_problems(form: BeneficiaryForm, today: dt.date) -> dict[str, str]:
    """Field -> untranslated message id, for each field that is wrong."""
    problems: dict[str, str] = {}
    if not form.first_name:
        problems["first_name"] = N_("Fill in the first name.")
    if not form.last_name:
        problems["last_name"] = N_("Fill in the last name.")
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
    if form.phone and not all(c.isdigit() or c in "+ ./()-" for c in form.phone):
        problems["phone"] = N_("A phone number has only digits, spaces and + . / ( ) -.")
    if form.status not in STATUSES:
        problems["status"] = N_("Choose the person's status at the CPAS.")
    return problems


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
