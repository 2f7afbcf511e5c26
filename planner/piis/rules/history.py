"""PIIS-32: each agreed version of a PIIS is kept whole; the history says what changed between two. Pure."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

# The fields of a PIIS that are part of what both parties agree to (a version's content).
AGREED_FIELDS = ("type_code", "orientation", "starts_on", "ends_on", "evaluation_method", "assisted_by")
OBJECTIVE_FIELDS = ("title", "person_steps", "cpas_steps", "third_party", "third_party_steps")


def snapshot(piis: Mapping[str, Any], objectives: Sequence[Mapping[str, Any]], commitments: Sequence[int]) -> str:
    """The agreed content as JSON text: the PIIS's AGREED_FIELDS, its objectives in order (OBJECTIVE_FIELDS)
    and the enrolment ids written in as commitments, sorted. Dates as ISO strings."""
    def plain(value: Any) -> Any:
        return value.isoformat() if hasattr(value, "isoformat") else value
    content = {"piis": {f: plain(piis.get(f)) for f in AGREED_FIELDS},
               "objectives": [{f: o.get(f, "") for f in OBJECTIVE_FIELDS} for o in objectives],
               "commitments": sorted(commitments)}
    return json.dumps(content, ensure_ascii=False, sort_keys=True)


def changes(before: str, after: str) -> list[tuple[str, Any, Any]]:
    """What changed from one version's content to the next: (what, before, after) with `what` a PIIS field
    name, "objective N: field" (N from 1), "objective N" for one added (before None) or removed
    (after None), or "commitments"; [] when nothing did."""
    old, new = json.loads(before), json.loads(after)
    found = [(f, old["piis"].get(f), new["piis"].get(f)) for f in AGREED_FIELDS
             if old["piis"].get(f) != new["piis"].get(f)]
    for n in range(max(len(old["objectives"]), len(new["objectives"]))):
        a = old["objectives"][n] if n < len(old["objectives"]) else None
        b = new["objectives"][n] if n < len(new["objectives"]) else None
        if a is None or b is None:  # an objective added or removed: one line, its title
            found.append((f"objective {n + 1}", a and a["title"], b and b["title"]))
            continue
        found += [(f"objective {n + 1}: {f}", a.get(f), b.get(f)) for f in OBJECTIVE_FIELDS if a.get(f) != b.get(f)]
    if old["commitments"] != new["commitments"]:
        found.append(("commitments", old["commitments"], new["commitments"]))
    return found
