"""Self-contained HTML reports: one page per agency and ``index.html`` for a scan.

Everything is rendered by jinja2 with autoescape on; the templates only see the view models
built here. Text quoted from scanned pages is never marked safe, and only http(s) URLs become
links.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from auditor.models import (
    STATUSES,
    AuditReport,
    Citation,
    Evidence,
    Finding,
    Lang,
    ScanSummary,
    Status,
)
from auditor.report.files import write_text_atomic
from auditor.report.i18n import (
    STATUS_MARKS,
    format_date,
    format_number,
    level_label,
    observed,
    severity_label,
    status_label,
    ui,
)
from auditor.report.links import safe_href, safe_report_link
from auditor.report.ordering import (
    article_key_sort,
    natural_key,
    rank_rows,
    status_rank,
)
from auditor.report.trend import trend_chart
from auditor.text.fold import fold_words

TEMPLATES = Path(__file__).resolve().parent / "templates"


def anchor_for(citation: Citation) -> str:
    """HTML id of an article group, e.g. 'qd-07-2019-dieu-6-k-2'."""
    key = f"{citation.document} dieu {citation.article}"
    if citation.clause:
        key += f" k {citation.clause}"
    return "-".join(fold_words(key).split()) or "article"


# --- view models ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceView:
    """One piece of evidence, ready to print."""

    detail: str
    url: str | None
    href: str | None
    expected: str | None
    found: str | None
    snippet: str | None


@dataclass(frozen=True)
class WaiverView:
    """A waiver on a finding, ready to print."""

    reason: str
    approved_by: str
    expires: str
    expired: bool
    scope: str


@dataclass(frozen=True)
class FindingView:
    """One finding, ready to print."""

    rule_id: str
    status: Status
    status_label: str
    mark: str
    title: str
    failure: str | None
    fix: str | None
    category: str
    severity: str
    weight: str
    evidence: tuple[EvidenceView, ...]
    waiver: WaiverView | None = None


@dataclass(frozen=True)
class ArticleGroup:
    """Findings citing one article (Điều / khoản / điểm)."""

    label: str
    anchor: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class DocumentGroup:
    """Findings citing one legal document."""

    id: str
    title: str
    draft: bool
    articles: tuple[ArticleGroup, ...]


@dataclass(frozen=True)
class Section:
    """A part of the agency page holding findings of some statuses."""

    key: str
    heading: str
    note: str | None
    count: int
    collapsed: bool
    documents: tuple[DocumentGroup, ...]


@dataclass(frozen=True)
class CategoryBar:
    """A category's score bar."""

    label: str
    score: str
    percent: float  # 0–100, width of the bar
    scored: bool


@dataclass(frozen=True)
class StatusCount:
    """Number of findings with one status."""

    status: Status
    label: str
    mark: str
    count: int


# Sections of the agency page, in order; error and manual never mix with failures.
_SECTIONS: tuple[tuple[str, tuple[Status, ...], str, str | None, bool], ...] = (
    ("failures", ("fail", "warn"), "section_failures", None, False),
    ("waived", ("fail", "warn"), "section_waived", "waived_note", False),
    ("errors", ("error",), "section_errors", "errors_note", False),
    ("manual", ("manual",), "section_manual", "manual_note", False),
    ("passed", ("pass",), "section_passed", None, True),
    ("not-applicable", ("not_applicable",), "section_na", None, True),
)


_WAIVABLE = frozenset({"failures", "waived"})  # sections split by whether a waiver holds


def _evidence_view(ev: Evidence, lang: Lang) -> EvidenceView:
    return EvidenceView(
        detail=ev.detail.get(lang),
        url=ev.url,
        href=safe_href(ev.url),
        expected=observed(ev.expected, lang),
        found=observed(ev.found, lang),
        snippet=ev.snippet,
    )


def _finding_view(f: Finding, report: AuditReport, lang: Lang) -> FindingView:
    category = report.score.by_category.get(f.category)
    return FindingView(
        rule_id=f.rule_id,
        status=f.status,
        status_label=status_label(f.status, lang),
        mark=STATUS_MARKS[f.status],
        title=f.title.get(lang),
        failure=f.failure.get(lang) if f.status in ("fail", "warn") else None,
        fix=f.fix.get(lang) if f.fix is not None and f.status in ("fail", "warn") else None,
        category=category.label.get(lang) if category else f.category,
        severity=severity_label(f.severity, lang),
        weight=format_number(f.weight, lang, 2).rstrip("0").rstrip(",."),
        evidence=tuple(_evidence_view(e, lang) for e in f.evidence),
        waiver=_waiver_view(f, lang),
    )


