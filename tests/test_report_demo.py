"""Demo portals scanned and rendered in every format, each validated against its schema.

Three portals of the demo province (a clean provincial portal, one without HTTPS, one in a
legacy encoding) keep the test fast; `tests/test_cli.py` runs the whole demo command.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import openpyxl
import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.fixtureserver import FixtureServer
from auditor.paths import fixtures_dir
from auditor.report.json_report import load_report, report_json_schema, summary_json_schema
from tests.test_report_sarif import _validate as validate_sarif

runner = CliRunner()
FORMATS = "json,html,csv,xlsx,sarif,junit"


PORTALS = ("soctrang.gov.vn", "sokhdt.soctrang.gov.vn", "kesach.soctrang.gov.vn")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    with FixtureServer(fixtures_dir() / "sites") as srv:
        result = runner.invoke(
            app,
            [
                "scan",
                *PORTALS,
                "--registry",
                str(fixtures_dir() / "demo" / "registry.yaml"),
                "--connect-to",
                f":443:127.0.0.1:{srv.https_port}",
                "--connect-to",
                f":80:127.0.0.1:{srv.http_port}",
                "--ca-bundle",
                str(srv.ca_pem_path),
                "--as-of",
                "2026-11-20",
                "--format",
                FORMATS,
                "--out",
                str(out),
                "-q",
            ],
        )
    assert result.exit_code == 0, result.output
    return out


def _reports(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if p.name != "summary.json")


def test_every_file_is_written(demo: Path) -> None:
    stems = [p.stem for p in _reports(demo)]
    assert sorted(stems) == sorted(PORTALS)
    for stem in stems:
        for suffix in (".json", ".html", ".sarif", ".junit.xml"):
            assert (demo / f"{stem}{suffix}").is_file(), f"{stem}{suffix}"
    for name in ("index.html", "summary.json", "summary.csv", "summary.xlsx"):
        assert (demo / name).is_file()
    for name in ("summary.sarif", "summary.junit.xml"):
        assert (demo / name).is_file()


def test_json_reports_validate(demo: Path) -> None:
    validator = jsonschema.Draft202012Validator(report_json_schema())
    for path in _reports(demo):
        validator.validate(json.loads(path.read_text(encoding="utf-8")))
    summary = json.loads((demo / "summary.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(summary_json_schema()).validate(summary)


def test_sarif_validates_and_matches_the_reports(demo: Path) -> None:
    combined = json.loads((demo / "summary.sarif").read_text(encoding="utf-8"))
    validate_sarif(combined)
    failing = 0
    for path in _reports(demo):
        report = load_report(path)
        one = json.loads(path.with_suffix(".sarif").read_text(encoding="utf-8"))
        validate_sarif(one)
        expected = sum(1 for f in report.findings if f.status in ("fail", "warn"))
        assert len(one["runs"][0]["results"]) == expected, path.name
        failing += expected
    assert len(combined["runs"][0]["results"]) == failing > 0


def test_junit_counts_match_the_reports(demo: Path) -> None:
    root = ET.parse(demo / "summary.junit.xml").getroot()
    suites = {s.attrib["hostname"]: s for s in root.findall("testsuite")}
    assert len(suites) == len(PORTALS)
    for path in _reports(demo):
        report = load_report(path)
        suite = suites[report.agency.domain]
        counts = report.score.counts
        assert int(suite.attrib["tests"]) == len(report.findings)
        assert int(suite.attrib["failures"]) == counts["fail"]
        assert int(suite.attrib["errors"]) == counts["error"]
        assert int(suite.attrib["skipped"]) == counts["manual"] + counts["not_applicable"]


def test_spreadsheet_keeps_vietnamese(demo: Path) -> None:
    book = openpyxl.load_workbook(demo / "summary.xlsx")
    names = [row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert "Ủy ban nhân dân tỉnh Sóc Trăng" in names and "Huyện Kế Sách" in names
    assert len(names) == len(PORTALS)


def test_rerendering_in_english_changes_no_score(demo: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "report",
            str(demo / "summary.json"),
            "-f",
            "json,html",
            "--lang",
            "en",
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    for path in _reports(demo):
        again = load_report(tmp_path / path.name)
        assert again == load_report(path)
    assert '<html lang="en">' in (tmp_path / "index.html").read_text(encoding="utf-8")
