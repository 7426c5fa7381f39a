"""Orderings shared by the renderers: worst status, article keys, league-table ranks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from auditor.models import Citation, Status, SummaryRow, annex_name
from auditor.text.fold import fold

# Worst first: a failure outweighs a check that could not run, which outweighs a warning, …
STATUS_SEVERITY: tuple[Status, ...] = ("fail", "error", "warn", "manual", "pass", "not_applicable")
_RANK = {s: i for i, s in enumerate(STATUS_SEVERITY)}
_DIGITS = re.compile(r"(\d+)")


def worst_status(statuses: Iterable[Status]) -> Status | None:
    """The worst of ``statuses`` (fail > error > warn > manual > pass > not_applicable)."""
    return min(statuses, key=lambda s: _RANK[s], default=None)


def status_rank(status: Status) -> int:
    """Position of ``status`` in :data:`STATUS_SEVERITY` (0 = worst)."""
    return _RANK[status]


def article_key(citation: Citation, main_document: str | None = None) -> str:
    """Grid key of a citation: 'Điều 6 k2'; prefixed with the document id when it is not
    ``main_document`` (e.g. 'nd-42-2022 Điều 4 k1'), so that two texts' articles never merge."""
    annex = annex_name(citation.article)
    if annex is not None and citation.clause:
        annex += f" mục {citation.clause}"
    key = annex or f"Điều {citation.article}"
    if citation.clause and annex is None:
        key += f" k{citation.clause}"
    if main_document is not None and citation.document != main_document:
        key = f"{citation.document} {key}"
    return key


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key comparing digit runs as numbers: 'Điều 9' < 'Điều 10'."""
    parts: list[tuple[int, int | str]] = []
    for i, chunk in enumerate(_DIGITS.split(fold(text))):
        if chunk:
            parts.append((0, int(chunk)) if i % 2 else (1, chunk))
    return tuple(parts)


def article_key_sort(key: str) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    """Sort key for grid columns: the main document's articles first, then the others."""
    return (0 if key.startswith("Điều ") else 1, natural_key(key))


def rank_rows(rows: Sequence[SummaryRow]) -> list[tuple[int | None, SummaryRow]]:
    """Rows by score, best first, with competition ranks (1, 2, 2, 4); unscored rows come last
    with rank ``None``. Ties are listed by agency name."""
    scored = sorted(
        (r for r in rows if r.score is not None),
        key=lambda r: (-(r.score or 0.0), fold(r.agency.name), r.agency.domain),
    )
    out: list[tuple[int | None, SummaryRow]] = []
    previous: float | None = None
    rank = 0
    for position, row in enumerate(scored, start=1):
        if row.score != previous:
            rank = position
            previous = row.score
        out.append((rank, row))
    unscored = sorted(
        (r for r in rows if r.score is None), key=lambda r: (fold(r.agency.name), r.agency.domain)
    )
    out.extend((None, r) for r in unscored)
    return out
