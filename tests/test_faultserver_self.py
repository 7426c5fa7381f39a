"""The fault server itself: each host answers with its fault, the twin is healthy, every request
is recorded by Host."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faultserver import FAULTS, FOREIGN, TWIN, FaultServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultServer]:
    faults = tuple(FAULTS[n] for n in ("flapping", "ratelimit", "robotsdeny", "trap", "loop"))
    with FaultServer(tmp_path_factory.mktemp("faultself"), faults) as srv:
        yield srv


def _get(server: FaultServer, host: str, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=5)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_twin_is_healthy_and_requests_are_recorded(server: FaultServer) -> None:
    # plain HTTP redirects to HTTPS on the demo portal, as a compliant portal does
    status, headers, _ = _get(server, TWIN, "/")
    assert status == 301 and headers["Location"] == f"https://{TWIN}/"
    assert any(r.host == TWIN and r.path == "/" and r.scheme == "http" for r in server.requests)


def test_faults_answer_as_described(server: FaultServer) -> None:
    flap = FAULTS["flapping"].host
    assert [_get(server, flap, "/x")[0] for _ in range(4)] == [503, 301, 503, 301]
    limited = FAULTS["ratelimit"].host
    first = _get(server, limited, "/y")
    assert first[0] == 429 and first[1]["Retry-After"] == "1"
    assert _get(server, limited, "/y")[0] == 301
    assert b"Disallow: /" in _get(server, FAULTS["robotsdeny"].host, "/robots.txt")[2]
    assert _get(server, FAULTS["loop"].host, "/vong-a/")[1]["Location"] == "/vong-b/"
    # the trap is served over HTTPS only; plain HTTP redirects as the twin's does
    assert _get(server, FAULTS["trap"].host, "/lich/3/")[0] == 301
    assert len(server.asked(flap)) == 4


def test_content_is_the_twins_under_its_own_name(server: FaultServer, tmp_path: Path) -> None:
    host = FAULTS["flapping"].host
    sitemap = server.file(host, "/sitemap.xml") or b""
    assert f"https://{host}/".encode() in sitemap and f"//{TWIN}/".encode() not in sitemap
    assert FOREIGN not in server.hosts_asked()


def test_refused_and_stalled_ports(tmp_path: Path) -> None:
    with FaultServer(tmp_path, (FAULTS["refused"], FAULTS["tlsstall"])) as srv:
        routes = {(r.host, r.port): r.addr_port for r in srv.connect_to()}
        refused = routes[(FAULTS["refused"].host, 443)]
        assert refused is not None
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", refused), timeout=2)
        stall = routes[(FAULTS["tlsstall"].host, 443)]
        assert stall is not None
        with socket.create_connection(("127.0.0.1", stall), timeout=2) as conn:
            conn.settimeout(0.3)
            conn.sendall(b"\x16\x03\x01\x00\x05hello")
            with pytest.raises(TimeoutError):
                conn.recv(10)
