"""`auditor report` (re-rendering saved reports) and `auditor schema`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from auditor.cli import app
from auditor.report.json_report import load_summary, write_json, write_summary_json
from auditor.report.writer import build_summary_row, summary_from_reports
from tests.test_report_html import make_report

runner = CliRunner()
DOCS_SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "report-schema.json"


def _saved_scan(folder: Path) -> Path:
    """A scan folder as `auditor scan` leaves it: two agency JSON reports and summary.json."""
    reports = [
        make_report("soctrang.gov.vn", "Ủy ban nhân dân tỉnh Sóc Trăng", 72.5, "C"),
        make_report("stnmt.soctrang.gov.vn", "Sở Tài nguyên và Môi trường", 91.0, "A"),
    ]
    rows = []
    for r in reports:
        write_json(r, folder / f"{r.agency.domain}.json")
        rows.append(build_summary_row(r, f"{r.agency.domain}.json", None))
    return write_summary_json(summary_from_reports(reports, rows), folder / "summary.json")


def test_schema_command_prints_the_published_schema() -> None:
    result = runner.invoke(app, ["schema", "report"])
    assert result.exit_code == 0, result.output
    assert result.stdout == DOCS_SCHEMA.read_text(encoding="utf-8")
    summary = runner.invoke(app, ["schema", "summary"])
    assert summary.exit_code == 0 and '"agencies"' in summary.stdout
    bad = runner.invoke(app, ["schema", "pdf"])
    assert bad.exit_code == 2 and "không có lược đồ" in bad.output  # no --lang here: vi


def test_summary_is_re_rendered_in_english_with_its_agencies(tmp_path: Path) -> None:
    summary = _saved_scan(tmp_path / "saved")
    out = tmp_path / "en"
    result = runner.invoke(
        app,
        ["report", str(summary), "--format", "html,csv,json", "--lang", "en", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "findings.csv",
        "index.html",
        "soctrang.gov.vn.html",
        "soctrang.gov.vn.json",
        "stnmt.soctrang.gov.vn.html",
        "stnmt.soctrang.gov.vn.json",
        "summary.csv",
        "summary.json",
    ]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in index and 'href="stnmt.soctrang.gov.vn.html"' in index
    agency = (out / "soctrang.gov.vn.html").read_text(encoding="utf-8")
    assert "72.5" in agency and "Could not check" in agency
    csv = (out / "summary.csv").read_text(encoding="utf-8-sig")
    assert csv.splitlines()[1].startswith("1,Sở Tài nguyên và Môi trường,Department")
    again = load_summary(out / "summary.json")
    assert [r.score for r in again.agencies] == [72.5, 91.0]  # never re-scored
    assert again.agencies[1].report_html == "stnmt.soctrang.gov.vn.html"


def test_agency_reports_given_together_get_a_summary(tmp_path: Path) -> None:
    _saved_scan(tmp_path)
    result = runner.invoke(
        app,
        [
            "report",
            str(tmp_path / "soctrang.gov.vn.json"),
            str(tmp_path / "stnmt.soctrang.gov.vn.json"),
            "-f",
            "html",
            "-o",
            str(tmp_path / "o"),
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("auditor: OK soctrang.gov.vn=72.5 stnmt.soctrang.gov.vn=91.0")
    assert result.stdout.rstrip().endswith("(exit 0)")
    assert (tmp_path / "o" / "index.html").is_file()


def test_bad_inputs_exit_2_and_write_nothing(tmp_path: Path) -> None:
    good = _saved_scan(tmp_path).parent / "soctrang.gov.vn.json"
    broken = tmp_path / "broken.json"
    data = json.loads(good.read_text(encoding="utf-8"))
    data["findings"][0]["status"] = "failed"
    broken.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "o"
    result = runner.invoke(app, ["report", str(good), str(broken), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 2
    assert "findings[0].status" in result.output and "nothing was written" in result.output
    assert not out.exists()
    missing = runner.invoke(app, ["report", str(tmp_path / "nope.json"), "--lang", "en"])
    assert missing.exit_code == 2 and "file not found" in missing.output
    fmt = runner.invoke(
        app, ["report", str(good), "--format", "pdf", "-o", str(out), "--lang", "en"]
    )
    assert fmt.exit_code == 2 and "--format" in fmt.output
