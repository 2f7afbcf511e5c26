"""What the report's screens share: the year asked for, the figures of a CPAS's year, messages and labels."""

from __future__ import annotations


from planner import i18n
from planner.i18n import N_, gettext as _
from planner.report import queries
from planner.report.rules import AGE_BANDS, Finding, YearFigures, cross_checks, year_figures
from planner.spending.rules import placeholders
from planner.web import year_in_url

# What a people figure is called on the screen; the keys are what /people?figure= accepts.
MODULE_FIGURES = {
    "participants": N_("Participants"), "users": N_("of whom CPAS users"), "ri": N_("of whom with the RI"),
    "piis": N_("of whom with a PIIS"), "piis_subsidy": N_("of whom with the 10 % PIIS subsidy"),
    "M": N_("Men"), "F": N_("Women"), "X": N_("X"),
    "under_25": N_("Under 25"), "25_49": N_("25 to 49"), "50_plus": N_("50 and over"),
}
YEAR_FIGURES = {
    "e1": N_("E1: trajectories framed by a PIIS"), "e2": N_("E2: of whom progressed"),
    "e2a": N_("E2a: towards a socio-professional path"), "e2b": N_("E2b: more autonomy or participation"),
    "e2c": N_("E2c: into volunteering"), "subsidy": N_("People with the 10 % PIIS subsidy"),
}


def check_year(year: int) -> int:
    """The report's year from its URL, or 404 outside web.url_year_range() (2000 .. next year)."""
    return year_in_url(year, 0)


async def figures_of(organisation_id: int, year: int) -> YearFigures:
    return year_figures(await queries.year_input(organisation_id, year))


def finding_message(finding: Finding) -> str:
    """The finding in the reader's language, its amounts as money and its shares as percentages."""
    return _(finding.message, **placeholders(finding.figures, i18n.format_money,
                                             lambda bp: f"{i18n.format_number(bp / 100)} %", i18n.format_date,
                                             i18n.format_number))


def module_people(row, figure: str) -> tuple[int, ...]:
    """The person ids behind a module figure (MODULE_FIGURES); guests have no id and are only counted."""
    if figure == "participants":
        return row.people
    if figure in ("users", "ri", "piis", "piis_subsidy"):
        return getattr(row, figure)
    if figure in AGE_BANDS:
        return row.by_age[figure]
    return row.by_gender[figure]


def year_people(figures: YearFigures, figure: str) -> tuple[int, ...]:
    if figure == "subsidy":
        return tuple(p.person for p in figures.subsidy.people)
    return getattr(figures.evaluation, figure)


def report_url(organisation_id: int, year: int) -> str:
    return f"/report/{organisation_id}/{year}"


def figure_label(figure: str) -> str:
    return _(MODULE_FIGURES.get(figure) or YEAR_FIGURES[figure])
