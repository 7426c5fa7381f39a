"""TLS facts (version, certificate names and dates) of an httpx response's connection."""

from __future__ import annotations

import logging
import ssl
import weakref
from datetime import UTC, datetime
from typing import Any

import httpx

from auditor.errors import LogText
from auditor.models import TlsFacts

logger = logging.getLogger(__name__)

_SHORT = {
    "commonName": "CN",
    "organizationName": "O",
    "organizationalUnitName": "OU",
    "countryName": "C",
    "localityName": "L",
    "stateOrProvinceName": "ST",
    "emailAddress": "emailAddress",
}


def _name(rdns: Any) -> str | None:
    """'CN=x, O=y' from ``getpeercert()``'s tuple-of-RDNs form."""
    parts: list[str] = []
    for rdn in rdns or ():
        for key, value in rdn:
            parts.append(f"{_SHORT.get(key, key)}={value}")
    return ", ".join(parts) or None


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromtimestamp(ssl.cert_time_to_seconds(value), tz=UTC)
    except ValueError:
        return None


def tls_facts_of(ssl_object: ssl.SSLObject | ssl.SSLSocket | None) -> TlsFacts | None:
    """Version and certificate facts of a verified TLS connection."""
    if ssl_object is None:
        return None
    cert: dict[str, Any] = dict(ssl_object.getpeercert() or {})
    names = tuple(
        str(value)
        for kind, value in cert.get("subjectAltName", ())
        if kind in ("DNS", "IP Address")
    )
    return TlsFacts(
        version=ssl_object.version(),
        cert_subject=_name(cert.get("subject")),
        cert_issuer=_name(cert.get("issuer")),
        cert_not_before=_when(cert.get("notBefore")),
        cert_not_after=_when(cert.get("notAfter")),
        cert_names=names,
    )


# The facts of each open connection, read once: a kept-alive connection carries many
# responses, and reading its certificate back from OpenSSL for each cost 3.5 % of a scan's
# event loop. Dropped with the connection.
_FACTS: weakref.WeakKeyDictionary[ssl.SSLObject | ssl.SSLSocket, TlsFacts | None] = (
    weakref.WeakKeyDictionary()
)


def response_tls(response: httpx.Response) -> TlsFacts | None:
    """TLS facts of the connection ``response`` came over (``None`` for plain HTTP or mocks)."""
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    try:
        ssl_object = stream.get_extra_info("ssl_object")
    except Exception:  # a backend without this extra; facts are optional
        logger.debug(
            LogText("không có ssl_object cho %s", "no ssl_object on %s"),
            response.url,
            exc_info=True,
        )
        return None
    if not isinstance(ssl_object, ssl.SSLObject | ssl.SSLSocket):
        return None
    try:
        return _FACTS[ssl_object]
    except KeyError:
        facts = _FACTS[ssl_object] = tls_facts_of(ssl_object)
        return facts
