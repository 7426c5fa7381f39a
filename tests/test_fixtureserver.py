"""The loopback fixture server: Host/SNI routing, TLS and certificate modes, switches, faults."""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import httpx
import pytest

from auditor.errors import AuditorError
from auditor.fixtureserver import FixtureServer, FixtureServerError, SiteConfigError
from auditor.fixtureserver.dns import HostDns
from auditor.fixtureserver.files import resolve
from auditor.paths import fixtures_dir

SITES = fixtures_dir() / "sites"
HOME_TITLE = "Cổng thông tin điện tử tỉnh Sóc Trăng"
HEADLINE = "Tỉnh Sóc Trăng tuyên dương 120 nhà giáo tiêu biểu"
HEADLINE_URL = "/tin-tuc/2026-11-19-tinh-soc-trang-tuyen-duong-120-nha-giao-tieu.html"
HSTS = "max-age=31536000; includeSubDomains"


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


def _exchange(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes | None,
) -> Reply:
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return Reply(resp.status, resp.headers, resp.read())
    finally:
        conn.close()


def over_http(
    server: FixtureServer,
    host: str,
    path: str = "/",
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 5.0,
) -> Reply:
    """One plain-HTTP exchange with ``Host: host``."""
    conn = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=timeout)
    return _exchange(conn, method, path, {"Host": host, **(headers or {})}, body)


def tls_socket(
    server: FixtureServer, host: str, *, verify: bool = True, timeout: float = 5.0
) -> ssl.SSLSocket:
    """A TLS connection to the HTTPS port with SNI ``host``, trusting only the test CA."""
    ctx = ssl.create_default_context(cafile=str(server.ca_pem_path))
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    sock = socket.create_connection(("127.0.0.1", server.https_port), timeout=timeout)
    try:
        return ctx.wrap_socket(sock, server_hostname=host)
    except BaseException:
        sock.close()
        raise


def over_https(
    server: FixtureServer,
    host: str,
    path: str = "/",
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    verify: bool = True,
    timeout: float = 5.0,
) -> Reply:
    """One HTTPS exchange with SNI and ``Host`` both ``host``."""
    conn = http.client.HTTPConnection(host, timeout=timeout)
    conn.sock = tls_socket(server, host, verify=verify, timeout=timeout)
    return _exchange(conn, method, path, {"Host": host, **(headers or {})}, body)


def make_site(
    root: Path, name: str, site_yaml: str | None, pages: dict[str, str] | None = None
) -> Path:
    folder = root / name
    (folder / "tin-tuc").mkdir(parents=True)
    if site_yaml is not None:
        (folder / "_site.yaml").write_text(site_yaml, encoding="utf-8")
    files = {
        "index.html": f"<!DOCTYPE html><title>Trang chủ {name}</title><h1>{name}</h1>",
        **(pages or {}),
    }
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def demo() -> Iterator[FixtureServer]:
    with FixtureServer(SITES) as server:
        yield server


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureServer]:
    root = tmp_path_factory.mktemp("sites")
    for mode in ("expired", "wrong-host", "untrusted", "self-signed"):
        make_site(root, f"{mode}.example.gov.vn", f"cert: {mode}\n")
    for fault in ("reset", "garbage", "hang", "http500"):
        make_site(root, f"{fault}.example.gov.vn", f"fault: {fault}\n")
    make_site(root, "slow.example.gov.vn", "latency_ms: 300\n")
    make_site(root, "plain.example.gov.vn", "")  # empty _site.yaml: compliant defaults
    make_site(root, "_hidden.example.gov.vn", None)
    with FixtureServer(root) as server:
        yield server


# -- routing by Host, aliases, HTTP switches --------------------------------------------------


def test_page_by_host_over_https_with_hsts(demo: FixtureServer) -> None:
    reply = over_https(demo, "soctrang.gov.vn")
    assert reply.status == 200
    assert reply.header("Content-Type") == "text/html; charset=utf-8"
    assert reply.header("Strict-Transport-Security") == HSTS
    assert f"<title>{HOME_TITLE}</title>" in reply.body.decode()
    assert reply.body == (SITES / "soctrang.gov.vn" / "index.html").read_bytes()


def test_alias_serves_the_same_site_with_its_own_certificate(demo: FixtureServer) -> None:
    reply = over_https(demo, "www.soctrang.gov.vn")
    assert reply.status == 200
    assert reply.body == (SITES / "soctrang.gov.vn" / "index.html").read_bytes()


