"""ONE Piccolo app over every area's tables, so migrations form a single linear history."""

import os

from piccolo.conf.apps import AppConfig, table_finder

AREAS = [
    "planner.orgs.tables", "planner.auth.tables", "planner.people.tables", "planner.modules.tables",
    "planner.enrolment.tables", "planner.attendance.tables", "planner.invites.tables",
    "planner.spending.tables", "planner.volunteering.tables",
    "planner.piis.tables", "planner.report.tables",
]

APP_CONFIG = AppConfig(
    app_name="planner",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=table_finder(modules=AREAS, exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)
