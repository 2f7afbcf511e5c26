"""/spending/partners: a CPAS's partner organisations with their conventions (period, what they deliver, price),
contacts, the modules they run and their invoices; a convention nearing its end is flagged. Only the CPAS's
spending managers (a partner facilitator never sees a convention: 403; another CPAS, even of the same
cluster: 404)."""

from __future__ import annotations

import datetime as dt

from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import N_
from planner.i18n import gettext as _
from planner.i18n import ngettext
from planner.money import AmountError, parse_cents
from planner.orgs.tables import Organisation
from planner.spending import actions, queries
from planner.spending.access import SPENDING_MANAGERS
from planner.spending.routes.common import cpas_choices, finding_message, own_cpas, parse_year, url_year
from planner.spending.tables import PRICE_BASES, PartnerConvention
from planner.web import flash, form_date, form_version, page, redirect, text

# A product setting, not law: how long before a convention ends the partners' page starts flagging it, so a
# coordinator has two months to renew it before the partner's next invoice falls outside any convention.
ENDING_SOON_DAYS = 60

# Text columns, so the limits are the form's: a paragraph of what is delivered, a name and a number or two.
TEXT_LIMITS = {"deliverables": 2000, "contact": 500}

PRICE_BASIS_LABELS = {"per_session": N_("per session"), "per_participant": N_("per participant"),
                      "lump_sum": N_("lump sum")}


def price_basis_label(basis: str) -> str:
    return _(PRICE_BASIS_LABELS[basis]) if basis in PRICE_BASIS_LABELS else basis


def ending(convention: dict | None, today: dt.date) -> str:
    """The flag a convention shows: ended, or ending within ENDING_SOON_DAYS; "" otherwise."""
    if convention is None:
        return ""
    days = (convention["ends_on"] - today).days
    when = i18n.format_date(convention["ends_on"])
    if days < 0:
        return _("Ended on %(day)s.", day=when)
    if days <= ENDING_SOON_DAYS:
        return ngettext("Ends on %(day)s, in %(num)d day.", "Ends on %(day)s, in %(num)d days.", days, day=when)
    return ""


def partners_url(org: int, year: int | None = None) -> str:
    return f"/spending/partners?cpas={org}" + (f"&year={year}" if year else "")


def partner_url(org: int, partner_id: int) -> str:
    return f"/spending/partners/{partner_id}?cpas={org}"


STATUS_WORDS = {"committed": N_("committed"), "invoiced": N_("invoiced"), "paid": N_("paid")}


def status_word(status: str) -> str:
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


def typed_amount(cents: int) -> str:
    """Cents as a form shows them again: "1234.50" reads back in every language (money.parse_cents)."""
    return f"{cents // 100}.{cents % 100:02d}"


def _common(**extra) -> dict:
    return {"price_basis_label": price_basis_label, "status_word": status_word, "typed_amount": typed_amount, "price_bases": PRICE_BASES, "today": i18n.today(),
            "ending": ending, "errors": {}, "values": {}, "editing": None, "findings": [], **extra}


@get("/spending/partners", guards=[SPENDING_MANAGERS])
async def partner_list(request: HTMXRequest) -> Template:
    year = url_year(request.query_params.get("year", ""))
    choices = await cpas_choices(request)
    cpas = request.query_params.get("cpas", "")
    org = await own_cpas(request, cpas) if cpas else (choices[0]["id"] if choices else None)
    if org is None:
        raise NotFoundException()
    rows = await queries.partners_of(org, year, i18n.today())
    return page(request, "spending/partners.html", _common(cpas=choices, organisation=org, year=year, partners=rows),
                block="partners")


async def _partner_cpas(request: HTMXRequest, partner_id: int, cpas: str) -> int:
    """The CPAS that registered the partner, when the person manages its spending (and it is the one asked
    for, if any); 404 otherwise."""
    owner = await Organisation.select(Organisation.owner).where(
        (Organisation.id == partner_id) & (Organisation.kind == "partner")).first()
    org = await own_cpas(request, cpas or str((owner or {}).get("owner") or ""))
    if owner is None or owner["owner"] != org:
        raise NotFoundException()
    return org


