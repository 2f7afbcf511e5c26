"""What every spending screen shares: the year and CPAS asked for (404 outside the person's CPAS), a source's
and a strand's name in the reader's language, the sources a CPAS may use, a rule's finding as a sentence."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar.exceptions import NotFoundException
from litestar.plugins.htmx import HTMXRequest

from planner import i18n
from planner.files import attachment  # noqa: F401  (the expense export and scan routes import it from here)
from planner.i18n import N_
from planner.i18n import gettext as _
from planner.orgs.queries import organisation_choices
from planner.spending.access import spending_organisations
from planner.spending.rules import NEAR, OVER, Finding, placeholders
from planner.spending.rules.ruleset import ENDING_NOTES
from planner.spending.rulesets import available, load_ruleset, sources
from planner.web import FIRST_YEAR, LAST_YEAR, parse_id, year_in_url

STATES = {NEAR: N_("near the limit"), OVER: N_("over the limit")}  # OK: "within the limit"
STATE_OK = N_("within the limit")


def source_name(source: str, year: int) -> str:
    """The source's name in the reader's language, from its rule set of the year (data, like its rules);
    its code when the file names it in no language we show."""
    names = load_ruleset(source, year).names if year in available(source) else {}
    return names.get(i18n.current_language()) or names.get("en") or source


def strand_name(source: str, year: int, strand: str) -> str:
    """The strand's name in the reader's language, from its rule set of the year; its code when the file
    names it in no language we show (or no longer has it)."""
    found = load_ruleset(source, year).strand(strand) if year in available(source) else None
    names = found.names if found else {}
    return names.get(i18n.current_language()) or names.get("en") or strand


def offered_lines(year: int, names: list[str]) -> list[dict]:
    """Every source and strand with rules for year that a CPAS known by these names may use
    (queries.cpas_names): [{source, strand}], what a grant or a share may be set for."""
    return [{"source": s, "strand": strand.code} for s in sources() if year in available(s)
            for strand in load_ruleset(s, year).strands if load_ruleset(s, year).offered_to(names)]


def sources_without_rules(year: int, names: list[str]) -> list[str]:
    """Why a source a CPAS known by these names may use offers nothing in year: one sentence per source that
    has rules for other years but not this one, its first or last year read from the files (and, after the
    last, the reason the last file's `note` gives, e.g. the Fonds PAS abolished from 2026, domain.md §0)."""
    messages = []
    for source in sources():
        years = available(source)
        if not years or year in years:
            continue
        before = [y for y in years if y < year]
        nearest = before[-1] if before else years[0]  # the file that says who may use it, and why it ended
        ruleset = load_ruleset(source, nearest)
        if not ruleset.offered_to(names):
            continue
        sentence = _("%(source)s: no rules for %(year)s.", source=source_name(source, nearest), year=year)
        if year > years[-1]:
            why = (_(ENDING_NOTES[ruleset.note], next=years[-1] + 1, last=years[-1]) if ruleset.note
                   else _("Its last year with rules is %(last)s.", last=years[-1]))
        elif year < years[0]:
            why = _("Its first year with rules is %(first)s.", first=years[0])
        else:
            why = ""
        messages.append(f"{sentence} {why}".strip())
    return messages


def state_word(state: str) -> str:
    return _(STATES.get(state, STATE_OK))


def parse_year(value: str) -> int:
    """The year asked for, or the Brussels current year when it is missing or not a year."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) == 4 and FIRST_YEAR <= int(value) <= LAST_YEAR:
        return int(value)
    return i18n.today().year


def url_year(value: str) -> int:
    """The year a spending page's URL asks for (?year=), this Brussels year when none; 404 for one that is not
    a year or is outside web.url_year_range() (1800, abc)."""
    return year_in_url(value, i18n.today().year)


async def cpas_choices(request: HTMXRequest) -> list[dict]:
    """The CPAS whose spending the person manages: [{id, name, kind}], by name."""
    ids = spending_organisations(request.user)
    return [c for c in await organisation_choices(ids) if c["kind"] == "cpas"]


async def own_cpas(request: HTMXRequest, value: str) -> int:
    """A CPAS whose spending the person manages, or 404 (a cluster or a partner they manage is not a CPAS)."""
    org = parse_id(value) or 0
    if org not in {c["id"] for c in await cpas_choices(request)}:
        raise NotFoundException()
    return org


def budget_url(org: int, year: int) -> str:
    """The budget screen of a CPAS's year."""
    return "/spending?" + urlencode({"year": year, "cpas": org})


def finding_message(finding: Finding) -> str:
    """The finding's message in the reader's language, its figures as money, percentages and dates."""
    return _(finding.message, **placeholders(finding.figures, i18n.format_money, lambda bp: f"{bp / 100:g} %",
                                             i18n.format_date))


def expense_url(expense_id: int) -> str:
    return f"/spending/expenses/{expense_id}"


def strand_lines(year: int) -> list[dict]:
    """Every source and strand that has rules for year ({source, strand}): what may be charged in it."""
    return [{"source": s, "strand": strand.code} for s in sources() if year in available(s)
            for strand in load_ruleset(s, year).strands]


async def chosen_cpas(request: HTMXRequest, value: str) -> int:
    """The CPAS asked for (own_cpas: 404 outside the person's), or the first they manage when none is asked."""
    if value:
        return await own_cpas(request, value)
    choices = await cpas_choices(request)
    if not choices:
        raise NotFoundException()
    return choices[0]["id"]
