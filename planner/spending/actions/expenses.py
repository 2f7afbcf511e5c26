"""Expenses: recorded and changed only when no rule of a source they are charged to blocks (a warning is
written with the expense), their status, their scanned invoice."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from planner.db import for_update, write_transaction
from planner.files import upload_name
from planner.i18n import N_
from planner.modules.rules import PROFESSIONAL_AIMS
from planner.modules.tables import Module
from planner.orgs.tables import Organisation
from planner.spending.actions.common import (
    Saved, ShareInput, lock_cpas, no_ruleset, now_utc, personnel_cap_findings, ruleset_for,
)
from planner.spending.actions.cluster import mixed_public_findings
from planner.spending.queries import charges, recovers_vat
from planner.spending.rules import (
    BLOCK, WARN, Charge, Finding, Money, blocks, check_expense, check_piis_subsidy_split, check_scan, check_shares_bp,
    check_split, check_subcontractor_overheads, check_vat, eligible_amount, scan_type, share_cents, split_by_shares,
)
from planner.spending.tables import STATUSES, Expense, ExpenseShare, InvoiceScan


@dataclass(frozen=True)
class ExpenseInput:
    day: dt.date
    category: str
    amount_excl_vat_cents: int
    vat_cents: int
    status: str = "committed"
    supplier: str = ""
    partner: int | None = None
    module: int | None = None
    activity: str = ""
    invoice_reference: str = ""
    shares: tuple[ShareInput, ...] = ()
    overheads_cents: int = 0  # COST-02: a subcontractor's overheads, part of amount_excl_vat_cents


def overhead_findings(data: ExpenseInput) -> list[Finding]:
    """COST-02's figures that need no rule set: overheads only on a subcontractor's invoice, within its amount."""
    if data.overheads_cents == 0:
        return []
    if data.category != "subcontracting":
        return [Finding("COST-02", BLOCK, N_("Only a subcontractor's invoice has overheads; leave them at 0 or "
                                             "choose subcontracting."))]
    if not 0 < data.overheads_cents <= data.amount_excl_vat_cents:
        return [Finding("COST-02", BLOCK, N_("The overheads (%(overhead)s) cannot be more than the amount "
                                             "excluding VAT (%(amount)s)."),
                        {"overhead": Money(data.overheads_cents), "amount": Money(data.amount_excl_vat_cents)})]
    return []


STALE = Finding("VERSION", BLOCK, N_("Someone changed this expense while you were editing it: look at it again "
                                     "before saving."))


async def check(organisation_id: int, data: ExpenseInput, expense_id: int | None = None) -> list[Finding]:
    """Inside a transaction: every rule the expense meets on each source it is charged to (FUND-01, FUND-06,
    COST-07, STRAND-CATEGORY, COST-05, COST-02 with each source's overhead cap, VAT, COST-03, COST-01 where
    the strand has a grant, SUB-PIIS-05 between the 10 % PIIS subsidy and strand B, COST-06 on a module with a
    mixed public)."""
    if data.status not in STATUSES:
        raise ValueError(f"unknown status {data.status!r}")
    findings = check_vat(data.amount_excl_vat_cents, data.vat_cents,
                         data.amount_excl_vat_cents + data.vat_cents)
    findings += check_shares_bp([s.share_bp for s in data.shares])
    findings += overhead_findings(data)
    if data.partner is not None and not await Organisation.exists().where(
            (Organisation.id == data.partner) & (Organisation.kind == "partner")
            & (Organisation.owner == organisation_id)):
        raise ValueError(f"organisation {data.partner} is not a partner of organisation {organisation_id}")
    professional = False
    if data.module is not None:
        module = await Module.select(Module.aim).where(
            (Module.id == data.module) & (Module.organisation == organisation_id)).first()
        if module is None:
            raise ValueError(f"module {data.module} is not one of organisation {organisation_id}")
        professional = module["aim"] in PROFESSIONAL_AIMS
    if blocks(findings):
        return findings
    rulesets = []  # (rule set, strand) of each share that has one: SUB-PIIS-05 reads them together
    for year in sorted({s.year for s in data.shares}):
        recovers = await recovers_vat(organisation_id, year)
        amount = eligible_amount(data.amount_excl_vat_cents, data.vat_cents, recovers)
        cents = split_by_shares(amount, [s.share_bp for s in data.shares])
        findings += check_split(amount, [Charge(f"{s.source}/{s.year}", s.strand, c)
                                         for s, c in zip(data.shares, cents) if s.year == year])
        earlier = await charges(organisation_id, year, exclude_expense=expense_id)
        for share, charge in zip(data.shares, cents):
            if share.year != year:
                continue
            try:
                ruleset = await ruleset_for(organisation_id, share.source, share.year)
            except LookupError:
                findings.append(no_ruleset(share.source, share.year))
                continue
            rulesets.append((ruleset, share.strand))
            findings += check_expense(data.day, data.category, share.strand, data.amount_excl_vat_cents, ruleset,
                                      professional)
            if data.category == "subcontracting" and data.overheads_cents:
                findings += check_subcontractor_overheads(
                    data.amount_excl_vat_cents - data.overheads_cents, data.overheads_cents,
                    ruleset.subcontractor_overhead_cap_bp, ruleset.subcontractor_overhead_basis)
            strand = ruleset.strand(share.strand)
            if data.category == "personnel" and strand is not None:
                findings += await personnel_cap_findings(organisation_id, share, charge, earlier, strand.personnel_cap_bp,
                                                 ruleset.warn_from_bp)
    findings += check_piis_subsidy_split(rulesets)
    findings += await mixed_public_findings(organisation_id, data.module, data.day, data.amount_excl_vat_cents,
                                            data.vat_cents, [s.share_bp for s in data.shares])
    return findings


def _columns(data: ExpenseInput) -> dict:
    return {Expense.day: data.day, Expense.category: data.category,
            Expense.amount_excl_vat_cents: data.amount_excl_vat_cents, Expense.vat_cents: data.vat_cents,
            Expense.status: data.status, Expense.supplier: data.supplier, Expense.partner: data.partner,
            Expense.module: data.module, Expense.activity: data.activity,
            Expense.invoice_reference: data.invoice_reference, Expense.overheads_cents: data.overheads_cents}


def _warned(findings: list[Finding]) -> str:
    return ",".join(sorted({f.rule for f in findings if f.level == WARN}))


async def _write_shares(expense_id: int, data: ExpenseInput) -> None:
    """The expense's shares with the cents each charges (rules.share_cents), which the budget sums."""
    await ExpenseShare.delete().where(ExpenseShare.expense == expense_id)
    if data.shares:
        cents = share_cents(data.amount_excl_vat_cents, data.vat_cents, [(s.year, s.share_bp) for s in data.shares])
        await ExpenseShare.insert(*[ExpenseShare(expense=expense_id, source=s.source, year=s.year, strand=s.strand,
                                                 share_bp=s.share_bp, excl_vat_cents=c.excl_vat_cents,
                                                 incl_vat_cents=c.incl_vat_cents)
                                    for s, c in zip(data.shares, cents)])


