"""What every spending rule returns (the app's Finding, from planner/findings.py), and the integer arithmetic
they share.

Amounts are integer cents, shares and caps integer basis points (10000 bp = 100 %). Each rule says how it
rounds: "floor" where the result is what may be charged to a subsidy (an inspector recomputing it never finds
a cent too many), "largest remainder" where parts must add up exactly to a total.
"""

from __future__ import annotations

from collections.abc import Sequence

# The verdict's shape is the app's, not spending's own: its rules and their callers read it from here too.
from planner.findings import BLOCK, WARN, Figure, Finding, Money, Share, blocks, placeholders  # noqa: F401

WHOLE = 10_000  # basis points in 100 %


def part_of(amount_cents: int, numerator: int, denominator: int) -> int:
    """amount × numerator / denominator, rounded down to the cent (floor); 0 when the denominator is 0."""
    if denominator <= 0:
        return 0
    return amount_cents * numerator // denominator


def of_bp(amount_cents: int, bp: int) -> int:
    """bp basis points of an amount, rounded down to the cent (floor)."""
    return part_of(amount_cents, bp, WHOLE)


def share_bp(part: int, whole: int) -> int:
    """part / whole in basis points, rounded down, so a share shown as 100 % is never short of the whole."""
    return part_of(part, WHOLE, whole) if whole > 0 else 0


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split total into len(weights) integer parts proportional to non-negative weights, summing exactly to
    total (largest remainder: each part is its exact quota rounded down, and the cents left over go one each
    to the parts with the largest fractions; ties go to the earlier part). All-zero weights: all parts 0."""
    weight_sum = sum(weights)
    if weight_sum <= 0 or total <= 0:
        return [0] * len(weights)
    parts = [total * w // weight_sum for w in weights]
    left = total - sum(parts)
    by_fraction = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % weight_sum), i))
    for i in by_fraction[:left]:
        parts[i] += 1
    return parts
