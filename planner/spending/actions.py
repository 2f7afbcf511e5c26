"""Writes of spending: expenses (checked against the year's rules of each source they are charged to), their
status, their scanned invoice, grants and the VAT policy. Each in one write_transaction(); an action that
finds a blocking rule writes nothing and returns the findings, one that only finds warnings writes and
returns them (the expense records who went on and which rules warned)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from planner.db import for_update, write_transaction
from planner.i18n import N_
from planner.modules.rules import PROFESSIONAL_AIMS
from planner.modules.tables import Module
from planner.orgs.tables import Organisation
from planner.spending.queries import charges, recovers_vat
from planner.spending.rules import (
    BLOCK, WARN, Charge, Finding, blocks, check_category, check_expense, check_personnel_cap, check_scan, check_shares_bp,
    check_split, check_vat, eligible_amount, personnel_charge, scan_type, split_by_shares,
)
from planner.spending.rulesets import load_ruleset
from planner.spending.tables import (
    PRICE_BASES, STATUSES, Expense, ExpenseShare, FundingGrant, InvoiceScan, PartnerConvention, StaffAllocation,
    VatPolicy,
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


async def lock_cpas(organisation_id: int) -> None:
    """Inside a write transaction: one spending write of a CPAS at a time (PostgreSQL; SQLite's IMMEDIATE
    transaction already is), so two expenses cannot both pass a cap (COST-01) that only one fits under, and
    two first grants or VAT policies of a year cannot both be inserted."""
    await for_update(Organisation.select(Organisation.id).where(Organisation.id == organisation_id)).first()


@dataclass(frozen=True)
class ShareInput:
    source: str
    year: int
    strand: str
    share_bp: int


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


@dataclass(frozen=True)
class Saved:
    """The id written (None when a rule blocked, or the expense changed meanwhile) and every finding."""
    id: int | None
    findings: tuple[Finding, ...] = field(default=())

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == WARN)


def no_ruleset(source: str, year: int) -> Finding:
    return Finding("RULESET", BLOCK, N_("No rules are known for the funding source %(source)s in %(year)s."),
                   {"source": source, "year": str(year)})


STALE = Finding("VERSION", BLOCK, N_("Someone changed this expense while you were editing it: look at it again "
                                     "before saving."))


async def check(organisation_id: int, data: ExpenseInput, expense_id: int | None = None) -> list[Finding]:
    """Inside a transaction: every rule the expense meets on each source it is charged to (FUND-01, FUND-06,
    COST-07, STRAND-CATEGORY, COST-05, VAT, COST-03, and COST-01 where the strand has a grant)."""
    if data.status not in STATUSES:
        raise ValueError(f"unknown status {data.status!r}")
    findings = check_vat(data.amount_excl_vat_cents, data.vat_cents,
                         data.amount_excl_vat_cents + data.vat_cents)
    findings += check_shares_bp([s.share_bp for s in data.shares])
    professional = False
    if data.module is not None:
        module = await Module.select(Module.aim).where(
            (Module.id == data.module) & (Module.organisation == organisation_id)).first()
        if module is None:
            raise ValueError(f"module {data.module} is not one of organisation {organisation_id}")
        professional = module["aim"] in PROFESSIONAL_AIMS
    if blocks(findings):
        return findings
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
                ruleset = load_ruleset(share.source, share.year)
            except LookupError:
                findings.append(no_ruleset(share.source, share.year))
                continue
            findings += check_expense(data.day, data.category, share.strand, data.amount_excl_vat_cents, ruleset,
                                      professional)
            strand = ruleset.strand(share.strand)
            if data.category == "personnel" and strand is not None:
                findings += await _personnel_cap(organisation_id, share, charge, earlier, strand.personnel_cap_bp,
                                                 ruleset.warn_from_bp)
    return findings


async def _personnel_cap(organisation_id: int, share: ShareInput, cents: int, earlier: list[dict],
                         cap_bp: int | None, warn_from_bp: int) -> list[Finding]:
    grant = await FundingGrant.select(FundingGrant.granted_cents).where(
        (FundingGrant.organisation == organisation_id) & (FundingGrant.source == share.source)
        & (FundingGrant.year == share.year) & (FundingGrant.strand == share.strand)).first()
    if grant is None:  # nothing granted yet: the budget view shows the strand without a cap to measure
        return []
    personnel = sum(c["cents"] for c in earlier if c["source"] == share.source and c["strand"] == share.strand
                    and c["category"] == "personnel")
    return check_personnel_cap(share.strand, grant["granted_cents"], personnel + cents, cap_bp, warn_from_bp)


def _columns(data: ExpenseInput) -> dict:
    return {Expense.day: data.day, Expense.category: data.category,
            Expense.amount_excl_vat_cents: data.amount_excl_vat_cents, Expense.vat_cents: data.vat_cents,
            Expense.status: data.status, Expense.supplier: data.supplier, Expense.partner: data.partner,
            Expense.module: data.module, Expense.activity: data.activity,
            Expense.invoice_reference: data.invoice_reference}


def _warned(findings: list[Finding]) -> str:
    return ",".join(sorted({f.rule for f in findings if f.level == WARN}))


async def _write_shares(expense_id: int, shares: tuple[ShareInput, ...]) -> None:
    await ExpenseShare.delete().where(ExpenseShare.expense == expense_id)
    if shares:
        await ExpenseShare.insert(*[ExpenseShare(expense=expense_id, source=s.source, year=s.year, strand=s.strand,
                                                 share_bp=s.share_bp) for s in shares])


async def record_expense(organisation_id: int, data: ExpenseInput, user_id: int) -> Saved:
    async with write_transaction():
        await lock_cpas(organisation_id)
        findings = await check(organisation_id, data)
        if blocks(findings):
            return Saved(None, tuple(findings))
        now = _now()
        values = {column._meta.name: value for column, value in _columns(data).items()}
        row = Expense(organisation=organisation_id, warnings=_warned(findings), version=1, created_by=user_id,
                      created_at=now, updated_by=user_id, updated_at=now, **values)
        expense_id = (await Expense.insert(row).returning(Expense.id))[0]["id"]
        await _write_shares(expense_id, data.shares)
    return Saved(expense_id, tuple(findings))


async def update_expense(expense_id: int, version: int, data: ExpenseInput, user_id: int) -> Saved:
    """Refused (VERSION) when the expense is no longer at `version`, the one the user's form was made from."""
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
        if blocks(findings):
            return Saved(None, tuple(findings))
        await Expense.update({**_columns(data), Expense.warnings: _warned(findings), Expense.version: version + 1,
                              Expense.updated_by: user_id, Expense.updated_at: _now()}).where(
            Expense.id == expense_id)
        await _write_shares(expense_id, data.shares)
    return Saved(expense_id, tuple(findings))


