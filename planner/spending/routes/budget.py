"""/spending, the budget screen: a CPAS's budget of a year per funding source and strand (issue 14), its
grants and its VAT policy, managed by its coordinators and administrators."""

from __future__ import annotations

from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import gettext as _
from planner.money import AmountError, parse_cents
from planner.spending import actions, queries
from planner.spending.access import SPENDING_MANAGERS
from planner.spending.routes.chart import chart_context
from planner.spending.routes.common import (
    url_year,
    budget_url, cpas_choices, finding_message, offered_lines, own_cpas, parse_year, source_name,
    sources_without_rules, state_word, strand_name,
)
from planner.web import FIRST_YEAR, LAST_YEAR, flash, page, redirect, text

TEMPLATE = "spending/budget.html"


async def _context(request: HTMXRequest, org: int | None, year: int, **extra) -> dict:
    choices = await cpas_choices(request)
    if org is None:
        if not choices:
            raise NotFoundException()
        org = choices[0]["id"]
    charged = await queries.budget_charges(org, year)  # read once: the lines and the chart's months
    lines = await queries.budget(org, year, charged)
    return {"cpas": choices, "organisation": org, "year": year, "lines": lines,
            "expenses_count": await queries.expense_count(org, year),
            "other_years": [y for y in await queries.years_with_figures(org) if y != year],
            "recovers_vat": await queries.recovers_vat(org, year),
            "grant_lines": offered_lines(year, names := await queries.cpas_names(org)),
            "no_rules": sources_without_rules(year, names),
            "source_name": lambda source: source_name(source, year),
            "strand_name": lambda source, strand: strand_name(source, year, strand), "state_word": state_word,
            "recoveries": queries.recoveries(lines, year, i18n.today()), "finding_message": finding_message,
            **chart_context(queries.months(charged, lines, year), year), "errors": {}, "values": {}, **extra}


@get("/spending", guards=[SPENDING_MANAGERS])
async def budget(request: HTMXRequest) -> Template:
    year = url_year(request.query_params.get("year", ""))
    cpas = request.query_params.get("cpas", "")
    org = await own_cpas(request, cpas) if cpas else None
    return page(request, TEMPLATE, await _context(request, org, year), block="budget")


@post("/spending/grants", guards=[SPENDING_MANAGERS], status_code=200)
async def set_grant(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    org = await own_cpas(request, text(form, "organisation"))
    year = parse_year(text(form, "year"))
    typed_year = text(form, "year")
    line = text(form, "line", 200)  # "<source>:<strand>", one choice of the form's list
    source, _sep, strand = line.partition(":")
    typed = str(form.get("amount", "") or "").replace("\x00", "").strip()[:100]
    errors: dict[str, str] = {}
    cents = None
    try:
        cents = parse_cents(typed, i18n.current_language())
    except AmountError as error:
        errors["amount"] = _(error.message, **error.variables)
    if str(year) != typed_year:
        errors["line"] = _("Choose a year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
    elif {"source": source, "strand": strand} not in offered_lines(year, await queries.cpas_names(org)):
        errors["line"] = _("Choose a funding source and strand from the list.")
    elif cents is not None:
        saved = await actions.set_grant(org, source, year, strand, cents, request.user.id)
        if saved.id is None:
            errors["line"] = " ".join(finding_message(f) for f in saved.findings)
    if errors:
        values = {"amount": typed, "line": line}
        return page(request, TEMPLATE, await _context(request, org, year, errors=errors, values=values),
                    block="grant", status_code=422)
    flash(request, _("The grant has been saved."))
    return redirect(request, budget_url(org, year))


@post("/spending/vat", guards=[SPENDING_MANAGERS], status_code=200)
async def set_vat(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    org = await own_cpas(request, text(form, "organisation"))
    year = parse_year(text(form, "year"))
    if str(year) != text(form, "year"):
        errors = {"vat": _("Choose a year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)}
        return page(request, TEMPLATE, await _context(request, org, year, errors=errors), block="budget",
                    status_code=422)
    await actions.set_vat_policy(org, year, form.get("recovers_vat") == "1")
    flash(request, _("The VAT policy has been saved."))
    return redirect(request, budget_url(org, year))

