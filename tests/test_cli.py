"""The command line: exit codes, input errors before any request, staging scans by --connect-to."""

from __future__ import annotations

import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.fixtureserver import FixtureServer
from auditor.paths import fixtures_dir, rules_dir

runner = CliRunner()


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer(fixtures_dir() / "sites") as srv:
        yield srv


def _staging_flags(srv: FixtureServer) -> list[str]:
    """The flags an agency would pass to audit a staging host under its final name."""
    return [
        "--connect-to",
        f":443:127.0.0.1:{srv.https_port}",
        "--connect-to",
        f":80:127.0.0.1:{srv.http_port}",
        "--ca-bundle",
        str(srv.ca_pem_path),
    ]


class _Listener:
    """A loopback socket that counts connections: proof that nothing was fetched."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def test_scan_of_one_portal_through_connect_to(server: FixtureServer, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "scan",
            "soctrang.gov.vn",
            *_staging_flags(server),
            "--as-of",
            "2026-11-20",
            "--out",
            str(tmp_path),
            "-q",
            "--fail-under",
            "90",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "auditor: OK soctrang.gov.vn=100.0" in result.output
    data = json.loads((tmp_path / "soctrang.gov.vn.json").read_text(encoding="utf-8"))
    assert data["profile"]["id"] == "soctrang-2019"  # chosen from the domain
    assert data["agency"]["level"] == "province"
    assert (tmp_path / "soctrang.gov.vn.html").is_file()
    assert not (tmp_path / "index.html").exists()  # one agency: no province summary


def test_fail_under_gates_with_exit_1(server: FixtureServer, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "scan",
            "sonnptnt.soctrang.gov.vn",
            *_staging_flags(server),
            "--as-of",
            "2026-11-20",
            "--name",
            "Sở Nông nghiệp và Phát triển nông thôn",
            "--level",
            "department",
            "--out",
            str(tmp_path),
            "-q",
            "--fail-under",
            "99",
        ],
    )
    assert result.exit_code == 1, result.output
    assert "auditor: FAIL sonnptnt.soctrang.gov.vn=" in result.output


def test_bad_registry_stops_before_any_request(tmp_path: Path) -> None:
    bad = tmp_path / "registry.yaml"
    bad.write_text(
        "province: Sóc Trăng\nagencies:\n"
        "  - {name: A, level: county, domain: a.soctrang.gov.vn}\n"
        "  - {name: B, level: department, domain: b.soctrang.gov.vn, parent: x.soctrang.gov.vn}\n",
        encoding="utf-8",
    )
    listener = _Listener()
    try:
        result = runner.invoke(
            app,
            [
                "scan",
                "--registry",
                str(bad),
                "--connect-to",
                f"::127.0.0.1:{listener.port}",
                "--out",
                str(tmp_path / "out"),
            ],
        )
    finally:
        listener.close()
    assert result.exit_code == 2
    assert f"{bad}:3:" in result.output and "level" in result.output
    assert f"{bad}:4:" in result.output and "x.soctrang.gov.vn" in result.output
    assert listener.accepted == 0
    assert not (tmp_path / "out").exists()


def test_bad_rule_pack_stops_before_any_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "rules").mkdir(parents=True)
    shutil.copy(rules_dir() / "sections.yaml", home / "rules" / "sections.yaml")
    pack = (rules_dir() / "soctrang-2019.yaml").read_text(encoding="utf-8")
    pack = pack.replace("check: {utf8_decodes: {}}", "check: {utf8_decodez: {}}", 1)
    pack = pack.replace("check: {hsts: {}}", "check: {hsts: {max_age_days: many}}", 1)
    (home / "rules" / "soctrang-2019.yaml").write_text(pack, encoding="utf-8")
    monkeypatch.setenv("AUDITOR_HOME", str(home))
    listener = _Listener()
    try:
        result = runner.invoke(
            app, ["scan", "soctrang.gov.vn", "--connect-to", f"::127.0.0.1:{listener.port}"]
        )
    finally:
        listener.close()
    assert result.exit_code == 2, result.output
    assert "utf8_decodez" in result.output and "hsts" in result.output
    assert "soctrang-2019.yaml:" in result.output
    assert listener.accepted == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan"], "TARGET"),
        (["scan", "soctrang.gov.vn", "--connect-to", "nonsense"], "--connect-to"),
        (["scan", "soctrang.gov.vn", "--as-of", "20/11/2026"], "--as-of"),
        (["scan", "soctrang.gov.vn", "--format", "pdf"], "format"),
        (["scan", "soctrang.gov.vn", "--lang", "fr"], "--lang"),
        (["scan", "soctrang.gov.vn", "--level", "county"], "--level"),
        (["scan", "ftp://soctrang.gov.vn/"], "URL"),
        (["scan", "example.org", "--profile", "no-such-pack"], "no-such-pack"),
        (["scan", "soctrang.gov.vn", "--dns-server", "1.2.3.4:99999"], "--dns-server"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_demo_command_scans_the_bundled_province(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--out", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert "auditor: OK soctrang.gov.vn=100.0" in result.output
    assert (tmp_path / "index.html").is_file() and (tmp_path / "summary.json").is_file()
    assert len(list(tmp_path.glob("*.soctrang.gov.vn.json"))) == 9


def test_help_texts_are_plain_language() -> None:
    result = runner.invoke(app, ["scan", "--help"])
    assert result.exit_code == 0
    for flag in ("--registry", "--connect-to", "--ca-bundle", "--as-of", "--fail-under"):
        assert flag in result.output


def test_custom_pack_extends_ours(server: FixtureServer, tmp_path: Path) -> None:
    example = rules_dir() / "examples" / "inspectorate.yaml"
    result = runner.invoke(
        app,
        [
            "scan",
            "phuong2.thanhpho.soctrang.gov.vn",
            *_staging_flags(server),
            "--as-of",
            "2026-11-20",
            "--rules",
            str(example),
            "--out",
            str(tmp_path),
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "phuong2.thanhpho.soctrang.gov.vn.json").read_text("utf-8"))
    assert data["profile"]["id"] == "inspectorate-soctrang-2026"
    findings = {f["rule_id"]: f for f in data["findings"]}
    assert "st.d6k2.hsts" not in findings  # retired with a reason
    assert findings["ttr.2026.tls"]["status"] == "pass"  # added from a primitive
    assert findings["st.d17k1a.news-fresh"]["severity"] == "high"  # overridden
    assert findings["st.d17k1a.news-fresh"]["status"] == "fail"
    assert {"st.d6k2.https", "st.d5k1d.domain-commune"} <= set(findings)  # inherited


def test_rules_and_profile_together_is_a_usage_error() -> None:
    example = rules_dir() / "examples" / "inspectorate.yaml"
    result = runner.invoke(
        app, ["scan", "soctrang.gov.vn", "--rules", str(example), "--profile", "soctrang-2019"]
    )
    assert result.exit_code == 2 and "--rules" in result.output