def _waiver_view(f: Finding, lang: Lang) -> WaiverView | None:
    w = f.waiver
    if w is None:
        return None
    return WaiverView(
        reason=w.reason,
        approved_by=w.approved_by,
        expires=format_date(w.expires, lang),
        expired=w.expired,
        scope=ui("all_portals", lang) if w.domain == "*" else w.domain,
    )


def _group(findings: Sequence[Finding], report: AuditReport, lang: Lang) -> list[DocumentGroup]:
    docs = {d.id: d for d in report.profile.documents}
    doc_order = [d.id for d in report.profile.documents]
    by_doc: dict[str, dict[str, list[Finding]]] = {}
    citations: dict[tuple[str, str], Citation] = {}
    for f in findings:
        label = f.citation.label(lang)
        by_doc.setdefault(f.citation.document, {}).setdefault(label, []).append(f)
        citations.setdefault((f.citation.document, label), f.citation)
    ordered = sorted(by_doc, key=lambda d: (doc_order.index(d) if d in doc_order else 10**6, d))
    out: list[DocumentGroup] = []
    for doc_id in ordered:
        articles: list[ArticleGroup] = []
        labels = sorted(by_doc[doc_id], key=natural_key)
        for label in labels:
            group = sorted(by_doc[doc_id][label], key=lambda f: (status_rank(f.status), f.rule_id))
            articles.append(
                ArticleGroup(
                    label=label,
                    anchor=anchor_for(citations[(doc_id, label)]),
                    findings=tuple(_finding_view(f, report, lang) for f in group),
                )
            )
        info = docs.get(doc_id)
        out.append(
            DocumentGroup(
                id=doc_id,
                title=info.title.get(lang) if info else doc_id,
                draft=info.draft if info else False,
                articles=tuple(articles),
            )
        )
    return out


def _sections(report: AuditReport, lang: Lang) -> list[Section]:
    out: list[Section] = []
    for key, statuses, heading, note, collapsed in _SECTIONS:
        chosen = [
            f
            for f in report.findings
            if f.status in statuses and (f.waived == (key == "waived") or key not in _WAIVABLE)
        ]
        if key == "waived" and not chosen:
            continue  # the section exists only where waivers are used
        out.append(
            Section(
                key=key,
                heading=ui(heading, lang),
                note=ui(note, lang) if note else None,
                count=len(chosen),
                collapsed=collapsed,
                documents=tuple(_group(chosen, report, lang)),
            )
        )
    return out


def _bars(report: AuditReport, lang: Lang) -> list[CategoryBar]:
    bars: list[CategoryBar] = []
    for cat in report.score.by_category.values():
        pct = 0.0 if cat.score is None else max(0.0, min(100.0, cat.score))
        bars.append(
            CategoryBar(
                label=cat.label.get(lang),
                score=format_number(cat.score, lang),
                percent=round(pct, 2),
                scored=cat.score is not None,
            )
        )
    return bars


def _counts(counts: dict[str, int], lang: Lang) -> list[StatusCount]:
    return [
        StatusCount(s, status_label(s, lang), STATUS_MARKS[s], counts.get(s, 0)) for s in STATUSES
    ]


# --- rendering -----------------------------------------------------------------------------


# C0 controls but tab, LF and CR; DEL. NUL in particular: browsers and parsers disagree on it.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE RLE LRO RLO, closed by PDF
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI RLI FSI, closed by PDI


def clean_text(text: str) -> str:
    """``text`` safe to quote in a report: control characters dropped, and every bidirectional
    embedding, override or isolate it opens closed at its end, so a U+202E in a page title
    cannot reverse the report's own text (UAX #9)."""
    text = _CONTROLS.sub("", text)
    if not any(ch in _EMBEDDINGS or ch in _ISOLATES for ch in text):
        return text
    stack: list[str] = []
    for ch in text:
        if ch in _EMBEDDINGS or ch in _ISOLATES:
            stack.append(ch)
        elif ch == "\u202c" and stack and stack[-1] in _EMBEDDINGS:
            stack.pop()
        elif ch == "\u2069":
            while stack and stack.pop() in _EMBEDDINGS:  # a PDI closes embeddings inside it
                pass
    closers = "".join("\u202c" if ch in _EMBEDDINGS else "\u2069" for ch in reversed(stack))
    return text + closers