async def set_status(expense_id: int, version: int, status: str, user_id: int) -> Saved:
    """committed → invoiced → paid (or back, to correct a mistake); refused when the expense changed."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    async with write_transaction():
        updated = await Expense.update({Expense.status: status, Expense.version: version + 1,
                                        Expense.updated_by: user_id, Expense.updated_at: _now()}).where(
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
        row = InvoiceScan(expense=expense_id, file_name=file_name[:255], media_type=scan_type(content[:8]),
                          size=len(content), sha256=hashlib.sha256(content).hexdigest(), content=content,
                          uploaded_by=user_id, uploaded_at=_now())
        scan_id = (await InvoiceScan.insert(row).returning(InvoiceScan.id))[0]["id"]
    return Saved(scan_id)


async def set_grant(organisation_id: int, source: str, year: int, strand: str, granted_cents: int,
                    user_id: int) -> Saved:
    """The amount granted to the CPAS for a strand of a source's year (replaces the previous one)."""
    try:
        ruleset = load_ruleset(source, year)
    except LookupError:
        return Saved(None, (no_ruleset(source, year),))
    if ruleset.strand(strand) is None:
        return Saved(None, (Finding("STRAND-CATEGORY", BLOCK, N_("This funding source has no strand %(strand)s."),
                                    {"strand": strand}),))
    if granted_cents < 0:
        raise ValueError("a grant cannot be negative")  # money.parse_cents refuses "-3" before
    where = ((FundingGrant.organisation == organisation_id) & (FundingGrant.source == source)
             & (FundingGrant.year == year) & (FundingGrant.strand == strand))
    async with write_transaction():
        await lock_cpas(organisation_id)
        existing = await FundingGrant.select(FundingGrant.id).where(where).first()
        if existing:
            await FundingGrant.update({FundingGrant.granted_cents: granted_cents, FundingGrant.updated_by: user_id,
                                       FundingGrant.updated_at: _now()}).where(FundingGrant.id == existing["id"])
            return Saved(existing["id"])
        row = FundingGrant(organisation=organisation_id, source=source, year=year, strand=strand,
                           granted_cents=granted_cents, updated_by=user_id, updated_at=_now())
        return Saved((await FundingGrant.insert(row).returning(FundingGrant.id))[0]["id"])


