"""/spending/expenses: the list of a CPAS's expenses of a year, filtered and paged (the budget's figures link
here with the filter of what they sum), and its export for the finance department (.xlsx)."""

from __future__ import annotations

import anyio
from litestar import get
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template
from urllib.parse import urlencode

from planner.i18n import gettext as _
from planner.orgs.queries import organisation_choices
from planner.spending import queries
from planner.spending.access import SPENDING_MANAGERS
from planner.spending.export import workbook
from planner.spending.labels import CATEGORY_LABELS, STATUS_FILTER_LABELS, category_label, status_label
from planner.spending.queries import STATUS_FILTERS, ExpenseFilter
from planner.spending.routes.common import (
    attachment, chosen_cpas, cpas_choices, source_name, strand_name, url_year,
)
from planner.spending.rules import CATEGORIES
from planner.spending.rulesets import available, load_ruleset, sources
from planner.web import page, parse_id

MAX_PAGE = 10_000  # 500,000 expenses a year: far beyond any CPAS, and an offset the database still serves


def strands_of_year(year: int) -> list[str]:
    """Every strand code a source has in year, once each, in order."""
    return sorted({strand.code for s in sources() if year in available(s) for strand in load_ruleset(s, year).strands})


def strand_label(code: str, year: int) -> str:
    """The filter's word for a strand code: a letter is the strand as everyone says it ("A"), shared by several
    sources; any other code (own funds' "all") is named by the first source that has it, from its rule set."""
    if len(code) == 1:
        return code
    owner = next((s for s in sources() if year in available(s) and load_ruleset(s, year).strand(code)), "")
    return strand_name(owner, year, code) if owner else code


def _filter(request: HTMXRequest, year: int) -> ExpenseFilter:
    """The filter asked for; a value that is not one of the choices is ignored (shows everything)."""
    query = request.query_params
    source = query.get("source", "")
    strand = query.get("strand", "")
    category = query.get("category", "")
    status = query.get("status", "")
    number = query.get("page", "")
    page_number = int(number) if number.isascii() and number.isdigit() and len(number) <= 5 else 1
    return ExpenseFilter(
        year=year, source=source if year in available(source) else "",
        strand=strand if strand in strands_of_year(year) else "", category=category if category in CATEGORIES else "",
        status=status if status in STATUS_FILTERS else "", module=parse_id(query.get("module", "")),
        page=min(max(page_number, 1), MAX_PAGE))


def _page_url(org: int, f: ExpenseFilter, page_number: int) -> str:
    values = {"year": f.year, "cpas": org, "source": f.source, "strand": f.strand, "category": f.category,
              "status": f.status, "module": f.module or "", "page": page_number}
    return "/spending/expenses?" + urlencode({k: v for k, v in values.items() if v not in ("", None)})


@get("/spending/expenses", guards=[SPENDING_MANAGERS])
async def expense_list(request: HTMXRequest) -> Template:
    year = url_year(request.query_params.get("year", ""))
    choices = await cpas_choices(request)
    org = await chosen_cpas(request, request.query_params.get("cpas", ""))
    f = _filter(request, year)
    listing = await queries.expense_page(org, f)
    form_choices = await queries.expense_form_choices(org)
    context = {
        "cpas": choices, "organisation": org, "year": year, "filter": f, **listing, **form_choices,
        "sources": [s for s in sources() if year in available(s)], "strands": strands_of_year(year),
        "categories": sorted(CATEGORY_LABELS, key=category_label), "statuses": list(STATUS_FILTER_LABELS),
        "category_label": category_label, "status_label": status_label,
        "source_name": lambda source: source_name(source, year),
        "strand_label": lambda code: strand_label(code, year),
        "previous_url": _page_url(org, f, f.page - 1) if f.page > 1 else "",
        "next_url": _page_url(org, f, f.page + 1) if listing["has_next"] else "",
        "filtered": any((f.source, f.strand, f.category, f.status, f.module)),
    }
    return page(request, "spending/expenses.html", context, block="expenses")


@get("/spending/expenses.xlsx", guards=[SPENDING_MANAGERS])
async def expense_export(request: HTMXRequest) -> Response:
    """One row per expense and share, for the finance department (headers in the reader's language)."""
    year = url_year(request.query_params.get("year", ""))
    org = await chosen_cpas(request, request.query_params.get("cpas", ""))
    rows = await queries.expenses_for_export(org, year)
    headers = [_("Date"), _("Supplier or partner"), _("Category"), _("Module or activity"), _("Invoice reference"),
               _("Status"), _("Amount excl. VAT"), _("VAT"), _("Amount incl. VAT"), _("Funding source"),
               _("Strand"), _("Share"), _("Amount charged")]
    for row in rows:  # the words, translated here: the workbook is built in a thread without the request's language
        row["category_word"] = category_label(row["category"])
        row["status_word"] = status_label(row["status"])
        for share in row["shares"]:
            share["source_word"] = source_name(share["source"], share["year"])
    content = await anyio.to_thread.run_sync(workbook, rows, headers, _("Expenses %(year)s", year=year))
    [cpas] = await organisation_choices({org})
    return Response(content, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": attachment(f"{_('expenses')}-{cpas['name']}-{year}.xlsx",
                                                               f"expenses-{year}.xlsx"),
                             "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})
