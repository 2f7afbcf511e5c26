"""Recurring sessions of a collective module: the dates a rule gives, minus Belgian days off. Pure rules."""

from __future__ import annotations

import calendar
import functools
import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import holidays
from planner.i18n import N_


BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
REGIONS = ("flanders", "wallonia", "brussels", "german")
KINDS = ("weekly", "monthly")
NTHS = (1, 2, 3, 4, -1)  # no 5th: a 5th weekday exists only in some months
MAX_INTERVAL = 8
MAX_DAYS = 366 * 2
LANGUAGES = {"fr": "fr", "nl": "nl", "de": "de", "en": "en_US"}  # ours -> the holidays package's codes

# The community holidays are not in the package's public category (11 July is nowhere in it), so they live here.
_FLEMISH = {"nl": "Feest van de Vlaamse Gemeenschap", "fr": "Fête de la Communauté flamande",
            "de": "Feiertag der Flämischen Gemeinschaft", "en": "Day of the Flemish Community"}
_FRENCH = {"fr": "Fête de la Fédération Wallonie-Bruxelles", "nl": "Feest van de Franse Gemeenschap",
           "de": "Feiertag der Französischen Gemeinschaft", "en": "Day of the French Community"}
_GERMAN = {"de": "Tag der Deutschsprachigen Gemeinschaft", "fr": "Fête de la Communauté germanophone",
           "nl": "Feest van de Duitstalige Gemeenschap", "en": "Day of the German-speaking Community"}
COMMUNITY_DAYS: dict[str, tuple[int, int, dict[str, str]]] = {  # region -> (month, day, names by language)
    "flanders": (7, 11, _FLEMISH),
    "wallonia": (9, 27, _FRENCH),
    "brussels": (9, 27, _FRENCH),
    "german": (11, 15, _GERMAN),
}


@dataclass(frozen=True)
class Recurrence:
    kind: str  # "weekly" or "monthly"
    start: dt.date  # first possible day (inclusive)
    end: dt.date  # last possible day (inclusive)
    starts_at: dt.time  # local Brussels wall-clock
    ends_at: dt.time
    weekdays: tuple[int, ...] = ()  # weekly: 0=Monday .. 6=Sunday, one or more
    interval: int = 1  # weekly: every N weeks, counted from the week of `start`
    nth: int = 1  # monthly: 1..4, or -1 = last
    weekday: int = 0  # monthly: which weekday (0=Monday)


@dataclass(frozen=True)
class SkippedDate:
    day: dt.date
    reason: str  # "public_holiday" | "community_holiday" | "closure"
    name: str  # the holiday's name in the requested language, or the closure's own label


def _is_weekday(value: object) -> bool:
    return isinstance(value, int) and 0 <= value <= 6


def recurrence_problems(rule: Recurrence) -> dict[str, str]:
    """Field -> message id for each thing wrong with the rule; empty when it can be planned."""
    problems: dict[str, str] = {}
    if rule.kind not in KINDS:
        problems["kind"] = N_("Choose weekly or monthly.")
    if rule.end < rule.start:
        problems["end"] = N_("The end date is before the start date.")
    elif (rule.end - rule.start).days > MAX_DAYS:
        problems["end"] = N_("The period can be at most two years.")
    if rule.ends_at <= rule.starts_at:
        problems["ends_at"] = N_("The end time must be after the start time.")
    if rule.kind == "weekly":
        if not rule.weekdays:
            problems["weekdays"] = N_("Choose at least one day of the week.")
        elif not all(_is_weekday(d) for d in rule.weekdays):
            problems["weekdays"] = N_("This day of the week does not exist.")
        if not (isinstance(rule.interval, int) and 1 <= rule.interval <= MAX_INTERVAL):
            problems["interval"] = N_("The interval must be between 1 and 8 weeks.")
    if rule.kind == "monthly":
        if rule.nth not in NTHS:
            problems["nth"] = N_("Choose which one in the month: first, second, third, fourth or last.")
        if not _is_weekday(rule.weekday):
            problems["weekday"] = N_("This day of the week does not exist.")
    return problems


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekly(rule: Recurrence) -> list[dt.date]:
    first_monday = _monday(rule.start)
    days = set()
    week = first_monday
    while week <= rule.end:
        for weekday in rule.weekdays:
            days.add(week + dt.timedelta(days=weekday))
        week += dt.timedelta(weeks=rule.interval)  # stepping by N keeps k % N == 0, counted from first_monday
    return sorted(d for d in days if rule.start <= d <= rule.end)


def _nth_weekday(year: int, month: int, nth: int, weekday: int) -> dt.date:
    first = dt.date(year, month, 1)
    if nth == -1:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7, weeks=nth - 1)  # nth <= 4 stays in month


