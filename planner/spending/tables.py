"""Spending (issue 14, domain.md §3): what a CPAS is granted per funding source, year and strand, its
expenses with their shares per source and their scanned invoices, and whether it recovers VAT in a year.

Money is integer cents (BigInt), shares integer basis points (10000 = 100 %). Source codes and years are
those of a rule set (planner/spending/rulesets/<source>/<year>.toml); the rules are checked by the actions.
"""

from piccolo.columns import BigInt, Boolean, Bytea, Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from planner.auth.tables import User
from planner.modules.tables import Module
from planner.orgs.tables import Organisation

STATUSES = ("committed", "invoiced", "paid")  # committed → invoiced → paid


class FundingGrant(Table):
    """The amount a CPAS is granted for one strand of a funding source's year (one row per
    organisation, source, year and strand: set_grant replaces it)."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    source = Varchar(length=40)  # a rule set's folder, e.g. "fonds-pas"
    year = Integer()
    strand = Varchar(length=8)  # "A", "B", "C" for the Fonds PAS
    granted_cents = BigInt()
    updated_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz()


class VatPolicy(Table, tablename="vat_policy"):
    """Whether the CPAS recovers VAT in a year: then it charges amounts excluding VAT, else including it."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    year = Integer()
    recovers_vat = Boolean(default=False)


class Expense(Table):
    """One invoice or order of a CPAS. `version` grows with every change (optimistic locking: an edit made
    on an older version is refused)."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    day = Date(index=True)
    supplier = Text()  # a supplier's name, or empty when `partner` is set
    partner = ForeignKey(Organisation, null=True, on_delete=OnDelete.restrict)
    category = Varchar(length=32)  # one of rules.CATEGORIES
    amount_excl_vat_cents = BigInt()
    vat_cents = BigInt()
    # COST-02: the overheads a subcontractor's invoice carries (part of amount_excl_vat_cents), capped by the
    # rule set of each source it is charged to; 0 for any other expense
    overheads_cents = BigInt(default=0)
    status = Varchar(length=12, index=True)  # one of STATUSES
    module = ForeignKey(Module, null=True, on_delete=OnDelete.set_null, index=True)
    activity = Text()  # what it paid for when it is not a module
    invoice_reference = Varchar(length=100)
    warnings = Text()  # rule IDs that only warned when the expense was last saved, comma-separated
    version = Integer(default=1)
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    updated_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz()
    # who saved the expense past the `warnings` (kept when someone else only changes its status); None without
    warned_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)


class ExpenseShare(Table):
    """The share of an expense charged to one source's strand in one year; an expense's shares never add up
    to more than 100 % (COST-03). Its cents are computed when the expense is saved (rules.share_cents) and
    stored under both VAT policies, so the budget sums them in the database and a corrected VAT policy still
    changes every figure at once (queries.share_cents_column)."""

    expense = ForeignKey(Expense, on_delete=OnDelete.cascade, index=True)
    source = Varchar(length=40)
    year = Integer()
    strand = Varchar(length=8)
    share_bp = Integer()
    excl_vat_cents = BigInt(default=0)  # what it charges when the CPAS recovers VAT in `year`
    incl_vat_cents = BigInt(default=0)  # what it charges when the CPAS does not


class InvoiceScan(Table):
    """The scanned invoice of an expense, in the database so every app process and every backup has it. Its
    media type is read from the content (rules.scan_type), never from the name or the browser."""

    expense = ForeignKey(Expense, on_delete=OnDelete.cascade, index=True)
    file_name = Varchar(length=255)
    media_type = Varchar(length=40)
    size = Integer()
    sha256 = Varchar(length=64)
    content = Bytea()
    uploaded_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    uploaded_at = Timestamptz()


PRICE_BASES = ("per_session", "per_participant", "lump_sum")


class PartnerConvention(Table):
    """What a partner organisation delivers to the CPAS over a period, and at what price (issue 14)."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)  # the CPAS
    partner = ForeignKey(Organisation, on_delete=OnDelete.restrict, index=True)
    starts_on = Date()
    ends_on = Date()
    deliverables = Text()
    price_basis = Varchar(length=16)  # one of PRICE_BASES
    price_cents = BigInt()
    subcontracting = Boolean(default=False)  # COST-02 applies to its invoices' overheads
    overheads_cents = BigInt(default=0)  # overheads the partner declares
    contact = Text()  # who to call, as typed
    version = Integer(default=1)
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()


class StaffAllocation(Table):
    """Personnel time (COST-09): a staff member's share of working time on collective modules over a period,
    charged to one source's strand; the amount is computed (rules.personnel_charge), never stored."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    staff_name = Varchar(length=200)
    full_time_annual_cents = BigInt()  # gross annual cost of a full-time post, employer contributions included
    fte_bp = Integer()
    time_share_bp = Integer()  # share of the person's working time on collective modules
    starts_on = Date()
    ends_on = Date()
    tasks = Text()  # JSON {task: basis points}, rules.TASKS, together 100 %
    module = ForeignKey(Module, null=True, on_delete=OnDelete.set_null)
    source = Varchar(length=40)
    year = Integer()
    strand = Varchar(length=8)
    warnings = Text(default="")  # rule IDs that only warned when it was last saved, comma-separated
    version = Integer(default=1)
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    updated_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)  # who went on past the warnings
    updated_at = Timestamptz(null=True, default=None)


class ClusterCostKey(Table):
    """A fixed key a cluster records for splitting one shared module's cost between its CPAS (CLUSTER-SPLIT):
    one row per CPAS, the keys of a module together 100 %. Without rows, the split follows the register."""

    cluster = ForeignKey(Organisation, on_delete=OnDelete.cascade)
    module = ForeignKey(Module, on_delete=OnDelete.cascade, index=True)
    cpas = ForeignKey(Organisation, on_delete=OnDelete.cascade)
    key_bp = Integer()
    updated_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz()
