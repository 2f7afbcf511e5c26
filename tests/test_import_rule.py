"""The rule between areas (ARCHITECTURE.md, "Rules between areas"), checked by reading every import.

- An area imports from another area only its `tables`, `rules` (and pure `figures`), `access`, `queries`
  and `actions` (a package of that name counts too: `planner.modules.rules.recurrence`); never its `routes`.
- It changes another area's rows only through that area's actions: no `.insert(`, `.update(`,
  `.delete(` or `.raw(` on a table class imported from another area.
- No private name (`_x`) is imported from another file, in the same area or not.
- Cross-cutting modules (`planner/*.py`) import no area; `app.py`, `cli.py`, `piccolo_app.py` and
  `__main__.py` are the entry points that wire areas together and may.

The checker is a function over sources, so the tests below also show it failing on a forbidden import.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANNER = ROOT / "planner"
# `figures` holds pure figures (attendance/figures.py), read by reports as rules are.
READABLE = {"tables", "rules", "figures", "access", "queries", "actions"}
ENTRY_POINTS = {"planner.app", "planner.cli", "planner.piccolo_app", "planner.__main__"}
WRITES = {"insert", "update", "delete", "raw"}

# Every entry is a debt with its reason; the list only shrinks.
EXCEPTIONS: set[str] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _area(module: str, areas: set[str]) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "planner" and parts[1] in areas else None


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def violations(sources: dict[str, tuple[bool, str]], areas: set[str]) -> set[str]:
    """Broken rules as "module: message" lines.

    `sources` maps a dotted module name (`planner.attendance.routes`) to (is_package, source text);
    `areas` are the folder names under `planner/` that are areas.
    """
    found: set[str] = set()
    for module, (is_package, text) in sources.items():
        if module.startswith("planner.piccolo_migrations"):
            continue
        own_area = _area(module, areas)
        tables_from_elsewhere: set[str] = set()
        for node in ast.walk(ast.parse(text)):
            targets: list[tuple[str, list[str]]] = []
            if isinstance(node, ast.Import):
                targets = [(alias.name, []) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(module, is_package, node)
                names = [alias.name for alias in node.names]
                # `from planner.modules import routes` imports the module `routes`.
                targets = [(f"{target}.{name}", []) if f"{target}.{name}" in sources else (target, [name])
                           for name in names]
            for target, names in targets:
                if not target.startswith("planner"):
                    continue
                for name in names:
                    if name.startswith("_") and not name.startswith("__"):
                        found.add(f"{module}: imports the private name {name} from {target}")
                target_area = _area(target, areas)
                if target_area is None:
                    continue
                if own_area is None and module not in ENTRY_POINTS:
                    found.add(f"{module}: a cross-cutting module imports the area module {target}")
                elif own_area is not None and target_area != own_area:
                    kind = target.split(".")[2] if len(target.split(".")) > 2 else ""
                    if kind not in READABLE:
                        found.add(f"{module}: imports {target}, which is not another area's "
                                  f"tables, rules, access, queries or actions")
                    if kind == "tables":
                        tables_from_elsewhere.update(alias.asname or alias.name
                                                     for alias in getattr(node, "names", []))
        if own_area is None or not tables_from_elsewhere:
            continue
        for node in ast.walk(ast.parse(text)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in WRITES and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in tables_from_elsewhere):
                found.add(f"{module}: writes {node.func.value.id} of another area "
                          f"(.{node.func.attr}); call that area's actions")
    return found


def planner_sources() -> tuple[dict[str, tuple[bool, str]], set[str]]:
    sources = {module_name(path): (path.name == "__init__.py", path.read_text(encoding="utf-8"))
               for path in sorted(PLANNER.rglob("*.py"))}
    # Every package under planner/ is an area, tables or not yet (spending/ began with its rules).
    areas = {path.parent.name for path in PLANNER.glob("*/__init__.py")} - {"piccolo_migrations"}
    return sources, areas


def test_the_code_keeps_the_rule_between_areas():
    sources, areas = planner_sources()
    found = violations(sources, areas)
    assert sorted(found - EXCEPTIONS) == [], "see ARCHITECTURE.md, Rules between areas"
    assert sorted(EXCEPTIONS - found) == [], "fixed: remove these from EXCEPTIONS"


def test_the_areas_are_the_packages_under_planner():
    _, areas = planner_sources()
    assert {"auth", "orgs", "people", "modules", "enrolment", "attendance", "invites", "spending"} <= areas
    assert "piccolo_migrations" not in areas


# The checker itself: each forbidden shape is reported, each allowed one is not.

AREAS = {"modules", "enrolment", "attendance"}


def _check(module: str, text: str, is_package: bool = False) -> set[str]:
    sources = {
        "planner.modules.routes": (False, ""),
        "planner.modules.tables": (False, ""),
        "planner.modules.actions": (False, ""),
        "planner.modules.rules": (True, ""),
        "planner.modules.rules.recurrence": (False, ""),
        "planner.attendance.labels": (False, ""),
        "planner.web": (False, ""),
    }
    sources[module] = (is_package, text)
    return violations(sources, AREAS)


def test_another_areas_routes_are_refused():
    assert _check("planner.enrolment.routes", "from planner.modules.routes import module_page\n")
    assert _check("planner.enrolment.routes", "from planner.modules import routes\n")
    assert _check("planner.enrolment.routes", "import planner.modules.routes\n")
    assert _check("planner.enrolment.routes", "def f():\n    from ..modules.routes import page\n")


def test_another_areas_tables_rules_access_queries_and_actions_are_allowed():
    for kind in ("tables", "rules", "rules.recurrence", "actions"):
        assert _check("planner.enrolment.actions", f"from planner.modules.{kind} import thing\n") == set()
    assert _check("planner.enrolment.routes", "from planner.modules import actions, tables\n") == set()


def test_a_private_name_is_refused_even_in_the_same_area():
    assert _check("planner.modules.planning", "from planner.modules.routes import _module_page\n")
    assert _check("planner.modules.planning", "from .routes import _module_page\n")
    assert _check("planner.modules.planning", "from .routes import __version__\n") == set()


def test_a_cross_cutting_module_imports_no_area():
    assert _check("planner.web", "from planner.attendance.labels import STATUS\n")
    assert _check("planner.web", "def env():\n    from .attendance import labels\n")
    assert _check("planner.app", "from planner.modules.routes import router\n") == set()


def test_writing_another_areas_table_is_refused():
    source = "from planner.modules.tables import Module\nasync def f():\n    await Module.update({}).where()\n"
    assert _check("planner.enrolment.actions", source)
    reading = "from planner.modules.tables import Module\nasync def f():\n    await Module.select()\n"
    assert _check("planner.enrolment.actions", reading) == set()
    own = "from .tables import Module\nasync def f():\n    await Module.update({})\n"
    assert _check("planner.modules.actions", own) == set()
