"""HTTPS, HTTP→HTTPS redirect, HSTS, TLS version and mixed-content primitives."""

from __future__ import annotations

from datetime import UTC, datetime

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
from auditor.models import RedirectHop, TlsFacts, TransportProbe
from tests.factories import art, page

GOOD_TLS = TlsFacts(version="TLSv1.3", cert_not_after=datetime(2027, 6, 1, tzinfo=UTC))
HTTPS_OK = TransportProbe(
    url="https://soctrang.gov.vn/",
    ok=True,
    status=200,
    final_url="https://soctrang.gov.vn/",
    tls=GOOD_TLS,
    hsts="max-age=31536000",
)
HTTP_REDIRECT = TransportProbe(
    url="http://soctrang.gov.vn/",
    ok=True,
    status=200,
    final_url="https://soctrang.gov.vn/",
    redirects=(
        RedirectHop(url="http://soctrang.gov.vn/", status=301, location="https://soctrang.gov.vn/"),
    ),
)
HTTPS_TLS_FAIL = TransportProbe(
    url="https://soctrang.gov.vn/", ok=False, error="tls: handshake failure", error_kind="tls"
)
HTTP_PLAIN = TransportProbe(
    url="http://soctrang.gov.vn/", ok=True, status=200, final_url="http://soctrang.gov.vn/"
)


def test_https_pass_reports_certificate_expiry() -> None:
    out = https_available(art(https=HTTPS_OK, http=HTTP_REDIRECT), NoParams())
    assert out.status == "pass"
    assert "2027-06-01" in (out.evidence[0].found or "")


def test_https_fails_for_http_only_portal() -> None:
    out = https_available(art(https=HTTPS_TLS_FAIL, http=HTTP_PLAIN), NoParams())
    assert out.status == "fail"
    assert out.evidence[0].found == "tls: handshake failure"


def test_unreachable_portal_is_error_not_fail() -> None:
    down = TransportProbe(
        url="https://soctrang.gov.vn/", ok=False, error="timed out", error_kind="timeout"
    )
    down_http = TransportProbe(
        url="http://soctrang.gov.vn/", ok=False, error="refused", error_kind="connect"
    )
    assert https_available(art(https=down, http=down_http), NoParams()).status == "error"
    assert http_redirects_to_https(art(https=down, http=down_http), NoParams()).status == "error"


def test_http_redirect_pass_and_fail() -> None:
    ok = http_redirects_to_https(art(https=HTTPS_OK, http=HTTP_REDIRECT), NoParams())
    assert ok.status == "pass" and (ok.evidence[0].found or "").startswith("301")
    bad = http_redirects_to_https(art(https=HTTPS_TLS_FAIL, http=HTTP_PLAIN), NoParams())
    assert bad.status == "fail"
    assert bad.evidence[0].expected == "301 → https://soctrang.gov.vn/"


def test_hsts_warns_on_short_or_missing_max_age() -> None:
    assert hsts(art(https=HTTPS_OK), HstsParams()).status == "pass"
    short = HTTPS_OK.model_copy(update={"hsts": "max-age=300"})
    assert hsts(art(https=short), HstsParams()).status == "warn"
    none = HTTPS_OK.model_copy(update={"hsts": None})
    out = hsts(art(https=none), HstsParams())
    assert out.status == "warn" and "absent" in (out.evidence[0].found or "")


def test_tls_version_and_certificate_lifetime() -> None:
    assert tls_version(art(https=HTTPS_OK), TlsVersionParams()).status == "pass"
    old = HTTPS_OK.model_copy(update={"tls": TlsFacts(version="TLSv1.1")})
    assert tls_version(art(https=old), TlsVersionParams()).status == "warn"
    assert https_certificate_lifetime(art(https=HTTPS_OK), CertificateParams()).status == "pass"
    soon = HTTPS_OK.model_copy(
        update={"tls": TlsFacts(cert_not_after=datetime(2026, 12, 1, tzinfo=UTC))}
    )
    out = https_certificate_lifetime(art(https=soon), CertificateParams())
    assert out.status == "warn" and out.evidence[0].found == "11"


def test_mixed_content_lists_active_resources() -> None:
    clean = page(
        "https://soctrang.gov.vn/",
        '<script src="/a.js"></script><img src="https://x/y.png" alt="y">',
    )
    assert no_mixed_content(art(clean), NoParams()).status == "pass"
    mixed = page(
        "https://soctrang.gov.vn/",
        '<script src="http://cdn.example/a.js"></script><img src="http://x/y.png" alt="y">',
    )
    out = no_mixed_content(art(mixed), NoParams())
    assert out.status == "fail"
    assert [e.found for e in out.evidence] == ["http://cdn.example/a.js", "http://x/y.png"]
    passive = page("https://soctrang.gov.vn/", '<img src="http://x/y.png" alt="y">')
    assert no_mixed_content(art(passive), NoParams()).status == "warn"
