"""--connect-to: parsing, and the network backend against a real loopback TLS server."""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path

import httpcore
import httpx
import pytest
import trustme

from auditor.config import ConnectTo
from auditor.crawl.connect import ConnectToBackend, parse_connect_to, resolve
from auditor.crawl.fetcher import make_ssl_context
from auditor.crawl.transport import PoolTransport
from auditor.errors import UsageError
from tests.test_crawl_support import RecordingBackend, Routes, html, make_pki, serve


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "soctrang.gov.vn:443:10.0.0.5:8443",
            ConnectTo(host="soctrang.gov.vn", port=443, addr="10.0.0.5", addr_port=8443),
        ),
        ("::127.0.0.1:8080", ConnectTo(addr="127.0.0.1", addr_port=8080)),
        (
            "Example.GOV.vn:80:staging.local:",
            ConnectTo(host="example.gov.vn", port=80, addr="staging.local"),
        ),
        (
            "a.gov.vn:443:[::1]:8443",
            ConnectTo(host="a.gov.vn", port=443, addr="::1", addr_port=8443),
        ),
        ("[::1]:443:[fe80::1]:", ConnectTo(host="::1", port=443, addr="fe80::1")),
    ],
)
def test_parse_connect_to_good(text: str, expected: ConnectTo) -> None:
    assert parse_connect_to(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soctrang.gov.vn:443:10.0.0.5", "4 fields"),
        ("a:1:b:2:3", "4 fields"),
        ("", "4 fields"),
        ("a.gov.vn:https:10.0.0.5:443", "PORT 'https' is not a number"),
        ("a.gov.vn:443:10.0.0.5:70000", "out of range"),
        ("a.gov.vn:0:10.0.0.5:443", "out of range"),
        ("a.gov.vn:443::443", "ADDR"),
        ("a.gov.vn:443:[]:443", "ADDR"),
        ("a.gov.vn:443:::1:443", "4 fields"),
    ],
)
def test_parse_connect_to_bad(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(")) as info:
        parse_connect_to(text)
    assert "--connect-to" in str(info.value)


def test_resolve_first_matching_rule_wins() -> None:
    rules = (
        ConnectTo(host="a.gov.vn", port=443, addr="10.0.0.1", addr_port=8443),
        ConnectTo(port=443, addr="10.0.0.2"),
        ConnectTo(addr="10.0.0.3", addr_port=9000),
    )
    assert resolve(rules, "A.gov.vn", 443) == ("10.0.0.1", 8443)
    assert resolve(rules, "b.gov.vn", 443) == ("10.0.0.2", 443)  # empty last port keeps 443
    assert resolve(rules, "b.gov.vn", 80) == ("10.0.0.3", 9000)
    assert resolve((), "b.gov.vn", 80) == ("b.gov.vn", 80)


async def _get(url: str, backend: httpcore.AsyncNetworkBackend, ca: Path) -> httpx.Response:
    transport = PoolTransport(make_ssl_context(ca), backend)
    async with httpx.AsyncClient(transport=transport) as client:
        return await client.get(url)


def test_backend_keeps_sni_host_header_and_certificate_check(tmp_path: Path) -> None:
    pki = make_pki(tmp_path, ["soctrang.gov.vn"])
    routes = Routes({"soctrang.gov.vn/": html("Sóc Trăng")})
    with serve(routes, pki) as sites:
        recorder = RecordingBackend()
        rule = parse_connect_to(f"soctrang.gov.vn:443:127.0.0.1:{sites.https_port}")
        backend = ConnectToBackend([rule], backend=recorder)
        response = asyncio.run(_get("https://soctrang.gov.vn:443/", backend, pki.ca_path))
    assert response.status_code == 200
    assert "Sóc Trăng" in response.text
    assert recorder.calls == [("127.0.0.1", sites.https_port)]
    assert [(s.scheme, s.host, s.headers["Host"]) for s in routes.seen] == [
        ("https", "soctrang.gov.vn", "soctrang.gov.vn")
    ]


def test_backend_certificate_for_another_name_fails(tmp_path: Path) -> None:
    pki = make_pki(tmp_path, ["soctrang.gov.vn"])
    routes = Routes({"*/": html("x")})
    with serve(routes, pki) as sites:
        # the server's certificate names soctrang.gov.vn only; we ask for another host
        rule = parse_connect_to(f"kesach.soctrang.gov.vn:443:127.0.0.1:{sites.https_port}")
        backend = ConnectToBackend([rule])
        with pytest.raises(httpx.ConnectError) as info:
            asyncio.run(_get("https://kesach.soctrang.gov.vn/", backend, pki.ca_path))
    cause = info.value.__cause__
    while cause is not None and not isinstance(cause, ssl.SSLCertVerificationError):
        cause = cause.__cause__ or cause.__context__
    assert isinstance(cause, ssl.SSLCertVerificationError)
    assert "kesach.soctrang.gov.vn" in (cause.verify_message or "")
    assert routes.seen == []


def test_backend_untrusted_ca_fails(tmp_path: Path) -> None:
    pki = make_pki(tmp_path, ["soctrang.gov.vn"])
    other_ca = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other_ca))
    with serve(Routes({"*/": html("x")}), pki) as sites:
        rule = parse_connect_to(f":443:127.0.0.1:{sites.https_port}")
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            asyncio.run(_get("https://soctrang.gov.vn/", ConnectToBackend([rule]), other_ca))


def test_backend_without_matching_rule_connects_to_the_url_host() -> None:
    with serve(Routes({"127.0.0.1/": html("direct")})) as sites:
        recorder = RecordingBackend()
        backend = ConnectToBackend([ConnectTo(host="elsewhere.vn", addr="192.0.2.1")], recorder)
        response = asyncio.run(_get_plain(f"http://127.0.0.1:{sites.http_port}/", backend))
    assert response.status_code == 200
    assert recorder.calls == [("127.0.0.1", sites.http_port)]


async def _get_plain(url: str, backend: httpcore.AsyncNetworkBackend) -> httpx.Response:
    transport = PoolTransport(ssl.create_default_context(), backend)
    async with httpx.AsyncClient(transport=transport) as client:
        return await client.get(url)
