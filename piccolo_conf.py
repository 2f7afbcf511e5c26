from piccolo.conf.apps import AppRegistry

from planner.db import engine_for
from planner.settings import Settings

DB = engine_for(Settings.from_env().database_url)
APP_REGISTRY = AppRegistry(apps=["planner.piccolo_app"])
