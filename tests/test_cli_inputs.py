"""Every bad input: exit 2, a clear line (file:line where there is a file), no traceback and no
request; write errors and portals that could not be audited have exit codes of their own."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.report.files import ReportWriteError

runner = CliRunner()


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


@pytest.fixture
def listener() -> Iterator[_Listener]:
    srv = _Listener()
    yield srv
    srv.close()


def _scan(listener: _Listener, tmp_path: Path, *args: str) -> tuple[int, str]:
    """``auditor scan`` routed to the counting listener; (exit code, all output)."""
    result = runner.invoke(
        app,
        ["scan", *args, "--connect-to", f"::127.0.0.1:{listener.port}"]
        + ([] if "--out" in args else ["--out", str(tmp_path / "out")])
        + ([] if "--lang" in args else ["--lang", "en"]),  # messages asserted in English
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


REGISTRY_HEAD = "province: X\nagencies:\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (REGISTRY_HEAD + "  - " + "[" * 5000 + "]" * 5000 + "\n", 3, "nested deeper than 64"),
        ("province: X\x00\nagencies: []\n", 1, "control character U+0000"),
        (REGISTRY_HEAD + "  - {name: A\x1b, level: province, domain: a.gov.vn}\n", 3, "U+001B"),
        (
            REGISTRY_HEAD + "  - {name: A, level: province, domain: " + "a" * 64 + ".gov.vn}\n",
            3,
            "not a valid host name",
        ),
        (
            REGISTRY_HEAD + "  - {name: A, level: province, domain: " + "abc." * 70 + "vn}\n",
            3,
            "longer than 253",
        ),
        (
            REGISTRY_HEAD + "  - {name: A, level: province, domain: so-.gov.vn}\n",
            3,
            "hyphens inside",
        ),
        (REGISTRY_HEAD + "  - {name: A, level: province, domain: xn--zz.gov.vn}\n", 3, "host"),
        (REGISTRY_HEAD + "  - {name: A, level: province, domain: a_b.gov.vn}\n", 3, "host"),
        ("province: X\nprofile: no-such-pack\nagencies: []\n", 2, "unknown rule pack"),
    ],
    ids=["deep", "nul", "escape", "label", "long", "hyphen", "punycode", "underscore", "profile"],
)
def test_bad_registry_is_named_by_file_and_line(
    listener: _Listener, tmp_path: Path, text: str, line: int, message: str
) -> None:
    reg = _write(tmp_path / "reg.yaml", text)
    code, output = _scan(listener, tmp_path, "--registry", str(reg))
    assert code == 2, output
    assert f"{reg}:{line}:" in output and message in output, output
    assert listener.accepted == 0 and not (tmp_path / "out").exists()


def test_impossible_date_in_a_pack_and_a_waiver(listener: _Listener, tmp_path: Path) -> None:
    pack = _write(
        tmp_path / "pack.yaml",
        "pack:\n  id: mine\n  extends: national\n  effective_from: 2026-02-30\n",
    )
    code, output = _scan(listener, tmp_path, "soctrang.gov.vn", "--rules", str(pack))
    assert code == 2 and f"{pack}:4:" in output and "2026-02-30" in output, output
    waivers = _write(
        tmp_path / "w.yaml",
        "- rule: st.d6k2.https\n  domain: soctrang.gov.vn\n  reason: r\n  approved_by: b\n"
        "  expires: 2026-02-30\n",
    )
    code, output = _scan(listener, tmp_path, "soctrang.gov.vn", "--waivers", str(waivers))
    assert code == 2 and f"{waivers}:5:" in output and "day is out of range" in output, output
    assert listener.accepted == 0


def test_control_bytes_in_waivers(listener: _Listener, tmp_path: Path) -> None:
    waivers = _write(tmp_path / "w.yaml", "- rule: st.d6k2.https\n  domain: a\x7f.gov.vn\n")
    code, output = _scan(listener, tmp_path, "soctrang.gov.vn", "--waivers", str(waivers))
    assert code == 2 and f"{waivers}:2:" in output and "U+007F" in output, output
    assert listener.accepted == 0


def test_waiver_domain_is_checked_with_its_line(listener: _Listener, tmp_path: Path) -> None:
    waivers = _write(
        tmp_path / "w.yaml",
        "- rule: st.d6k2.https\n  domain: so-.gov.vn\n  reason: r\n  approved_by: b\n"
        "  expires: 2027-01-01\n",
    )
    code, output = _scan(listener, tmp_path, "soctrang.gov.vn", "--waivers", str(waivers))
    assert code == 2 and f"{waivers}:2:" in output and "hyphens inside" in output, output


def test_deep_json_baseline_and_report(listener: _Listener, tmp_path: Path) -> None:
    deep = _write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)
    code, output = _scan(listener, tmp_path, "soctrang.gov.vn", "--baseline", str(deep))
    assert code == 2 and "nested deeper than 64 levels" in output, output
    assert listener.accepted == 0
    result = runner.invoke(app, ["report", str(deep), "--out", str(tmp_path / "r"), "--lang", "en"])
    assert result.exit_code == 2 and "nested deeper than 64 levels" in result.output
    assert not (tmp_path / "r").exists()


def test_ca_bundle_that_is_not_pem(listener: _Listener, tmp_path: Path) -> None:
    bundle = _write(tmp_path / "ca.pem", "not a certificate\n")
    code, output = _scan(listener, tmp_path, "soctrang.gov.vn", "--ca-bundle", str(bundle))
    assert code == 2 and "--ca-bundle" in output and "PEM" in output, output
    assert listener.accepted == 0


def test_out_under_a_file(listener: _Listener, tmp_path: Path) -> None:
    blocker = _write(tmp_path / "file", "x")
    for out in (blocker, blocker / "sub"):
        code, output = _scan(listener, tmp_path, "soctrang.gov.vn", "--out", str(out))
        assert code == 2 and "--out" in output, output
    assert listener.accepted == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-pages", "0"], "--max-pages must be at least 1, not 0"),
        (["--per-host", "0"], "--per-host must be at least 1"),
        (["--timeout", "0"], "--timeout must be more than 0"),
        (["--delay", "-1"], "--delay must be at least 0"),
    ],
)
def test_flag_errors_name_the_flag(
    listener: _Listener, tmp_path: Path, args: list[str], message: str
) -> None:
    code, output = _scan(listener, tmp_path, "soctrang.gov.vn", *args)
    assert code == 2 and message in output, output
    assert "pydantic" not in output and "Input should" not in output
    assert listener.accepted == 0


def test_user_text_is_not_console_markup(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", "soctrang.gov.vn", "--connect-to", "host:abc:smile:1"])
    assert result.exit_code == 2
    assert "host:abc:smile:1" in result.output and "🔤" not in result.output
    result = runner.invoke(app, ["scan", "[bold]x[/bold].gov.vn"])
    assert result.exit_code == 2 and "[bold]x[/bold]" in result.output


def test_write_error_mid_run_has_its_exit_code(
    listener: _Listener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*_: object, **__: object) -> list[Path]:
        raise ReportWriteError("cannot write out/soctrang.gov.vn.json: No space left on device")

    monkeypatch.setattr("auditor.scan.write_agency_report", full_disk)
    code, output = _scan(listener, tmp_path, "soctrang.gov.vn", "--timeout", "2")
    assert code == 4, output
    assert "No space left on device" in output


def test_unreachable_portal_is_not_ok(tmp_path: Path) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: every connection is refused
    args = ["scan", "soctrang.gov.vn", "--connect-to", f"::127.0.0.1:{port}", "--timeout", "2"]
    result = runner.invoke(app, [*args, "-q", "--out", str(tmp_path / "q"), "--lang", "en"])
    assert result.exit_code == 3, result.output
    assert "auditor: NOT-AUDITED soctrang.gov.vn=NOT-AUDITED" in result.output
    assert " OK " not in result.output and "could not be audited" in result.output
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "v"), "--lang", "en"])
    assert result.exit_code == 3, result.output
    assert "✓" not in result.output and "not audited" in result.output
    gated = runner.invoke(app, [*args, "-q", "--fail-under", "50", "--out", str(tmp_path / "g")])
    assert gated.exit_code == 1 and "auditor: FAIL" in gated.output  # a gate failing wins


def test_deep_config_file(listener: _Listener, tmp_path: Path) -> None:
    config = _write(tmp_path / "auditor.toml", "max-pages = " + "[" * 50_000 + "]" * 50_000)
    code, output = _scan(listener, tmp_path, "soctrang.gov.vn", "--config", str(config))
    # read before --lang is parsed, yet said in the --lang en of the command line
    assert code == 2 and "nested too deeply" in output and "lồng" not in output, output
    assert listener.accepted == 0


def test_out_folder_path_is_not_markup(listener: _Listener, tmp_path: Path) -> None:
    out = tmp_path / "[bold]x[/bold]"
    code, output = _scan(listener, tmp_path, "soctrang.gov.vn", "--out", str(out), "--timeout", "1")
    assert code in (1, 3) and "[bold]x[/bold]" in output, output
