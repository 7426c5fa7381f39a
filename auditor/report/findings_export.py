"""The to-do list: one row per finding (``findings.csv`` and the workbook's "Findings" sheet).

Columns: agency, domain, rule, requirement, document, article, clause, point, status,
severity, what failed, page, how to fix, waiver. Rows are built from each agency's report as it
is finished (a few strings per finding), so a scan of many portals need not keep its reports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from auditor.models import AuditReport, Finding, Lang, LocalText, t
from auditor.report.files import write_text_atomic
from auditor.report.i18n import format_date, severity_label, status_label, ui
from auditor.report.ordering import status_rank

FindingRow = tuple[str, ...]

PAGE_COLUMN = t("Trang", "Page")
COLUMNS: tuple[LocalText, ...] = (
    t("Cơ quan", "Agency"),
    t("Tên miền", "Domain"),
    t("Mã tiêu chí", "Rule"),
    t("Yêu cầu", "Requirement"),
    t("Văn bản", "Document"),
    t("Điều", "Article"),
    t("Khoản", "Clause"),
    t("Điểm", "Point"),
    t("Kết quả", "Status"),
    t("Mức độ", "Severity"),
    t("Nội dung chưa đạt", "What failed"),
    PAGE_COLUMN,
    t("Cách khắc phục", "How to fix"),
    t("Miễn trừ", "Waiver"),
)
TO_CHECK = t("Cần kiểm tra thủ công", "To check by hand")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def headers(lang: Lang) -> list[str]:
    """The column titles in ``lang``."""
    return [c.get(lang) for c in COLUMNS]


def _what(f: Finding, lang: Lang) -> str:
    details = [e.detail.get(lang) for e in f.evidence if e.detail.get(lang)]
    if f.status in ("fail", "warn"):
        return " — ".join([f.failure.get(lang), *details[:3]])
    if f.status == "manual":
        return f"{TO_CHECK.get(lang)}: {f.title.get(lang)}"
    if f.status == "error":
        return "; ".join(details[:3])
    return ""


def _waiver(f: Finding, lang: Lang) -> str:
    w = f.waiver
    if w is None:
        return ""
    text = f"{w.reason} ({ui('approved_by', lang)}: {w.approved_by}; "
    text += f"{ui('expires', lang)}: {format_date(w.expires, lang)})"
    return f"{text} — {ui('waiver_expired', lang)}" if w.expired else text


def finding_rows(report: AuditReport, lang: Lang) -> list[FindingRow]:
    """One row per finding of ``report``, worst status first, then by rule."""
    page = report.crawl.final_url or report.crawl.start_url
    rows: list[FindingRow] = []
    for f in sorted(report.findings, key=lambda f: (status_rank(f.status), f.rule_id)):
        url = next((e.url for e in f.evidence if e.url), page)
        fix = f.fix.get(lang) if f.fix is not None and f.status in ("fail", "warn") else ""
        c = f.citation
        rows.append(
            (
                report.agency.name,
                report.agency.address,
                f.rule_id,
                f.title.get(lang),
                c.document,
                c.article,
                c.clause or "",
                c.point or "",
                status_label(f.status, lang),
                severity_label(f.severity, lang),
                _what(f, lang),
                url,
                fix,
                _waiver(f, lang),
            )
        )
    return rows


def _cell(text: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]], excel_vi: bool) -> str:
    """CSV text (no BOM): comma-separated, or semicolon-separated for Excel with Vietnamese
    regional settings (whose list separator is ``;`` and decimal separator ``,``)."""
    buf = io.StringIO()
    out = csv.writer(buf, delimiter=";" if excel_vi else ",", lineterminator="\r\n")
    out.writerow(header)
    for row in rows:
        out.writerow([_cell(v) for v in row])
    return buf.getvalue()


def write_findings_csv(
    rows: Iterable[FindingRow], path: Path, lang: Lang, excel_vi: bool = False
) -> Path:
    """Write ``findings.csv`` (UTF-8 with BOM, so Excel shows Vietnamese) to ``path``."""
    text = csv_text(headers(lang), rows, excel_vi)
    return write_text_atomic(path, text, encoding="utf-8-sig")
