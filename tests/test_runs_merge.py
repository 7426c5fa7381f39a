"""Shards as separate processes, merged, equal one whole run; merge refuses mixed plans."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.models import ScanSummary
from auditor.report.json_report import (
    load_any,
    load_report,
    load_summary,
    write_json,
    write_summary_json,
)

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def _auditor(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "auditor", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("shards")
    procs = [
        _auditor("demo", "--out", str(base / "whole"), "-q"),
        _auditor("demo", "--shard", "1/2", "--out", str(base / "s1"), "-q"),
        _auditor("demo", "--shard", "2/2", "--out", str(base / "s2"), "-q"),
    ]
    for proc in procs:
        _, errors = proc.communicate(timeout=600)
        assert proc.returncode == 0, errors
    yield base


def test_merged_shards_equal_the_whole_run(runs: Path) -> None:
    one = {r.agency.domain for r in load_summary(runs / "s1" / "summary.json").agencies}
    two = {r.agency.domain for r in load_summary(runs / "s2" / "summary.json").agencies}
    assert one and two and not one & two
    assert abs(len(one) - len(two)) <= 1

    result = runner.invoke(
        app, ["merge", str(runs / "s1"), str(runs / "s2"), "--out", str(runs / "m")]
    )
    assert result.exit_code == 0, result.output
    whole = load_summary(runs / "whole" / "summary.json")
    merged = load_summary(runs / "m" / "summary.json")

    def scores(summary: ScanSummary) -> dict[str, tuple[float | None, str | None, object]]:
        return {r.agency.domain: (r.score, r.grade, r.counts) for r in summary.agencies}

    assert scores(merged) == scores(whole)
    assert {r.agency.domain: r.statuses for r in merged.agencies} == {
        r.agency.domain: r.statuses for r in whole.agencies
    }
    assert merged.as_of == whole.as_of and merged.province == whole.province
    assert merged.run is not None and whole.run is not None
    assert merged.run.settings_digest == whole.run.settings_digest
    assert merged.run.packs == whole.run.packs
    for row in merged.agencies:
        assert row.report_json and (runs / "m" / row.report_json).is_file()
        assert row.report_html and (runs / "m" / row.report_html).is_file()
        assert load_report(runs / "m" / row.report_json).score.total == row.score
    assert "<table" in (runs / "m" / "index.html").read_text(encoding="utf-8")

    # one history: the merged run with every agency; the shard runs behind it
    history = runner.invoke(
        app, ["history", "--history", str(runs / "m" / "history.sqlite"), "-f", "json"]
    )
    assert history.exit_code == 0, history.output
    (run,) = json.loads(history.output)
    assert (run["command"], run["agencies"], run["status"]) == ("merge", 10, "complete")
    agency = runner.invoke(
        app,
        ["history", "kesach.soctrang.gov.vn", "--history", str(runs / "m" / "history.sqlite")],
    )
    assert agency.exit_code == 0 and run["run_id"] in agency.output


def _altered(
    src: Path, dst: Path, as_of: date | None = None, settings_digest: str | None = None
) -> Path:
    """A copy of the shard folder ``src`` as if another plan had written it."""
    shutil.copytree(src, dst)
    for path in dst.glob("*.json"):
        item = load_any(path)
        run = item.run
        if run is not None and settings_digest is not None:
            run = run.model_copy(update={"settings_digest": settings_digest})
        changed = item.model_copy(update={"run": run, "as_of": as_of or item.as_of})
        if isinstance(changed, ScanSummary):
            write_summary_json(changed, path)
        else:
            write_json(changed, path)
    return dst


def test_merge_refuses_another_plan_or_the_same_agency_twice(runs: Path, tmp_path: Path) -> None:
    later = _altered(runs / "s2", tmp_path / "later", as_of=date(2026, 11, 21))
    mixed = runner.invoke(
        app, ["merge", str(runs / "s1"), str(later), "--out", str(tmp_path / "m"), "--lang", "en"]
    )
    assert mixed.exit_code == 2
    assert "audit date 2026-11-21 differs" in mixed.output
    assert not (tmp_path / "m").exists()  # nothing written

    other = _altered(runs / "s2", tmp_path / "other", settings_digest="0" * 64)
    settings = runner.invoke(
        app, ["merge", str(runs / "s1"), str(other), "--out", str(tmp_path / "m1"), "--lang", "en"]
    )
    assert settings.exit_code == 2 and "different settings" in settings.output

    twice = runner.invoke(
        app,
        [
            "merge",
            str(runs / "s1"),
            str(runs / "s1"),
            "--out",
            str(tmp_path / "m2"),
            "--lang",
            "en",
        ],
    )
    assert twice.exit_code == 2 and "in both" in twice.output