def held_back(findings: list[Finding], past_warnings: bool) -> bool:
    """Nothing is written when a rule blocks, or when one warns and the user has not said to go on."""
    return blocks(findings) or (not past_warnings and any(f.level == WARN for f in findings))


async def record_expense(organisation_id: int, data: ExpenseInput, user_id: int, past_warnings: bool = True) -> Saved:
    """past_warnings=False: a warning holds the expense back too (the form asks the user to confirm); the
    expense then records the rules that warned and who went on past them (updated_by)."""
    async with write_transaction():
        await lock_cpas(organisation_id)
        findings = await check(organisation_id, data)
        if held_back(findings, past_warnings):
            return Saved(None, tuple(findings))
        now = now_utc()
        values = {column._meta.name: value for column, value in _columns(data).items()}
        warned = _warned(findings)
        row = Expense(organisation=organisation_id, warnings=warned, warned_by=user_id if warned else None,
                      version=1, created_by=user_id, created_at=now, updated_by=user_id, updated_at=now, **values)
        expense_id = (await Expense.insert(row).returning(Expense.id))[0]["id"]
        await _write_shares(expense_id, data)
    return Saved(expense_id, tuple(findings))


async def update_expense(expense_id: int, version: int, data: ExpenseInput, user_id: int,
                         past_warnings: bool = True) -> Saved:
    """Refused (VERSION) when the expense is no longer at `version`, the one the user's form was made from;
    past_warnings as record_expense."""
    async with write_transaction():
        owner = await Expense.select(Expense.organisation).where(Expense.id == expense_id).first()
        if owner is None:
            return Saved(None, (STALE,))
        await lock_cpas(owner["organisation"])  # the CPAS first, as record_expense: no deadlock between them
        current = await for_update(Expense.select(Expense.organisation, Expense.version).where(
            Expense.id == expense_id)).first()
        if current["version"] != version:
            return Saved(None, (STALE,))
        findings = await check(current["organisation"], data, expense_id)
        if held_back(findings, past_warnings):
            return Saved(None, tuple(findings))
        warned = _warned(findings)
        await Expense.update({**_columns(data), Expense.warnings: warned, Expense.warned_by: user_id if warned else None,
                              Expense.version: version + 1, Expense.updated_by: user_id,
                              Expense.updated_at: now_utc()}).where(
            Expense.id == expense_id)
        await _write_shares(expense_id, data)
    return Saved(expense_id, tuple(findings))


async def set_status(expense_id: int, version: int, status: str, user_id: int) -> Saved:
    """committed → invoiced → paid (or back, to correct a mistake); refused when the expense changed."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    async with write_transaction():
        updated = await Expense.update({Expense.status: status, Expense.version: version + 1,
                                        Expense.updated_by: user_id, Expense.updated_at: now_utc()}).where(
            (Expense.id == expense_id) & (Expense.version == version)).returning(Expense.id)
    return Saved(expense_id) if updated else Saved(None, (STALE,))


async def attach_invoice(expense_id: int, file_name: str, content: bytes, user_id: int) -> Saved:
    """Store the scanned invoice (its id in Saved.id), typed from its content; a file too large or of another
    type is refused (SCAN). An earlier scan of the expense is replaced."""
    findings = check_scan(content)
    if findings:
        return Saved(None, tuple(findings))
    async with write_transaction():
        await InvoiceScan.delete().where(InvoiceScan.expense == expense_id)
        media_type = scan_type(content[:8])
        row = InvoiceScan(expense=expense_id, file_name=upload_name(file_name, media_type, f"invoice-{expense_id}"),
                          media_type=media_type,
                          size=len(content), sha256=hashlib.sha256(content).hexdigest(), content=content,
                          uploaded_by=user_id, uploaded_at=now_utc())
        scan_id = (await InvoiceScan.insert(row).returning(InvoiceScan.id))[0]["id"]
    return Saved(scan_id)
