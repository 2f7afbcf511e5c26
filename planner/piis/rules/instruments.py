"""Progress instruments as data (domain.md §5.5): an instrument names its domains (none for a single scale such
as the participation ladder) and picks an answer scale, which several instruments may share. Pure.

Built-in instruments come from planner/piis/instruments/*.toml (parse_instrument, LANGUAGES all named); a
CPAS's own ones from a form (custom_instrument: labels in the languages it fills in)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from planner.i18n import N_
from planner.piis.rules.progress import ANY_DOMAIN, LIKERT, MATRIX, ORDINAL, SUM

LANGUAGES = ("fr", "nl", "de", "en")
KINDS = (ORDINAL, LIKERT, MATRIX)
PROGRESS_RULES = (SUM, ANY_DOMAIN)
SINGLE = ""  # the domain code of a single-scale instrument's one answer (JSON keys are strings)
MIN_LEVELS, MAX_LEVELS = 2, 20  # a scale of one level measures nothing; 20 is already more than any in §5
MAX_DOMAINS = 60


class InstrumentError(ValueError):
    """An instrument file that cannot be used: "<file>: <field>: <problem>"."""


@dataclass(frozen=True)
class Level:
    level: int
    names: Mapping[str, str]


@dataclass(frozen=True)
class Scale:
    code: str
    names: Mapping[str, str]
    levels: tuple[Level, ...]

    @property
    def low(self) -> int:
        return self.levels[0].level

    @property
    def high(self) -> int:
        return self.levels[-1].level


@dataclass(frozen=True)
class Domain:
    code: str
    names: Mapping[str, str]
    dimension: str = ""  # a Likert item's dimension (§5.3)


@dataclass(frozen=True)
class InstrumentDef:
    code: str
    names: Mapping[str, str]
    kind: str  # ORDINAL | LIKERT | MATRIX
    progress_rule: str  # SUM | ANY_DOMAIN (§5.2)
    scale: Scale
    domains: tuple[Domain, ...]  # () for a single scale

    @property
    def domain_codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.domains) or (SINGLE,)


def _names(value: Any, where: str, fail) -> dict[str, str]:
    if not isinstance(value, Mapping) or set(value) != set(LANGUAGES) or not all(
            isinstance(v, str) and v.strip() for v in value.values()):
        raise fail(where, "needs a name in each of fr, nl, de, en")
    return {k: value[k].strip() for k in LANGUAGES}


def parse_scale(data: Any, where: str, fail) -> Scale:
    if not isinstance(data, Mapping) or set(data) != {"code", "names", "levels"}:
        raise fail(where, "needs code, names and levels")
    levels = data["levels"]
    if not isinstance(levels, list) or not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
        raise fail(f"{where}.levels", f"needs {MIN_LEVELS} to {MAX_LEVELS} levels")
    parsed = []
    for n, level in enumerate(levels):
        if not isinstance(level, Mapping) or set(level) != {"level", "names"}:
            raise fail(f"{where}.levels[{n}]", "needs level and names")
        if type(level["level"]) is not int or (parsed and level["level"] != parsed[-1].level + 1):
            raise fail(f"{where}.levels[{n}]", "levels are whole numbers, one apart, rising")
        parsed.append(Level(level["level"], _names(level["names"], f"{where}.levels[{n}].names", fail)))
    return Scale(_code(data["code"], f"{where}.code", fail), _names(data["names"], f"{where}.names", fail),
                 tuple(parsed))


def _code(value: Any, where: str, fail) -> str:
    if not isinstance(value, str) or not value or len(value) > 40 or not value.replace("_", "").isalnum() \
            or not value.isascii():
        raise fail(where, "not a code of letters, digits and _ (40 at most)")
    return value


def parse_instrument(data: Mapping[str, Any], name: str) -> InstrumentDef:
    """An InstrumentDef from a parsed TOML table; InstrumentError naming the file and field for anything
    missing, unknown or impossible (a ladder with domains, a matrix without, one domain twice, one level)."""
    def fail(field: str, problem: str) -> InstrumentError:
        return InstrumentError(f"{name}: {field}: {problem}")

    fields = {"code", "kind", "progress_rule", "names", "answer_scale", "domains"}
    for field in sorted(set(data) - fields):
        raise fail(field, "unknown field")
    for field in sorted(fields - {"domains"} - set(data)):
        raise fail(field, "missing")
    if data["kind"] not in KINDS:
        raise fail("kind", f"not one of {', '.join(KINDS)}")
    if data["progress_rule"] not in PROGRESS_RULES:
        raise fail("progress_rule", f"not one of {', '.join(PROGRESS_RULES)}")
    domains = []
    raw = data.get("domains", [])
    if not isinstance(raw, list) or len(raw) > MAX_DOMAINS:
        raise fail("domains", f"not a list of at most {MAX_DOMAINS} domains")
    for n, domain in enumerate(raw):
        if not isinstance(domain, Mapping) or not {"code", "names"} <= set(domain) <= {"code", "names", "dimension"}:
            raise fail(f"domains[{n}]", "needs code and names, and a dimension for a questionnaire item")
        dimension = domain.get("dimension", "")
        if not isinstance(dimension, str) or (data["kind"] == LIKERT) != bool(dimension):
            raise fail(f"domains[{n}].dimension", "a questionnaire's items each have one; no other domain has")
        domains.append(Domain(_code(domain["code"], f"domains[{n}].code", fail),
                              _names(domain["names"], f"domains[{n}].names", fail), dimension))
    if len({d.code for d in domains}) != len(domains):
        raise fail("domains", "a code appears twice")
    if (data["kind"] == ORDINAL) != (not domains):
        raise fail("domains", "an ordinal scale has none; a matrix or a questionnaire has some")
    return InstrumentDef(_code(data["code"], "code", fail), _names(data["names"], "names", fail), data["kind"],
                         data["progress_rule"], parse_scale(data["answer_scale"], "answer_scale", fail),
                         tuple(domains))


# -- a CPAS's own instrument, from its form ---------------------------------------------------------------------

Problems = dict[str, tuple[str, dict]]  # form field → (message id (N_), its variables), translated where shown


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def custom_labels(texts: Mapping[str, str], field: str, problems: Problems, at_least: int,
                  at_most: int) -> list[dict[str, str]]:
    """Labels typed one a line in each language (`texts`: language → text; the same line in each language is
    the same entry): [{language: label}] in order. A language left empty is not used; the languages used must
    have as many lines; fewer than at_least or more than at_most entries is a problem of `field`."""
    used = {lang: _lines(texts.get(lang, "")) for lang in LANGUAGES if _lines(texts.get(lang, ""))}
    counts = {len(lines) for lines in used.values()}
    if len(counts) > 1:
        problems[field] = (N_("Write as many lines in each language: the same line is the same entry."), {})
        return []
    count = counts.pop() if counts else 0
    if not at_least <= count <= at_most:
        problems[field] = (N_("Write from %(low)s to %(high)s lines, one an entry."),
                           {"low": at_least, "high": at_most})
        return []
    if any(len(label) > 200 for lines in used.values() for label in lines):
        problems[field] = (N_("A line is longer than 200 characters."), {})
        return []
    return [{lang: lines[n] for lang, lines in used.items()} for n in range(count)]


def custom_instrument(code: str, names: Mapping[str, str], domains: Sequence[Mapping[str, str]],
                      scale: Scale | None, new_levels: Sequence[Mapping[str, str]], new_scale_code: str,
                      progress_rule: str, problems: Problems) -> InstrumentDef | None:
    """A CPAS's own instrument: a name in at least one language, its domains (none: a single scale) and
    either an existing answer scale or new levels (at least MIN_LEVELS, numbered from 1). None, with the
    reasons in `problems`, when it cannot be made."""
    names = {lang: names[lang].strip()[:200] for lang in LANGUAGES if names.get(lang, "").strip()}
    if not names:
        problems["name"] = (N_("Give the instrument a name in at least one language."), {})
    if progress_rule not in PROGRESS_RULES:
        problems["progress_rule"] = (N_("Choose how progress is counted."), {})
    if scale is None:
        if len(new_levels) < MIN_LEVELS:
            problems.setdefault("levels", (N_("Pick an answer scale, or write at least %(low)s levels."),
                                           {"low": MIN_LEVELS}))
        else:
            scale = Scale(new_scale_code, names, tuple(Level(n + 1, dict(labels)) for n, labels in
                                                       enumerate(new_levels)))
    if problems or scale is None:
        return None
    kind = MATRIX if domains else ORDINAL
    return InstrumentDef(code, names, kind, progress_rule if domains else SUM, scale,
                         tuple(Domain(f"d{n + 1}", dict(labels)) for n, labels in enumerate(domains)))


def label(names: Mapping[str, str], language: str) -> str:
    """A label in the reader's language, else the first language it has (a CPAS names things in its own)."""
    return names.get(language) or next((names[lang] for lang in LANGUAGES if names.get(lang)), "")
