"""/spending/expenses/new and /spending/expenses/{id}: recording and changing one expense, its status.

The rules decide in the action (actions.record_expense / update_expense): a blocking finding is shown next
to its field and in a summary, nothing written; a warning is shown with a box to tick, and only a ticked box
saves (the expense records the rules that warned and who went on). The form keeps what was typed."""

from __future__ import annotations

import re

from litestar import get, post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import N_
from planner.i18n import gettext as _
from planner.money import AmountError, decimal_separator, parse_cents
from planner.spending import actions, queries
from planner.spending.access import SPENDING_MANAGERS, get_expense_for_user
from planner.spending.actions import ExpenseInput, ShareInput
from planner.spending.labels import CATEGORY_LABELS, STATUS_LABELS, category_label, status_label
from planner.spending.routes.common import (
    url_year,
    budget_url, chosen_cpas, expense_url, finding_message, own_cpas, parse_year, source_name,
    sources_without_rules, strand_lines,
    strand_name,
)
from planner.spending.rules import BLOCK, WARN, Finding
from planner.spending.tables import STATUSES, Expense
from planner.web import (
    FIRST_YEAR, LAST_YEAR, flash, form_date, form_text, form_version, page, parse_id, redirect, text,
)

TEMPLATE = "spending/expense.html"
SHARE_ROWS = (1, 2, 3)
# Where each rule's finding is shown: next to the field it is about (the summary at the top lists them all).
FIELD_OF_RULE = {"FUND-01": "day", "FUND-06": "module", "COST-07": "category", "COST-05": "amount_excl_vat",
                 "COST-02": "overheads", "VAT": "vat", "STRAND-CATEGORY": "shares", "COST-03": "shares",
                 "COST-01": "shares", "RULESET": "shares"}
PERCENT = re.compile(r"(\d{1,3})(?:[.,](\d{1,2}))?\s*%?")


def percent_bp(typed: str) -> int | None:
    """"30", "33,33", "12.5 %" → basis points; None unless 0.01 %..100 %."""
    match = PERCENT.fullmatch(typed.strip())
    if not match:
        return None
    bp = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    return bp if 1 <= bp <= 10_000 else None


def typed_cents(cents: int) -> str:
    """An amount as the reader types it ("1234,56" in fr/nl/de, "1234.56" in en)."""
    return f"{cents // 100}{decimal_separator(i18n.current_language())}{cents % 100:02d}"


def typed_percent(bp: int) -> str:
    whole, rest = divmod(bp, 100)
    return f"{whole}{decimal_separator(i18n.current_language())}{rest:02d}" if rest else str(whole)


def _amount(form, name: str, errors: dict[str, str], values: dict[str, str], required: bool = True) -> int:
    typed = text(form, name, 100)
    values[name] = typed
    if not typed and not required:
        return 0
    try:
        return parse_cents(typed, i18n.current_language())
    except AmountError as error:
        errors[name] = _(error.message, **error.variables)
        return 0