async def _partner_context(org: int, partner_id: int, **extra) -> dict:
    partner = await queries.partner_page(org, partner_id)
    if partner is None:
        raise NotFoundException()
    return _common(organisation=org, partner=partner, **extra)


@get("/spending/partners/{partner_id:int}", guards=[SPENDING_MANAGERS])
async def partner_detail(request: HTMXRequest, partner_id: FromPath[int]) -> Template:
    org = await _partner_cpas(request, partner_id, request.query_params.get("cpas", ""))
    return page(request, "spending/partner.html", await _partner_context(org, partner_id), block="partner")


def _read_convention(form, partner_id: int) -> tuple[actions.ConventionInput | None, dict, dict]:
    """The convention typed, or None with translated messages per field; and what was typed, to show again."""
    errors: dict[str, str] = {}
    values = {name: text(form, name, 10_000) for name in ("starts_on", "ends_on", "price_basis", "price",
                                                          "overheads", "subcontracting", "deliverables", "contact")}
    for name, limit in TEXT_LIMITS.items():
        if len(values[name]) > limit:
            errors[name] = ngettext("At most %(num)s character.", "At most %(num)s characters.", limit)
    starts, ends = form_date(values["starts_on"]), form_date(values["ends_on"])
    if starts is None:
        errors["starts_on"] = _("Give the first day of the convention.")
    if ends is None:
        errors["ends_on"] = _("Give the last day of the convention.")
    elif starts is not None and ends < starts:
        errors["ends_on"] = _("The convention ends on %(end)s, before it starts on %(start)s.",
                              end=i18n.format_date(ends), start=i18n.format_date(starts))
    if values["price_basis"] not in PRICE_BASES:
        errors["price_basis"] = _("Choose how the price is counted.")
    cents = {}
    for name in ("price", "overheads"):
        if name == "overheads" and not values[name]:
            cents[name] = 0
            continue
        try:
            cents[name] = parse_cents(values[name], i18n.current_language())
        except AmountError as error:
            errors[name] = _(error.message, **error.variables)
    if errors:
        return None, errors, values
    return actions.ConventionInput(
        partner=partner_id, starts_on=starts, ends_on=ends, price_basis=values["price_basis"],
        price_cents=cents["price"], deliverables=values["deliverables"], subcontracting=values["subcontracting"] == "1",
        overheads_cents=cents["overheads"], contact=values["contact"]), errors, values


@post("/spending/partners/{partner_id:int}/conventions", guards=[SPENDING_MANAGERS], status_code=200)
async def add_convention(request: HTMXRequest, partner_id: FromPath[int]) -> Response | Template:
    form = await request.form()
    org = await _partner_cpas(request, partner_id, text(form, "organisation"))
    data, errors, values = _read_convention(form, partner_id)
    if data is None:
        return page(request, "spending/partner.html", await _partner_context(
            org, partner_id, errors=errors, values=values, editing="new"), block="conventions", status_code=422)
    await actions.save_convention(org, data, request.user.id)
    flash(request, _("The convention has been saved."))
    return redirect(request, partner_url(org, partner_id))


@post("/spending/conventions/{convention_id:int}", guards=[SPENDING_MANAGERS], status_code=200)
async def edit_convention(request: HTMXRequest, convention_id: FromPath[int]) -> Response | Template:
    form = await request.form()
    owner = await PartnerConvention.select(PartnerConvention.organisation, PartnerConvention.partner).where(
        PartnerConvention.id == convention_id).first()
    org = await own_cpas(request, str((owner or {}).get("organisation") or ""))
    convention = await queries.convention_of(org, convention_id)
    if convention is None:
        raise NotFoundException()
    partner_id = convention["partner"]
    data, errors, values = _read_convention(form, partner_id)
    version = form_version(form, errors)
    findings = []
    if data is not None and not errors:
        saved = await actions.update_convention(convention_id, version, data)
        if saved.id is not None:
            flash(request, _("The convention has been saved."))
            return redirect(request, partner_url(org, partner_id))
        findings = [finding_message(f) for f in saved.findings]
    return page(request, "spending/partner.html", await _partner_context(
        org, partner_id, errors=errors, values=values, editing=convention_id, findings=findings),
        block="conventions", status_code=409 if findings else 422)
