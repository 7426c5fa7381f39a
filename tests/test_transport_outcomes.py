"""Every transport outcome of the HTTPS and HTTP probes, classified once
(:func:`auditor.models.probe_observed`, kinds from :func:`auditor.crawl.failures.describe`):
a definite answer (refused port, rejected certificate or handshake, an error page, a redirect
to plain HTTP) is evidence for a ``fail``; a reset, a cut handshake, a timeout, a passing error
or a request not made is "not observed" and the checks say ``error`` with the cause."""

from __future__ import annotations

import errno
import ssl

import httpx
import pytest

from auditor.checks.registry import NoParams
from auditor.checks.transport import (
    CertificateParams,
    HstsParams,
    TlsVersionParams,
    hsts,
    http_redirects_to_https,
    https_available,
    https_certificate_lifetime,
    tls_version,
)
from auditor.crawl.failures import describe
from auditor.models import RedirectHop, TransportProbe, probe_observed
from tests.factories import art
from tests.test_check_transport import HTTP_PLAIN, HTTP_REDIRECT, HTTPS_OK

S = "https://soctrang.gov.vn/"
H = "http://soctrang.gov.vn/"


def _failed(url: str, kind: str, error: str) -> TransportProbe:
    return TransportProbe(url=url, ok=False, final_url=url, error=error, error_kind=kind)  # type: ignore[arg-type]


def _answer(url: str, status: int, final: str | None = None, **extra: object) -> TransportProbe:
    return TransportProbe(url=url, ok=True, status=status, final_url=final or url, **extra)  # type: ignore[arg-type]


# HTTPS outcome → (https_available while HTTP serves the page, words in the evidence)
HTTPS_CASES: dict[str, tuple[TransportProbe, str, str]] = {
    "works": (HTTPS_OK, "pass", "valid certificate"),
    "expired": (
        _failed(S, "tls", "tls: certificate verify failed: certificate has expired"),
        "fail",
        "has expired",
    ),
    "plain-http-on-443": (_failed(S, "tls", "tls: wrong version number"), "fail", "no TLS"),
    "refused": (_failed(S, "refused", "connect: connection refused"), "fail", "refuses"),
    "error-page": (_answer(S, 404), "fail", "not usable"),
    "to-plain-http": (
        _answer(
            S,
            200,
            H,
            redirects=(RedirectHop(url=S, status=301, location=H),),
        ),
        "fail",
        "plain HTTP",
    ),
    "to-plain-http-elsewhere": (
        _answer(S, 301, off_scope="http://portal.example.vn/"),
        "fail",
        "plain HTTP",
    ),
    "reset": (_failed(S, "connect", "connect: connection reset by peer"), "error", "reset"),
    "cut-handshake": (
        _failed(S, "connect", "connect: connection closed during the TLS handshake"),
        "error",
        "lost",
    ),
    "timeout": (_failed(S, "timeout", "timeout: no data for 1s"), "error", "timed out"),
    "loop": (_failed(S, "protocol", "protocol: more than 10 redirects"), "error", "redirects"),
    "robots": (_failed(S, "other", "robots: https://x/robots.txt disallows"), "error", "robots"),
    "503": (_answer(S, 503), "error", "passing error"),
    "429": (_answer(S, 429), "error", "passing error"),
    "403-waf": (_answer(S, 403), "error", "refused the audit"),
    "401-login": (_answer(S, 401), "error", "login"),
}


@pytest.mark.parametrize("case", sorted(HTTPS_CASES))
def test_https_outcomes(case: str) -> None:
    probe, expected, words = HTTPS_CASES[case]
    out = https_available(art(https=probe, http=HTTP_PLAIN), NoParams())
    assert out.status == expected, out.evidence
    text = " ".join(f"{e.detail.en} {e.found}" for e in out.evidence)
    assert words in text, text
    assert probe_observed(probe) == (expected != "error")
    if expected == "error":  # the checks of the HTTPS answer cannot say "not applicable" either
        site = art(https=probe, http=HTTP_PLAIN)
        if probe.tls is None:
            assert https_certificate_lifetime(site, CertificateParams()).status == "error"
            assert tls_version(site, TlsVersionParams()).status == "error"
        assert hsts(site, HstsParams()).status == "error"


