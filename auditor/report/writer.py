"""Write an agency's report files and a scan's summary files in the requested formats."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from pathlib import Path

from auditor import __version__, hostnames
from auditor.errors import AuditorError, LogText, UsageError
from auditor.models import (
    AuditReport,
    Lang,
    ScanSummary,
    Status,
    SummaryRow,
    ToolInfo,
)
from auditor.models import t as bilingual
from auditor.report.combined import COMBINED_FORMATS
from auditor.report.csv_report import write_summary_csv
from auditor.report.findings_export import FindingRow, finding_rows, write_findings_csv
from auditor.report.html_report import write_agency_html, write_index_html
from auditor.report.json_report import load_report, write_json, write_summary_json
from auditor.report.junit_report import write_junit, write_junit_stream
from auditor.report.ordering import article_key, worst_status
from auditor.report.sarif_report import write_sarif, write_sarif_stream

logger = logging.getLogger(__name__)

KNOWN_FORMATS = frozenset({"json", "html", "csv", "csv-vi", "xlsx", "sarif", "junit"})
# the formats of the spreadsheet files: summary.csv + findings.csv, summary.xlsx
TABLE_FORMATS = frozenset({"csv", "csv-vi", "xlsx"})


def check_formats(formats: Set[str]) -> None:
    """Raise :class:`UsageError` for a format this tool cannot write."""
    unknown = set(formats) - KNOWN_FORMATS
    if unknown:
        raise UsageError(
            bilingual(
                f"không có định dạng báo cáo {sorted(unknown)}; chọn trong {sorted(KNOWN_FORMATS)}",
                f"unknown report format(s) {sorted(unknown)}; choose from {sorted(KNOWN_FORMATS)}",
            )
        )
    if {"csv", "csv-vi"} <= set(formats):
        raise UsageError(
            bilingual(
                "chọn csv hoặc csv-vi: cả hai cùng ghi summary.csv và findings.csv",
                "choose csv or csv-vi: both write summary.csv and findings.csv",
            )
        )


def report_stem(domain: str, path: str | None = None) -> str:
    """File stem of an agency's reports: the IDNA (punycode) host without ``www.``, plus the
    path of a path-based agency, safe as a file name (``www.SoCTrang.gov.vn`` →
    ``soctrang.gov.vn``; ``sở.x.gov.vn`` → ``xn--s-lym.x.gov.vn``; ``lamdong.gov.vn`` +
    ``/sites/stp/`` → ``lamdong.gov.vn_sites_stp``)."""
    return hostnames.report_stem(domain, path)


def write_agency_report(
    report: AuditReport, out_dir: Path, formats: Set[str], lang: Lang
) -> list[Path]:
    """Write ``<domain>.json``, ``.html``, ``.sarif`` and/or ``.junit.xml`` to ``out_dir``;
    returns the files written (``csv`` is a summary-only format and is ignored here)."""
    check_formats(formats)
    stem = report_stem(report.agency.domain, report.agency.path)
    files: list[Path] = []
    if "json" in formats:
        files.append(write_json(report, out_dir / f"{stem}.json"))
    if "html" in formats:
        files.append(write_agency_html(report, out_dir / f"{stem}.html", lang))
    if "sarif" in formats:
        files.append(write_sarif([report], out_dir / f"{stem}.sarif", lang))
    if "junit" in formats:
        files.append(write_junit([report], out_dir / f"{stem}.junit.xml", lang))
    return files


def write_summary(
    summary: ScanSummary,
    out_dir: Path,
    formats: Set[str],
    lang: Lang,
    reports: Sequence[AuditReport] | None = None,
    findings: Iterable[FindingRow] | None = None,
) -> list[Path]:
    """Write ``summary.json``, ``index.html``, ``summary.csv`` + ``findings.csv``,
    ``summary.xlsx``,
    ``summary.sarif`` (every agency's results in one run) and/or ``summary.junit.xml`` to
    ``out_dir``.

    ``reports`` are the agencies' reports, for the formats that combine their findings; when
    ``None`` they are read from ``out_dir`` (the rows' ``report_json``) if needed.
    ``findings`` are the rows of the to-do list (from the reports when ``None``), iterated once
    per file written (a list or a ``FindingSpool``).
    """
    check_formats(formats)
    files: list[Path] = []
    if "json" in formats:
        files.append(write_summary_json(summary, out_dir / "summary.json"))
    if "html" in formats:
        files.append(write_index_html(summary, out_dir / "index.html", lang))
    if formats & TABLE_FORMATS:
        if findings is None:
            findings = _findings_of(summary, out_dir, lang, reports)
        files.extend(write_tables(summary, out_dir, formats, lang, findings))
    if formats & COMBINED_FORMATS:
        if reports is not None:
            complete = len(reports) == len(summary.agencies)
        else:
            complete = _all_saved(summary, out_dir)
        if not complete:  # a partial SARIF upload would close the missing portals' alerts
            logger.warning(
                LogText(
                    "không ghi summary.sarif/summary.junit.xml: thiếu báo cáo của một số cơ quan",
                    "summary.sarif/summary.junit.xml not written: not every agency report is "
                    "available",
                )
            )
        else:
            try:
                files.extend(
                    write_combined(
                        (lambda: _saved_reports(summary, out_dir)) if reports is None else reports,
                        out_dir,
                        formats,
                        lang,
                    )
                )
            except AuditorError as exc:
                logger.warning(
                    LogText(
                        "không ghi summary.sarif/summary.junit.xml: %s",
                        "summary.sarif/summary.junit.xml not written: %s",
                    ),
                    exc,
                )
    return files


def write_tables(
    summary: ScanSummary,
    out_dir: Path,
    formats: Set[str],
    lang: Lang,
    findings: Iterable[FindingRow],
) -> list[Path]:
    """Write the spreadsheet files, for one agency as for many: ``summary.csv`` and
    ``findings.csv`` (``csv``; ``csv-vi``: the same for Excel with Vietnamese regional
    settings) and ``summary.xlsx`` with its "Findings" sheet (``xlsx``). ``findings`` is
    iterated once per file (a list or a ``FindingSpool``, not a one-shot iterator)."""
    files: list[Path] = []
    for fmt in ("csv", "csv-vi"):
        if fmt in formats:
            excel_vi = fmt == "csv-vi"
            files.append(write_summary_csv(summary, out_dir / "summary.csv", lang, excel_vi))
            files.append(write_findings_csv(findings, out_dir / "findings.csv", lang, excel_vi))
    if "xlsx" in formats:
        # imported here: openpyxl costs ~10 MB in the scan process, and most runs write no XLSX
        from auditor.report.xlsx_report import write_summary_xlsx

        files.append(write_summary_xlsx(summary, out_dir / "summary.xlsx", lang, findings))
    return files


def write_combined(
    reports: Sequence[AuditReport] | Callable[[], Iterable[AuditReport]],
    out_dir: Path,
    formats: Set[str],
    lang: Lang,
) -> list[Path]:
    """Write ``summary.sarif`` and/or ``summary.junit.xml``: every report in one file, taken
    one at a time (``reports`` may be a function giving a fresh iterator for each file)."""

    def each() -> Iterable[AuditReport]:
        return reports() if callable(reports) else reports

    files: list[Path] = []
    if "sarif" in formats:
        files.append(write_sarif_stream(each(), out_dir / "summary.sarif", lang))
    if "junit" in formats:
        files.append(write_junit_stream(each(), out_dir / "summary.junit.xml", lang))
    return files


def _all_saved(summary: ScanSummary, out_dir: Path) -> bool:
    """Whether every agency of ``summary`` has its JSON report in ``out_dir``."""
    for row in summary.agencies:
        name = row.report_json
        if not name or Path(name).name != name or not (out_dir / name).is_file():
            logger.warning(
                LogText("%s: không có báo cáo JSON để gộp", "%s: no JSON report to combine"),
                row.agency.domain,
            )
            return False
    return True


def _findings_of(
    summary: ScanSummary, out_dir: Path, lang: Lang, reports: Sequence[AuditReport] | None
) -> list[FindingRow]:
    """The to-do list's rows from ``reports``, else from the JSON reports saved in ``out_dir``
    (an agency without one is left out and logged)."""
    if reports is not None:
        return [row for report in reports for row in finding_rows(report, lang)]
    rows: list[FindingRow] = []
    for row in summary.agencies:
        name = row.report_json
        try:
            if not name or Path(name).name != name:
                raise AuditorError("no JSON report")
            rows.extend(finding_rows(load_report(out_dir / name), lang))
        except AuditorError as exc:
            logger.warning(
                LogText("%s: không đưa vào findings.csv: %s", "%s: left out of findings.csv: %s"),
                row.agency.domain,
                exc,
            )
    return rows


def _saved_reports(summary: ScanSummary, out_dir: Path) -> Iterator[AuditReport]:
    """The agency reports of ``summary`` saved as JSON in ``out_dir``, read one at a time."""
    for row in summary.agencies:
        yield load_report(out_dir / (row.report_json or ""))


def article_statuses(report: AuditReport) -> dict[str, Status]:
    """Worst status per article key ('Điều 6 k2') among the report's findings."""
    grouped: dict[str, list[Status]] = {}
    for f in report.findings:
        grouped.setdefault(article_key(f.citation, report.profile.document), []).append(f.status)
    out: dict[str, Status] = {}
    for key, statuses in grouped.items():
        worst = worst_status(statuses)
        if worst is not None:
            out[sys.intern(key)] = worst  # the same few keys in every row a scan keeps
    return out


def build_summary_row(
    report: AuditReport, json_name: str | None, html_name: str | None
) -> SummaryRow:
    """The agency's line in the scan summary, taken from its report (never re-scored)."""
    return SummaryRow(
        agency=report.agency,
        report_json=json_name,
        report_html=html_name,
        score=report.score.total,
        grade=report.score.grade,
        counts=dict(report.score.counts),
        statuses=article_statuses(report),
    )


def summary_from_reports(reports: Sequence[AuditReport], rows: Sequence[SummaryRow]) -> ScanSummary:
    """A scan summary for reports re-rendered together (no scan to take it from)."""
    if not reports:
        raise ValueError("no reports")
    return ScanSummary(
        tool=ToolInfo(version=__version__),
        province=None,
        profile=", ".join(sorted({r.profile.id for r in reports})),
        as_of=max(r.as_of for r in reports),
        started_at=min(r.started_at for r in reports),
        finished_at=max(r.finished_at for r in reports),
        agencies=tuple(rows),
    )