def test_host_header_port_and_case_are_ignored(demo: FixtureServer) -> None:
    reply = over_https(
        demo, "soctrang.gov.vn", "/gioi-thieu/", headers={"Host": "SocTrang.gov.vn:443"}
    )
    assert reply.status == 200
    assert "Giới thiệu chung" in reply.body.decode()


def test_http_redirects_to_https_same_path_and_query(demo: FixtureServer) -> None:
    reply = over_http(demo, "soctrang.gov.vn:80", "/tin-tuc/?trang=2")
    assert reply.status == 301
    assert reply.header("Location") == "https://soctrang.gov.vn/tin-tuc/?trang=2"
    assert reply.header("Strict-Transport-Security") is None


def test_no_redirect_and_no_tls_when_switched_off(demo: FixtureServer) -> None:
    reply = over_http(demo, "sokhdt.soctrang.gov.vn")
    assert reply.status == 200
    assert reply.header("Location") is None
    assert reply.header("Strict-Transport-Security") is None
    assert "Sở Kế hoạch và Đầu tư" in reply.body.decode()
    with pytest.raises(ssl.SSLError) as info:
        tls_socket(demo, "sokhdt.soctrang.gov.vn")
    assert not isinstance(info.value, ssl.SSLCertVerificationError)  # refused, not a bad cert
    assert "HANDSHAKE_FAILURE" in str(info.value).upper()


def test_legacy_charset_header_and_bytes_as_they_are(demo: FixtureServer) -> None:
    reply = over_https(demo, "kesach.soctrang.gov.vn")
    assert reply.status == 200
    assert reply.header("Content-Type") == "text/html; charset=windows-1258"
    assert reply.body == (SITES / "kesach.soctrang.gov.vn" / "index.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")


def test_unknown_host_is_404_never_forwarded(demo: FixtureServer) -> None:
    for host in ("example.com", "", "127.0.0.1"):
        reply = over_http(demo, host)
        assert reply.status == 404, host
        assert b"Unknown host" in reply.body


def test_latency_delays_the_answer(faults: FixtureServer) -> None:
    started = time.monotonic()
    reply = over_https(faults, "slow.example.gov.vn")
    assert reply.status == 200
    assert time.monotonic() - started >= 0.3


def test_empty_site_yaml_means_compliant_defaults(faults: FixtureServer) -> None:
    assert (
        over_http(faults, "plain.example.gov.vn").header("Location")
        == "https://plain.example.gov.vn/"
    )
    reply = over_https(faults, "plain.example.gov.vn")
    assert reply.status == 200
    assert reply.header("Strict-Transport-Security") == HSTS
    assert (
        over_http(faults, "_hidden.example.gov.vn").status == 404
    )  # folders named _* are not sites


def test_connect_to_sends_ports_443_and_80_of_any_host_here(demo: FixtureServer) -> None:
    rules = demo.connect_to()
    https_rule = next(r for r in rules if r.matches("kesach.soctrang.gov.vn", 443))
    http_rule = next(r for r in rules if r.matches("anything.example", 80))
    assert (https_rule.addr, https_rule.addr_port) == ("127.0.0.1", demo.https_port)
    assert (http_rule.addr, http_rule.addr_port) == ("127.0.0.1", demo.http_port)
    assert not any(r.matches("soctrang.gov.vn", 8443) for r in rules)


def test_async_httpx_client_in_the_main_thread(demo: FixtureServer) -> None:
    async def fetch() -> httpx.Response:
        ctx = ssl.create_default_context(cafile=str(demo.ca_pem_path))
        async with httpx.AsyncClient(verify=ctx) as client:
            return await client.get(
                f"https://127.0.0.1:{demo.https_port}/tin-tuc/",
                headers={"Host": "sotttt.soctrang.gov.vn"},
                extensions={"sni_hostname": "sotttt.soctrang.gov.vn"},
            )

    resp = asyncio.run(fetch())
    assert resp.status_code == 200
    assert resp.headers["strict-transport-security"] == HSTS
    assert "<time datetime=" in resp.text


# -- certificates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("expired.example.gov.vn", "expired"),
        ("wrong-host.example.gov.vn", "hostname mismatch"),
        ("untrusted.example.gov.vn", "unable to get local issuer"),
        ("self-signed.example.gov.vn", "self.signed"),
    ],
)
def test_bad_certificates_fail_verification(faults: FixtureServer, host: str, reason: str) -> None:
    with pytest.raises(ssl.SSLCertVerificationError) as info:
        over_https(faults, host)
    assert re.search(reason, info.value.verify_message or "", re.IGNORECASE)
    # without verification the same site answers: only the certificate is wrong
    assert over_https(faults, host, verify=False).status == 200


