"""The score-over-time chart: earlier runs (from the report's ``trend``) and this one, as the
coordinates of a small inline SVG (no script)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from auditor.models import Lang, TrendPoint
from auditor.report.i18n import format_date, format_number

WIDTH, HEIGHT, PAD = 240.0, 60.0, 6.0


@dataclass(frozen=True)
class TrendDot:
    """One run on the chart."""

    x: float
    y: float
    title: str  # "20/11/2026: 93,8 (B)"


@dataclass(frozen=True)
class TrendChart:
    """The chart's geometry and its text alternative."""

    width: float
    height: float
    points: str  # the polyline's "x,y x,y …"
    dots: tuple[TrendDot, ...]
    label: str  # every run's date and score, for screen readers and print


def trend_chart(
    earlier: Sequence[TrendPoint],
    as_of: date,
    score: float | None,
    grade: str | None,
    lang: Lang,
) -> TrendChart | None:
    """The chart of ``earlier`` runs followed by this one; ``None`` with fewer than two scored
    runs (nothing to compare)."""
    runs = [(p.as_of, p.score, p.grade) for p in earlier] + [(as_of, score, grade)]
    scored = [(d, s, g) for d, s, g in runs if s is not None]
    if len(scored) < 2:
        return None
    step = (WIDTH - 2 * PAD) / (len(scored) - 1)
    dots: list[TrendDot] = []
    for i, (day, value, letter) in enumerate(scored):
        x = round(PAD + i * step, 1)
        y = round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * max(0.0, min(value, 100.0)) / 100.0, 1)
        shown = format_number(value, lang) + (f" ({letter})" if letter else "")
        dots.append(TrendDot(x, y, f"{format_date(day, lang)}: {shown}"))
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        points=" ".join(f"{d.x},{d.y}" for d in dots),
        dots=tuple(dots),
        label="; ".join(d.title for d in dots),
    )
