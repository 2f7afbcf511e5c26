from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T10:45:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "people: fill the sort key and search text of the people saved before they existed"


class Beneficiary(Table, tablename="beneficiary", schema=None):
    pass


async def forwards():
    # Its own migration: a manager runs its raw steps before it adds columns.
    manager = MigrationManager(migration_id=ID, app_name="planner", description=DESCRIPTION)

    async def fill():
        from planner.people.rules import derived_columns  # the same values every save writes

        rows = await Beneficiary.raw("SELECT id, first_name, last_name, file_reference FROM beneficiary")
        for row in rows:
            values = derived_columns(row["first_name"], row["last_name"], row["file_reference"])
            await Beneficiary.raw("UPDATE beneficiary SET sort_key = {}, search_text = {} WHERE id = {}",
                                  values["sort_key"], values["search_text"], row["id"])

    manager.add_raw(fill)
    return manager
