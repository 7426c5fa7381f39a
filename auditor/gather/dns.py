"""DNS facts of an agency's host: A, AAAA, DNSSEC signs (Lâm Đồng Đ4 k2; Tuyên Quang Đ2 k2;
NĐ 224/2026 Đ11 k4; TT 32/2017 Đ15 k4).

One asynchronous lookup with dnspython, bounded by ``timeout`` (the queries run side by side, so
the whole lookup takes about one timeout at worst). Failures are facts in the result, never
exceptions: a machine without a working resolver gets a :class:`DnsFacts` whose errors say so,
and the checks report ``error`` ("could not tell"), never ``fail``. Only a malformed
``server`` raises (:class:`~auditor.errors.UsageError`): that is the user's to fix.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging

import dns.asyncresolver
import dns.exception
import dns.flags
import dns.name
import dns.rdatatype
import dns.resolver

from auditor.config import CrawlSettings
from auditor.crawl.resolve import parse_dns_server
from auditor.models import DnsFacts

__all__ = ["lookup_dns", "parse_dns_server", "site_dns"]

logger = logging.getLogger(__name__)

MAX_TIMEOUT_S = 3.0  # a scan's DNS lookup never waits longer than this per query


def _server_text(addr: str, port: int) -> str:
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def _make_resolver(server: tuple[str, int] | None, timeout: float) -> dns.asyncresolver.Resolver:
    """A resolver asking ``server`` (or the system's), with the DO bit for DNSSEC signs."""
    if server is None:
        resolver = dns.asyncresolver.Resolver()  # may raise NoResolverConfiguration
    else:
        resolver = dns.asyncresolver.Resolver(configure=False)
        resolver.nameservers = [server[0]]
        resolver.port = server[1]
    resolver.timeout = timeout
    resolver.lifetime = timeout
    resolver.use_edns(0, dns.flags.DO, 1232)
    return resolver


def _describe(exc: BaseException, name: str, where: str, timeout: float) -> str:
    """A failure as 'kind: detail'."""
    if isinstance(exc, dns.resolver.NXDOMAIN):
        return f"nxdomain: {name} does not exist in DNS ({where})"
    if isinstance(exc, dns.exception.Timeout):
        return f"timeout: no answer from {where} within {timeout:g} s"
    if isinstance(exc, dns.resolver.NoNameservers):
        return f"servfail: {where} could not answer (SERVFAIL or REFUSED)"
    if isinstance(exc, OSError):
        return f"connect: {where}: {exc}"
    return f"other: {where}: {exc}"


class _Answer:
    """Records of one query, whether RRSIGs came with them, or why there are none."""

    def __init__(self, records: tuple[str, ...] = (), signed: bool = False, error: str = ""):
        self.records = records
        self.signed = signed
        self.error = error or None


async def _query(
    resolver: dns.asyncresolver.Resolver,
    name: dns.name.Name,
    rdtype: dns.rdatatype.RdataType,
    where: str,
    timeout: float,
) -> _Answer:
    try:
        answer = await resolver.resolve(name, rdtype, raise_on_no_answer=False, lifetime=timeout)
    except (dns.exception.DNSException, OSError) as exc:
        return _Answer(error=_describe(exc, name.to_text(omit_final_dot=True), where, timeout))
    records = tuple(sorted(r.to_text() for r in answer.rrset)) if answer.rrset else ()
    signed = any(rrset.rdtype == dns.rdatatype.RRSIG for rrset in answer.response.answer)
    return _Answer(records, signed)


async def lookup_dns(host: str, server: str | None, timeout: float) -> DnsFacts:
    """A, AAAA (with RRSIG presence) and DS of ``host`` through ``server`` (``ADDR[:PORT]``;
    ``None``: the system's resolvers). Every failure is recorded in the facts; only a
    malformed ``server`` raises :class:`UsageError`.

    Only the host's own records count as DNSSEC evidence: RRSIGs on its address answers, or a DS
    at its own name (the apex of a signed delegated zone). A DS on a parent says nothing about a
    child that may be delegated to an unsigned zone.
    """
    target = parse_dns_server(server) if server is not None else None
    where = _server_text(*target) if target else "the system's resolvers"
    host = host.strip().lower().rstrip(".")
    base = DnsFacts(host=host, server=_server_text(*target) if target else None)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return base.model_copy(update={"error": f"other: {host} is an address, not a name"})
    try:
        name = dns.name.from_text(host)
    except (dns.exception.DNSException, UnicodeError) as exc:
        return base.model_copy(update={"error": f"other: {host!r} is not a DNS name ({exc})"})
    try:
        resolver = _make_resolver(target, timeout)
    except dns.resolver.NoResolverConfiguration:
        return base.model_copy(
            update={"error": "no-resolver: this machine has no DNS resolver; use --dns-server"}
        )
    a, aaaa, ds = await asyncio.gather(
        _query(resolver, name, dns.rdatatype.A, where, timeout),
        _query(resolver, name, dns.rdatatype.AAAA, where, timeout),
        _query(resolver, name, dns.rdatatype.DS, where, timeout),
    )
    ds_zone = host if ds.records else None
    ds_errors = [ds.error] if ds.error and not ds.error.startswith("nxdomain") else []
    if a.error and aaaa.error:  # the name itself could not be resolved: nothing to tell
        ds_errors.insert(0, aaaa.error)
    dnssec_error = None
    if ds_zone is None and not (a.signed or aaaa.signed) and ds_errors:
        dnssec_error = ds_errors[0]
    facts = base.model_copy(
        update={
            "a": a.records,
            "aaaa": aaaa.records,
            "a_error": a.error,
            "aaaa_error": aaaa.error,
            "ds": ds_zone is not None,
            "ds_zone": ds_zone,
            "rrsig": a.signed or aaaa.signed,
            "dnssec_error": dnssec_error,
        }
    )
    logger.debug("dns %s via %s: %s", host, where, facts)
    return facts


def _routed(host: str, settings: CrawlSettings) -> bool:
    """Whether ``--connect-to`` sends this host's web ports elsewhere (staging, demo)."""
    return any(rule.matches(host, port) for rule in settings.connect_to for port in (443, 80))


async def site_dns(host: str, settings: CrawlSettings) -> DnsFacts:
    """The DNS facts a scan records for an agency's host, under the scan's policy.

    With ``settings.dns_server`` the lookup always runs through it. Without it, a host that
    ``--connect-to`` routes elsewhere (a staging server, the demo) is not looked up: the public
    DNS of its final name says nothing about the server audited, so the facts carry an
    explanatory ``error`` and the checks say ``error``. Otherwise the system's resolvers are
    asked. The timeout is the crawl's, capped at :data:`MAX_TIMEOUT_S`; the whole lookup is
    bounded too, so a scan never hangs on DNS.
    """
    if settings.dns_server is None and _routed(host, settings):
        return DnsFacts(
            host=host.strip().lower().rstrip("."),
            error="skipped: the host is routed by --connect-to; give --dns-server to look it up",
        )
    timeout = min(settings.timeout_s, MAX_TIMEOUT_S)
    try:
        return await asyncio.wait_for(
            lookup_dns(host, settings.dns_server, timeout), timeout=3 * timeout + 1
        )
    except TimeoutError:
        return DnsFacts(
            host=host.strip().lower().rstrip("."),
            server=settings.dns_server,
            error=f"timeout: the DNS lookup did not finish within {3 * timeout + 1:g} s",
        )
