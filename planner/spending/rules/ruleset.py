"""A funding source's rules for one year, as data (domain.md §3, §7: "year-versioned rule sets").

`parse_ruleset` validates the mapping read from a rule-set file; `planner.spending.rulesets` reads the files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.i18n import N_
from planner.spending.rules.common import WHOLE

# Expense categories a rule set may name. Strand A's are SPP IS's list (domain.md §3.3), strand C's the
# examples of §3.3; "building_purchase" exists so a rule set can forbid it (COST-07).
STRAND_A_CATEGORIES = ("activities", "holidays", "trips", "phone_computer", "media_games", "education_courses",
                       "fees_allowances", "tickets_cheques", "leisure")
STRAND_C_CATEGORIES = ("school_costs", "school_transport", "camps", "youth_movements", "sports_club_fees",
                       "homework_support", "paramedical_copayments")
GENERAL_CATEGORIES = ("personnel", "operating", "subcontracting", "investment", "building_purchase")
CATEGORIES = frozenset(GENERAL_CATEGORIES + STRAND_A_CATEGORIES + STRAND_C_CATEGORIES)

# What the subcontractor overhead cap (COST-02) is a percentage of: the subcontracted service's own costs
# (the invoice without its overheads), or the whole invoice.
OVERHEAD_BASES = ("direct_costs", "invoice_total")


class RuleSetError(ValueError):
    """A rule-set file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Strand:
    code: str  # "A", "B", "C" for the Fonds PAS; any short code for another source
    categories: frozenset[str]
    personnel_cap_bp: int | None  # COST-01: personnel at most this share of the strand's amount; None = no cap
    # The strand's name as people say it, per language (fr, nl, de, en); the code when the file gives none
    names: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class RuleSet:
    source: str  # the folder name, e.g. "fonds-pas"
    year: int
    eligible_from: dt.date  # FUND-01: expenses must be dated within [eligible_from, eligible_until]
    eligible_until: dt.date
    report_deadline: dt.date  # REP-05; COST-11 recovers what is not justified by then
    strands: tuple[Strand, ...]
    forbidden_categories: frozenset[str]  # COST-07
    professional_activation_fundable: bool  # FUND-06
    investment_cap_cents: int | None  # COST-05, excluding VAT, per investment; None = no cap
    subcontractor_overhead_cap_bp: int | None  # COST-02; None = no cap
    subcontractor_overhead_basis: str  # one of OVERHEAD_BASES
    warn_from_bp: int  # a cap is "near" from this share of it (9000 = warn at 90 %)
    # SUB-PIIS-05: strands where bilan-social and progress-measurement time for participants with the 10 %
    # PIIS subsidy cannot be charged (strand B for the Fonds PAS)
    piis_subsidy_excluded_strands: frozenset[str] = frozenset()
    # The source's name as people say it, per language (fr, nl, de, en): data, like the rules
    names: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    # The one CPAS a local source (a city's subsidy) belongs to, by its name as the CPAS is registered (ids
    # differ between databases, names do not); "" for a source every CPAS may use (the Fonds PAS, own funds)
    cpas: str = ""
    # SUB-PIIS-01: this source is the 10 % special PIIS subsidy (rulesets/piis-subsidy/): what is charged to it
    # is the PIIS justification's, and never also to another source's piis_subsidy_excluded_strands
    piis_subsidy: bool = False
    # Why the source has no rules after this year (a key of ENDING_NOTES), in its last year's file; "" if none
    note: str = ""

    def strand(self, code: str) -> Strand | None:
        return next((s for s in self.strands if s.code == code), None)

    def offered_to(self, cpas_names: Iterable[str]) -> bool:
        """Whether a CPAS known by these names (its name in each language) may use this rule set."""
        return not self.cpas or folded(self.cpas) in {folded(n) for n in cpas_names if n}


def folded(name: str) -> str:
    """A CPAS's name compared without case or surrounding and repeated spaces."""
    return " ".join(name.split()).casefold()


_REQUIRED = {"source", "year", "eligible_from", "eligible_until", "strands"}
_OPTIONAL = {"report_deadline", "forbidden_categories", "professional_activation_fundable",
             "investment_cap_cents", "subcontractor_overhead_cap_bp", "subcontractor_overhead_basis",
             "warn_from_bp", "piis_subsidy_excluded_strands", "name", "cpas", "piis_subsidy", "note"}
# The reasons a source's last file may give for its end (`note = "abolished"`): message ids shown when a later
# year has no rules, formatted with {next} (the first year without rules) and {last} (the file's year)
ENDING_NOTES = {"abolished": N_("The fund was abolished from 1 January %(next)s; its last year is %(last)s.")}
NAME_LANGUAGES = {"fr", "nl", "de", "en"}
_STRAND_FIELDS = {"categories", "personnel_cap_bp", "name"}


def default_report_deadline(year: int) -> dt.date:
    """REP-05: 28 February of the next year, unless the year's rules say otherwise."""
    return dt.date(year + 1, 2, 28)


