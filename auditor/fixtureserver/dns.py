"""A loopback DNS server for the fixture portals, so that DNS rules (IPv6, DNSSEC) are checked.

Every served name answers an A record (127.0.0.1); an AAAA record (``::1``) unless its facts say
``aaaa=False``; and, when ``signed=True``, a DS record for a DS query and an RRSIG alongside its
A/AAAA answers. Parents of served names exist without records (NOERROR, no answer); every other
name is NXDOMAIN. It listens on UDP, and on TCP at the same port when that port is free for TCP.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from dnslib import (  # type: ignore[import-untyped]
    AAAA,
    DS,
    QTYPE,
    RCODE,
    RR,
    RRSIG,
    A,
    DNSLabel,
    DNSRecord,
)
from dnslib.server import DNSLogger, DNSServer  # type: ignore[import-untyped]

logger = logging.getLogger(__name__)

TTL = 300
BIND_ATTEMPTS = 20  # UDP ports tried for one whose number is free for TCP too
POLL_S = 0.05
DS_DIGEST = bytes.fromhex("49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE8F0A2B7C3D4E5F60718293A4")
# digest type 2 (SHA-256): 32 bytes, or resolvers reject the answer as malformed
SIGNATURE = bytes(64)  # a placeholder signature: the auditor notes RRSIGs, it does not validate


@dataclass(frozen=True)
class HostDns:
    """What the fixture DNS says of one host: an AAAA record, DNSSEC signs."""

    aaaa: bool = True
    signed: bool = False


def _key(name: str) -> str:
    return name.strip().lower().rstrip(".") + "."


class _Resolver:
    """dnslib resolver over a fixed table of names."""

    def __init__(self, hosts: Mapping[str, HostDns]) -> None:
        self.zone = {_key(h): facts for h, facts in hosts.items()}
        self.parents = {
            ".".join(n.split(".")[i:]) for n in self.zone for i in range(1, n.count("."))
        }

    def resolve(self, request: DNSRecord, handler: object) -> DNSRecord:
        reply = request.reply()
        name = str(request.q.qname).lower()
        qtype = QTYPE[request.q.qtype]
        facts = self.zone.get(name)
        if facts is None:
            if name not in self.parents:
                reply.header.rcode = RCODE.NXDOMAIN
            return reply
        if qtype == "A":
            self._answer(reply, name, QTYPE.A, A("127.0.0.1"), facts)
        elif qtype == "AAAA" and facts.aaaa:
            self._answer(reply, name, QTYPE.AAAA, AAAA("::1"), facts)
        elif qtype == "DS" and facts.signed:
            reply.add_answer(RR(name, QTYPE.DS, rdata=DS(12345, 13, 2, DS_DIGEST), ttl=TTL))
        return reply

    @staticmethod
    def _answer(reply: DNSRecord, name: str, rtype: int, rdata: Any, facts: HostDns) -> None:
        reply.add_answer(RR(name, rtype, rdata=rdata, ttl=TTL))
        if facts.signed:
            sig = RRSIG(
                rtype, 13, name.count("."), TTL, 2_000_000_000, 1_700_000_000, 12345,
                DNSLabel(name), SIGNATURE,
            )  # fmt: skip
            reply.add_answer(RR(name, QTYPE.RRSIG, rdata=sig, ttl=TTL))


class FixtureDns:
    """A loopback DNS server answering for ``hosts``; :attr:`address` is ``127.0.0.1:PORT``.

    Use as a context manager (or :meth:`start` / :meth:`close`).
    """

    def __init__(self, hosts: Mapping[str, HostDns], host: str = "127.0.0.1") -> None:
        self.hosts = dict(hosts)
        self.host = host
        self._servers: list[Any] = []
        self._threads: list[threading.Thread] = []

    def start(self) -> FixtureDns:
        """Bind a UDP port (and TCP on the same port when free) and answer in daemon threads."""
        if self._servers:
            return self
        resolver = _Resolver(self.hosts)
        quiet = DNSLogger(logf=lambda _s: None)
        # DNS answers on UDP and TCP at one port number: try a few UDP ports until the same
        # number is free for TCP too (another process may hold it for TCP); UDP alone at worst
        for attempt in range(BIND_ATTEMPTS):
            udp = DNSServer(resolver, address=self.host, port=0, logger=quiet)
            self._servers = [udp]
            try:
                tcp = DNSServer(resolver, address=self.host, port=self.port, logger=quiet, tcp=True)
            except OSError as exc:
                logger.debug("fixture DNS: no TCP on port %d: %s", self.port, exc)
                if attempt < BIND_ATTEMPTS - 1:
                    udp.server.server_close()
            else:
                self._servers.append(tcp)
                break
        for server in self._servers:  # not dnslib's start_thread: its 0.5 s poll slows close()
            thread = threading.Thread(
                target=server.server.serve_forever,
                kwargs={"poll_interval": POLL_S},
                name="fixture-dns",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        logger.info("fixture DNS on %s (%d names)", self.address, len(self.hosts))
        return self

    @property
    def port(self) -> int:
        """The port bound (UDP, and TCP when it could be bound too)."""
        if not self._servers:
            raise RuntimeError("the fixture DNS is not started")
        return int(self._servers[0].server.server_address[1])

    @property
    def address(self) -> str:
        """``ADDR:PORT``, as ``--dns-server`` and ``CrawlSettings.dns_server`` take it."""
        addr = f"[{self.host}]" if ":" in self.host else self.host
        return f"{addr}:{self.port}"

    def close(self) -> None:
        """Stop answering and close the ports."""
        for server, thread in zip(self._servers, self._threads, strict=False):
            if thread.is_alive():
                with contextlib.suppress(OSError):
                    server.server.shutdown()
            server.server.server_close()
            thread.join(POLL_S * 20)
        self._servers, self._threads = [], []

    def __enter__(self) -> FixtureDns:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def start_dns(hosts: Mapping[str, HostDns], host: str = "127.0.0.1") -> FixtureDns:
    """A started :class:`FixtureDns` for ``hosts`` (close it when done)."""
    return FixtureDns(hosts, host).start()
