"""TLS of the fixture server: a test CA made at start and one certificate per host, chosen by SNI.

Certificate modes (``_site.yaml`` ``cert:``): ``valid`` (issued by the test CA for the host and its
aliases), ``expired`` (same, validity ended a year ago), ``wrong-host`` (issued by the test CA for
another name), ``untrusted`` (issued by a second CA nobody trusts), ``self-signed``. A site with
``tls: false`` makes the handshake for its name fail.
"""

from __future__ import annotations

import datetime as dt
import logging
import ssl
from collections.abc import Iterable
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from auditor.fixtureserver.sites import CertMode, Site

logger = logging.getLogger(__name__)

WRONG_HOST = "wrong-host.invalid"
_ALPN = ["http/1.1"]


def _context() -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.set_alpn_protocols(_ALPN)
    return ctx


def _self_signed_pem(names: tuple[str, ...]) -> bytes:
    """Key and certificate (PEM) of a self-signed leaf for ``names``."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem + cert.public_bytes(serialization.Encoding.PEM)


class TlsSetup:
    """The test CA, the per-host server contexts and the SNI callback that picks them."""

    def __init__(self, sites: dict[str, Site], workdir: Path) -> None:
        self.ca = trustme.CA(organization_name="auditor fixture server test CA")
        self._other_ca: trustme.CA | None = None
        self._workdir = workdir
        self._sites = sites
        self._contexts: dict[str, ssl.SSLContext] = {}
        self.ca_pem_path = workdir / "fixture-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_pem_path))
        self.default = _context()
        self.ca.issue_cert("localhost", "127.0.0.1", "::1").configure_cert(self.default)
        self.default.sni_callback = self._pick
        for site in {id(s): s for s in sites.values()}.values():
            if site.config.tls:
                ctx = self._site_context(site.config.cert, site.names)
                for name in site.names:
                    self._contexts[name] = ctx

    def _site_context(self, mode: CertMode, names: tuple[str, ...]) -> ssl.SSLContext:
        ctx = _context()
        if mode == "self-signed":
            pem = self._workdir / f"self-signed-{names[0]}.pem"
            pem.write_bytes(_self_signed_pem(names))
            ctx.load_cert_chain(pem)
            return ctx
        self._issue(mode, names).configure_cert(ctx)
        return ctx

    def _issue(self, mode: CertMode, names: Iterable[str]) -> trustme.LeafCert:
        if mode == "expired":
            now = dt.datetime.now(dt.UTC)
            return self.ca.issue_cert(
                *names,
                not_before=now - dt.timedelta(days=730),
                not_after=now - dt.timedelta(days=365),
            )
        if mode == "wrong-host":
            return self.ca.issue_cert(WRONG_HOST)
        if mode == "untrusted":
            if self._other_ca is None:
                self._other_ca = trustme.CA(organization_name="untrusted fixture CA")
            return self._other_ca.issue_cert(*names)
        return self.ca.issue_cert(*names)

    def _pick(
        self, sock: ssl.SSLSocket | ssl.SSLObject, server_name: str | None, _ctx: ssl.SSLContext
    ) -> int | None:
        """SNI callback: the host's context, a handshake failure for ``tls: false`` hosts."""
        if server_name is None:
            return None
        name = server_name.lower().rstrip(".")
        ctx = self._contexts.get(name)
        if ctx is not None:
            sock.context = ctx
            return None
        if name in self._sites:
            logger.debug("TLS refused for %s (tls: false)", name)
            return ssl.ALERT_DESCRIPTION_HANDSHAKE_FAILURE
        return None
