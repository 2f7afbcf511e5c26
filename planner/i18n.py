"""Locale negotiation, gettext for the current request, and per-locale formatting (Babel)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel import dates, numbers
from babel.support import NullTranslations, Translations

from planner.settings import ROOT

LANGUAGES = ("fr", "nl", "de", "en")
# Endonyms: a person looking for their language must recognise it whatever the page's language.
LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}
FORMAT_LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "de": "de_BE", "en": "en"}
BRUSSELS = ZoneInfo("Europe/Brussels")
LOCALES_DIR = ROOT / "locales"

_language: ContextVar[str] = ContextVar("language", default="fr")


def N_(message: str) -> str:
    """Marks a message id for extraction (`pybabel extract -k N_`) where it is defined, as data; it is
    translated where it is shown, with `gettext`. Returns the id unchanged."""
    return message


def negotiate(user_language: str = "", cookie_language: str = "", accept_language: str = "",
              default: str = "fr") -> str:
    """The person's setting, else their last choice on this browser, else the browser's languages."""
    for choice in (user_language, cookie_language):
        if choice in LANGUAGES:
            return choice
    ranked = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else default


@cache
def translations(language: str) -> NullTranslations:
    return Translations.load(str(LOCALES_DIR), [language], domain="messages")


def set_language(language: str) -> None:
    _language.set(language if language in LANGUAGES else "fr")


@contextmanager
def speaking(language: str):
    """Render something in another person's language (a mail to a participant) inside a request."""
    token = _language.set(language if language in LANGUAGES else "fr")
    try:
        yield
    finally:
        _language.reset(token)


def current_language() -> str:
    return _language.get()


def current_locale() -> str:
    return FORMAT_LOCALES[_language.get()]


def gettext(message: str, **variables) -> str:
    text = translations(_language.get()).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables) -> str:
    text = translations(_language.get()).ungettext(singular, plural, n)
    return text % {"num": n, **variables}


def today() -> dt.date:
    """Today's date on the Brussels wall clock, the calendar sessions and forms use, whatever the server's zone
    (dt.date.today() is the server's: a day off between midnight in Brussels and midnight UTC)."""
    return dt.datetime.now(BRUSSELS).date()


def wall_clock_now() -> dt.datetime:
    """Now on the Brussels wall clock (naive), the clock sessions are planned on, whatever the server's zone."""
    return dt.datetime.now(BRUSSELS).replace(tzinfo=None)


def _local(value: dt.datetime) -> dt.datetime:
    # Events are stored in UTC; people read Brussels wall-clock time.
    return value.astimezone(BRUSSELS) if value.tzinfo else value


def format_date(value: dt.date | dt.datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return _format_date(value, format, current_locale())


@lru_cache(maxsize=20_000)
def _format_date(value: dt.date, format: str, locale: str) -> str:
    # An invitation lists a year of dates, twice (text and HTML), for each of a module's participants.
    return dates.format_date(value, format, locale=locale)


def format_time(value: dt.time | dt.datetime, format: str = "short") -> str:
    if isinstance(value, dt.datetime):
        value = _local(value).time()
    return _format_time(value, format, current_locale())


@cache
def _format_time(value: dt.time, format: str, locale: str) -> str:
    # A month of planning shows thousands of sessions at a few dozen distinct times.
    return dates.format_time(value, format, locale=locale)


def format_datetime(value: dt.datetime | None, format: str = "short") -> str:
    if value is None:
        return ""
    return dates.format_datetime(_local(value), format, tzinfo=BRUSSELS, locale=current_locale())


def format_money(cents: int) -> str:
    return numbers.format_currency(Decimal(cents) / 100, "EUR", locale=current_locale())


def format_number(value: int | float) -> str:
    return numbers.format_decimal(value, locale=current_locale())


def template_gettext(message: str) -> str:
    # Jinja's newstyle gettext fills %(name)s itself (escaping the values): hand it the raw text.
    return translations(_language.get()).ugettext(message)


def template_ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_language.get()).ungettext(singular, plural, n)
