"""Where a request may connect: host names resolved once, and only public addresses used.

The check is made on the resolved address the connection then uses, so a name that resolves to
a private address (DNS rebinding included) is refused whatever the URL looked like. Addresses
given by ``--connect-to`` are the user's choice and trusted; ``--allow-private`` (a staging
network) lifts the check.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Iterable, Sequence

import dns.asyncresolver
import dns.exception
import dns.rdatatype
import dns.resolver
import httpcore

from auditor.config import ConnectTo
from auditor.crawl.connect import WrappingBackend, resolve
from auditor.crawl.streams import AsyncioBackend, SocketOption
from auditor.errors import UsageError
from auditor.models import t

logger = logging.getLogger(__name__)

DEFAULT_PORT = 53
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


class BlockedAddress(httpcore.ConnectError):
    """A connection the scope forbids: the host resolves only to non-public addresses."""


class NameNotResolved(httpcore.ConnectError):
    """The host name does not resolve (NXDOMAIN, no address, no answer)."""


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries (mapped, 6to4, Teredo client, NAT64)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(address: str | IPAddress) -> bool:
    """Whether ``address`` is a public unicast address: not private (RFC 1918, ULA), loopback,
    link-local, CGNAT (100.64/10), multicast, unspecified, reserved or documentation, in any
    IPv4-in-IPv6 form."""
    try:
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id or ip in _NAT64_LOCAL:
            return False
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return is_public(inner)
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def parse_dns_server(value: str) -> tuple[str, int]:
    """``ADDR[:PORT]`` → (address, port). IPv6 with a port is written ``[ADDR]:PORT``.

    >>> parse_dns_server("127.0.0.1:5353"), parse_dns_server("[::1]:53"), parse_dns_server("::1")
    (('127.0.0.1', 5353), ('::1', 53), ('::1', 53))
    """
    text = value.strip()
    port_text: str | None = None
    if text.startswith("["):
        addr, sep, rest = text[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise UsageError(
                t(
                    f"--dns-server {value!r}: cần ADDR[:PORT] hoặc [IPv6]:PORT",
                    f"--dns-server {value!r}: expected ADDR[:PORT] or [IPv6]:PORT",
                )
            )
        port_text = rest[1:] if rest else None
    elif text.count(":") == 1:
        addr, port_text = text.split(":")
    else:
        addr = text  # IPv4, or IPv6 without a port
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        raise UsageError(
            t(
                f"--dns-server {value!r}: {addr!r} không phải địa chỉ IP (cần ADDR[:PORT])",
                f"--dns-server {value!r}: {addr!r} is not an IP address (expected ADDR[:PORT])",
            )
        ) from None
    port = DEFAULT_PORT
    if port_text is not None:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise UsageError(
                t(
                    f"--dns-server {value!r}: cổng phải từ 1 đến 65535",
                    f"--dns-server {value!r}: port must be 1–65535",
                )
            )
        port = int(port_text)
    return str(ip), port


async def _dns_addresses(host: str, server: tuple[str, int], timeout: float) -> list[str]:
    resolver = dns.asyncresolver.Resolver(configure=False)
    resolver.nameservers = [server[0]]
    resolver.port = server[1]
    resolver.timeout = resolver.lifetime = timeout
    out: list[str] = []
    for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
        try:
            answer = await resolver.resolve(host, rdtype, raise_on_no_answer=False)
        except dns.resolver.NXDOMAIN:
            break
        except (dns.exception.DNSException, OSError) as exc:
            logger.debug("DNS %s %s: %s", host, rdtype, exc)
            continue
        out.extend(r.to_text() for r in answer.rrset or ())
    return out


async def _system_addresses(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise NameNotResolved(f"name resolution failed: {exc.strerror or exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def addresses(
    host: str, port: int, dns_server: tuple[str, int] | None, timeout: float
) -> list[str]:
    """The addresses of ``host`` (itself when it is an IP literal), via ``dns_server`` when
    given, else the system's resolver; raises :class:`NameNotResolved` when there are none."""
    bare = host.strip("[]")
    try:
        return [str(ipaddress.ip_address(bare))]
    except ValueError:
        pass
    async with asyncio.timeout(timeout):
        if dns_server is not None:
            found = await _dns_addresses(bare, dns_server, timeout)
        else:
            found = await _system_addresses(bare, port)
    if not found:
        raise NameNotResolved(f"name resolution failed: {bare} has no address")
    return found


class GuardedBackend(WrappingBackend):
    """A network backend that connects where ``--connect-to`` rules say, and otherwise only to
    public addresses of the resolved host (unless ``allow_private``)."""

    def __init__(
        self,
        rules: Iterable[ConnectTo] = (),
        *,
        allow_private: bool = False,
        dns_server: str | None = None,
        backend: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.rules: Sequence[ConnectTo] = tuple(rules)
        self.allow_private = allow_private
        self.dns_server = parse_dns_server(dns_server) if dns_server else None
        self._backend = backend if backend is not None else AsyncioBackend()

    async def _targets(self, host: str, port: int, timeout: float | None) -> list[str]:
        """Addresses to try for ``host``; raises when none may be used."""
        try:
            found = await addresses(host, port, self.dns_server, timeout or 10.0)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"no address for {host} in time") from exc
        if self.allow_private:
            return found
        public = [a for a in found if is_public(a)]
        if not public:
            raise BlockedAddress(
                f"blocked: {host} resolves to the non-public address {found[0]}"
                " (give --allow-private to audit a private network)"
            )
        return public

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to ``host:port`` as routed by ``--connect-to``, else to a checked address."""
        addr, addr_port = resolve(self.rules, host, port)
        if (addr, addr_port) != (host, port):  # the user's own route: trusted
            targets = [addr]
        else:
            targets = await self._targets(host, port, timeout)
        error: Exception | None = None
        for target in targets:
            try:
                return await self._backend.connect_tcp(
                    target,
                    addr_port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error
