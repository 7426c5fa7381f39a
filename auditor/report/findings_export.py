"""The to-do list: one row per finding (``findings.csv`` and the workbook's "Findings" sheet).

Columns: agency, domain, rule, requirement, document, article, clause, point, status,
severity, what failed, page, how to fix, waiver. Rows are built from each agency's report as it
is finished and spooled to a temporary file (``FindingSpool``), so a scan of many portals keeps
neither its reports nor their rows in memory; the files are written from the spool, row by row.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TextIO

from auditor.models import AuditReport, Finding, Lang, LocalText, t
from auditor.report.files import open_atomic
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
    _write_csv(buf, header, rows, excel_vi)
    return buf.getvalue()


def _write_csv(
    out: TextIO,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    excel_vi: bool,
) -> None:
    writer = csv.writer(out, delimiter=";" if excel_vi else ",", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])


def write_findings_csv(
    rows: Iterable[FindingRow], path: Path, lang: Lang, excel_vi: bool = False
) -> Path:
    """Write ``findings.csv`` (UTF-8 with BOM, so Excel shows Vietnamese) to ``path``, one row
    at a time."""
    with open_atomic(path, encoding="utf-8-sig") as fh:
        _write_csv(fh, headers(lang), rows, excel_vi)
    return path


class FindingSpool:
    """The to-do list's rows kept in a temporary file until the files are written: add each
    report's rows as it is finished; iterating reads them back one at a time, in the order
    added (each iteration starts again from the first row). Use as a context manager."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="auditor-findings-")
        self._path = Path(self._dir.name) / "findings.jsonl"
        self._path.touch()
        self._count = 0

    def __enter__(self) -> FindingSpool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Remove the spooled rows."""
        self._dir.cleanup()

    def add(self, rows: Iterable[FindingRow]) -> None:
        """Append ``rows`` to the spool."""
        with self._path.open("a", encoding="utf-8", newline="\n") as fh:
            for row in rows:
                fh.write(json.dumps(list(row)) + "\n")  # ASCII: no raw newline inside a row
                self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[FindingRow]:
        with self._path.open(encoding="utf-8", newline="\n") as fh:
            for line in fh:
                yield tuple(json.loads(line))
