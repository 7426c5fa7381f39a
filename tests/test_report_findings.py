"""The to-do list: findings.csv and the workbook's Findings sheet, one row per finding, for one
agency as for many; the csv-vi dialect for Excel with Vietnamese regional settings."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.fixtureserver import FixtureServer
from auditor.models import Waiver
from auditor.paths import fixtures_dir
from auditor.report.findings_export import finding_rows, headers
from auditor.report.writer import build_summary_row, summary_from_reports, write_tables
from tests.test_report_html import HOSTILE_URL, make_report

runner = CliRunner()


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer(fixtures_dir() / "sites") as srv:
        yield srv


def _rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def test_one_row_per_finding_worst_first() -> None:
    report = make_report()
    fail = report.findings[0]
    waived = fail.model_copy(
        update={
            "fix": fail.title,
            "waiver": Waiver(
                rule=fail.rule_id,
                domain="*",
                reason="Đang nâng cấp máy chủ",
                approved_by="Sở TT&TT",
                expires=date(2027, 1, 31),
            ),
        }
    )
    report = report.model_copy(update={"findings": (waived, *report.findings[1:])})
    rows = finding_rows(report, "en")
    assert len(rows) == len(report.findings)
    by_rule = {r[2]: dict(zip(headers("en"), r, strict=True)) for r in rows}
    assert [r[8] for r in rows][:2] == ["Fail", "Fail"]  # worst first
    https = by_rule["st.d6k2.https"]
    assert https["Document"] == "qd-07-2019" and https["Article"] == "6"
    assert https["Clause"] == "2" and https["Severity"] == "High"
    assert https["What failed"] == "Violation st.d6k2.https — Home page served over HTTP"
    assert https["Page"] == "http://soctrang.gov.vn/"
    assert https["How to fix"] == "Rule st.d6k2.https"
    assert https["Waiver"].startswith("Đang nâng cấp máy chủ (Approved by: Sở TT&TT")
    manual = by_rule["st.d9.privacy"]
    assert manual["What failed"].startswith("To check by hand: ")
    assert by_rule["st.d8.title"]["Page"] == HOSTILE_URL
    assert by_rule["st.d8.lang"]["What failed"] == ""  # a pass has nothing to fix


def test_excel_vi_dialect_semicolons_and_decimal_comma(tmp_path: Path) -> None:
    report = make_report(total=72.5)
    summary = summary_from_reports([report], [build_summary_row(report, None, "x.html")])
    files = write_tables(summary, tmp_path, {"csv-vi"}, "vi", finding_rows(report, "vi"))
    assert [p.name for p in files] == ["summary.csv", "findings.csv"]
    league = _rows(tmp_path / "summary.csv", ";")
    assert league[1][4] == "72,5" and league[1][-1] == "x.html"
    findings = _rows(tmp_path / "findings.csv", ";")
    assert findings[0] == headers("vi") and len(findings) == 1 + len(report.findings)
    hostile = next(r for r in findings if r[2] == "st.d8.title")
    assert not any(v.startswith(("=", "+", "@")) for v in hostile)  # no formula injection


def test_csv_and_csv_vi_together_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["demo", "--out", str(tmp_path), "-f", "csv,csv-vi", "-q", "--lang", "en"]
    )
    assert result.exit_code == 2 and "choose csv or csv-vi" in result.output


def test_one_agency_scan_writes_its_csv_and_xlsx(server: FixtureServer, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "scan",
            "sokhdt.soctrang.gov.vn",
            "--name",
            "Sở Kế hoạch và Đầu tư",
            "--level",
            "department",
            "--connect-to",
            f":443:127.0.0.1:{server.https_port}",
            "--connect-to",
            f":80:127.0.0.1:{server.http_port}",
            "--ca-bundle",
            str(server.ca_pem_path),
            "--as-of",
            "2026-11-20",
            "--format",
            "json,csv,xlsx",
            "--out",
            str(tmp_path),
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "sokhdt.soctrang.gov.vn.json").read_text("utf-8"))
    failed = {f["rule_id"] for f in report["findings"] if f["status"] == "fail"}
    assert failed
    league = _rows(tmp_path / "summary.csv")
    assert len(league) == 2 and league[1][3] == "sokhdt.soctrang.gov.vn"
    assert league[1][-1] == "sokhdt.soctrang.gov.vn.json"  # no HTML asked: links the JSON
    findings = _rows(tmp_path / "findings.csv")
    assert len(findings) == 1 + len(report["findings"])
    assert {r[2] for r in findings if r[8] == "Không đạt"} == failed
    https = next(r for r in findings if r[2] == "st.d6k2.https")
    assert https[12]  # how to fix
    book = openpyxl.load_workbook(tmp_path / "summary.xlsx")
    assert book.sheetnames == ["Bảng xếp hạng", "Theo điều khoản", "Danh sách tiêu chí"]
    sheet = list(book["Danh sách tiêu chí"].iter_rows(values_only=True))
    assert list(sheet[0]) == headers("vi") and len(sheet) == len(findings)
    assert not (tmp_path / "index.html").exists()
