"""Agency reports already in an output folder: a scan into it rebuilds the summary
(``summary.json``, ``index.html``, CSV/XLSX, ``findings.csv``, combined SARIF/JUnit) from every
agency report there, the ones just written winning over older ones of the same agency.

Earlier reports are read one at a time: only their summary rows stay in memory, their to-do
rows and combined-format copies go to the scan's disk spools. When the folder holds a summary
whose agency reports cannot be read back, the scan is refused before any request
(:func:`check_rebuildable`): a summary that silently dropped them would mislead.
"""

from __future__ import annotations

import logging
from collections.abc import Set
from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import AuditorError, LogText, UsageError
from auditor.models import Lang, SummaryRow, t
from auditor.report.combined import CombinedSpool
from auditor.report.findings_export import FindingSpool, finding_rows
from auditor.report.json_report import load_report, load_summary
from auditor.report.writer import build_summary_row

logger = logging.getLogger(__name__)

SUMMARY_JSON = "summary.json"
NOT_REPORTS = frozenset({SUMMARY_JSON, "findings.json"})


def report_files(out_dir: Path) -> list[Path]:
    """The ``*.json`` files of ``out_dir`` that may be agency reports (names only: cheap)."""
    if not out_dir.is_dir():
        return []
    return sorted(p for p in out_dir.glob("*.json") if p.name not in NOT_REPORTS and p.is_file())


def check_rebuildable(out_dir: Path, scanned: Set[str]) -> None:
    """Refuse (:class:`UsageError`) a scan into ``out_dir`` when the summary there lists
    agencies, other than the ``scanned`` keys, whose JSON report is not in the folder: the new
    summary could not include them. Reads ``summary.json`` only, before any request."""
    path = out_dir / SUMMARY_JSON
    if not path.is_file():
        return
    try:
        summary = load_summary(path)
    except AuditorError as exc:
        raise UsageError(
            t(
                f"--out {out_dir}: tệp tổng hợp cũ không đọc được nên không dựng lại được bảng "
                f"tổng hợp ({exc}); hãy quét vào thư mục khác hoặc xóa {path.name}",
                f"--out {out_dir}: the earlier summary cannot be read, so the summary cannot be "
                f"rebuilt ({exc}); scan into another folder or remove {path.name}",
            )
        ) from None
    missing = [
        row.agency.address
        for row in summary.agencies
        if row.agency.key not in scanned
        and not (
            row.report_json
            and Path(row.report_json).name == row.report_json
            and (out_dir / row.report_json).is_file()
        )
    ]
    if missing:
        names = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
        raise UsageError(
            t(
                f"--out {out_dir}: thư mục có bảng tổng hợp của {len(missing)} cơ quan không còn "
                f"báo cáo JSON ({names}) nên không dựng lại được bảng tổng hợp; hãy quét vào thư "
                "mục khác (hoặc quét lại các cơ quan đó với --format có json)",
                f"--out {out_dir}: the folder's summary lists {len(missing)} agencies whose JSON "
                f"report is gone ({names}), so the summary cannot be rebuilt; scan into another "
                "folder (or scan those agencies again with json in --format)",
            )
        )


@dataclass
class EarlierReports:
    """What the folder's earlier agency reports bring to the summary."""

    rows: list[SummaryRow] = field(default_factory=list)
    profiles: set[str] = field(default_factory=set)


def fold_in(
    files: list[Path],
    scanned: Set[str],
    lang: Lang,
    combined: CombinedSpool,
    findings: FindingSpool | None,
    first_position: int,
) -> EarlierReports:
    """Read the earlier report ``files`` one at a time; those of agencies not ``scanned`` now
    give their summary row and go to the ``combined`` and ``findings`` spools. A file that is
    not an agency report is left alone (and logged)."""
    found = EarlierReports()
    for path in files:
        try:
            report = load_report(path)
        except AuditorError as exc:
            logger.warning(
                LogText(
                    "%s: không phải báo cáo cơ quan, không đưa vào bảng tổng hợp (%s)",
                    "%s: not an agency report, left out of the summary (%s)",
                ),
                path,
                exc,
            )
            continue
        if report.agency.key in scanned:
            continue  # written by this scan (or overwritten by it): the new report wins
        html = path.with_suffix(".html")
        found.rows.append(
            build_summary_row(report, path.name, html.name if html.is_file() else None)
        )
        found.profiles.add(report.profile.id)
        combined.add(first_position + len(found.rows), report)
        if findings is not None:
            findings.add(finding_rows(report, lang))
        del report
    if found.rows:
        logger.info(
            LogText(
                "%d báo cáo có sẵn trong thư mục được đưa vào bảng tổng hợp",
                "%d earlier report(s) in the folder join the summary",
            ),
            len(found.rows),
        )
    return found
