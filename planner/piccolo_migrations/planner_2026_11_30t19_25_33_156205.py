from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class ExpenseShare(Table, tablename="expense_share", schema=None):
    pass


async def fill():
    """The cents of every share saved before the columns existed: the same values every save writes."""
    from planner.spending.rules import share_cents

    rows = await ExpenseShare.raw(
        "SELECT s.id, s.expense, s.year, s.share_bp, e.amount_excl_vat_cents, e.vat_cents FROM expense_share s "
        "JOIN expense e ON e.id = s.expense ORDER BY s.expense, s.id")
    by_expense: dict[int, list[dict]] = {}
    for row in rows:
        by_expense.setdefault(row["expense"], []).append(row)
    for shares in by_expense.values():
        first = shares[0]
        cents = share_cents(first["amount_excl_vat_cents"], first["vat_cents"],
                            [(s["year"], s["share_bp"]) for s in shares])
        for share, c in zip(shares, cents):
            await ExpenseShare.raw("UPDATE expense_share SET excl_vat_cents = {}, incl_vat_cents = {} WHERE id = {}",
                                   c.excl_vat_cents, c.incl_vat_cents, share["id"])


class FillAfterAdding(MigrationManager):
    """A manager runs its raw steps before it adds columns: this one fills them once they exist, in the
    same transaction."""

    async def _run_add_columns(self, backwards: bool = False):
        await super()._run_add_columns(backwards=backwards)
        if not backwards:
            await fill()

ID = "2026-11-30T19:25:33:156205"
VERSION = "1.38.0"
DESCRIPTION = "Spending: each share's cents stored under both VAT policies, filled for the shares saved before"


async def forwards():
    manager = FillAfterAdding(
        migration_id=ID, app_name="planner", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="ExpenseShare",
        tablename="expense_share",
        column_name="excl_vat_cents",
        db_column_name="excl_vat_cents",
        column_class_name="BigInt",
        column_class=BigInt,
        params={
            "default": 0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="ExpenseShare",
        tablename="expense_share",
        column_name="incl_vat_cents",
        db_column_name="incl_vat_cents",
        column_class_name="BigInt",
        column_class=BigInt,
        params={
            "default": 0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