# -- paths -------------------------------------------------------------------------------------


def test_folder_without_slash_redirects_and_slash_serves_index(demo: FixtureServer) -> None:
    reply = over_https(demo, "soctrang.gov.vn", "/tin-tuc?x=1")
    assert reply.status == 301
    assert reply.header("Location") == "/tin-tuc/"
    assert reply.header("Strict-Transport-Security") == HSTS
    reply = over_https(demo, "soctrang.gov.vn", "/tin-tuc/?x=1")
    assert reply.status == 200
    assert reply.body == (SITES / "soctrang.gov.vn" / "tin-tuc" / "index.html").read_bytes()


def test_page_without_html_extension_is_found(demo: FixtureServer) -> None:
    reply = over_https(demo, "soctrang.gov.vn", "/en/contact")
    assert reply.status == 200
    assert reply.body == (SITES / "soctrang.gov.vn" / "en" / "contact.html").read_bytes()


@pytest.mark.parametrize(
    ("path", "ctype"),
    [
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/site.js", "text/javascript; charset=utf-8"),
        ("/static/quoc-huy.svg", "image/svg+xml"),
        ("/static/banner.png", "image/png"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
        ("/van-ban/files/12-ct-ubnd.pdf", "application/pdf"),
    ],
)
def test_content_types_by_extension(demo: FixtureServer, path: str, ctype: str) -> None:
    reply = over_https(demo, "soctrang.gov.vn", path)
    assert reply.status == 200
    assert reply.header("Content-Type") == ctype
    assert reply.body == (SITES / "soctrang.gov.vn" / path.lstrip("/")).read_bytes()


def test_head_sends_headers_without_body(demo: FixtureServer) -> None:
    reply = over_https(demo, "soctrang.gov.vn", "/", method="HEAD")
    assert reply.status == 200
    size = (SITES / "soctrang.gov.vn" / "index.html").stat().st_size
    assert reply.header("Content-Length") == str(size)
    assert reply.body == b""


@pytest.mark.parametrize(
    "path",
    [
        "/_site.yaml",
        "/_search.yaml",
        "/../sokhdt.soctrang.gov.vn/index.html",
        "/%2e%2e/sokhdt.soctrang.gov.vn/index.html",
        "/static/..%2f..%2fsokhdt.soctrang.gov.vn%2findex.html",
        "/static/%5c..%5c_site.yaml",
        "/khong-co-trang-nay.html",
    ],
)
def test_private_missing_and_traversal_paths_are_404(demo: FixtureServer, path: str) -> None:
    reply = over_https(demo, "soctrang.gov.vn", path)
    assert reply.status == 404
    assert "Không tìm thấy trang" in reply.body.decode()
    assert b"tls:" not in reply.body


def test_resolve_refuses_symlinks_leaving_the_site(tmp_path: Path) -> None:
    site = make_site(tmp_path, "a.gov.vn", None)
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (site / "link.txt").symlink_to(secret)
    (site / "tin-tuc" / "ok.txt").write_text("ok", encoding="utf-8")
    root = site.resolve()
    assert resolve(root, "/link.txt").kind == "missing"
    assert resolve(root, "/tin-tuc/ok.txt").file == root / "tin-tuc" / "ok.txt"
    assert resolve(root, "/tin-tuc").location == "/tin-tuc/"
    assert resolve(root, "/").file == root / "index.html"
    assert resolve(root, "relative").kind == "missing"


# -- search ------------------------------------------------------------------------------------


def test_search_finds_a_headline_typed_without_diacritics(demo: FixtureServer) -> None:
    query = urlencode({"q": "TUYEN DUONG 120 nha giao"})
    reply = over_https(demo, "soctrang.gov.vn", f"/tim-kiem?{query}")
    assert reply.status == 200
    assert reply.header("Content-Type") == "text/html; charset=utf-8"
    text = reply.body.decode()
    assert f'<a href="{HEADLINE_URL}">{HEADLINE}' in text
    assert text.count("<li>") == 1


def test_search_by_post_form(demo: FixtureServer) -> None:
    form = urlencode({"q": "Tuyên dương"}).encode()
    reply = over_https(
        demo,
        "soctrang.gov.vn",
        "/tim-kiem",
        method="POST",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert reply.status == 200
    assert HEADLINE_URL in reply.body.decode()


def test_search_without_result_says_so(demo: FixtureServer) -> None:
    reply = over_https(demo, "soctrang.gov.vn", "/tim-kiem?q=zzzz+khong+co")
    assert reply.status == 200
    text = reply.body.decode()
    assert "Không tìm thấy kết quả" in text
    assert "<li>" not in text


def test_search_on_a_legacy_charset_site(demo: FixtureServer) -> None:
    reply = over_https(demo, "kesach.soctrang.gov.vn", "/tim-kiem?q=nha+giao")
    assert reply.header("Content-Type") == "text/html; charset=windows-1258"
    text = reply.body.decode("cp1258")
    assert '<a href="/tin-tuc/' in text
    assert "Ngày Nhà giáo" in text


# -- faults ------------------------------------------------------------------------------------


def test_fault_reset_closes_without_answer(faults: FixtureServer) -> None:
    with pytest.raises(ConnectionResetError):
        over_http(faults, "reset.example.gov.vn")
    with pytest.raises((ConnectionResetError, ssl.SSLError)):
        over_https(faults, "reset.example.gov.vn")


def test_fault_garbage_is_not_http(faults: FixtureServer) -> None:
    with pytest.raises(http.client.BadStatusLine):
        over_http(faults, "garbage.example.gov.vn")
    with pytest.raises(http.client.BadStatusLine):
        over_https(faults, "garbage.example.gov.vn")


def test_fault_hang_never_answers(faults: FixtureServer) -> None:
    with pytest.raises(TimeoutError):
        over_http(faults, "hang.example.gov.vn", timeout=0.3)
    with pytest.raises(TimeoutError):
        over_https(faults, "hang.example.gov.vn", timeout=0.3)


def test_fault_http500_on_every_page(faults: FixtureServer) -> None:
    for path in ("/", "/tin-tuc/", "/khong-co"):
        assert over_https(faults, "http500.example.gov.vn", path).status == 500
    assert over_http(faults, "http500.example.gov.vn").status == 500


# -- _site.yaml validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site_yaml", "message"),
    [
        ("tls: true\ncolour: red\n", "colour"),
        ("cert: bogus\n", "cert"),
        ("fault: explode\n", "fault"),
        ("charset: no-such-codec\n", "charset"),
        ("latency_ms: -5\n", "latency_ms"),
        ("- a\n- b\n", "mapping"),
        ("tls: [unclosed\n", "unreadable"),
    ],
)
def test_bad_site_yaml_names_the_file(tmp_path: Path, site_yaml: str, message: str) -> None:
    make_site(tmp_path, "bad.gov.vn", site_yaml)
    with pytest.raises(SiteConfigError) as info:
        FixtureServer(tmp_path).start()
    assert isinstance(info.value, AuditorError)
    assert str(tmp_path / "bad.gov.vn" / "_site.yaml") in str(info.value)
    assert message in str(info.value)


def test_bad_search_yaml_and_clashing_alias(tmp_path: Path) -> None:
    site = make_site(tmp_path, "a.gov.vn", None)
    (site / "_search.yaml").write_text("path: tim-kiem\n", encoding="utf-8")
    with pytest.raises(SiteConfigError, match=r"_search\.yaml"):
        FixtureServer(tmp_path).start()
    (site / "_search.yaml").unlink()
    make_site(tmp_path, "b.gov.vn", "aliases: [a.gov.vn]\n")
    with pytest.raises(SiteConfigError, match=r"'a\.gov\.vn' already served"):
        FixtureServer(tmp_path).start()


# -- lifecycle ---------------------------------------------------------------------------------


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def test_clean_shutdown_even_with_open_and_hanging_connections(tmp_path: Path) -> None:
    make_site(tmp_path, "hang.gov.vn", "fault: hang\n")
    make_site(tmp_path, "ok.gov.vn", None)
    before = set(threading.enumerate())
    server = FixtureServer(tmp_path)
    with server:
        ports = (server.http_port, server.https_port)
        ca = server.ca_pem_path
        assert ca.read_text().startswith("-----BEGIN CERTIFICATE-----")
        hanging = socket.create_connection(("127.0.0.1", server.http_port))
        hanging.sendall(b"GET / HTTP/1.1\r\nHost: hang.gov.vn\r\n\r\n")
        idle = tls_socket(server, "ok.gov.vn")  # TLS done, keep-alive, no request
        assert over_https(server, "ok.gov.vn").status == 200
        time.sleep(0.05)
        started = time.monotonic()
    assert time.monotonic() - started < 1.5
    assert all(_refused(port) for port in ports)
    assert not ca.exists()
    assert hanging.recv(100) == b""  # the hanging connection was closed, unanswered
    hanging.close()
    idle.close()
    leftover = [t for t in set(threading.enumerate()) - before if t.is_alive()]
    assert leftover == []
    with pytest.raises(FixtureServerError):
        _ = server.https_port
    server.close()  # idempotent


def test_main_prints_ports_ca_and_flags_and_stops_on_ctrl_c() -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "auditor.fixtureserver", str(SITES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("Ctrl-C"):
                break
        out = "".join(lines)
        assert "--connect-to :443:127.0.0.1:" in out
        assert "--connect-to :80:127.0.0.1:" in out
        assert "--ca-bundle " in out
        assert "soctrang.gov.vn" in out
        # the province portal (not a national stand-in), with the date the demo is written for
        assert "auditor scan soctrang.gov.vn --connect-to" in out
        assert out.count("--as-of 2026-11-20") == 2 and "--registry " in out
        proc.send_signal(signal.SIGINT)
        _, errors = proc.communicate(timeout=30)
        assert proc.returncode == 0, errors
        assert "Traceback" not in errors
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


# -- the loopback DNS server (``_site.yaml`` ``ipv6`` / ``dnssec``) ----------------------------


def _dns_query(address: str, name: str, rdtype: str, tcp: bool = False) -> dns.message.Message:
    addr, port = address.rsplit(":", 1)
    query = dns.message.make_query(name, rdtype)
    ask = dns.query.tcp if tcp else dns.query.udp
    return ask(query, addr, port=int(port), timeout=2.0)


def _rdtypes(reply: dns.message.Message) -> set[str]:
    return {dns.rdatatype.to_text(rrset.rdtype) for rrset in reply.answer}


def test_dns_answers_a_aaaa_and_dnssec_by_site_switches(demo: FixtureServer) -> None:
    assert re.fullmatch(r"127\.0\.0\.1:\d+", demo.dns_server)
    signed = _dns_query(demo.dns_server, "soctrang.gov.vn", "A")
    assert signed.rcode() == dns.rcode.NOERROR
    assert [r.to_text() for r in signed.answer[0]] == ["127.0.0.1"]
    assert _rdtypes(signed) == {"A", "RRSIG"}  # dnssec: true
    assert _rdtypes(_dns_query(demo.dns_server, "soctrang.gov.vn", "DS")) == {"DS"}
    aaaa = _dns_query(demo.dns_server, "www.soctrang.gov.vn", "AAAA")  # an alias
    assert [r.to_text() for r in aaaa.answer[0]] == ["::1"]
    # sokhdt: ipv6: false, dnssec: false → no AAAA, no DS, no RRSIG, but the name exists
    for rdtype in ("AAAA", "DS"):
        reply = _dns_query(demo.dns_server, "sokhdt.soctrang.gov.vn", rdtype)
        assert reply.rcode() == dns.rcode.NOERROR and reply.answer == []
    assert _rdtypes(_dns_query(demo.dns_server, "sokhdt.soctrang.gov.vn", "A")) == {"A"}


def test_dns_unknown_names_do_not_exist_and_parents_do(demo: FixtureServer) -> None:
    assert _dns_query(demo.dns_server, "khong-co.gov.vn", "A").rcode() == dns.rcode.NXDOMAIN
    parent = _dns_query(demo.dns_server, "thanhpho.soctrang.gov.vn", "DS")  # a site, unsigned
    assert parent.rcode() == dns.rcode.NOERROR and parent.answer == []
    gov = _dns_query(demo.dns_server, "gov.vn", "DS")  # only a parent of served names
    assert gov.rcode() == dns.rcode.NOERROR and gov.answer == []


def test_dns_answers_over_tcp_too(demo: FixtureServer) -> None:
    reply = _dns_query(demo.dns_server, "sotttt.soctrang.gov.vn", "AAAA", tcp=True)
    assert _rdtypes(reply) == {"AAAA", "RRSIG"}


def test_dns_table_replaces_the_site_switches(tmp_path: Path) -> None:
    make_site(tmp_path, "a.example.gov.vn", "ipv6: true\n")
    with FixtureServer(tmp_path, dns={"a.example.gov.vn": HostDns(aaaa=False, signed=True)}) as s:
        assert _dns_query(s.dns_server, "a.example.gov.vn", "AAAA").answer == []
        assert _rdtypes(_dns_query(s.dns_server, "a.example.gov.vn", "DS")) == {"DS"}
    with pytest.raises(FixtureServerError):
        _ = s.dns_server  # closed


def test_bad_dns_switch_is_a_site_config_error(tmp_path: Path) -> None:
    make_site(tmp_path, "a.example.gov.vn", "dnssec: maybe\n")
    with pytest.raises(SiteConfigError, match="dnssec"):
        FixtureServer(tmp_path).start()
