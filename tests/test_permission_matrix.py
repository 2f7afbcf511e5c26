"""Who may do what, as a reviewed file: for every demo role, the status each GET route answers (on
Rivebelle's objects) and the menu entries shown, compared with tests/permission_matrix.txt. A change
to who may do what then shows up in review as a diff of that file.

After a deliberate change: PLANNER_UPDATE_MATRIX=1 .venv/bin/python -m pytest tests/test_permission_matrix.py
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from tests.conftest import login, make_user, post
from tests.test_route_table import PUBLIC, ROUTES, concrete

SNAPSHOT = Path(__file__).with_name("permission_matrix.txt")
BASE = Path(__file__).resolve().parent.parent / "templates" / "base.html"
GET_ROUTES = sorted(p for m, p, _h in ROUTES if m == "GET" and (m, p) not in PUBLIC)
# (column, who): Rivebelle's own staff, another CPAS, the CPAS sharing Rivebelle's cluster, a partner.
COLUMNS = (
    ("rb-admin", "administrator of Rivebelle"),
    ("rb-coord", "coordinator of Rivebelle (also in its cluster)"),
    ("rb-social", "social worker of Rivebelle"),
    ("rb-facil", "facilitator of Rivebelle (also in its cluster)"),
    ("other-admin", "administrator of another CPAS"),
    ("other-coord", "coordinator of another CPAS"),
    ("cluster-admin", "administrator of Montfleuri, a CPAS in Rivebelle's cluster"),
    ("partner", "facilitator of a partner Rivebelle registered"),
)
NAV = re.compile(r'<nav aria-label="[^"]*">(.*?)</nav>', re.S)
LINK = re.compile(r'<a(?: [^>]*)? href="(/[^"]*)"[^>]*>([^<]*)</a>')


async def _actors(world, neighbour_admin) -> dict[str, dict]:
    return {
        "rb-admin": world.administrator, "rb-coord": world.coordinator, "rb-social": world.social_worker,
        "rb-facil": world.facilitator,
        "other-admin": await make_user("oda@ailleurs.example", "Oda Admin", [(world.elsewhere, "administrator")]),
        "other-coord": await make_user("oco@ailleurs.example", "Oco Coord", [(world.elsewhere, "coordinator")]),
        "cluster-admin": neighbour_admin, "partner": world.partner_facilitator,
    }


async def _observe(client, person: dict, world) -> tuple[dict[str, int], dict[str, str]]:
    await login(client, person)
    statuses = {path: (await client.get(concrete(path, world), follow_redirects=False)).status_code
                for path in GET_ROUTES}
    nav = NAV.search((await client.get("/account")).text).group(1)
    menu = {href: " ".join(label.split()) for href, label in LINK.findall(nav) if href != "/"}
    await post(client, "/logout")
    return statuses, menu


def render(statuses: dict[str, dict[str, int]], menus: dict[str, dict[str, str]]) -> str:
    """The matrix as text: one line per route or menu entry, one column per role."""
    names = [c for c, _who in COLUMNS]
    found = {href: label for c in names for href, label in menus[c].items()}
    nav = BASE.read_text(encoding="utf-8")  # the menu's own order, whoever shows an entry
    entries = {href: found[href] for href in sorted(found, key=lambda h: nav.find(f'href="{h}"'))}
    rows = [(f"GET {path}", [str(statuses[c][path]) for c in names]) for path in GET_ROUTES]
    rows += [(f"menu {label} ({href})", ["shown" if href in menus[c] else "-" for c in names])
             for href, label in entries.items()]
    first = max(len(label) for label, _cells in rows) + 2
    widths = [max(len(c), 5) + 2 for c in names]
    line = lambda label, cells: (label.ljust(first) + "".join(v.ljust(w) for v, w in zip(cells, widths))).rstrip()
    legend = [f"#   {c}: {who}" for c, who in COLUMNS]
    return "\n".join([
        "# Permission matrix: the status each GET route answers on Rivebelle's objects, and the menu",
        "# entries shown, for each demo role. Reviewed file: regenerate after a deliberate change with",
        "#   PLANNER_UPDATE_MATRIX=1 .venv/bin/python -m pytest tests/test_permission_matrix.py",
        *legend, "", line("", names), *(line(label, cells) for label, cells in rows)]) + "\n"


async def test_who_may_do_what_matches_the_reviewed_permission_matrix(client, world, neighbour_admin):
    statuses, menus = {}, {}
    for column, person in (await _actors(world, neighbour_admin)).items():
        statuses[column], menus[column] = await _observe(client, person, world)
    matrix = render(statuses, menus)
    if os.environ.get("PLANNER_UPDATE_MATRIX") == "1":
        SNAPSHOT.write_text(matrix, encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    diff = "".join(difflib.unified_diff(expected.splitlines(True), matrix.splitlines(True),
                                        "tests/permission_matrix.txt (reviewed)", "what the app answers now"))
    assert not diff, (f"Who may do what changed:\n{diff}\nIf the change is meant, regenerate the file with "
                      "PLANNER_UPDATE_MATRIX=1 .venv/bin/python -m pytest tests/test_permission_matrix.py "
                      "and commit it for review.")
