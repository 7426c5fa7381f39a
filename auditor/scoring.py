"""Scores from findings: rule → category → total (0–100) → grade. Pure functions.

Each finding with status pass, warn or fail earns ``weight × credit`` (pass 1, warn
``warn_credit``, fail 0) out of ``weight``; ``not_applicable``, ``manual`` and ``error`` leave the
denominator (``error`` means the auditor could not tell) and errors are counted apart. A
finding covered by a waiver in force ("comply or explain") leaves the denominator too and is
counted under ``waived``; its status stays as the rule found it.

Because errors leave the denominator, a portal that could hardly be seen would otherwise score on
the few rules that could be judged (an unreachable portal would get 100 from its domain name).
So the total and grade are given only when at least :data:`MIN_COVERAGE` of the applicable
weight was judged; ``Score.coverage`` says how much was.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from auditor.models import (
    STATUSES,
    CategoryScore,
    Finding,
    GradeCapApplied,
    LocalText,
    Score,
    Status,
)
from auditor.rules.schema import ScoringConfig

SCORED: frozenset[Status] = frozenset({"pass", "warn", "fail"})
MIN_COVERAGE = 0.8  # share of the applicable weight that must be judged for a total to be given


def score(findings: Sequence[Finding], config: ScoringConfig) -> Score:
    """Total, grade, per-category scores and counts of ``findings``."""
    judged = coverage(findings)
    total = percent(findings, config.warn_credit)
    if judged is not None and judged < MIN_COVERAGE * 100:
        total = None
    by_category: dict[str, CategoryScore] = {}
    for category in _categories(findings, config):
        group = [f for f in findings if f.category == category]
        by_category[category] = CategoryScore(
            label=config.categories.get(category) or LocalText(vi=category, en=category),
            score=percent(group, config.warn_credit),
            weight=sum(f.weight for f in group if f.status in SCORED and not f.waived),
            counts=counts(group),
        )
    letter, caps = capped(grade(total, config), findings, config)
    return Score(
        total=total,
        grade=letter,
        caps=caps,
        by_category=by_category,
        counts=counts(findings),
        errors=sum(1 for f in findings if f.status == "error"),
        coverage=judged,
    )


def coverage(findings: Iterable[Finding]) -> float | None:
    """Share (0–100, one decimal) of the applicable weight — judged or ``error`` — that was
    judged; ``None`` when no applicable rule has weight."""
    judged = 0.0
    applicable = 0.0
    for finding in findings:
        if finding.status in SCORED or finding.status == "error":
            applicable += finding.weight
            if finding.status in SCORED:
                judged += finding.weight
    return round_1(100.0 * judged / applicable) if applicable > 0 else None


def percent(findings: Iterable[Finding], warn_credit: float) -> float | None:
    """Weighted share of credit, 0–100 to one decimal; ``None`` when no weight is scorable.

    A result that is not perfect is never rounded up to 100.
    """
    earned = 0.0
    possible = 0.0
    for finding in findings:
        if finding.status not in SCORED or finding.waived:
            continue
        possible += finding.weight
        earned += finding.weight * credit(finding.status, warn_credit)
    if possible <= 0:
        return None
    value = round_1(100.0 * earned / possible)
    return 99.9 if value >= 100.0 and earned < possible else value


def credit(status: Status, warn_credit: float) -> float:
    """The share of a rule's weight that ``status`` earns."""
    return {"pass": 1.0, "warn": warn_credit}.get(status, 0.0)


def grade(total: float | None, config: ScoringConfig) -> str | None:
    """The grade of the highest band whose threshold ``total`` reaches; ``None`` for ``None``."""
    if total is None:
        return None
    for letter, threshold in sorted(config.grades.items(), key=lambda kv: -kv[1]):
        if total >= threshold:
            return letter
    return config.fallback_grade


def capped(
    letter: str | None, findings: Sequence[Finding], config: ScoringConfig
) -> tuple[str | None, tuple[GradeCapApplied, ...]]:
    """``letter`` lowered to the pack's caps whose rules fail (unwaived), with those caps."""
    if letter is None:
        return None, ()
    order = [g for g, _ in sorted(config.grades.items(), key=lambda kv: -kv[1])]
    order.append(config.fallback_grade)
    failing = {f.rule_id for f in findings if f.status == "fail" and not f.waived}
    applied: list[GradeCapApplied] = []
    for cap in config.caps:
        hit = tuple(r for r in cap.rules if r in failing)
        if not hit or cap.grade not in order:
            continue
        applied.append(GradeCapApplied(grade=cap.grade, reason=cap.reason, rules=hit))
        if order.index(letter) < order.index(cap.grade):
            letter = cap.grade
    return letter, tuple(applied)


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Number of findings by status, every status listed; ``waived`` too when any is."""
    out: dict[str, int] = dict.fromkeys(STATUSES, 0)
    waived = 0
    for finding in findings:
        out[finding.status] += 1
        waived += finding.waived
    if waived:
        out["waived"] = waived
    return out


def round_1(value: float) -> float:
    """``value`` rounded half up to one decimal (89.95 → 90.0, unlike ``round``)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _categories(findings: Sequence[Finding], config: ScoringConfig) -> list[str]:
    """Categories that have findings: the pack's order first, then others as they come."""
    present = dict.fromkeys(f.category for f in findings)
    ordered = [c for c in config.categories if c in present]
    return ordered + [c for c in present if c not in config.categories]
