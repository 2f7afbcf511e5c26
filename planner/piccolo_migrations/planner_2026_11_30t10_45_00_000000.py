from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T10:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "people: a sort key and a search text from the names; phones long enough for two numbers"

TEXT_PARAMS = {"default": "", "null": False, "primary_key": False, "unique": False, "index": False,
               "index_method": IndexMethod.btree, "choices": None, "db_column_name": None, "secret": False}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="planner", description=DESCRIPTION)
    for name in ("sort_key", "search_text"):
        manager.add_column(table_class_name="Beneficiary", tablename="beneficiary", column_name=name,
                           db_column_name=name, column_class_name="Text", column_class=Text,
                           params=TEXT_PARAMS, schema=None)
    # SQLite enforces no length, so Piccolo changes it on PostgreSQL only.
    manager.alter_column(table_class_name="Beneficiary", tablename="beneficiary", column_name="phone",
                         db_column_name="phone", params={"length": 100}, old_params={"length": 40},
                         column_class=Varchar, old_column_class=Varchar, schema=None)
    return manager
