"""summary.xlsx: two sheets, Vietnamese intact, numbers as numbers, no formula injection."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from auditor.models import Agency
from auditor.report.writer import write_summary
from auditor.report.xlsx_report import summary_workbook, write_summary_xlsx
from tests.test_report_html import make_summary


def test_league_and_grid_sheets(tmp_path: Path) -> None:
    path = write_summary_xlsx(make_summary(), tmp_path / "summary.xlsx", "vi")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Bảng xếp hạng", "Theo điều khoản"]
    league = list(book["Bảng xếp hạng"].iter_rows(values_only=True))
    assert league[0][:6] == ("Hạng", "Cơ quan", "Cấp", "Tên miền", "Điểm", "Xếp loại")
    assert league[0][-1] == "Báo cáo"
    first = league[1]
    assert first[:6] == (
        1,
        "Sở B <script>alert(5)</script>",
        "Sở, ban, ngành",
        "stnmt.soctrang.gov.vn",
        91,
        "Tốt",
    )
    assert first[7] == 2  # failures, a number
    assert len(league) == 6 and league[-1][0] is None and league[-1][4] is None  # unscored last
    sheet = book["Bảng xếp hạng"]
    assert sheet.cell(row=2, column=13).hyperlink is not None
    assert sheet.cell(row=2, column=13).hyperlink.target == "stnmt.soctrang.gov.vn.html"
    hostile = [r for r in sheet.iter_rows(min_row=2) if r[12].value == "javascript:alert(6)"]
    assert not hostile  # an unsafe report link is not written
    grid = list(book["Theo điều khoản"].iter_rows(values_only=True))
    assert grid[0][:2] == ("Cơ quan", "Tên miền") and "Điều 6 k2" in grid[0]
    col = grid[0].index("Điều 6 k2")
    assert grid[1][col] == "✗ Không đạt"


def test_text_never_becomes_a_formula_and_control_characters_go(tmp_path: Path) -> None:
    summary = make_summary()
    evil = summary.agencies[0].model_copy(
        update={
            "agency": Agency(
                name='=HYPERLINK("http://evil","x")\x07', level="department", domain="a.gov.vn"
            )
        }
    )
    summary = summary.model_copy(update={"agencies": (evil,)})
    path = write_summary_xlsx(summary, tmp_path / "s.xlsx", "en")
    book = openpyxl.load_workbook(path)
    cell = book["League table"].cell(row=2, column=2)
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://evil","x")\ufffd'
    assert book.sheetnames == ["League table", "By article"]


def test_written_with_the_summary(tmp_path: Path) -> None:
    files = write_summary(make_summary(), tmp_path, {"csv", "xlsx"}, "vi")
    assert [p.name for p in files] == ["summary.csv", "findings.csv", "summary.xlsx"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert summary_workbook(make_summary()).properties.creator == "auditor 0.1.0"
