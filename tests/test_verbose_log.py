"""``auditor scan -v``: one log line per request, with the bytes actually received."""

from __future__ import annotations

import re
import ssl
import subprocess
import sys
from collections import Counter
from pathlib import Path

import httpx

from auditor.fixtureserver import FixtureServer
from auditor.paths import fixtures_dir

_LINE = re.compile(r"^DEBUG auditor\.crawl\.fetcher: GET (\S+) -> (\d+) \(([^,)]+)")


def test_verbose_logs_each_request_once_with_its_size(tmp_path: Path) -> None:
    with FixtureServer(fixtures_dir() / "sites") as server:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "auditor",
                "scan",
                "sonnptnt.soctrang.gov.vn",
                "--connect-to",
                f":443:127.0.0.1:{server.https_port}",
                "--connect-to",
                f":80:127.0.0.1:{server.http_port}",
                "--ca-bundle",
                str(server.ca_pem_path),
                "--as-of",
                "2026-11-20",
                "--out",
                str(tmp_path),
                "-v",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        received = Counter(f"{r.scheme}://{r.host}{r.path}" for r in server.requests)
        home = "https://sonnptnt.soctrang.gov.vn/"
        with httpx.Client(verify=ssl.create_default_context(cafile=server.ca_pem_path)) as client:
            expected = len(
                client.get(
                    f"https://127.0.0.1:{server.https_port}/",
                    headers={"Host": "sonnptnt.soctrang.gov.vn"},
                    extensions={"sni_hostname": "sonnptnt.soctrang.gov.vn"},
                ).content
            )
    assert run.returncode == 0, run.stderr[-2000:]
    log = run.stderr.splitlines()
    assert not [line for line in log if "HTTP Request:" in line], "httpx's own request log leaks"
    requests = [m.groups() for line in log if (m := _LINE.match(line))]
    assert requests, run.stderr[-2000:]
    # one line per request the server answered: as many lines as requests, no more
    assert Counter(url for url, _status, _size in requests) == received
    # the page fetch tells the bytes received; the transport probes say they read no body
    home_sizes = [size for url, status, size in requests if url == home and status == "200"]
    assert f"{expected} bytes" in home_sizes
    probe_notes = {"body not read", f"body not read, Content-Length {expected}"}
    assert set(home_sizes) <= {f"{expected} bytes"} | probe_notes
    assert not [r for r in requests if r[1] == "200" and r[2] == "0 bytes"], requests
