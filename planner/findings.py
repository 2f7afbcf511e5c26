"""The one shape of verdict every rule of the app gives (spending's COST-/FUND-, the PIIS's, volunteering's
VOL-), and what an action that checks rules returns. Pure: no area, no Litestar, no Piccolo.

A Finding's message is an untranslated message id; its figures fill the %(name)s placeholders, shown with
the reader's formatters (placeholders()). Amounts are integer cents (Money), shares basis points (Share).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

BLOCK = "block"  # the row cannot be recorded as it is
WARN = "warn"  # the user may go on; who did is recorded


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


@dataclass(frozen=True)
class Saved:
    """What an action that checks rules returns: the id written (None when a rule blocked, or the row changed
    meanwhile) and every finding."""
    id: int | None
    findings: tuple[Finding, ...] = field(default=())

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == WARN)