async def set_vat_policy(organisation_id: int, year: int, recovers: bool) -> None:
    async with write_transaction():
        await lock_cpas(organisation_id)
        where = (VatPolicy.organisation == organisation_id) & (VatPolicy.year == year)
        if await VatPolicy.exists().where(where):
            await VatPolicy.update({VatPolicy.recovers_vat: recovers}).where(where)
        else:
            await VatPolicy.insert(VatPolicy(organisation=organisation_id, year=year, recovers_vat=recovers))


@dataclass(frozen=True)
class StaffTimeInput:
    staff_name: str
    full_time_annual_cents: int
    fte_bp: int
    time_share_bp: int
    starts_on: dt.date
    ends_on: dt.date
    source: str
    year: int
    strand: str
    tasks_bp: tuple[tuple[str, int], ...] = (("facilitation", 10_000),)
    module: int | None = None


async def record_staff_time(organisation_id: int, data: StaffTimeInput, user_id: int) -> Saved:
    """COST-09: a staff member's time on collective modules, charged to one source's strand; refused when the
    figures are impossible (COST-09), the source's year unknown (RULESET), the strand does not take personnel
    (STRAND-CATEGORY) or the charge would pass the strand's personnel cap (COST-01, which may also warn)."""
    charge = personnel_charge(data.full_time_annual_cents, data.fte_bp, data.time_share_bp, data.starts_on,
                              data.ends_on, data.year, dict(data.tasks_bp))
    findings = list(charge.findings)
    if findings:
        return Saved(None, tuple(findings))
    try:
        ruleset = load_ruleset(data.source, data.year)
    except LookupError:
        return Saved(None, (no_ruleset(data.source, data.year),))
    findings += check_category("personnel", data.strand, ruleset)
    if blocks(findings):
        return Saved(None, tuple(findings))
    async with write_transaction():
        await lock_cpas(organisation_id)
        share = ShareInput(data.source, data.year, data.strand, 10_000)
        findings += await _personnel_cap(organisation_id, share, charge.cents,
                                         await charges(organisation_id, data.year),
                                         ruleset.strand(data.strand).personnel_cap_bp, ruleset.warn_from_bp)
        if blocks(findings):
            return Saved(None, tuple(findings))
        row = StaffAllocation(
            organisation=organisation_id, staff_name=data.staff_name, full_time_annual_cents=data.full_time_annual_cents,
            fte_bp=data.fte_bp, time_share_bp=data.time_share_bp, starts_on=data.starts_on, ends_on=data.ends_on,
            tasks=json.dumps(dict(data.tasks_bp)), module=data.module, source=data.source, year=data.year,
            strand=data.strand, created_by=user_id, created_at=_now())
        return Saved((await StaffAllocation.insert(row).returning(StaffAllocation.id))[0]["id"], tuple(findings))


@dataclass(frozen=True)
class ConventionInput:
    partner: int
    starts_on: dt.date
    ends_on: dt.date
    price_basis: str
    price_cents: int
    deliverables: str = ""
    subcontracting: bool = False
    overheads_cents: int = 0
    contact: str = ""


async def save_convention(organisation_id: int, data: ConventionInput, user_id: int) -> int:
    """A partner's convention with the CPAS (the routes check the partner is the CPAS's and the dates)."""
    if data.price_basis not in PRICE_BASES or data.ends_on < data.starts_on:
        raise ValueError("price basis or period")
    async with write_transaction():
        row = PartnerConvention(
            organisation=organisation_id, partner=data.partner, starts_on=data.starts_on, ends_on=data.ends_on,
            deliverables=data.deliverables, price_basis=data.price_basis, price_cents=data.price_cents,
            subcontracting=data.subcontracting, overheads_cents=data.overheads_cents, contact=data.contact,
            created_by=user_id, created_at=_now())
        return (await PartnerConvention.insert(row).returning(PartnerConvention.id))[0]["id"]