async def _read(form, org: int, choices: dict, new: bool) -> tuple[ExpenseInput | None, dict, dict]:
    """The form as an ExpenseInput (None when a field is wrong), what was typed, and each field's problem."""
    errors: dict[str, str] = {}
    values = {name: text(form, name, 300) for name in ("day", "year", "partner", "category", "module", "status")}
    day = form_date(values["day"])
    if day is None:
        errors["day"] = _("Give the date of the invoice or order.")
    year = parse_year(values["year"])  # the subsidy year the shares are charged to (FUND-01 checks the day)
    if str(year) != values["year"]:
        errors["year"] = _("Choose a year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
    values["supplier"] = text(form, "supplier", 200)
    values["activity"] = text(form, "activity", 300)
    values["invoice_reference"] = form_text(form, "invoice_reference", Expense.invoice_reference, errors)
    partner = parse_id(values["partner"])
    if values["partner"] and partner not in {p["id"] for p in choices["partners"]}:
        errors["partner"] = _("Choose a partner from the list.")
    elif partner and values["supplier"]:
        errors["partner"] = _("Give a supplier or choose a partner, not both.")
    elif not partner and not values["supplier"]:
        errors["supplier"] = _("Give the supplier, or choose one of the CPAS's partners.")
    module = parse_id(values["module"])
    if values["module"] and module not in {m["id"] for m in choices["modules"]}:
        errors["module"] = _("Choose a module from the list.")
    if values["category"] not in CATEGORY_LABELS:
        errors["category"] = _("Choose a kind of expense from the list.")
    if new and values["status"] not in STATUSES:
        errors["status"] = _("Choose a status from the list.")
    excl = _amount(form, "amount_excl_vat", errors, values)
    vat = _amount(form, "vat", errors, values)
    overheads = _amount(form, "overheads", errors, values, required=False)
    lines = strand_lines(year)
    shares = []
    for row in SHARE_ROWS:
        line, typed = text(form, f"share_line_{row}", 100), text(form, f"share_percent_{row}", 20)
        values[f"share_line_{row}"], values[f"share_percent_{row}"] = line, typed
        if not line and not typed:
            continue
        source, _sep, strand = line.partition(":")
        bp = percent_bp(typed)
        if {"source": source, "strand": strand} not in lines:
            errors[f"share_line_{row}"] = _("Choose a funding source and strand from the list.")
        if bp is None:
            errors[f"share_percent_{row}"] = _("Give a percentage from 0.01 to 100.")
        else:
            shares.append(ShareInput(source, year, strand, bp))
    if errors:
        return None, values, errors
    data = ExpenseInput(day=day, category=values["category"], amount_excl_vat_cents=excl, vat_cents=vat,
                        status=values["status"] if new else "committed", supplier="" if partner else values["supplier"],
                        partner=partner, module=module, activity=values["activity"],
                        invoice_reference=values["invoice_reference"], shares=tuple(shares), overheads_cents=overheads)
    return data, values, errors


def charged_year(expense: dict) -> int:
    """The subsidy year an expense's shares are charged to; the year of its day when it has none."""
    return expense["shares"][0]["year"] if expense["shares"] else expense["day"].year


def row_values(expense: dict) -> dict:
    """What the edit form shows for a saved expense."""
    values = {"day": expense["day"].isoformat(), "year": str(charged_year(expense)), "supplier": expense["supplier"],
              "partner": str(expense["partner"] or ""), "category": expense["category"],
              "module": str(expense["module"] or ""), "activity": expense["activity"],
              "invoice_reference": expense["invoice_reference"], "status": expense["status"],
              "amount_excl_vat": typed_cents(expense["amount_excl_vat_cents"]),
              "vat": typed_cents(expense["vat_cents"]),
              "overheads": typed_cents(expense["overheads_cents"]) if expense["overheads_cents"] else ""}
    for row, share in zip(SHARE_ROWS, expense["shares"]):
        values[f"share_line_{row}"] = f"{share['source']}:{share['strand']}"
        values[f"share_percent_{row}"] = typed_percent(share["share_bp"])
    return values


async def expense_context(org: int, year: int, expense: dict | None = None, **extra) -> dict:
    return {"organisation": org, "year": year, "expense": expense, **await queries.expense_form_choices(org),
            "lines": strand_lines(year), "no_rules": sources_without_rules(year, await queries.cpas_names(org)),
            "categories": sorted(CATEGORY_LABELS, key=category_label),
            "statuses": list(STATUS_LABELS), "category_label": category_label, "status_label": status_label,
            "source_name": lambda source: source_name(source, year), "share_rows": SHARE_ROWS,
            "strand_name": lambda source, strand: strand_name(source, year, strand),
            "errors": {}, "values": {}, "summary": [], "warnings": [], "scan_error": "", "budget_url": budget_url(org, year), **extra}


def _findings(findings: tuple[Finding, ...], errors: dict[str, str]) -> tuple[list[str], list[str]]:
    """The blocking findings' messages (each also next to its field) and the warnings' messages."""
    summary, warnings = [], []
    for finding in findings:
        message = finding_message(finding)
        if finding.level == BLOCK:
            summary.append(message)
            field = FIELD_OF_RULE.get(finding.rule)
            if field:
                errors[field] = f"{errors[field]} {message}" if field in errors else message
        elif finding.level == WARN:
            warnings.append(message)
    return summary, warnings


UNSAVED = N_("Nothing was saved: check the fields marked below.")


@get("/spending/expenses/new", guards=[SPENDING_MANAGERS])
async def new_expense(request: HTMXRequest) -> Template:
    org = await chosen_cpas(request, request.query_params.get("cpas", ""))
    year = url_year(request.query_params.get("year", ""))
    today = i18n.today()
    values = {"day": today.isoformat() if today.year == year else "", "year": str(year), "status": "committed",
              "share_percent_1": "100"}
    return page(request, TEMPLATE, await expense_context(org, year, values=values))


@post("/spending/expenses", guards=[SPENDING_MANAGERS], status_code=200)
async def create_expense(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    org = await own_cpas(request, text(form, "organisation"))
    choices = await queries.expense_form_choices(org)
    data, values, errors = await _read(form, org, choices, new=True)
    summary, warnings = [], []
    if data is not None:
        saved = await actions.record_expense(org, data, request.user.id, past_warnings=form.get("go_on") == "1")
        if saved.id is not None:
            flash(request, _("The expense has been saved."))
            return redirect(request, expense_url(saved.id))
        summary, warnings = _findings(saved.findings, errors)
    year = parse_year(values["year"])
    summary = summary or ([_(UNSAVED)] if errors else [])
    return page(request, TEMPLATE, await expense_context(org, year, values=values, errors=errors, summary=summary,
                                                  warnings=warnings), block="expense", status_code=422)


@get("/spending/expenses/{expense_id:int}", guards=[SPENDING_MANAGERS])
async def expense_page(request: HTMXRequest, expense_id: FromPath[int]) -> Template:
    expense = await queries.expense_detail(await get_expense_for_user(request.user, expense_id))
    return page(request, TEMPLATE, await expense_context(expense["organisation"], charged_year(expense), expense,
                                                  values=row_values(expense)))


@post("/spending/expenses/{expense_id:int}", guards=[SPENDING_MANAGERS], status_code=200)
async def update_expense(request: HTMXRequest, expense_id: FromPath[int]) -> Response | Template:
    current = await get_expense_for_user(request.user, expense_id)
    org = current["organisation"]
    form = await request.form()
    data, values, errors = await _read(form, org, await queries.expense_form_choices(org), new=False)
    version = form_version(form, errors)
    summary, warnings = [], []
    if data is not None and not errors:
        data = ExpenseInput(**{**data.__dict__, "status": current["status"]})  # the status has its own buttons
        saved = await actions.update_expense(expense_id, version, data, request.user.id,
                                             past_warnings=form.get("go_on") == "1")
        if saved.id is not None:
            flash(request, _("The expense has been saved."))
            return redirect(request, expense_url(expense_id))
        summary, warnings = _findings(saved.findings, errors)
        if any(f.rule == "VERSION" for f in saved.findings):  # show what is saved now, the message on top
            expense = await queries.expense_detail(await get_expense_for_user(request.user, expense_id))
            return page(request, TEMPLATE, await expense_context(org, charged_year(expense), expense, summary=summary,
                                                          values=row_values(expense)), block="expense",
                        status_code=409)
    expense = await queries.expense_detail(current)
    summary = summary or ([_(UNSAVED)] if errors else [])
    return page(request, TEMPLATE, await expense_context(org, charged_year(expense), expense, values=values, errors=errors,
                                                  summary=summary, warnings=warnings), block="expense",
                status_code=422)


@post("/spending/expenses/{expense_id:int}/status", guards=[SPENDING_MANAGERS], status_code=200)
async def change_status(request: HTMXRequest, expense_id: FromPath[int]) -> Response:
    """committed → invoiced → paid, or back to correct a mistake; refused when the expense changed meanwhile."""
    await get_expense_for_user(request.user, expense_id)
    form = await request.form()
    errors: dict[str, str] = {}
    version = form_version(form, errors)
    status = text(form, "status", 20)
    if errors or status not in STATUSES:
        flash(request, _("This form could not be read completely. Check it and save again."), "error")
        return redirect(request, expense_url(expense_id))
    saved = await actions.set_status(expense_id, version, status, request.user.id)
    if saved.id is None:
        flash(request, " ".join(finding_message(f) for f in saved.findings), "error")
    else:
        flash(request, _("The expense is now %(status)s.", status=status_label(status)))
    return redirect(request, expense_url(expense_id))
