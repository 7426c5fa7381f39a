"""CI gating: --fail-under, --fail-on and --baseline, as a pure function and through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.errors import InputError
from auditor.gate import (
    GatePolicy,
    at_least,
    baseline_keys,
    evaluate,
    failures,
    load_baseline,
    parse_severity,
)
from auditor.models import AuditReport, Severity, Status
from auditor.report.json_report import write_json, write_summary_json
from auditor.report.writer import build_summary_row, summary_from_reports
from tests.test_report_html import make_report

runner = CliRunner()


def _with(report: AuditReport, rule_id: str, status: Status, severity: Severity) -> AuditReport:
    findings = tuple(
        f.model_copy(update={"status": status, "severity": severity}) if f.rule_id == rule_id else f
        for f in report.findings
    )
    return report.model_copy(update={"findings": findings})


def test_severities() -> None:
    assert at_least("critical", "high") and at_least("high", "high")
    assert not at_least("medium", "high")
    assert parse_severity(" HIGH ") == "high"
    with pytest.raises(ValueError, match="choose from info, low, medium, high, critical"):
        parse_severity("severe")


def test_no_gate_passes_and_fail_under_counts_unscored_portals() -> None:
    report = make_report()  # 72.5
    assert evaluate([report], GatePolicy()).passed
    assert evaluate([report], GatePolicy(fail_under=72.5)).passed
    below = evaluate([report], GatePolicy(fail_under=80))
    assert not below.passed
    assert tuple(r.en for r in below.reasons) == (
        "www.soctrang.gov.vn: score 72.5 < --fail-under 80",
    )
    unscored = evaluate([make_report(total=None, grade=None)], GatePolicy(fail_under=0))
    assert tuple(r.en for r in unscored.reasons) == (
        "www.soctrang.gov.vn: score no score < --fail-under 0",
    )


def test_fail_on_counts_only_failures_of_that_severity_or_worse() -> None:
    report = _with(make_report(), "st.d6k2.https", "fail", "medium")  # st.d8.title stays high
    result = evaluate([report], GatePolicy(fail_on="high"))
    assert not result.passed
    assert [f.rule_id for f in result.gating_failures] == ["st.d8.title"]
    assert tuple(r.en for r in result.reasons) == (
        "www.soctrang.gov.vn: st.d8.title failed (severity high, >= --fail-on high)",
    )
    assert evaluate([report], GatePolicy(fail_on="critical")).passed
    assert len(evaluate([report], GatePolicy(fail_on="medium")).gating_failures) == 2
    # a warning, an error or a manual item is never a failure, whatever its severity
    calm = _with(
        _with(report, "st.d6k2.https", "warn", "critical"), "st.d8.title", "error", "critical"
    )
    assert evaluate([calm], GatePolicy(fail_on="info")).passed


def test_baseline_gates_only_on_new_failures() -> None:
    old = make_report()  # fails st.d6k2.https and st.d8.title
    now = _with(make_report(), "st.d8.lang", "fail", "low")  # one new failure
    keys = baseline_keys([old])
    assert keys == {("soctrang.gov.vn", "st.d6k2.https"), ("soctrang.gov.vn", "st.d8.title")}
    assert evaluate([old], GatePolicy(baseline=keys)).passed  # nothing new
    result = evaluate([now], GatePolicy(baseline=keys))
    assert [f.rule_id for f in result.gating_failures] == ["st.d8.lang"]
    assert result.reasons[0].en.endswith("failed (severity low, new since --baseline)")
    assert evaluate([now], GatePolicy(baseline=keys, fail_on="medium")).passed
    fixed = _with(old, "st.d8.title", "pass", "high")
    assert evaluate([fixed], GatePolicy(baseline=keys)).passed  # fixing is never a failure
    other_portal = make_report("stnmt.soctrang.gov.vn")
    assert len(evaluate([other_portal], GatePolicy(baseline=keys)).gating_failures) == 2
    assert [f.domain for f in failures([now])] == ["www.soctrang.gov.vn"] * 3


def _saved(folder: Path, *reports: AuditReport) -> Path:
    rows = []
    for r in reports:
        name = f"{r.agency.domain.removeprefix('www.')}.json"
        write_json(r, folder / name)
        rows.append(build_summary_row(r, name, None))
    return write_summary_json(summary_from_reports(list(reports), rows), folder / "summary.json")


def test_baseline_from_a_report_a_summary_or_a_folder(tmp_path: Path) -> None:
    summary = _saved(tmp_path, make_report(), make_report("stnmt.soctrang.gov.vn"))
    expected = {
        (domain, rule)
        for domain in ("soctrang.gov.vn", "stnmt.soctrang.gov.vn")
        for rule in ("st.d6k2.https", "st.d8.title")
    }
    assert load_baseline(summary) == expected
    assert load_baseline(tmp_path) == expected
    assert len(load_baseline(tmp_path / "soctrang.gov.vn.json")) == 2
    (tmp_path / "stnmt.soctrang.gov.vn.json").unlink()
    with pytest.raises(InputError, match="file not found"):
        load_baseline(summary)
    with pytest.raises(InputError, match="empty: file not found"):
        load_baseline(tmp_path / "empty")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no JSON reports in this folder"):
        load_baseline(tmp_path / "empty")


def test_cli_gates_saved_reports(tmp_path: Path) -> None:
    old = tmp_path / "old"
    new = tmp_path / "new"
    old.mkdir()
    new.mkdir()
    _saved(old, make_report())
    _saved(new, _with(make_report(), "st.d8.lang", "fail", "low"))
    report = str(new / "summary.json")
    out = str(tmp_path / "o")

    def run(*flags: str) -> tuple[int, str]:
        result = runner.invoke(
            app, ["report", report, "-f", "json", "-o", out, "-q", "--lang", "en", *flags]
        )
        return result.exit_code, result.output

    assert run()[0] == 0
    code, output = run("--fail-on", "high")
    assert code == 1 and output.startswith("auditor: FAIL www.soctrang.gov.vn=72.5 → ")
    assert output.rstrip().endswith("(exit 1: 2 gate reason(s))")
    assert run("--fail-on", "high", "--baseline", str(old))[0] == 0
    code, output = run("--baseline", str(old / "summary.json"))
    assert code == 1 and "(exit 1: 1 gate reason(s))" in output
    assert run("--fail-under", "70")[0] == 0
    assert run("--fail-under", "75")[0] == 1
    code, output = run("--baseline", str(tmp_path / "nope.json"))
    assert code == 2 and "file not found" in output
    code, output = run("--fail-on", "severe")
    assert code == 2 and "--fail-on" in output
    code, output = run("--fail-under", "150")
    assert code == 2 and "between 0 and 100" in output
    loud = runner.invoke(
        app, ["report", report, "-f", "json", "-o", out, "--fail-on", "high", "--lang", "en"]
    )
    assert loud.exit_code == 1
    assert "gate: www.soctrang.gov.vn: st.d6k2.https failed" in loud.output


def test_help_documents_the_exit_codes() -> None:
    for command in ("scan", "demo", "report"):
        result = runner.invoke(app, [command, "--help", "--lang", "en"], env={"COLUMNS": "200"})
        assert result.exit_code == 0
        assert "Exit codes: 0" in result.output and "1 a gate failed" in result.output
        assert "--fail-on" in result.output and "--baseline" in result.output
        result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0
        assert "Mã thoát: 0" in result.output and "1 không đạt một ngưỡng" in result.output