# HTTP outcome → http_redirects_to_https while HTTPS works
HTTP_CASES: dict[str, tuple[TransportProbe, str, str]] = {
    "redirects": (HTTP_REDIRECT, "pass", "301"),
    "serves-plain": (HTTP_PLAIN, "fail", "plain HTTP without redirecting"),
    "refused": (_failed(H, "refused", "connect: connection refused"), "pass", "closed"),
    "error-page": (_answer(H, 404), "fail", "answers 404"),
    "to-https-elsewhere": (
        _answer(H, 302, off_scope="https://portal.example.vn/"),
        "fail",
        "another host",
    ),
    "to-https-that-fails": (
        TransportProbe(
            url=H,
            ok=False,
            final_url=S,
            redirects=(RedirectHop(url=H, status=301, location=S),),
            error="connect: connection reset by peer",
            error_kind="connect",
        ),
        "pass",
        "see the HTTPS finding",
    ),
    "meta-refresh-to-https": (
        _answer(H, 200, S, redirects=(RedirectHop(url=H, status=200, location=S),)),
        "pass",
        "meta refresh",
    ),
    "reset": (_failed(H, "connect", "connect: connection reset by peer"), "error", "lost"),
    "timeout": (_failed(H, "timeout", "timeout: no data for 1s"), "error", "timed out"),
    "503": (_answer(H, 503), "error", "passing error"),
    "403-waf": (_answer(H, 403), "error", "refused the audit"),
    "to-http-then-503": (
        _answer(
            H,
            503,
            H + "portal/",
            redirects=(RedirectHop(url=H, status=302, location="/portal/"),),
        ),
        "error",
        "passing error",
    ),
}


@pytest.mark.parametrize("case", sorted(HTTP_CASES))
def test_http_outcomes(case: str) -> None:
    probe, expected, words = HTTP_CASES[case]
    out = http_redirects_to_https(art(https=HTTPS_OK, http=probe), NoParams())
    assert out.status == expected, out.evidence
    text = " ".join(f"{e.detail.en} {e.found}" for e in out.evidence)
    assert words in text, text


def _os(code: int) -> OSError:
    return OSError(code, "x")


def _wrapped(cause: BaseException, outer: type[httpx.TransportError]) -> BaseException:
    exc = outer("failed")
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (
            _wrapped(ConnectionRefusedError(errno.ECONNREFUSED, "refused"), httpx.ConnectError),
            "refused",
        ),
        (_wrapped(_os(errno.ECONNREFUSED), httpx.ConnectError), "refused"),
        (_wrapped(ConnectionResetError(errno.ECONNRESET, "reset"), httpx.ConnectError), "connect"),
        (_wrapped(ConnectionResetError(errno.ECONNRESET, "reset"), httpx.ReadError), "connect"),
        (_wrapped(_os(errno.EHOSTUNREACH), httpx.ConnectError), "connect"),
        (
            _wrapped(
                ssl.SSLEOFError(8, "EOF occurred in violation of protocol"), httpx.ConnectError
            ),
            "connect",
        ),
        (
            _wrapped(
                ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"),
                httpx.ConnectError,
            ),
            "tls",
        ),
        (
            _wrapped(
                ssl.SSLError(1, "[SSL: TLSV1_ALERT_INTERNAL_ERROR] tlsv1 alert internal error"),
                httpx.ConnectError,
            ),
            "connect",
        ),
        (httpx.ConnectTimeout("slow"), "timeout"),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), "protocol"),
    ],
)
def test_failures_are_classified(exc: BaseException, kind: str) -> None:
    failure = describe(exc, 1.0)
    assert failure.kind == kind, failure
    assert failure.transient or kind in ("tls", "protocol")
