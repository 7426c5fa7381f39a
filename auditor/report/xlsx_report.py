"""summary.xlsx: the league table and the agencies × articles compliance grid, for officials
who work in spreadsheets. Vietnamese text is stored as is (xlsx is UTF-8 XML); text from
scanned portals or the registry never becomes a formula and loses the characters XML cannot hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from auditor.models import STATUSES, Lang, ScanSummary, Status
from auditor.models import t as bilingual
from auditor.report.files import ReportWriteError
from auditor.report.findings_export import COLUMNS, PAGE_COLUMN, FindingRow, headers
from auditor.report.i18n import STATUS_MARKS, level_label, status_label, ui
from auditor.report.links import safe_href, safe_report_link
from auditor.report.ordering import article_key_sort, rank_rows

# Soft fills per status (never the only cue: each cell also has its mark and label).
_FILLS: dict[Status, str] = {
    "pass": "D9F2D9",
    "fail": "F8D0D0",
    "warn": "FCEBC2",
    "error": "E2D5F0",
    "manual": "D6E6F5",
    "not_applicable": "EEEEEE",
}
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _text(value: str) -> str:
    """``value`` without the control characters an xlsx file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)


def _put(ws: Worksheet, row: int, col: int, value: str | float | int | None) -> None:
    """Write one cell; a string is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"  # "=cmd|…" from a page title stays text
    else:
        cell.value = value


def _header(ws: Worksheet, titles: list[str]) -> None:
    for col, title in enumerate(titles, start=1):
        _put(ws, 1, col, title)
        ws.cell(row=1, column=col).font = _BOLD
        ws.cell(row=1, column=col).alignment = _WRAP
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}1"


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _league(ws: Worksheet, summary: ScanSummary, lang: Lang) -> None:
    ws.title = ui("league", lang)
    titles = [ui(k, lang) for k in ("rank", "agency", "level", "domain", "score", "grade")]
    titles += [status_label(s, lang) for s in STATUSES]
    titles.append(ui("report", lang))
    _header(ws, titles)
    for r, (rank, row) in enumerate(rank_rows(summary.agencies), start=2):
        values: list[str | float | int | None] = [
            rank,
            row.agency.name,
            level_label(row.agency.level, lang),
            row.agency.address,
            row.score,
            row.grade or "",
        ]
        values += [row.counts.get(s, 0) for s in STATUSES]
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value)
        ws.cell(row=r, column=5).number_format = "0.0"
        link = safe_report_link(row.report_html or row.report_json)
        if link is not None:
            cell = ws.cell(row=r, column=len(values) + 1)
            _put(ws, r, len(values) + 1, link)
            cell.hyperlink = link
            cell.style = "Hyperlink"
    _widths(ws, [7, 42, 18, 32, 8, 9] + [11] * len(STATUSES) + [34])


def _grid(ws: Worksheet, summary: ScanSummary, lang: Lang) -> None:
    ws.title = ui("grid_short", lang)
    columns = sorted({k for row in summary.agencies for k in row.statuses}, key=article_key_sort)
    _header(ws, [ui("agency", lang), ui("domain", lang), *columns])
    for r, (_, row) in enumerate(rank_rows(summary.agencies), start=2):
        _put(ws, r, 1, row.agency.name)
        _put(ws, r, 2, row.agency.address)
        for c, key in enumerate(columns, start=3):
            status = row.statuses.get(key)
            if status is None:
                continue
            _put(ws, r, c, f"{STATUS_MARKS[status]} {status_label(status, lang)}")
            ws.cell(row=r, column=c).fill = PatternFill("solid", fgColor=_FILLS[status])
    _widths(ws, [42, 32] + [14] * len(columns))


def _findings(ws: Worksheet, rows: Iterable[FindingRow], lang: Lang) -> None:
    ws.title = ui("findings_sheet", lang)
    _header(ws, headers(lang))
    page_col = COLUMNS.index(PAGE_COLUMN) + 1
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            _put(ws, r, c, value)
            ws.cell(row=r, column=c).alignment = _WRAP
        href = safe_href(row[page_col - 1])
        if href is not None:
            ws.cell(row=r, column=page_col).hyperlink = href
    _widths(ws, [32, 26, 26, 40, 22, 8, 7, 6, 14, 11, 60, 40, 60, 30])


def summary_workbook(
    summary: ScanSummary, lang: Lang = "vi", findings: Iterable[FindingRow] | None = None
) -> Workbook:
    """The workbook: the league table, the compliance grid and (given ``findings``) the
    to-do list, one row per finding."""
    book = Workbook()
    league = book.active
    assert league is not None  # a new workbook has one sheet
    _league(league, summary, lang)
    _grid(book.create_sheet(), summary, lang)
    if findings is not None:
        _findings(book.create_sheet(), findings, lang)
    book.properties.title = ui("index_title", lang)
    book.properties.creator = f"{summary.tool.name} {summary.tool.version}"
    return book


def write_summary_xlsx(
    summary: ScanSummary,
    path: Path,
    lang: Lang = "vi",
    findings: Iterable[FindingRow] | None = None,
) -> Path:
    """Write ``summary.xlsx`` to ``path`` (through a temporary file, then renamed)."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        summary_workbook(summary, lang, findings).save(tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        why = exc.strerror or exc
        raise ReportWriteError(
            bilingual(f"không ghi được {path}: {why}", f"cannot write {path}: {why}")
        ) from exc
    return path