def _months(start: dt.date, end: dt.date) -> Iterable[tuple[int, int]]:
    for index in range(start.year * 12 + start.month - 1, end.year * 12 + end.month):
        year, month0 = divmod(index, 12)
        yield year, month0 + 1


def _monthly(rule: Recurrence) -> list[dt.date]:
    days = (_nth_weekday(year, month, rule.nth, rule.weekday) for year, month in _months(rule.start, rule.end))
    return [d for d in days if rule.start <= d <= rule.end]


def candidate_dates(rule: Recurrence) -> list[dt.date]:
    """Every date the rule gives between start and end inclusive, sorted, before days off are removed."""
    problems = recurrence_problems(rule)
    if problems:  # an unchecked rule could loop for centuries or divide by zero
        raise ValueError(f"invalid recurrence: {problems}")
    return _weekly(rule) if rule.kind == "weekly" else _monthly(rule)


def _language(language: str) -> str:
    short = language.split("_")[0].split("-")[0].lower()  # also takes a locale such as "fr_BE"
    if short not in LANGUAGES:
        raise ValueError(f"unsupported language: {language!r}")
    return short


def days_off(years: Iterable[int], region: str, closures: Mapping[dt.date, str],
             language: str) -> dict[dt.date, SkippedDate]:
    """Public holidays, the region's community holiday and the CPAS's closures in those years (no school holidays)."""
    if region not in REGIONS:
        raise ValueError(f"unknown region: {region!r}")
    lang = _language(language)
    wanted = sorted(set(years))
    off = {day: SkippedDate(day, "closure", label) for day, label in closures.items() if day.year in wanted}
    month, day_of_month, names = COMMUNITY_DAYS[region]
    for year in wanted:
        day = dt.date(year, month, day_of_month)
        off[day] = SkippedDate(day, "community_holiday", names[lang])
    # last, so a public holiday wins over anything else on the same day; pass language= always (the
    # package's own default gave English names here, not its declared Dutch)
    for day, name in _public_holidays(tuple(wanted), LANGUAGES[lang]):
        off[day] = SkippedDate(day, "public_holiday", name)
    return off


@functools.lru_cache(maxsize=64)
def _public_holidays(years: tuple[int, ...], language: str) -> tuple[tuple[dt.date, str], ...]:
    # Building the calendar costs ~80 ms; a year of 300 modules asks for the same few years.
    return tuple(holidays.Belgium(years=list(years), language=language).items())


def plan_dates(rule: Recurrence, region: str, closures: Mapping[dt.date, str],
               language: str) -> tuple[list[dt.date], list[SkippedDate]]:
    """(dates kept, dates skipped with the reason), both sorted."""
    candidates = candidate_dates(rule)
    off = days_off(range(rule.start.year, rule.end.year + 1), region, closures, language)
    kept = [d for d in candidates if d not in off]
    skipped = [off[d] for d in candidates if d in off]
    return kept, skipped


def day_off(day: dt.date, region: str, closures: Mapping[dt.date, str], language: str) -> SkippedDate | None:
    """The holiday or closure on day (what plan_dates would skip), or None: one added session is warned of it."""
    return days_off((day.year,), region, closures, language).get(day)


def earliest_single_day(today: dt.date) -> dt.date:
    """The first day one session may be added on: 1 January of the previous year (a session is recorded late,
    e.g. a catch-up of last December, but a date years back is a typing slip)."""
    return dt.date(today.year - 1, 1, 1)


def local_span(day: dt.date, starts_at: dt.time, ends_at: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """Aware Europe/Brussels datetimes: the wall-clock time stays the same across DST changes."""
    return _local(day, starts_at), _local(day, ends_at)


def _local(day: dt.date, at: dt.time) -> dt.datetime:
    naive = dt.datetime.combine(day, at.replace(tzinfo=None))
    # a round trip through UTC moves a time in the spring-forward gap (02:30) to a real instant (03:30)
    return naive.replace(tzinfo=BRUSSELS).astimezone(dt.timezone.utc).astimezone(BRUSSELS)


def reconcile(existing: Sequence[tuple[int, dt.date, bool]],
              planned: Sequence[dt.date]) -> tuple[list[int], list[dt.date]]:
    """(session ids to delete, days to create) to move existing sessions to a new plan."""
    wanted = set(planned)
    # a session with attendance (or marked kept) is history: never deleted, even off the new plan
    to_delete = sorted(session_id for session_id, day, keep in existing if day not in wanted and not keep)
    have = {day for _, day, _ in existing}
    return to_delete, sorted(wanted - have)
