"""summary.csv: the league table for spreadsheets (UTF-8 with BOM so Excel shows Vietnamese)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from auditor.models import STATUSES, Lang, ScanSummary
from auditor.report.files import write_text_atomic
from auditor.report.i18n import level_label, status_label, ui
from auditor.report.ordering import rank_rows

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def summary_csv_text(summary: ScanSummary, lang: Lang = "vi", excel_vi: bool = False) -> str:
    """The league table as CSV text (without BOM): rank, agency, level, domain, score, grade,
    one count column per status, then the agency's report file (HTML, else JSON).

    ``excel_vi``: semicolons and a decimal comma, as Excel with Vietnamese regional settings
    reads them."""
    buf = io.StringIO()
    out = csv.writer(buf, delimiter=";" if excel_vi else ",", lineterminator="\r\n")
    out.writerow(
        [ui(k, lang) for k in ("rank", "agency", "level", "domain", "score", "grade")]
        + [status_label(s, lang) for s in STATUSES]
        + [ui("report", lang)]
    )
    for rank, row in rank_rows(summary.agencies):
        out.writerow(
            [
                "" if rank is None else str(rank),
                _cell(row.agency.name),
                level_label(row.agency.level, lang),
                _cell(row.agency.address),
                _score(row.score, excel_vi),
                _cell(row.grade or ""),
            ]
            + [str(row.counts.get(s, 0)) for s in STATUSES]
            + [_cell(row.report_html or row.report_json or "")]
        )
    return buf.getvalue()


def _score(value: float | None, excel_vi: bool) -> str:
    if value is None:
        return ""
    text = f"{value:.1f}"
    return text.replace(".", ",") if excel_vi else text


def write_summary_csv(
    summary: ScanSummary, path: Path, lang: Lang = "vi", excel_vi: bool = False
) -> Path:
    """Write ``summary.csv`` (UTF-8 with BOM) to ``path``."""
    text = summary_csv_text(summary, lang, excel_vi)
    return write_text_atomic(path, text, encoding="utf-8-sig")
