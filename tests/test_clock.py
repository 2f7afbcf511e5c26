"""Sessions, forms and figures live on the Brussels wall clock, whatever zone the server runs in."""

import ast
import datetime as dt
import os
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from planner import i18n

PLANNER = Path(__file__).resolve().parent.parent / "planner"


def _a_zone_whose_date_is_not_brussels() -> str:
    now = dt.datetime.now(dt.timezone.utc)
    brussels = now.astimezone(ZoneInfo("Europe/Brussels")).date()
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):  # UTC+14, UTC-12: one of them is always another day
        if now.astimezone(ZoneInfo(zone)).date() != brussels:
            return zone
    raise AssertionError("no zone on another day")


def test_today_is_the_brussels_date_when_the_server_runs_in_another_zone():
    kept = os.environ.get("TZ")
    os.environ["TZ"] = _a_zone_whose_date_is_not_brussels()
    time.tzset()
    try:
        assert dt.date.today() != i18n.today()  # the server's own date is another day here
        assert i18n.today() == dt.datetime.now(ZoneInfo("Europe/Brussels")).date()
    finally:
        if kept is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = kept
        time.tzset()


def _server_clock_calls(tree: ast.AST) -> list[int]:
    """Lines calling date.today() or datetime.now() without a zone: the server's clock, not Brussels'."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name, owner = node.func.attr, node.func.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (owner_name, name) == ("date", "today") or (
                    owner_name == "datetime" and name == "now" and not node.args and not node.keywords):
                lines.append(node.lineno)
    return lines


def test_no_code_reads_the_servers_own_date():
    found = {str(path.relative_to(PLANNER)): lines for path in sorted(PLANNER.rglob("*.py"))
             if (lines := _server_clock_calls(ast.parse(path.read_text(encoding="utf-8"))))}
    assert found == {}, "use i18n.today() or datetime.now(BRUSSELS): " + repr(found)
