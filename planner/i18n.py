"""Locale negotiation, gettext for the current request, and per-locale formatting (Babel)."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from babel.support import NullTranslations, Translations

from planner.settings import ROOT

LANGUAGES = ("fr", "nl", "de", "en")
# Endonyms: a person looking for their language must recognise it whatever the page's language.
LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}
# Dates and times in Belgian order in every language: English as en_BE ("01/12/26", "1 December 2026"), never
# en's US order ("12/1/26", "Dec 1, 2026"; issue 18).
DATE_LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "de": "de_BE", "en": "en_BE"}
# Numbers and money: English keeps en ("€1,234.50"), the separators money.parse_cents reads back in English
# forms ("1,234.56"); en_BE would show "1.234,50 €" beside a field that takes "1,234.56".
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
    """The Babel locale for numbers and money in the current language."""
    return FORMAT_LOCALES[_language.get()]


def current_date_locale() -> str:
    """The Babel locale for dates and times in the current language (day before month in every one)."""
    return DATE_LOCALES[_language.get()]


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


def now_utc() -> dt.datetime:
    """Now as an aware UTC instant: what timestamps (Timestamptz columns) are stored as."""
    return dt.datetime.now(dt.timezone.utc)


def wall_clock_now() -> dt.datetime:
    """Now on the Brussels wall clock (naive), the clock sessions are planned on, whatever the server's zone."""
    return dt.datetime.now(BRUSSELS).replace(tzinfo=None)


def _local(value: dt.datetime) -> dt.datetime:
    # Events are stored in UTC; people read Brussels wall-clock time.
    return value.astimezone(BRUSSELS) if value.tzinfo else value


def format_date(value: dt.date | dt.datetime | None, format: str = "medium") -> str:
    """The date in one of CLDR's named formats: "short", "medium", "long", "full" (another style has its own
    function below, never a pattern written here). "" for None; a datetime is read on the Brussels clock."""
    if format not in NAMED_FORMATS:
        raise ValueError(f"{format!r}: use a named format or a style function of i18n.py")
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return _format_date(value, format, current_date_locale())


NAMED_FORMATS = ("short", "medium", "long", "full")


@lru_cache(maxsize=20_000)
def _format_date(value: dt.date, format: str, locale: str) -> str:
    # An invitation lists a year of dates, twice (text and HTML), for each of a module's participants.
    return dates.format_date(value, format, locale=locale)


# The date styles beyond CLDR's four named formats (short, medium, long, full), as CLDR skeletons, so each
# language writes them its own way (issue 18). One function per style below; templates use them as filters.
WEEKDAY_SKELETON = "MMMMEEEEd"  # mardi 1 décembre · Dienstag, 1. Dezember · Tuesday, 1 December
SHORT_WEEKDAY_SKELETON = "MMMEd"  # mar. 1 déc. · di 1 dec · Di., 1. Dez. · Tue, 1 Dec
MONTH_SKELETON = "yMMMM"  # décembre 2026 · december 2026 · Dezember 2026 · December 2026
DAY_MONTH_SKELETON = "Md"  # 01/12 · 1/12 · 1.12. · 1/12
_FIELD = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*")


@cache
def skeleton_pattern(skeleton: str, locale: str) -> str:
    """The locale's CLDR pattern for a skeleton ("MMMMEEEEd" → "EEEE, d. MMMM" in de_BE), its text fields
    stretched to the widths the skeleton asks, as CLDR's TR35 says and Babel's format_skeleton does not
    (fr_BE has only "E d MMM": without the stretch "MMMMEEEEd" would read "mar. 1 déc.")."""
    available = Locale.parse(locale).datetime_skeletons
    key = skeleton if skeleton in available else dates.match_skeleton(skeleton, available)
    if key is None:
        raise ValueError(f"no CLDR pattern for {skeleton!r} in {locale}")
    pattern = available[key].pattern

    def stretch(field: re.Match) -> str:
        letter, text = field.group(1), field.group(0)
        wanted = skeleton.count(letter) if letter else 0
        # Only text fields (a weekday, a month of 3+ letters) change width; a numeric month stays numeric.
        is_text = letter in ("E", "c") or len(text) >= 3
        return letter * wanted if letter and wanted > len(text) and wanted >= 3 and is_text else text
    return _FIELD.sub(stretch, pattern)


def _format_skeleton(value: dt.date | dt.datetime | None, skeleton: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    locale = current_date_locale()
    return _format_date(value, skeleton_pattern(skeleton, locale), locale)


def format_weekday(value: dt.date | dt.datetime | None) -> str:
    """Weekday, day and month, no year: "mardi 1 décembre", "dinsdag 1 december", "Dienstag, 1. Dezember",
    "Tuesday, 1 December" (en_BE, whose full date is "Tuesday, 1 December 2026"). "" for None."""
    return _format_skeleton(value, WEEKDAY_SKELETON)


def format_short_weekday(value: dt.date | dt.datetime | None) -> str:
    """A day heading in a week: "mar. 1 déc.", "di 1 dec", "Di., 1. Dez.", "Tue, 1 Dec". "" for None."""
    return _format_skeleton(value, SHORT_WEEKDAY_SKELETON)


def format_month(value: dt.date | dt.datetime | None) -> str:
    """Month and year: "décembre 2026", "Dezember 2026", "December 2026". "" for None."""
    return _format_skeleton(value, MONTH_SKELETON)


def format_day_month(value: dt.date | dt.datetime | None) -> str:
    """Day and month in figures, for narrow columns: "01/12" (fr), "1/12" (nl, en), "1.12." (de). "" for None."""
    return _format_skeleton(value, DAY_MONTH_SKELETON)


def format_month_name(value: dt.date, abbreviated: bool = False) -> str:
    """The month's name on its own (a chart's axis): "décembre" or "déc.", "Dezember" or "Dez."."""
    return _format_date(value, "LLL" if abbreviated else "LLLL", current_date_locale())


def format_time(value: dt.time | dt.datetime, format: str = "short") -> str:
    if isinstance(value, dt.datetime):
        value = _local(value).time()
    return _format_time(value, format, current_date_locale())


@cache
def _format_time(value: dt.time, format: str, locale: str) -> str:
    # A month of planning shows thousands of sessions at a few dozen distinct times.
    return dates.format_time(value, format, locale=locale)


def format_datetime(value: dt.datetime | None, format: str = "short") -> str:
    if value is None:
        return ""
    return dates.format_datetime(_local(value), format, tzinfo=BRUSSELS, locale=current_date_locale())


def format_money(cents: int) -> str:
    return numbers.format_currency(Decimal(cents) / 100, "EUR", locale=current_locale())


def format_number(value: int | float) -> str:
    return numbers.format_decimal(value, locale=current_locale())


def template_gettext(message: str) -> str:
    # Jinja's newstyle gettext fills %(name)s itself (escaping the values): hand it the raw text.
    return translations(_language.get()).ugettext(message)


def template_ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_language.get()).ungettext(singular, plural, n)
