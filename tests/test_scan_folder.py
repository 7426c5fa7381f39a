"""A scan into a folder that holds other reports rebuilds the summary from all of them (the
report just written wins), or refuses before any request when it cannot."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.fixtureserver import FixtureServer
from auditor.paths import fixtures_dir
from auditor.report.json_report import load_report, write_json

runner = CliRunner()
RESCANNED = "sokhdt.soctrang.gov.vn"
STALE = 12.3  # the score the folder's older report of RESCANNED is made to carry


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer(fixtures_dir() / "sites") as srv:
        yield srv


@pytest.fixture(scope="module")
def province(server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo province run, as an inspector's folder holds it."""
    out = tmp_path_factory.mktemp("province")
    result = runner.invoke(app, ["demo", "--out", str(out), "-f", "json,html,csv,sarif", "-q"])
    assert result.exit_code in (0, 1, 3), result.output
    return out


def _copy_with_stale_score(province: Path, dest: Path) -> Path:
    shutil.copytree(province, dest)
    path = dest / f"{RESCANNED}.json"
    old = load_report(path)
    score = old.score.model_copy(update={"total": STALE, "grade": "E"})
    write_json(old.model_copy(update={"score": score}), path)
    return dest


def _scan_one(server: FixtureServer, out: Path) -> tuple[int, str]:
    result = runner.invoke(
        app,
        [
            "scan",
            RESCANNED,
            "--registry",
            str(fixtures_dir() / "demo" / "registry.yaml"),
            "--connect-to",
            f":443:127.0.0.1:{server.https_port}",
            "--connect-to",
            f":80:127.0.0.1:{server.http_port}",
            "--ca-bundle",
            str(server.ca_pem_path),
            "--as-of",
            "2026-11-20",
            "-f",
            "json,html,csv,sarif",
            "--out",
            str(out),
            "-q",
            "--no-history",
        ],
    )
    return result.exit_code, result.output


def test_one_portal_rescanned_into_a_province_folder_rebuilds_the_summary(
    server: FixtureServer, province: Path, tmp_path: Path
) -> None:
    before = json.loads((province / "summary.json").read_text(encoding="utf-8"))
    domains = sorted(a["agency"]["domain"] for a in before["agencies"])
    assert RESCANNED in domains and len(domains) > 3
    out = _copy_with_stale_score(province, tmp_path / "out")

    code, output = _scan_one(server, out)
    assert code in (0, 1, 3), output

    fresh = load_report(out / f"{RESCANNED}.json")
    assert fresh.score.total is not None and fresh.score.total != STALE
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rows = {a["agency"]["domain"]: a for a in summary["agencies"]}
    assert sorted(rows) == domains  # every agency of the folder, each once
    assert rows[RESCANNED]["score"] == fresh.score.total  # the new report wins
    for domain, row in rows.items():
        if domain != RESCANNED:
            assert row["score"] == load_report(out / row["report_json"]).score.total
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(domain in index for domain in domains)
    with (out / "summary.csv").open(encoding="utf-8-sig") as fh:
        assert len(list(csv.reader(fh))) == len(domains) + 1
    findings = (out / "findings.csv").read_text(encoding="utf-8-sig")
    assert "kesach.soctrang.gov.vn" in findings and RESCANNED in findings
    sarif = json.loads((out / "summary.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"]) >= 1


def test_a_folder_whose_summary_cannot_be_rebuilt_is_refused(
    server: FixtureServer, province: Path, tmp_path: Path
) -> None:
    out = _copy_with_stale_score(province, tmp_path / "out")
    (out / "kesach.soctrang.gov.vn.json").unlink()  # the summary lists it, its report is gone
    before = (out / f"{RESCANNED}.json").read_bytes()
    code, output = _scan_one(server, out)
    assert code == 2, output
    assert "kesach.soctrang.gov.vn" in output
    assert "dựng lại" in output or "rebuilt" in output
    assert (out / f"{RESCANNED}.json").read_bytes() == before  # nothing was scanned
