"""Two demo runs with different audit dates into one history: `auditor history`, the trend
charts, and `auditor diff` of the two report folders."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.report.json_report import load_report, load_summary

runner = CliRunner()
OLD_AS_OF, NEW_AS_OF = "2025-06-01", "2026-11-20"


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, Path]]:
    base = tmp_path_factory.mktemp("history")
    db = base / "history.sqlite"
    old, new = base / "old", base / "new"
    for out, as_of in ((old, OLD_AS_OF), (new, NEW_AS_OF)):
        result = runner.invoke(
            app, ["demo", "--out", str(out), "--as-of", as_of, "--history", str(db), "-q"]
        )
        assert result.exit_code == 0, result.output
    yield old, new, db


def test_history_lists_both_runs_of_an_agency(two_runs: tuple[Path, Path, Path]) -> None:
    old, new, db = two_runs
    result = runner.invoke(
        app, ["history", "soctrang.gov.vn", "--history", str(db), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    runs = json.loads(result.output)
    assert [r["as_of"] for r in runs] == [OLD_AS_OF, NEW_AS_OF]
    for run, folder in zip(runs, (old, new), strict=True):
        report = load_report(folder / "soctrang.gov.vn.json")
        assert report.run is not None and run["run_id"] == report.run.run_id
        assert run["score"] == report.score.total and run["grade"] == report.score.grade
    table = runner.invoke(app, ["history", "soctrang.gov.vn", "--history", str(db)])
    assert table.exit_code == 0 and runs[0]["run_id"] in table.output
    province = runner.invoke(app, ["history", "--history", str(db), "--format", "json"])
    rows = json.loads(province.output)
    assert [(r["as_of"], r["agencies"], r["status"]) for r in rows] == [
        (OLD_AS_OF, 10, "complete"),
        (NEW_AS_OF, 10, "complete"),
    ]
    unknown = runner.invoke(app, ["history", "nowhere.gov.vn", "--history", str(db)])
    assert unknown.exit_code == 2 and "not in the history" in unknown.output


def test_the_second_run_charts_the_first(two_runs: tuple[Path, Path, Path]) -> None:
    old, new, _ = two_runs
    report = load_report(new / "sokhdt.soctrang.gov.vn.json")
    before = load_report(old / "sokhdt.soctrang.gov.vn.json")
    assert [p.score for p in report.trend] == [before.score.total]
    page = (new / "sokhdt.soctrang.gov.vn.html").read_text(encoding="utf-8")
    assert page.count("<circle") == 2 and "<script" not in page.split("</figure>")[0]
    assert "01/06/2025" in page and "Điểm qua các lần đánh giá" in page
    summary = load_summary(new / "summary.json")
    assert len(summary.trend) == 1 and summary.trend[0].as_of.isoformat() == OLD_AS_OF
    assert (new / "index.html").read_text(encoding="utf-8").count("<circle") == 2
    # the first run had nothing to compare with: no chart
    assert "<circle" not in (old / "sokhdt.soctrang.gov.vn.html").read_text(encoding="utf-8")


def test_history_of_a_missing_database_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["history", "--history", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 2 and "no such database" in result.output
