"""The geometry of a progress chart, drawn by the template as SVG (no script, no style attribute: the CSP
refuses them; colours come from classes in app.css). Pure.

Points are spaced evenly in the order measured (the table beside it gives the days), so a chart stays readable
on a 360 px phone whatever the gaps between measurements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 28  # room for the level labels and the measurement numbers


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    number: int  # 1, 2, 3 … as in the table
    value: Fraction


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: tuple[ChartPoint, ...]
    ticks: tuple[tuple[float, int], ...]  # (y, level) on the left axis
    line: str  # the polyline's points attribute
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM


def chart(values: Sequence[Fraction], low: int, high: int) -> Chart:
    """Points from low (bottom) to high (top), one per value; ticks at every whole level when there are few,
    else at about five."""
    span = max(1, high - low)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value: Fraction | int) -> float:
        clamped = min(max(Fraction(value), low), high)
        return round(TOP + inner_h * float((high - clamped) / span), 1)

    step = 1 if span <= 8 else -(-span // 5)
    levels = list(range(low, high + 1, step))
    if levels[-1] != high:  # the top of the scale is always named
        levels[-1 if high - levels[-1] < step / 2 else len(levels):] = [high]
    ticks = tuple((y_of(level), level) for level in levels)
    n = len(values)
    points = tuple(ChartPoint(round(LEFT + (inner_w * (i / (n - 1)) if n > 1 else inner_w / 2), 1), y_of(v),
                              i + 1, v) for i, v in enumerate(values))
    return Chart(WIDTH, HEIGHT, points, ticks, " ".join(f"{p.x},{p.y}" for p in points))
