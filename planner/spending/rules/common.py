"""What every spending rule returns, and the integer arithmetic they share.

Amounts are integer cents, shares and caps integer basis points (10000 bp = 100 %). Each rule says how it
rounds: "floor" where the result is what may be charged to a subsidy (an inspector recomputing it never finds
a cent too many), "largest remainder" where parts must add up exactly to a total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


BLOCK = "block"  # the expense or allocation cannot be recorded as it is
WARN = "warn"  # the user may go on; who did is recorded
WHOLE = 10_000  # basis points in 100 %


@dataclass(frozen=True)
class Money:
    """A figure in a message that is an amount: shown with format_money."""
    cents: int


@dataclass(frozen=True)
class Share:
    """A figure in a message that is a share: shown as a percentage."""
    bp: int


Figure = Money | Share | int | str | dt.date  # int: a count; str: a code such as a strand; date: format_date


@dataclass(frozen=True)
class Finding:
    """One rule's verdict: `rule` is the ID in domain.md (COST-05), `level` BLOCK or WARN, `message` an
    untranslated message id whose %(name)s placeholders are the keys of `figures`."""
    rule: str
    level: str
    message: str
    figures: dict[str, Figure] = field(default_factory=dict, hash=False)


def placeholders(figures: dict[str, Figure], money: Callable[[int], str], share: Callable[[int], str],
                 date: Callable[[dt.date], str], number: Callable[[int], str] = str) -> dict[str, str]:
    """A finding's figures as the strings its message shows, with the locale's formatters passed in (e.g.
    i18n.format_money, a percentage from basis points, i18n.format_date, i18n.format_number)."""
    def shown(value: Figure) -> str:
        if isinstance(value, Money):
            return money(value.cents)
        if isinstance(value, Share):
            return share(value.bp)
        if isinstance(value, dt.date):
            return date(value)
        return value if isinstance(value, str) else number(value)
    return {name: shown(value) for name, value in figures.items()}


def blocks(findings: Sequence[Finding]) -> bool:
    return any(f.level == BLOCK for f in findings)


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