def _finalize(value: object) -> object:
    """Every ``{{ … }}`` output: text is cleaned (:func:`clean_text`) before it is escaped."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean_text(value)
    return value


def bdi(value: object) -> Markup:
    """Filter ``|bdi``: quoted text (a page's, the registry's) escaped and isolated in a
    ``<bdi>``, so its direction neither leaks into nor takes from the report around it."""
    if value is None:
        return Markup("")
    return Markup("<bdi>%s</bdi>") % clean_text(str(value))


@cache
def environment() -> Environment:
    """The jinja2 environment of the report templates (autoescape on, strict undefined;
    every output cleaned of control characters and unbalanced bidirectional controls)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(
            enabled_extensions=("html", "j2", "svg"), default_for_string=True, default=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters["bdi"] = bdi
    return env


def _tr(lang: Lang) -> Callable[[str], str]:
    return lambda key: ui(key, lang)


def render_agency_html(report: AuditReport, lang: Lang = "vi") -> str:
    """The self-contained HTML page of one agency's audit."""
    documents = [
        {"id": d.id, "title": d.title.get(lang), "draft": d.draft} for d in report.profile.documents
    ]
    return (
        environment()
        .get_template("agency.html.j2")
        .render(
            lang=lang,
            tr=_tr(lang),
            r=report,
            level=level_label(report.agency.level, lang),
            profile_title=report.profile.title.get(lang),
            documents=documents,
            as_of=format_date(report.as_of, lang),
            start_href=safe_href(report.crawl.start_url),
            robots_error=observed(report.crawl.robots_error, lang),
            duration=format_number(report.crawl.duration_s, lang),
            score=format_number(report.score.total, lang),
            grade=report.score.grade,
            bars=_bars(report, lang),
            counts=_counts(report.score.counts, lang),
            waived=sum(1 for f in report.findings if f.waived),
            sections=_sections(report, lang),
            trend=trend_chart(
                report.trend, report.as_of, report.score.total, report.score.grade, lang
            ),
        )
    )


@dataclass(frozen=True)
class GridCell:
    """One agency × article cell of the compliance grid."""

    status: Status | None
    label: str
    mark: str


@dataclass(frozen=True)
class LeagueRow:
    """One agency in the league table and the grid."""

    rank: int | None
    name: str
    level: str
    domain: str
    score: str
    score_value: float
    grade: str
    fails: int
    errors: int
    href: str | None
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class GradeCount:
    """How many agencies got a grade."""

    grade: str
    count: int
    percent: float


def _league(summary: ScanSummary, columns: list[str], lang: Lang) -> list[LeagueRow]:
    rows: list[LeagueRow] = []
    for rank, row in rank_rows(summary.agencies):
        cells = []
        for key in columns:
            st = row.statuses.get(key)
            cells.append(
                GridCell(
                    status=st,
                    label=f"{key}: {status_label(st, lang)}" if st else key,
                    mark=STATUS_MARKS[st] if st else "",
                )
            )
        rows.append(
            LeagueRow(
                rank=rank,
                name=row.agency.name,
                level=level_label(row.agency.level, lang),
                domain=row.agency.address,
                score=format_number(row.score, lang),
                score_value=-1.0 if row.score is None else row.score,
                grade=row.grade or ui("no_grade", lang),
                fails=row.counts.get("fail", 0),
                errors=row.counts.get("error", 0),
                href=safe_report_link(row.report_html),
                cells=tuple(cells),
            )
        )
    return rows


def _grades(summary: ScanSummary, lang: Lang) -> list[GradeCount]:
    best: dict[str, float] = {}
    counts: dict[str, int] = {}
    for row in summary.agencies:
        grade = row.grade or ui("no_grade", lang)
        counts[grade] = counts.get(grade, 0) + 1
        score = -1.0 if row.score is None else row.score
        best[grade] = max(best.get(grade, score), score)
    top = max(counts.values(), default=1)
    order = sorted(counts, key=lambda g: (-best[g], g))
    return [GradeCount(g, counts[g], round(100.0 * counts[g] / top, 2)) for g in order]


def _mean(summary: ScanSummary) -> float | None:
    """The mean score of the scored agencies (the province's point on the trend chart)."""
    scores = [row.score for row in summary.agencies if row.score is not None]
    return round(sum(scores) / len(scores), 1) if scores else None


def render_index_html(summary: ScanSummary, lang: Lang = "vi") -> str:
    """The ``index.html`` of a scan: league table, grade distribution and compliance grid."""
    columns = sorted({k for row in summary.agencies for k in row.statuses}, key=article_key_sort)
    return (
        environment()
        .get_template("index.html.j2")
        .render(
            lang=lang,
            tr=_tr(lang),
            s=summary,
            as_of=format_date(summary.as_of, lang),
            rows=_league(summary, columns, lang),
            columns=columns,
            grades=_grades(summary, lang),
            legend=_counts({}, lang),
            trend=trend_chart(summary.trend, summary.as_of, _mean(summary), None, lang),
        )
    )


def write_agency_html(report: AuditReport, path: Path, lang: Lang = "vi") -> Path:
    """Write the agency page to ``path``."""
    return write_text_atomic(path, render_agency_html(report, lang))


def write_index_html(summary: ScanSummary, path: Path, lang: Lang = "vi") -> Path:
    """Write ``index.html`` to ``path``."""
    return write_text_atomic(path, render_index_html(summary, lang))
