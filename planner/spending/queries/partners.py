"""Reads of the partners screens (/spending/partners): each partner with its current convention, a partner's
conventions, contacts, modules and invoices."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from planner.modules.tables import ModulePartner
from planner.orgs.access import name_of
from planner.orgs.tables import Organisation
from planner.spending.tables import Expense, PartnerConvention


async def partners_of(organisation_id: int, year: int, today: dt.date) -> list[dict]:
    """The partner organisations the CPAS registered, by name: {id, name, convention (the one running
    today, else the newest) or None, expenses_cents (excl. VAT, dated in year)}."""
    partners = await Organisation.select().where(
        (Organisation.kind == "partner") & (Organisation.owner == organisation_id))
    ids = [p["id"] for p in partners] or [0]
    conventions: dict[int, list[dict]] = defaultdict(list)
    for row in await PartnerConvention.select().where(
            (PartnerConvention.organisation == organisation_id) & PartnerConvention.partner.is_in(ids)).order_by(
            PartnerConvention.starts_on, ascending=False).order_by(PartnerConvention.id, ascending=False):
        conventions[row["partner"]].append(row)
    totals: dict[int, int] = defaultdict(int)
    for row in await Expense.select(Expense.partner, Expense.amount_excl_vat_cents).where(
            (Expense.organisation == organisation_id) & Expense.partner.is_in(ids)
            & (Expense.day >= dt.date(year, 1, 1)) & (Expense.day <= dt.date(year, 12, 31))):
        totals[row["partner"]] += row["amount_excl_vat_cents"]
    rows = [{"id": p["id"], "name": name_of(p), "convention": current_convention(conventions[p["id"]], today),
             "expenses_cents": totals[p["id"]]} for p in partners]
    return sorted(rows, key=lambda r: r["name"].lower())


def current_convention(conventions: list[dict], today: dt.date) -> dict | None:
    """Of a partner's conventions (newest first), the one running today, else the newest."""
    running = [c for c in conventions if c["starts_on"] <= today <= c["ends_on"]]
    return (running or conventions or [None])[0]


async def partner_page(organisation_id: int, partner_id: int) -> dict | None:
    """A partner the CPAS registered, with its conventions (newest first), the CPAS's modules it runs and
    its invoices (the CPAS's expenses naming it, newest first); None when it is not the CPAS's partner."""
    partner = await Organisation.select().where(
        (Organisation.id == partner_id) & (Organisation.kind == "partner")
        & (Organisation.owner == organisation_id)).first()
    if partner is None:
        return None
    conventions = await PartnerConvention.select().where(
        (PartnerConvention.organisation == organisation_id) & (PartnerConvention.partner == partner_id)).order_by(
        PartnerConvention.starts_on, ascending=False).order_by(PartnerConvention.id, ascending=False)
    modules = await ModulePartner.select(ModulePartner.module.id, ModulePartner.module.code,
                                         ModulePartner.module.title).where(
        (ModulePartner.partner == partner_id) & (ModulePartner.module.organisation == organisation_id)).order_by(
        ModulePartner.module.code)
    invoices = await Expense.select(Expense.id, Expense.day, Expense.invoice_reference, Expense.amount_excl_vat_cents,
                                    Expense.vat_cents, Expense.status).where(
        (Expense.organisation == organisation_id) & (Expense.partner == partner_id)).order_by(
        Expense.day, ascending=False).order_by(Expense.id, ascending=False)
    for invoice in invoices:
        invoice["incl_vat_cents"] = invoice["amount_excl_vat_cents"] + invoice["vat_cents"]
    return {**partner, "name": name_of(partner), "conventions": conventions, "invoices": invoices,
            "modules": [{"id": m["module.id"], "code": m["module.code"], "title": m["module.title"]}
                        for m in modules]}


async def convention_of(organisation_id: int, convention_id: int) -> dict | None:
    """The CPAS's convention, or None (another CPAS's, or none)."""
    return await PartnerConvention.select().where(
        (PartnerConvention.id == convention_id) & (PartnerConvention.organisation == organisation_id)).first()
