"""HTTPS, HTTP→HTTPS redirect, HSTS, TLS version and mixed-content primitives."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

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
    assert "2027-06-01" in out.evidence[0].detail.en  # the tool's words, in each language
    assert "01/06/2027" in out.evidence[0].detail.vi


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
    assert [e.found for e in out.evidence] == ["http://cdn.example/a.js", "http://x/y.png", "2"]
    assert "1 active" in out.evidence[-1].detail.en and "1 passive" in out.evidence[-1].detail.en
    passive = page("https://soctrang.gov.vn/", '<img src="http://x/y.png" alt="y">')
    assert no_mixed_content(art(passive), NoParams()).status == "warn"


def test_mixed_content_lists_each_resource_once_with_its_page_count() -> None:
    body = '<link rel="stylesheet" href="http://cdn.example/s.css"><img src="/ok.png" alt="">'
    pages = [page(f"https://soctrang.gov.vn/{i}.html", body) for i in range(3)]
    pages.append(page("http://soctrang.gov.vn/plain.html", '<script src="http://x/a.js"></script>'))
    out = no_mixed_content(art(*pages), NoParams())
    assert out.status == "fail"
    first, summary = out.evidence
    assert (
        first.found == "http://cdn.example/s.css" and first.url == "https://soctrang.gov.vn/0.html"
    )
    assert "and 2 other pages" in first.detail.en and first.snippet is not None
    assert "on 3/3 HTTPS pages" in summary.detail.en


def test_redirect_to_https_on_another_host_fails() -> None:
    elsewhere = HTTP_REDIRECT.model_copy(
        update={
            "final_url": "https://portal.example.vn/",
            "redirects": (
                RedirectHop(
                    url="http://soctrang.gov.vn/", status=302, location="https://portal.example.vn/"
                ),
            ),
        }
    )
    out = http_redirects_to_https(art(https=HTTPS_OK, http=elsewhere), NoParams())
    assert out.status == "fail"
    assert "another host (portal.example.vn)" in out.evidence[0].detail.en
    assert out.evidence[0].expected == "301 → https://soctrang.gov.vn/"
    assert out.evidence[0].found == (
        "302: http://soctrang.gov.vn/ (302) → https://portal.example.vn/ (200)"
    )


def test_redirect_judged_at_the_first_https_hop() -> None:
    # http → https on the same host, then the HTTPS site sends visitors elsewhere: HTTP is fine
    chain = HTTP_REDIRECT.model_copy(
        update={
            "final_url": "https://dichvucong.soctrang.gov.vn/",
            "redirects": (
                RedirectHop(
                    url="http://soctrang.gov.vn/", status=301, location="https://soctrang.gov.vn/"
                ),
                RedirectHop(
                    url="https://soctrang.gov.vn/",
                    status=302,
                    location="https://dichvucong.soctrang.gov.vn/",
                ),
            ),
        }
    )
    out = http_redirects_to_https(art(https=HTTPS_OK, http=chain), NoParams())
    assert out.status == "pass"
    assert out.evidence[0].found == (
        "301: http://soctrang.gov.vn/ (301) → https://soctrang.gov.vn/ (302) → "
        "https://dichvucong.soctrang.gov.vn/ (200)"
    )
    # http → http on another host → https there: not HTTPS on the same host
    hop = HTTP_REDIRECT.model_copy(
        update={
            "final_url": "https://other.vn/",
            "redirects": (
                RedirectHop(url="http://soctrang.gov.vn/", status=301, location="http://other.vn/"),
                RedirectHop(url="http://other.vn/", status=301, location="https://other.vn/"),
            ),
        }
    )
    assert http_redirects_to_https(art(https=HTTPS_OK, http=hop), NoParams()).status == "fail"


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        ("tls: certificate verify failed: certificate has expired", "has expired"),
        (
            "tls: certificate verify failed: Hostname mismatch, certificate is not valid for "
            "'soctrang.gov.vn'.",
            "for another name",
        ),
        ("tls: certificate verify failed: unable to get local issuer certificate", "not trusted"),
        ("tls: certificate verify failed: self-signed certificate", "self-signed"),
        ("tls: [SSL: TLSV1_ALERT_INTERNAL_ERROR] tlsv1 alert internal error", "handshake failed"),
    ],
)
def test_https_failure_names_the_certificate_problem(error: str, reason: str) -> None:
    probe = HTTPS_TLS_FAIL.model_copy(update={"error": error})
    out = https_available(art(https=probe, http=HTTP_PLAIN), NoParams())
    assert out.status == "fail"
    assert reason in out.evidence[0].detail.en and out.evidence[0].found == error


def test_expired_certificate_fails_the_lifetime_check() -> None:
    probe = HTTPS_TLS_FAIL.model_copy(
        update={"error": "tls: certificate verify failed: certificate has expired"}
    )
    out = https_certificate_lifetime(art(https=probe), CertificateParams())
    assert out.status == "fail" and "expired" in out.evidence[0].detail.en
    other = https_certificate_lifetime(art(https=HTTPS_TLS_FAIL), CertificateParams())
    assert other.status == "not_applicable"


def test_lifetime_evidence_names_the_date() -> None:
    out = https_certificate_lifetime(art(https=HTTPS_OK), CertificateParams())
    assert out.status == "pass" and "until 2027-06-01" in out.evidence[0].detail.en
    assert out.evidence[0].expected == ">= 30"


def test_hsts_evidence_says_missing_or_short() -> None:
    short = hsts(art(https=HTTPS_OK.model_copy(update={"hsts": "max-age=86400"})), HstsParams())
    assert short.status == "warn" and "max-age is 86400 s" in short.evidence[0].detail.en
    none = hsts(art(https=HTTPS_OK.model_copy(update={"hsts": None})), HstsParams())
    assert "No Strict-Transport-Security" in none.evidence[0].detail.en


def test_tls_version_unknown_is_error_and_minimum_validated() -> None:
    odd = HTTPS_OK.model_copy(update={"tls": TlsFacts(version="QUIC-ish")})
    out = tls_version(art(https=odd), TlsVersionParams())
    assert out.status == "error" and out.evidence[0].found == "QUIC-ish"
    old = HTTPS_OK.model_copy(update={"tls": TlsFacts(version="TLSv1")})
    warned = tls_version(art(https=old), TlsVersionParams())
    assert warned.status == "warn" and warned.evidence[0].expected == ">= TLSv1.2"
    with pytest.raises(ValidationError):
        TlsVersionParams(minimum="TLS1.2")
