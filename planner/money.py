"""Amounts as Belgian users type them, read into integer cents. Pure: no request, no area.

`parse_cents("1.234,56", "fr") == 123456`. What is accepted, for the comma locales (fr, nl, de) and "en":
- a euro sign or "EUR" before or after, and spaces (also the no-break spaces Babel prints) anywhere between
  groups of three digits: "€ 1 234,56", "1 234,56 €";
- the locale's decimal separator once, followed by at most two digits ("12,5" is €12.50; "12,-" is €12);
- the other separator between groups of three digits ("1.234,56" in fr, "1,234.56" in en); used once with
  one or two digits after it and no decimal separator, it is read as the decimal separator, because a
  Belgian keypad types "12.50" in every language;
- at most 12 digits before the decimals.
Anything else raises AmountError, a ValueError carrying a message id for the form to translate; the form
keeps what was typed.
"""

from __future__ import annotations

import re
from planner.i18n import N_


MAX_DIGITS = 12  # before the decimals: under a thousand billion euros
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_CURRENCY = re.compile(r"^(?:€|eur)|(?:€|eur)$", re.IGNORECASE)
# Thousands in groups of three, with one kind of separator throughout ("1.234.567", "1 234 567").
_GROUPED = re.compile(r"[0-9]{1,3}(?:(?P<separator>[ .,])[0-9]{3})?(?:(?P=separator)[0-9]{3})*")


class AmountError(ValueError):
    """`message` is an untranslated message id, `variables` fill its %(name)s placeholders."""

    def __init__(self, message: str, **variables: str) -> None:
        super().__init__(message % variables if variables else message)
        self.message = message
        self.variables = variables


def decimal_separator(locale: str) -> str:
    """"." for English ("en", "en_GB"), "," for the Belgian locales (fr, nl, de, with or without _BE)."""
    return "." if locale.lower().startswith("en") else ","


def example(locale: str) -> str:
    return "1,234.56" if decimal_separator(locale) == "." else "1.234,56"


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 30 else text[:29] + "…"  # a pasted page is not repeated back whole


def parse_cents(text: str, locale: str) -> int:
    """The amount typed in text, in cents (≥ 0). Raises AmountError for an empty, negative, unreadable or
    too large amount, or one with more than two decimals."""
    decimal = decimal_separator(locale)
    other = "," if decimal == "." else "."
    value = _SPACES.sub(" ", text).strip()
    value = _CURRENCY.sub("", value).strip()
    if not value:
        raise AmountError(N_("Enter an amount."))
    if value[0] in "-−" or (value[-1] in "-−" and not value.endswith(decimal + "-")):
        raise AmountError(N_("An amount cannot be negative."))
    if value.endswith(decimal + "-"):  # "12,-": whole euros, as on Belgian price tags
        value = value[:-1]
    if not re.fullmatch(r"[0-9 .,]+", value) or not re.search(r"[0-9]", value):
        raise AmountError(N_("Write the amount in figures, for example %(example)s."), example=example(locale))

    if value.count(decimal) == 0 and value.count(other) == 1 and re.search(rf"\{other}[0-9]{{1,2}}$", value):
        decimal, other = other, decimal  # "12.50" typed in French: the keypad's point is a decimal point
    if value.count(decimal) > 1:
        raise AmountError(N_("The amount %(text)s has more than one decimal separator; write it like "
                             "%(example)s."), text=_shown(text), example=example(locale))
    whole, _, cents = value.partition(decimal)
    whole, cents = whole.strip(), cents.strip()
    readable = _GROUPED.fullmatch(whole) or re.fullmatch(r"[0-9]+", whole) or whole == "" and cents
    if not readable or not re.fullmatch(r"[0-9]*", cents):
        raise AmountError(N_("The amount %(text)s cannot be read; write it like %(example)s."),
                          text=_shown(text), example=example(locale))
    if len(cents) > 2:
        raise AmountError(N_("An amount has at most two decimals, for the cents."))
    digits = re.sub(r"[^0-9]", "", whole).lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise AmountError(N_("An amount can have at most %(digits)s digits before the decimals."),
                          digits=str(MAX_DIGITS))
    return int(digits or "0") * 100 + int(cents.ljust(2, "0"))
