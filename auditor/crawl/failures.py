"""Transport failures as facts: a kind, a readable message, and whether a retry may help."""

from __future__ import annotations

import errno
import os
import re
import socket
import ssl
from dataclasses import dataclass
from typing import Literal

import httpx

from auditor.crawl.resolve import BlockedAddress, NameNotResolved

# "refused": the port answered that nothing listens (a fact about the server); "tls": the
# server's certificate or handshake was rejected (a fact); "connect": the connection failed or
# was lost (reset, cut handshake, unreachable, name not resolved: nothing learnt); "timeout",
# "protocol" (no valid HTTP exchange, a redirect loop), "other" (not requested: scope, robots,
# non-public address). Which of them are evidence is decided in one place:
# :func:`auditor.models.probe_observed`.
ErrorKind = Literal["tls", "refused", "connect", "timeout", "protocol", "other"]

_SSL_NOISE = re.compile(r"^\[[A-Z0-9_]+: [A-Z0-9_]+\]\s*|\s*\(_ssl\.c:\d+\)$")


@dataclass(frozen=True)
class Failure:
    """Why no (complete) HTTP response was received."""

    kind: ErrorKind
    message: str  # e.g. "tls: certificate verify failed: certificate has expired"
    transient: bool = False  # worth a retry


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and its causes/contexts, outermost first, without cycles."""
    out: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in out:
        out.append(current)
        current = current.__cause__ or current.__context__
    return out


def _ssl_message(exc: ssl.SSLError) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or "unknown reason"
        return f"tls: certificate verify failed: {reason}"
    text = _SSL_NOISE.sub("", str(exc.args[1] if len(exc.args) > 1 else exc)).strip()
    return f"tls: {text or exc.reason or 'handshake failed'}"


def _text(exc: BaseException, default: str) -> str:
    text = str(exc).strip()
    return text or default


def _refused(exc: BaseException) -> bool:
    """Whether the connection was actively refused (RST to the SYN: nothing listens)."""
    return any(
        isinstance(c, ConnectionRefusedError)
        or (isinstance(c, OSError) and c.errno == errno.ECONNREFUSED)
        for c in _causes(exc)
    )


def _network_text(exc: BaseException, default: str) -> str:
    """The most specific OS reason in the chain ('connection refused', name resolution…)."""
    for cause in reversed(_causes(exc)):
        if isinstance(cause, socket.gaierror):
            return f"name resolution failed: {cause.strerror or cause}"
        if isinstance(cause, OSError) and isinstance(cause.errno, int) and cause.errno > 0:
            reason = os.strerror(cause.errno)
            return reason[:1].lower() + reason[1:]
    return _text(exc, default)


# Not a verdict on the server's TLS: the handshake ran out of time or the peer went away.
_SSL_INCONCLUSIVE = (
    ssl.SSLWantReadError,
    ssl.SSLWantWriteError,
    ssl.SSLZeroReturnError,
    ssl.SSLEOFError,
)
# TLS alerts and record errors that say the exchange went wrong this time (the server's own
# failure, a corrupted record), not what the server's TLS is: worth a retry, never a verdict.
_SSL_PASSING = ("internal error", "bad record mac", "decryption failed", "unexpected eof")


def describe(exc: BaseException, timeout_s: float) -> Failure:
    """Classify an exception raised while requesting a URL.

    Only a handshake the server refused or a certificate that failed verification is a ``tls``
    fact; a handshake that timed out or was cut off is a timeout or a lost connection, which
    says nothing about the server's TLS.
    """
    for cause in _causes(exc):
        if isinstance(cause, BlockedAddress):
            return Failure("other", str(cause))
        if isinstance(cause, NameNotResolved):
            return Failure("connect", f"connect: {cause}")
    if isinstance(exc, TimeoutError):  # the whole-request bound (a slow drip), not TLS
        return Failure("timeout", "timeout: the response took too long", True)
    if not isinstance(exc, httpx.TimeoutException):
        for cause in _causes(exc):
            if isinstance(cause, _SSL_INCONCLUSIVE):
                return Failure(
                    "connect", "connect: connection closed during the TLS handshake", True
                )
            if isinstance(cause, ssl.SSLError):
                message = _ssl_message(cause)
                if any(p in message.lower() for p in _SSL_PASSING):
                    return Failure("connect", f"connect: TLS exchange failed ({message})", True)
                return Failure("tls", message)
    if isinstance(exc, httpx.ConnectTimeout):
        return Failure("timeout", f"timeout: no connection within {timeout_s:g}s", True)
    if isinstance(exc, httpx.ReadTimeout):
        return Failure("timeout", f"timeout: no data for {timeout_s:g}s", True)
    if isinstance(exc, httpx.WriteTimeout):
        return Failure("timeout", f"timeout: request not sent within {timeout_s:g}s", True)
    if isinstance(exc, httpx.PoolTimeout):
        return Failure("timeout", f"timeout: no free connection within {timeout_s:g}s", True)
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return Failure("timeout", "timeout: the response took too long", True)
    if isinstance(exc, httpx.ConnectError) and _refused(exc):
        # retried too: a server restarting refuses for a moment
        return Failure("refused", f"connect: {_network_text(exc, 'connection refused')}", True)
    if isinstance(exc, httpx.ConnectError):
        return Failure("connect", f"connect: {_network_text(exc, 'connection failed')}", True)
    if isinstance(exc, httpx.NetworkError):  # read/write errors: reset, closed
        return Failure("connect", f"connect: {_network_text(exc, 'connection lost')}", True)
    if isinstance(exc, httpx.RemoteProtocolError):
        text = _text(exc, "invalid HTTP response")
        # a kept-alive connection the server closed as we reused it: worth one more try
        return Failure("protocol", f"protocol: {text}", "without sending a response" in text)
    if isinstance(exc, httpx.ProtocolError):
        return Failure("protocol", f"protocol: {_text(exc, 'invalid HTTP exchange')}")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return Failure("other", f"other: invalid URL: {_text(exc, type(exc).__name__)}")
    if isinstance(exc, OSError) and _refused(exc):
        return Failure("refused", f"connect: {_network_text(exc, 'connection refused')}", True)
    if isinstance(exc, OSError):
        return Failure("connect", f"connect: {_network_text(exc, type(exc).__name__)}", True)
    return Failure("other", f"other: {type(exc).__name__}: {_text(exc, 'unexpected error')}")
