"""HTTPS and TLS end to end: the real fixture server (trustme certificates per ``cert:`` switch),
``Fetcher.probe`` and ``Fetcher.fetch`` through ``--connect-to``, then the transport primitives."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from auditor.artifacts import Artifacts
from auditor.checks.registry import NoParams
from auditor.checks.transport import (
    CertificateParams,
    HstsParams,
    TlsVersionParams,
    hsts,
    http_redirects_to_https,
    https_available,
    https_certificate_lifetime,
    no_mixed_content,
    tls_version,
)
from auditor.config import CrawlSettings
from auditor.crawl.fetcher import Fetcher
from auditor.fixtureserver import FixtureServer
from auditor.models import Agency, TransportProbe
from auditor.page import Page

AS_OF = date.today()
MIXED = (
    '<!DOCTYPE html><html lang="vi"><title>Tin</title>'
    '<script src="http://cdn.example.vn/app.js"></script>'
    '<img src="http://anh.example.vn/logo.png" alt="logo"><img src="/ok.png" alt="ok">'
)
SITES = {
    "valid.tls.gov.vn": "cert: valid\n",
    "expired.tls.gov.vn": "cert: expired\n",
    "wronghost.tls.gov.vn": "cert: wrong-host\n",
    "untrusted.tls.gov.vn": "cert: untrusted\n",
    "selfsigned.tls.gov.vn": "cert: self-signed\n",
    "notls.tls.gov.vn": "tls: false\nhttp_redirect: false\n",
    "shorthsts.tls.gov.vn": "hsts: max-age=86400\n",
    "nohsts.tls.gov.vn": "hsts: null\nhttp_redirect: false\n",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureServer]:
    root: Path = tmp_path_factory.mktemp("tls-sites")
    for host, switches in SITES.items():
        folder = root / host
        folder.mkdir()
        (folder / "_site.yaml").write_text(switches, encoding="utf-8")
        (folder / "index.html").write_text(
            f'<!DOCTYPE html><html lang="vi"><title>{host}</title><h1>{host}</h1>',
            encoding="utf-8",
        )
        (folder / "tin.html").write_text(MIXED, encoding="utf-8")
    with FixtureServer(root) as running:
        yield running


def settings(server: FixtureServer) -> CrawlSettings:
    return CrawlSettings(
        connect_to=server.connect_to(), ca_bundle=server.ca_pem_path, timeout_s=5, retries=0
    )


def probes(server: FixtureServer, host: str) -> tuple[TransportProbe, TransportProbe]:
    async def go() -> tuple[TransportProbe, TransportProbe]:
        async with Fetcher(settings(server)) as fetcher:
            return await fetcher.probe(f"https://{host}/"), await fetcher.probe(f"http://{host}/")

    return asyncio.run(go())


def artifacts(server: FixtureServer, host: str, as_of: date = AS_OF) -> Artifacts:
    https, http = probes(server, host)
    return Artifacts(
        agency=Agency(name=host, level="department", domain=host),
        as_of=as_of,
        start_url=f"https://{host}/",
        https=https,
        http=http,
    )


NP = NoParams()


def test_valid_certificate_passes_with_days_left_and_tls_version(server: FixtureServer) -> None:
    art = artifacts(server, "valid.tls.gov.vn")
    out = https_available(art, NP)
    assert out.status == "pass", out
    assert art.https is not None and art.https.tls is not None
    not_after = art.https.tls.cert_not_after
    assert not_after is not None
    days = (not_after.date() - AS_OF).days
    assert out.evidence[0].found is not None
    assert f"hết hạn {not_after.date():%d/%m/%Y}, còn {days} ngày" in out.evidence[0].detail.vi
    assert f"expires {not_after.date()}, in {days} days" in out.evidence[0].detail.en
    life = https_certificate_lifetime(art, CertificateParams())
    assert life.status == "pass" and life.evidence[0].found == str(days)
    version = tls_version(art, TlsVersionParams())
    assert version.status == "pass" and version.evidence[0].found in ("TLSv1.2", "TLSv1.3")
    redirect = http_redirects_to_https(art, NP)
    assert redirect.status == "pass"
    assert redirect.evidence[0].found == (
        "301: http://valid.tls.gov.vn/ (301) → https://valid.tls.gov.vn/ (200)"
    )
    strict = hsts(art, HstsParams())
    assert strict.status == "pass"
    assert strict.evidence[0].found == "max-age=31536000; includeSubDomains"


def test_certificate_close_to_expiry_warns_with_the_days_left(server: FixtureServer) -> None:
    first = artifacts(server, "valid.tls.gov.vn")
    assert first.https is not None and first.https.tls is not None
    not_after = first.https.tls.cert_not_after
    assert not_after is not None
    late = artifacts(server, "valid.tls.gov.vn", as_of=not_after.date() - timedelta(days=12))
    out = https_certificate_lifetime(late, CertificateParams())
    assert out.status == "warn"
    assert out.evidence[0].found == "12" and out.evidence[0].expected == ">= 30"
    assert f"until {not_after.date()}" in out.evidence[0].detail.en


@pytest.mark.parametrize(
    ("host", "reason", "error"),
    [
        (
            "expired.tls.gov.vn",
            "the certificate has expired",
            "tls: certificate verify failed: certificate has expired",
        ),
        (
            "wronghost.tls.gov.vn",
            "the certificate is for another name",
            "tls: certificate verify failed: Hostname mismatch, certificate is not valid for "
            "'wronghost.tls.gov.vn'.",
        ),
        (
            "untrusted.tls.gov.vn",
            "the certificate's issuer is not trusted",
            "tls: certificate verify failed: unable to get local issuer certificate",
        ),
        (
            "selfsigned.tls.gov.vn",
            "the certificate is self-signed",
            "tls: certificate verify failed: self-signed certificate",
        ),
    ],
)
def test_bad_certificates_fail_https_with_the_reason(
    server: FixtureServer, host: str, reason: str, error: str
) -> None:
    art = artifacts(server, host)
    out = https_available(art, NP)
    assert out.status == "fail"
    ev = out.evidence[0]
    assert reason in ev.detail.en
    assert ev.found == error
    assert ev.expected == f"https://{host}/" and ev.url == f"https://{host}/"
    # HTTP did redirect to HTTPS on the same host: that rule passes; the HTTPS rule carries it
    redirect = http_redirects_to_https(art, NP)
    assert redirect.status == "pass"
    assert redirect.evidence[0].found == (
        f"301: http://{host}/ (301) → https://{host}/ (0); {error}"
    )
    # nothing to say about a TLS session that was refused
    assert tls_version(art, TlsVersionParams()).status == "not_applicable"
    assert hsts(art, HstsParams()).status == "not_applicable"
    lifetime = https_certificate_lifetime(art, CertificateParams())
    expected = "fail" if host.startswith("expired") else "not_applicable"
    assert lifetime.status == expected


def test_no_tls_and_no_redirect_fails_both(server: FixtureServer) -> None:
    art = artifacts(server, "notls.tls.gov.vn")
    out = https_available(art, NP)
    assert out.status == "fail"
    assert "HTTPS failed" in out.evidence[0].detail.en
    redirect = http_redirects_to_https(art, NP)
    assert redirect.status == "fail"
    assert redirect.evidence[0].found == "200: http://notls.tls.gov.vn/ (200)"
    assert redirect.evidence[0].expected == "301 → https://notls.tls.gov.vn/"
    assert "without redirecting to HTTPS" in redirect.evidence[0].detail.en


def test_hsts_short_and_missing_warn(server: FixtureServer) -> None:
    short = hsts(artifacts(server, "shorthsts.tls.gov.vn"), HstsParams())
    assert short.status == "warn" and short.evidence[0].found == "max-age=86400"
    assert "86400 s" in short.evidence[0].detail.en
    missing_art = artifacts(server, "nohsts.tls.gov.vn")
    missing = hsts(missing_art, HstsParams())
    assert missing.status == "warn" and "absent" in (missing.evidence[0].found or "")
    # HTTPS works there, but plain HTTP serves the page instead of redirecting
    assert https_available(missing_art, NP).status == "pass"
    assert http_redirects_to_https(missing_art, NP).status == "fail"


def test_mixed_content_on_a_fetched_https_page(server: FixtureServer) -> None:
    async def go() -> Page:
        async with Fetcher(settings(server)) as fetcher:
            return Page(await fetcher.fetch("https://valid.tls.gov.vn/tin.html"))

    page = asyncio.run(go())
    art = Artifacts(
        agency=Agency(name="x", level="department", domain="valid.tls.gov.vn"),
        as_of=AS_OF,
        start_url="https://valid.tls.gov.vn/",
        pages=(page,),
    )
    out = no_mixed_content(art, NP)
    assert out.status == "fail"
    assert [e.found for e in out.evidence] == [
        "http://cdn.example.vn/app.js",
        "http://anh.example.vn/logo.png",
        "2",
    ]
    assert out.evidence[0].url == "https://valid.tls.gov.vn/tin.html"
    assert out.evidence[0].snippet == '<script src="http://cdn.example.vn/app.js"></script>'
