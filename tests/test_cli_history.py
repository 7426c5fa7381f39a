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
    unknown = runner.invoke(
        app, ["history", "nowhere.gov.vn", "--history", str(db), "--lang", "en"]
    )
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
    result = runner.invoke(
        app, ["history", "--history", str(tmp_path / "none.sqlite"), "--lang", "en"]
    )
    assert result.exit_code == 2 and "no such database" in result.output


def test_diff_of_the_two_report_folders(two_runs: tuple[Path, Path, Path]) -> None:
    old, new, db = two_runs
    result = runner.invoke(app, ["diff", str(old), str(new / "summary.json"), "-f", "json"])
    assert result.exit_code == 0, result.output
    diff = json.loads(result.output)
    assert (diff["old"]["as_of"], diff["new"]["as_of"]) == (OLD_AS_OF, NEW_AS_OF)
    agencies = {a["domain"]: a for a in diff["agencies"]}
    assert len(agencies) == 10
    sokhdt = agencies["sokhdt.soctrang.gov.vn"]
    before = load_report(old / "sokhdt.soctrang.gov.vn.json").score.total
    after = load_report(new / "sokhdt.soctrang.gov.vn.json").score.total
    assert before is not None and after is not None
    assert sokhdt["delta"] == round(after - before, 1)
    # sokhdt has no IPv6: the NĐ 224/2026 rule in force on the later date fails there
    (ipv6,) = [f for f in sokhdt["new_failures"] if f["rule_id"] == "nat.nd224.d11k4.domain-ipv6"]
    assert (ipv6["old_status"], ipv6["new_status"]) == ("not_applicable", "fail")
    assert ipv6["citation"]["document"] == "NĐ 224/2026/NĐ-CP"
    assert ipv6["in_force_change"] == "came_into_force"
    fixed = {f["rule_id"]: f for f in sokhdt["fixed_failures"]}
    assert fixed["nat.nd42.d7k2.english"]["in_force_change"] == "went_out_of_force"
    moved = {r["rule_id"]: r["change"] for r in diff["packs"]["soctrang-2019"]}
    assert moved["nat.nd224.d11k4.domain-ipv6"] == "came_into_force"
    assert moved["nat.nd42.d7k2.english"] == "went_out_of_force"
    assert all(a["rules_in_force"] for a in diff["agencies"])

    table = runner.invoke(app, ["diff", str(old), str(new), "--lang", "en"])
    assert table.exit_code == 0
    assert "sokhdt.soctrang.gov.vn: new failure nat.nd224.d11k4.domain-ipv6" in table.output
    assert "came into force" in table.output

    # the same comparison from the history database, by run ids
    by_id = runner.invoke(
        app, ["diff", "previous", "latest", "--history", str(db), "--format", "json"]
    )
    assert by_id.exit_code == 0, by_id.output
    from_db = json.loads(by_id.output)
    assert sorted(
        (a["domain"], a["delta"], len(a["new_failures"])) for a in from_db["agencies"]
    ) == sorted((a["domain"], a["delta"], len(a["new_failures"])) for a in diff["agencies"])

    html_file = new.parent / "diff.html"
    page = runner.invoke(app, ["diff", str(old), str(new), "-f", "html", "-o", str(html_file)])
    assert page.exit_code == 0
    text = html_file.read_text(encoding="utf-8")
    assert "nat.nd224.d11k4.domain-ipv6" in text and "<script" not in text
    assert "bắt đầu có hiệu lực" in text

    missing = runner.invoke(app, ["diff", str(old), "20991231"])
    assert missing.exit_code == 2 and "--history" in missing.output
