from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T03:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one mark per person and session"


class Mark(Table, tablename="mark", schema=None):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="planner", description=DESCRIPTION)

    async def one_mark_per_person_and_session():
        # Two tablets tapping the same person at once must update one row, never create two.
        await Mark.raw("CREATE UNIQUE INDEX mark_session_beneficiary ON mark (session, beneficiary)")

    manager.add_raw(one_mark_per_person_and_session)
    return manager
