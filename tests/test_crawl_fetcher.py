"""The fetcher against real loopback servers: redirects, caps, failures as facts, TLS facts."""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpx
import pytest

from auditor.config import ConnectTo, CrawlSettings
from auditor.crawl import fetcher as fetcher_module
from auditor.crawl.failures import describe
from auditor.crawl.fetcher import MAX_REDIRECTS, Fetcher
from auditor.models import PageSnapshot, RedirectHop, TransportProbe
from auditor.page import Page
from tests.test_crawl_support import (
    Reply,
    Routes,
    Sites,
    html,
    make_pki,
    raw_server,
    read_request,
    redirect,
    reset,
    serve,
)

KESACH = (
    Path(__file__).resolve().parents[1]
    / "auditor/data/fixtures/sites/kesach.soctrang.gov.vn/index.html"
)
HSTS = "max-age=31536000; includeSubDomains"


class _Flaky:
    """503 on the first request, then 200."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        self.calls += 1
        status, body = (503, b"busy") if self.calls == 1 else (200, b"<html>ok</html>")
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


FLAKY = _Flaky()

ROUTES: dict[str, Reply | Callable[[BaseHTTPRequestHandler], None]] = {
    "soctrang.gov.vn/": Reply(
        body=b"<html><head><meta charset='utf-8'></head><body>Trang ch\xe1\xbb\xa7</body></html>",
        headers=(("Strict-Transport-Security", HSTS),),
    ),
    "soctrang.gov.vn/cu": redirect("https://soctrang.gov.vn/moi", 301),
    "soctrang.gov.vn/moi": redirect("/trang-chu#top", 302),
    "soctrang.gov.vn/trang-chu": html("đích"),
    "soctrang.gov.vn/loop": redirect("/loop", 302),
    "soctrang.gov.vn/ftp": redirect("ftp://files.soctrang.gov.vn/a.pdf", 302),
    "soctrang.gov.vn/big": Reply(body=b"<html>" + b"x" * 10_000 + b"</html>"),
    "soctrang.gov.vn/exact": Reply(body=b"y" * 1024, content_type="text/plain"),
    "soctrang.gov.vn/pdf": Reply(body=b"%PDF-1.4", content_type="application/pdf"),
    "soctrang.gov.vn/flaky": FLAKY,
    "soctrang.gov.vn/bad-gateway": Reply(status=502, body=b"bad gateway"),
    "kesach.soctrang.gov.vn/": Reply(body=KESACH.read_bytes(), content_type="text/html"),
    "expired.gov.vn/": html("expired"),
    "expired.gov.vn/go": redirect("https://expired.gov.vn/"),
    "wronghost.gov.vn/": html("wrong"),
    "untrusted.gov.vn/": html("untrusted"),
    "plain.gov.vn/": redirect("https://soctrang.gov.vn/"),
    # pages that only move the browser on: followed inside the scope, as a browser does
    "soctrang.gov.vn/refresh": Reply(
        body=b'<html><head><meta http-equiv="refresh" content="0; url=/trang-chu"></head></html>'
    ),
    "soctrang.gov.vn/away": Reply(
        body=b"<html><script>location.replace('https://elsewhere.example/')</script></html>"
    ),
    "soctrang.gov.vn/ping": Reply(
        body=b'<html><head><meta http-equiv="refresh" content="0; url=/pong"></head></html>'
    ),
    "soctrang.gov.vn/pong": Reply(
        body=b'<html><head><meta http-equiv="refresh" content="0; url=/ping"></head></html>'
    ),
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    pki = make_pki(tmp_path_factory.mktemp("pki"), ["soctrang.gov.vn", "kesach.soctrang.gov.vn"])
    with serve(Routes(dict(ROUTES)), pki) as running:
        yield running


def fetch(settings: CrawlSettings, url: str, depth: int = 0) -> PageSnapshot:
    async def go() -> PageSnapshot:
        async with Fetcher(settings, backoff_s=0.01) as fetcher:
            return await fetcher.fetch(url, depth=depth)

    return asyncio.run(go())


def probe(settings: CrawlSettings, url: str) -> TransportProbe:
    async def go() -> TransportProbe:
        async with Fetcher(settings) as fetcher:
            return await fetcher.probe(url)

    return asyncio.run(go())


def test_redirect_chain_recorded_with_statuses_and_locations(sites: Sites) -> None:
    snap = fetch(sites.settings(), "http://soctrang.gov.vn/cu", depth=2)
    assert snap.status == 200 and snap.error is None
    assert snap.url == "http://soctrang.gov.vn/cu"
    assert snap.final_url == "https://soctrang.gov.vn/trang-chu"  # fragment dropped
    assert snap.redirects == (
        RedirectHop(
            url="http://soctrang.gov.vn/cu", status=301, location="https://soctrang.gov.vn/moi"
        ),
        RedirectHop(url="https://soctrang.gov.vn/moi", status=302, location="/trang-chu#top"),
    )
    assert snap.is_html and "đích" in snap.body.decode()
    assert snap.depth == 2 and snap.elapsed_s > 0
    assert snap.declared_encoding == "utf-8" and snap.detected_encoding == "utf-8"


def test_requests_carry_host_user_agent_and_reach_the_rerouted_server(sites: Sites) -> None:
    before = len(sites.routes.seen)
    fetch(sites.settings(user_agent="auditor-test/9"), "https://soctrang.gov.vn/trang-chu")
    seen = sites.routes.seen[before:]
    assert [(s.scheme, s.host, s.path) for s in seen] == [
        ("https", "soctrang.gov.vn", "/robots.txt"),  # asked first, once per origin
        ("https", "soctrang.gov.vn", "/trang-chu"),
    ]
    assert seen[1].headers["Host"] == "soctrang.gov.vn"
    assert seen[1].headers["User-Agent"] == "auditor-test/9"


def test_too_many_redirects_is_a_protocol_error(sites: Sites) -> None:
    snap = fetch(sites.settings(), "https://soctrang.gov.vn/loop")
    assert snap.status == 0
    assert snap.error == f"protocol: more than {MAX_REDIRECTS} redirects"
    assert len(snap.redirects) == MAX_REDIRECTS + 1
    assert all(h.status == 302 and h.location == "/loop" for h in snap.redirects)


def test_redirect_to_a_non_http_scheme_is_the_answer(sites: Sites) -> None:
    snap = fetch(sites.settings(), "https://soctrang.gov.vn/ftp")
    assert snap.status == 302 and snap.error is None and snap.redirects == ()
    assert snap.header("location") == "ftp://files.soctrang.gov.vn/a.pdf"


def test_body_truncated_at_the_byte_cap(sites: Sites) -> None:
    snap = fetch(sites.settings(max_bytes=1024), "https://soctrang.gov.vn/big")
    assert snap.status == 200 and snap.truncated
    assert len(snap.body) == 1024 and snap.body.startswith(b"<html>xxx")
    exact = fetch(sites.settings(max_bytes=1024), "https://soctrang.gov.vn/exact")
    assert len(exact.body) == 1024 and not exact.truncated


def test_non_html_has_no_encoding_facts(sites: Sites) -> None:
    snap = fetch(sites.settings(), "https://soctrang.gov.vn/pdf")
    assert snap.status == 200 and not snap.is_html and snap.body == b"%PDF-1.4"
    assert snap.content_type == "application/pdf"
    assert (snap.declared_encoding, snap.meta_encoding, snap.detected_encoding) == (None,) * 3


def fetch_decoded(settings: CrawlSettings, url: str) -> tuple[PageSnapshot, str | None]:
    async def go() -> tuple[PageSnapshot, str | None]:
        async with Fetcher(settings, backoff_s=0.01) as fetcher:
            return await fetcher.fetch_decoded(url)

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("url", "max_bytes", "decoded"),
    [
        ("http://soctrang.gov.vn/cu", 2_000_000, True),  # UTF-8, after redirects
        ("https://kesach.soctrang.gov.vn/", 2_000_000, True),  # windows-1258, strictly
        ("https://soctrang.gov.vn/big", 1024, True),  # cut at the cap, at an ASCII byte
        ("https://soctrang.gov.vn/pdf", 2_000_000, False),  # not HTML: not decoded
    ],
)
def test_the_text_comes_with_the_page_when_its_decode_would_give_it(
    sites: Sites, url: str, max_bytes: int, decoded: bool
) -> None:
    snap, text = fetch_decoded(sites.settings(max_bytes=max_bytes), url)
    fetched = fetch(sites.settings(max_bytes=max_bytes), url)  # the same snapshot (but the Date)
    for field in ("final_url", "status", "body", "truncated", "redirects", "detected_encoding"):
        assert getattr(snap, field) == getattr(fetched, field)
    assert (text is not None) == decoded
    if text is not None:  # the crawler reads the links of the text it was given
        assert text == Page(snap).html


def test_windows_1258_page_encoding_facts(sites: Sites) -> None:
    snap = fetch(sites.settings(), "https://kesach.soctrang.gov.vn/")
    assert snap.is_html
    assert snap.declared_encoding is None
    assert snap.meta_encoding == "windows-1258"
    assert snap.detected_encoding == "windows-1258"


def test_transient_503_retried_then_ok(sites: Sites) -> None:
    FLAKY.calls = 0
    snap = fetch(sites.settings(retries=1), "https://soctrang.gov.vn/flaky")
    assert snap.status == 200 and FLAKY.calls == 2
    FLAKY.calls = 0
    snap = fetch(sites.settings(retries=0), "https://soctrang.gov.vn/flaky")
    assert snap.status == 503 and FLAKY.calls == 1 and snap.error is None


def test_502_after_retries_is_returned_as_is(sites: Sites) -> None:
    before = len(sites.routes.paths())
    snap = fetch(sites.settings(retries=2), "https://soctrang.gov.vn/bad-gateway")
    assert snap.status == 502 and snap.body == b"bad gateway"
    assert sites.routes.paths()[before:] == ["/robots.txt"] + ["/bad-gateway"] * 3


# --- failures are facts --------------------------------------------------------------------


def _raw_settings(port: int, **changes: Any) -> CrawlSettings:
    base: dict[str, Any] = {
        "connect_to": (ConnectTo(addr="127.0.0.1", addr_port=port),),
        "timeout_s": 0.3,
        "retries": 0,
    }
    base.update(changes)
    return CrawlSettings(**base)


def test_timeout_gives_status_0_and_timeout_error() -> None:
    def hang(conn: socket.socket) -> None:
        read_request(conn)
        time.sleep(1.5)

    with raw_server(hang) as port:
        started = time.monotonic()
        snap = fetch(_raw_settings(port), "http://slow.gov.vn/")
        took = time.monotonic() - started
    assert snap.status == 0 and snap.error == "timeout: no data for 0.3s"
    assert took < 1.2


def test_connection_reset_gives_status_0_and_connect_error() -> None:
    def rst(conn: socket.socket) -> None:
        read_request(conn)
        reset(conn)

    with raw_server(rst) as port:
        snap = fetch(_raw_settings(port), "http://reset.gov.vn/")
    assert snap.status == 0 and snap.body == b""
    assert snap.error == "connect: connection reset by peer"


def test_garbage_response_gives_status_0_and_protocol_error() -> None:
    def garbage(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\x00\x01garbage\r\n\r\n")

    with raw_server(garbage) as port:
        snap = fetch(_raw_settings(port), "http://garbage.gov.vn/")
        probed = probe(_raw_settings(port), "http://garbage.gov.vn/")
    assert snap.status == 0 and snap.error is not None and snap.error.startswith("protocol: ")
    assert not probed.ok and probed.error_kind == "protocol"


def test_silent_close_is_retried_then_reported() -> None:
    calls: list[int] = []

    def close(conn: socket.socket) -> None:
        read_request(conn)
        calls.append(1)

    with raw_server(close) as port:
        snap = fetch(_raw_settings(port, retries=1), "http://closed.gov.vn/")
    assert snap.status == 0
    assert snap.error == "protocol: Server disconnected without sending a response."
    assert len(calls) == 2


def test_refused_connection_gives_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: refused
        result = probe(_raw_settings(port), "http://refused.gov.vn/")
    assert not result.ok and result.status == 0
    assert result.error_kind == "refused" and result.error == "connect: connection refused"


def test_unexpected_exception_never_escapes() -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("weird")

    async def go() -> PageSnapshot:
        settings = CrawlSettings(retries=0)
        async with Fetcher(settings, transport=httpx.MockTransport(boom)) as fetcher:
            return await fetcher.fetch("https://x.gov.vn/")

    snap = asyncio.run(go())
    assert snap.status == 0 and snap.error == "other: RuntimeError: weird"


def test_invalid_url_is_a_fact() -> None:
    snap = fetch(CrawlSettings(retries=0), "http://[zz::1]/")
    assert snap.status == 0
    assert snap.error == "other: invalid URL: Invalid IPv6 address: '[zz::1]'"


# --- probes: TLS facts, HSTS, TLS failures -----------------------------------------------------


def test_tls_facts_are_read_once_per_connection(sites: Sites) -> None:
    from auditor.crawl.tlsinfo import response_tls

    async def go() -> list[Any]:
        async with Fetcher(sites.settings()) as fetcher:
            facts = []
            for _ in range(3):  # one kept-alive connection
                response = await fetcher.client.get("https://soctrang.gov.vn/")
                facts.append(response_tls(response))
            return facts

    first, *others = asyncio.run(go())
    assert first is not None and "soctrang.gov.vn" in first.cert_names
    assert all(other is first for other in others)


def test_probe_https_captures_tls_facts_and_hsts(sites: Sites) -> None:
    result = probe(sites.settings(), "https://soctrang.gov.vn/")
    assert result.ok and result.status == 200 and result.error is None
    assert result.final_url == "https://soctrang.gov.vn/"
    assert result.hsts == HSTS
    tls = result.tls
    assert tls is not None and tls.version in ("TLSv1.2", "TLSv1.3")
    assert "soctrang.gov.vn" in tls.cert_names and "kesach.soctrang.gov.vn" in tls.cert_names
    assert tls.cert_issuer and "trustme" in tls.cert_issuer
    assert tls.cert_not_before is not None and tls.cert_not_after is not None
    assert tls.cert_not_before < datetime.now(UTC) < tls.cert_not_after


def test_probe_does_not_follow_a_redirect_to_another_host(sites: Sites) -> None:
    before = len(sites.routes.seen)
    result = probe(sites.settings(), "http://plain.gov.vn/")
    assert result.ok and result.status == 301 and result.redirects == ()
    assert result.final_url == "http://plain.gov.vn/"
    assert result.off_scope == "https://soctrang.gov.vn/"
    assert {s.host for s in sites.routes.seen[before:]} == {"plain.gov.vn"}


def test_hsts_over_plain_http_is_ignored(sites: Sites) -> None:
    result = probe(sites.settings(), "http://soctrang.gov.vn/")
    assert result.ok and result.status == 200 and result.final_url == "http://soctrang.gov.vn/"
    assert result.hsts is None and result.tls is None


@pytest.mark.parametrize(
    ("host", "error"),
    [
        ("expired.gov.vn", "tls: certificate verify failed: certificate has expired"),
        (
            "wronghost.gov.vn",
            "tls: certificate verify failed: Hostname mismatch, certificate is not valid for "
            "'wronghost.gov.vn'.",
        ),
        (
            "untrusted.gov.vn",
            "tls: certificate verify failed: unable to get local issuer certificate",
        ),
    ],
)
def test_tls_failures_are_facts(sites: Sites, host: str, error: str) -> None:
    before = len(sites.routes.seen)
    result = probe(sites.settings(retries=2), f"https://{host}/")
    assert not result.ok and result.status == 0
    assert result.error_kind == "tls" and result.error == error
    assert result.final_url == f"https://{host}/" and result.tls is None
    assert len(sites.routes.seen) == before  # no request went through, and no retry


def test_tls_failure_in_fetch_is_status_0(sites: Sites) -> None:
    snap = fetch(sites.settings(), "https://expired.gov.vn/")
    assert snap.status == 0
    assert snap.error == "tls: certificate verify failed: certificate has expired"


def test_plain_http_server_on_https_port_is_a_tls_error(sites: Sites) -> None:
    settings = sites.settings(
        connect_to=(ConnectTo(port=443, addr="127.0.0.1", addr_port=sites.http_port),)
    )
    result = probe(settings, "https://soctrang.gov.vn/")
    assert not result.ok and result.error_kind == "tls"
    assert result.error is not None and "wrong version number" in result.error.lower()


def test_failure_after_a_redirect_keeps_the_chain(sites: Sites) -> None:
    result = probe(sites.settings(), "http://expired.gov.vn/go")
    assert not result.ok and result.status == 0 and result.error_kind == "tls"
    assert result.redirects == (
        RedirectHop(url="http://expired.gov.vn/go", status=301, location="https://expired.gov.vn/"),
    )
    assert result.final_url == "https://expired.gov.vn/"
    assert result.error == "tls: certificate verify failed: certificate has expired"


def test_unusable_location_makes_the_redirect_the_answer() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://[bad"}, content=b"moved")

    async def go() -> PageSnapshot:
        async with Fetcher(CrawlSettings(), transport=httpx.MockTransport(handler)) as fetcher:
            return await fetcher.fetch("https://x.gov.vn/")

    snap = asyncio.run(go())
    assert snap.status == 302 and snap.error is None and snap.redirects == ()
    assert snap.header("location") == "http://[bad"


def test_handshake_timeout_and_cut_off_handshake_are_not_tls_facts() -> None:
    timed_out = httpx.ConnectTimeout("handshake")
    timed_out.__context__ = ssl.SSLWantReadError("The operation did not complete (read)")
    assert describe(timed_out, 1.0).kind == "timeout"
    cut = httpx.ConnectError("eof")
    cut.__cause__ = ssl.SSLEOFError(8, "EOF occurred in violation of protocol")
    failure = describe(cut, 1.0)
    assert failure.kind == "connect" and failure.transient
    refused = httpx.ConnectError("alert")
    refused.__cause__ = ssl.SSLError(
        1, "[SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake failure"
    )
    assert describe(refused, 1.0).kind == "tls"


def test_a_page_that_moves_the_browser_on_is_followed_in_scope(sites: Sites) -> None:
    snap = fetch(sites.settings(), "https://soctrang.gov.vn/refresh")
    assert snap.url == "https://soctrang.gov.vn/refresh"
    assert snap.final_url == "https://soctrang.gov.vn/trang-chu" and "đích" in snap.body.decode()
    assert snap.redirects == (
        RedirectHop(
            url="https://soctrang.gov.vn/refresh",
            status=200,
            location="https://soctrang.gov.vn/trang-chu",
        ),
    )
    # out of the scope: not requested, the page stays (and counts as not seen)
    away = fetch(sites.settings(), "https://soctrang.gov.vn/away")
    assert away.final_url == "https://soctrang.gov.vn/away" and away.redirects == ()
    assert "elsewhere.example" not in sites.routes.hosts()
    # a loop of refresh pages ends
    ping = fetch(sites.settings(), "https://soctrang.gov.vn/ping")
    assert ping.final_url.endswith(("/ping", "/pong")) and len(ping.redirects) <= 2


def test_robots_policies_kept_are_bounded_the_least_recently_asked_dropped(
    sites: Sites, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetcher_module, "MAX_ROBOTS_KEPT", 2)
    first, second, third = (
        "https://soctrang.gov.vn/",
        "http://soctrang.gov.vn/",
        "https://kesach.soctrang.gov.vn/",
    )

    async def go() -> None:
        async with Fetcher(sites.settings(), backoff_s=0.01) as fetcher:
            for url in (first, second, first, third, first, second):
                await fetcher.robots(url)

    before = len(sites.routes.seen)
    asyncio.run(go())
    read = [
        f"{s.scheme}://{s.host}/" for s in sites.routes.seen[before:] if s.path == "/robots.txt"
    ]
    # first asked again before third came, so second was the one dropped, and read again
    assert read == [first, second, third, second]
