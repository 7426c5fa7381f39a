"""Re-render saved JSON reports and ``summary.json`` files in other formats, without rescanning.

The saved reports are the contract: nothing is re-scored here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence, Set
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import AuditorError, LogText
from auditor.models import AuditReport, Lang, ScanSummary, SummaryRow
from auditor.report.findings_export import finding_rows
from auditor.report.json_report import load_any, load_report
from auditor.report.writer import (
    TABLE_FORMATS,
    build_summary_row,
    check_formats,
    summary_from_reports,
    write_agency_report,
    write_summary,
    write_tables,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendered:
    """What a re-rendering wrote, and the agency reports it read (for the CI gates)."""

    files: tuple[Path, ...]
    reports: tuple[AuditReport, ...]


def rerender(paths: Sequence[Path], out_dir: Path, formats: Set[str], lang: Lang) -> Rendered:
    """Write ``formats`` of the saved reports ``paths`` to ``out_dir``.

    Every input is read and validated before anything is written (:class:`ReportFileError`
    lists the problems). A ``summary.json`` is re-rendered with the agency reports it names
    (read from its folder); two or more agency reports given together also get a summary.
    """
    check_formats(formats)
    loaded = [(path, load_any(path)) for path in paths]
    files: list[Path] = []
    seen: list[AuditReport] = []
    for path, item in loaded:
        if isinstance(item, ScanSummary):
            files.extend(_summary(item, path.parent, out_dir, formats, lang, seen))
    reports = [item for _, item in loaded if isinstance(item, AuditReport)]
    rows = [_agency(report, out_dir, formats, lang, files) for report in reports]
    if len(reports) > 1:
        summary = summary_from_reports(reports, rows)
        files.extend(write_summary(summary, out_dir, formats, lang, reports))
    elif reports and not seen and formats & TABLE_FORMATS:  # one agency: its spreadsheets
        summary = summary_from_reports(reports, rows)
        findings = finding_rows(reports[0], lang)
        files.extend(write_tables(summary, out_dir, formats, lang, findings))
    return Rendered(tuple(files), tuple(seen + reports))


def _agency(
    report: AuditReport, out_dir: Path, formats: Set[str], lang: Lang, files: list[Path]
) -> SummaryRow:
    written = write_agency_report(report, out_dir, formats, lang)
    files.extend(written)
    names = {p.suffix: p.name for p in written}
    return build_summary_row(report, names.get(".json"), names.get(".html"))


def _summary(
    summary: ScanSummary,
    src_dir: Path,
    out_dir: Path,
    formats: Set[str],
    lang: Lang,
    seen: list[AuditReport],
) -> list[Path]:
    files: list[Path] = []
    rows: list[SummaryRow] = []
    reports: list[AuditReport] = []
    for row in summary.agencies:
        report = _agency_report(row, src_dir)
        if report is None:
            rows.append(row)
            continue
        reports.append(report)
        rows.append(_agency(report, out_dir, formats, lang, files))
    seen.extend(reports)
    fresh = summary.model_copy(update={"agencies": tuple(rows)})
    files.extend(write_summary(fresh, out_dir, formats, lang, reports))
    return files


def _agency_report(row: SummaryRow, src_dir: Path) -> AuditReport | None:
    """The agency report a summary row names, or ``None`` (logged) when it cannot be read."""
    if not row.report_json or Path(row.report_json).name != row.report_json:
        logger.warning(
            LogText(
                "%s: bảng tổng hợp không ghi báo cáo JSON; giữ nguyên dòng của cơ quan",
                "%s: no JSON report in the summary; its line is kept",
            ),
            row.agency.domain,
        )
        return None
    try:
        return load_report(src_dir / row.report_json)
    except AuditorError as exc:
        logger.warning(
            LogText("%s: giữ nguyên dòng đã lưu: %s", "%s: its line is kept as saved: %s"),
            row.agency.domain,
            exc,
        )
        return None