def parse_ruleset(data: Mapping[str, Any], name: str) -> RuleSet:
    """The RuleSet described by data (a parsed TOML document); name (the file) prefixes every error.

    Raises RuleSetError "<name>: <field>: <problem>" for a missing, unknown or ill-typed field, a cap out of
    range, an unknown category, a period that ends before it starts, or a deadline before the period's end.
    """
    def fail(field: str, problem: str) -> RuleSetError:
        return RuleSetError(f"{name}: {field}: {problem}")

    def integer(field: str, value: Any, low: int, high: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(field, f"expected a whole number, got {value!r}")
        if value < low or (high is not None and value > high):
            raise fail(field, f"{value} is outside {low}..{high if high is not None else ''}")
        return value

    def date(field: str, value: Any) -> dt.date:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise fail(field, f"expected a date such as 2017-01-01, got {value!r}")
        return value

    def names(field: str, value: Any) -> dict[str, str]:
        if (not isinstance(value, dict) or not value.keys() <= NAME_LANGUAGES
                or not all(isinstance(v, str) and v.strip() for v in value.values())):
            raise fail(field, f"expected a table of non-empty names in {sorted(NAME_LANGUAGES)}")
        return dict(value)

    def categories(field: str, value: Any) -> frozenset[str]:
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            raise fail(field, "expected a list of category codes")
        unknown = sorted(set(value) - CATEGORIES)
        if unknown:
            raise fail(field, f"unknown categories {unknown}; known: {sorted(CATEGORIES)}")
        return frozenset(value)

    for missing in sorted(_REQUIRED - data.keys()):
        raise fail(missing, "missing")
    for unknown in sorted(data.keys() - _REQUIRED - _OPTIONAL):
        raise fail(unknown, "unknown field")
    if not isinstance(data["source"], str) or not data["source"]:
        raise fail("source", "expected the source's code")
    year = integer("year", data["year"], 2000, 2100)
    eligible_from = date("eligible_from", data["eligible_from"])
    eligible_until = date("eligible_until", data["eligible_until"])
    if eligible_until < eligible_from:
        raise fail("eligible_until", f"{eligible_until} is before eligible_from {eligible_from}")
    deadline = date("report_deadline", data.get("report_deadline", default_report_deadline(year)))
    if deadline < eligible_until:
        raise fail("report_deadline", f"{deadline} is before the end of the period {eligible_until}")
    forbidden = categories("forbidden_categories", data.get("forbidden_categories", []))

    if not isinstance(data["strands"], dict) or not data["strands"]:
        raise fail("strands", "expected at least one [strands.<code>] table")
    strands = []
    for code, fields in data["strands"].items():
        where = f"strands.{code}"
        if not isinstance(fields, dict):
            raise fail(where, "expected a table")
        for unknown in sorted(fields.keys() - _STRAND_FIELDS):
            raise fail(f"{where}.{unknown}", "unknown field")
        if "categories" not in fields:
            raise fail(f"{where}.categories", "missing")
        allowed = categories(f"{where}.categories", fields["categories"])
        if allowed & forbidden:
            raise fail(f"{where}.categories", f"{sorted(allowed & forbidden)} are also forbidden_categories")
        cap = fields.get("personnel_cap_bp")
        strands.append(Strand(code, allowed, None if cap is None else integer(
            f"{where}.personnel_cap_bp", cap, 0, WHOLE), names(f"{where}.name", fields.get("name", {}))))

    fundable = data.get("professional_activation_fundable", True)
    if not isinstance(fundable, bool):
        raise fail("professional_activation_fundable", f"expected true or false, got {fundable!r}")
    investment_cap = data.get("investment_cap_cents")
    overhead_cap = data.get("subcontractor_overhead_cap_bp")
    basis = data.get("subcontractor_overhead_basis", "direct_costs")
    excluded = data.get("piis_subsidy_excluded_strands", [])
    codes = {s.code for s in strands}
    if not isinstance(excluded, list) or not set(excluded) <= codes:
        raise fail("piis_subsidy_excluded_strands", f"expected a list of this file's strands {sorted(codes)}")
    if basis not in OVERHEAD_BASES:
        raise fail("subcontractor_overhead_basis", f"{basis!r} is not one of {OVERHEAD_BASES}")
    piis_subsidy = data.get("piis_subsidy", False)
    if not isinstance(piis_subsidy, bool):
        raise fail("piis_subsidy", f"expected true or false, got {piis_subsidy!r}")
    cpas = data.get("cpas", "")
    if not isinstance(cpas, str) or (cpas and not cpas.strip()) or len(cpas) > 200:
        raise fail("cpas", f"expected the name of the CPAS the source belongs to, got {cpas!r}")
    note = data.get("note", "")
    if note and note not in ENDING_NOTES:
        raise fail("note", f"{note!r} is not one of {sorted(ENDING_NOTES)}")
    return RuleSet(
        source=data["source"], year=year, eligible_from=eligible_from, eligible_until=eligible_until,
        report_deadline=deadline, strands=tuple(strands), forbidden_categories=forbidden,
        professional_activation_fundable=fundable,
        investment_cap_cents=None if investment_cap is None else integer(
            "investment_cap_cents", investment_cap, 0),
        subcontractor_overhead_cap_bp=None if overhead_cap is None else integer(
            "subcontractor_overhead_cap_bp", overhead_cap, 0, WHOLE),
        subcontractor_overhead_basis=basis,
        warn_from_bp=integer("warn_from_bp", data.get("warn_from_bp", 9000), 1, WHOLE),
        piis_subsidy_excluded_strands=frozenset(excluded),
        names=names("name", data.get("name", {})), cpas=cpas.strip(), piis_subsidy=piis_subsidy, note=note,
    )
