"""SIGINT and SIGTERM stop a scan cleanly: the portals finished by then keep their reports,
the summary says "interrupted: N of M", the exit code is 130 or 143, and no traceback shows.

A real ``auditor scan`` process audits two demo portals served on loopback and a third whose
server accepts connections and never answers, so the scan is still running when the signal
comes and what is finished is known.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.fixtureserver import FixtureServer
from auditor.paths import fixtures_dir

FINISHING = ("soctrang.gov.vn", "sotttt.soctrang.gov.vn")
HANGING = "treo.soctrang.gov.vn"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer(fixtures_dir() / "sites") as fixture:
        yield fixture


@pytest.fixture()
def blackhole() -> Iterator[int]:
    """A port whose connections are accepted by the kernel and never answered."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def _scan(server: FixtureServer, hole: int, out: Path, lang: str) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "auditor", "scan", *FINISHING, HANGING]
    for port in (443, 80):
        args += ["--connect-to", f"{HANGING}:{port}:127.0.0.1:{hole}"]
    for rule in server.connect_to():
        args += ["--connect-to", f":{rule.port}:{rule.addr}:{rule.addr_port}"]
    args += ["--ca-bundle", str(server.ca_pem_path), "--dns-server", server.dns_server]
    args += ["--as-of", "2026-11-20", "--max-pages", "4", "--timeout", "120"]
    args += ["--lang", lang, "--out", str(out), "--format", "json,html,csv,sarif"]
    env = dict(os.environ, PYTHONPATH=str(REPO), COLUMNS="200")
    return subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
        start_new_session=True,  # its own process group, with its judging workers
    )


def _lines(stream: object) -> tuple[queue.Queue[str], threading.Thread]:
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:  # type: ignore[attr-defined]
            lines.put(line)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return lines, thread


@pytest.mark.parametrize(
    ("signum", "name", "code", "lang"),
    [(signal.SIGINT, "SIGINT", 130, "en"), (signal.SIGTERM, "SIGTERM", 143, "vi")],
)
def test_signal_stops_the_scan_with_a_summary_of_the_finished_portals(
    server: FixtureServer,
    blackhole: int,
    tmp_path: Path,
    signum: int,
    name: str,
    code: int,
    lang: str,
) -> None:
    out = tmp_path / "reports"
    proc = _scan(server, blackhole, out, lang)
    errors, pump = _lines(proc.stderr)
    seen: list[str] = []
    done: set[str] = set()
    try:
        while done != set(FINISHING):
            line = errors.get(timeout=240)
            seen.append(line)
            if line.startswith("✓"):
                done.add(line.split()[1].rstrip(":"))
        if signum == signal.SIGTERM:  # as CI cancels a job: the whole process group
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
        proc.wait(timeout=120)  # stdout is a few lines: the pipe cannot fill
        stdout = proc.stdout.read() if proc.stdout else ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    pump.join(30)
    while not errors.empty():
        seen.append(errors.get())
    stderr = "".join(seen)
    assert ("Stopping" if lang == "en" else "Đang dừng") in stderr
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and "Traceback" not in stdout
    if lang == "en":
        assert f"interrupted ({name}): 2 of 3 portals audited" in stderr
    else:
        assert f"bị dừng ({name}): đã đánh giá 2/3 cổng" in stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] == {"signal": name, "finished": 2, "planned": 3}
    assert {row["agency"]["domain"] for row in summary["agencies"]} == set(FINISHING)
    for domain in FINISHING:
        report = json.loads((out / f"{domain}.json").read_text(encoding="utf-8"))
        assert report["agency"]["domain"] == domain and report["findings"]
    assert not (out / f"{HANGING}.json").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert ("Interrupted" if lang == "en" else "Quét bị dừng") in index
    assert "2/3" in index or "2 of 3" in index
    # a partial SARIF log would close the alerts of the portals left out
    assert not (out / "summary.sarif").exists()
    assert (out / "soctrang.gov.vn.sarif").exists()
    assert not list(out.glob(".*.tmp"))
