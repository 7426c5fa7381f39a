"""The to-do list spooled to disk during a scan: findings.csv (csv and csv-vi) byte for byte,
and the workbook's cells, the same as from the rows held in memory."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from auditor.models import Lang
from auditor.report.findings_export import FindingRow, FindingSpool, csv_text, finding_rows, headers
from auditor.report.writer import build_summary_row, summary_from_reports, write_tables
from tests.test_report_html import make_report

# text a spool must carry unchanged: line breaks, quotes, separators, formulas, Vietnamese
_ODD: FindingRow = (
    "Sở A\r\ndòng 2", "a.gov.vn", "x.rule", '"trích" ; , \t', "=cmd|' /C calc'!A0", "6", "", "",
    "Đạt", "Cao", "\u2028 \x00 ?", "http://a.gov.vn/?q=1&r=2", "+1", "@sum",
)  # fmt: skip


def _cells(path: Path) -> list[list[list[object]]]:
    book = openpyxl.load_workbook(path)
    sheets = [[[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets]
    links = [[c.hyperlink.target if c.hyperlink else None for c in row]
             for ws in book.worksheets for row in ws.iter_rows()]  # fmt: skip
    return [*sheets, links]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_spooled_rows_write_the_same_files(tmp_path: Path, lang: Lang) -> None:
    reports = [
        make_report(),
        make_report("www.angiang.gov.vn", "UBND tỉnh An Giang", total=90.0, level="province"),
        make_report("sotttt.baclieu.gov.vn", "Sở TT&TT Bạc Liêu", total=None, grade=None),
    ]
    rows = [r for report in reports for r in finding_rows(report, lang)] + [_ODD]
    summary = summary_from_reports(
        reports, [build_summary_row(r, None, f"{i}.html") for i, r in enumerate(reports)]
    )
    with FindingSpool() as spool:
        for report in reports:
            spool.add(finding_rows(report, lang))
        spool.add([_ODD])
        assert len(spool) == len(rows) and list(spool) == rows  # re-readable, in order
        for formats in ({"csv", "xlsx"}, {"csv-vi"}):
            mem, disk = tmp_path / "mem", tmp_path / "disk"
            write_tables(summary, mem, formats, lang, rows)
            write_tables(summary, disk, formats, lang, spool)
            found = (disk / "findings.csv").read_bytes()
            assert found == (mem / "findings.csv").read_bytes()
            # the text the whole-string writer produced before the rows were spooled
            before = csv_text(headers(lang), rows, "csv-vi" in formats).encode("utf-8-sig")
            assert found == before and found.count(b"\xef\xbb\xbf") == 1
            if "xlsx" in formats:
                assert _cells(disk / "summary.xlsx") == _cells(mem / "summary.xlsx")
                assert len(_cells(disk / "summary.xlsx")[2]) == 1 + len(rows)
    assert not spool._path.exists()  # the spool is removed with its folder
