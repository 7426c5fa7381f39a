"""summary.csv: BOM, Vietnamese text, ranking, formula neutralisation."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from auditor.models import SummaryRow
from auditor.report.csv_report import summary_csv_text, write_summary_csv
from tests.test_report_html import make_summary


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_csv_has_bom_and_vietnamese(tmp_path: Path) -> None:
    path = write_summary_csv(make_summary(), tmp_path / "summary.csv", "vi")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = _rows(path)
    assert rows[0][:6] == ["Hạng", "Cơ quan", "Cấp", "Tên miền", "Điểm", "Xếp loại"]
    assert rows[0][6:] == [
        "Đạt",
        "Không đạt",
        "Cảnh báo",
        "Không áp dụng",
        "Cần kiểm tra thủ công",
        "Lỗi kiểm tra",
        "Báo cáo",
    ]
    assert "Sở, ban, ngành" in raw.decode("utf-8")  # Vietnamese bytes intact
    assert raw.count(b"\xef\xbb\xbf") == 1


def test_csv_ranks_by_score(tmp_path: Path) -> None:
    rows = _rows(write_summary_csv(make_summary(), tmp_path / "summary.csv", "vi"))[1:]
    assert [r[0] for r in rows] == ["1", "2", "2", "4", ""]
    assert [r[3] for r in rows] == [
        "stnmt.soctrang.gov.vn",
        "www.soctrang.gov.vn",
        "www.soctrang.gov.vn",
        "ubnd.soctrang.gov.vn",
        "xa.soctrang.gov.vn",
    ]
    assert rows[0][4:6] == ["91.0", "Tốt"]
    assert rows[4][2] == "Cấp xã" and rows[4][4] == ""
    assert rows[1][6:12] == ["2", "2", "1", "1", "1", "1"]


def test_csv_english_and_formula_neutralised() -> None:
    summary = make_summary()
    evil = summary.agencies[0].agency.model_copy(update={"name": '=HYPERLINK("x")'})
    row: SummaryRow = summary.agencies[0].model_copy(update={"agency": evil})
    summary = summary.model_copy(update={"agencies": (row,)})
    text = summary_csv_text(summary, "en")
    assert text.startswith("Rank,Agency,Level,Domain,Score,Grade,Pass,Fail,")
    assert "'=HYPERLINK" in text and "\r\n" in text
