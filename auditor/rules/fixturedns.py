"""A loopback DNS server for rule fixtures, so that DNS rules (IPv6, DNSSEC) can be tested.

Each fixture round serves its hosts: an A record (127.0.0.1) always, an AAAA record (::1) unless
the case says ``dns: {aaaa: false}``, and a DS record when it says ``dns: {signed: true}``. Other
names do not exist. It needs ``dnslib`` (a test dependency); without it :func:`start_dns` returns
``None`` and the DNS facts of the scan say they could not be looked up (``error``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

DS_RDATA = ("12345", "13", "2", "49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE")


@dataclass(frozen=True)
class HostDns:
    """What the fixture DNS says of one host."""

    aaaa: bool = True
    signed: bool = False


class FixtureDns:
    """A running loopback DNS server; :attr:`address` is ``127.0.0.1:PORT``."""

    def __init__(self, server: Any) -> None:
        self._server = server
        self.address = f"127.0.0.1:{server.server.server_address[1]}"

    def close(self) -> None:
        """Stop answering and close the port."""
        self._server.stop()
        self._server.server.server_close()


def start_dns(hosts: dict[str, HostDns]) -> FixtureDns | None:
    """Serve ``hosts`` on a loopback UDP port, or ``None`` when dnslib is not installed."""
    try:
        from dnslib import AAAA, DS, QTYPE, RCODE, RR, A, DNSRecord  # type: ignore[import-untyped]
        from dnslib.server import DNSLogger, DNSServer  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - dnslib is a test dependency
        logger.info("dnslib is not installed: rule fixtures run without DNS")
        return None
    zone = {h.lower().rstrip(".") + ".": d for h, d in hosts.items()}
    parents = {".".join(n.split(".")[i:]) for n in zone for i in range(len(n.split(".")) - 1)}

    class _Resolver:
        def resolve(self, request: DNSRecord, handler: object) -> DNSRecord:
            reply = request.reply()
            name = str(request.q.qname).lower()
            qtype = QTYPE[request.q.qtype]
            facts = zone.get(name)
            if facts is None:
                if name not in parents:
                    reply.header.rcode = RCODE.NXDOMAIN
                return reply
            if qtype == "A":
                reply.add_answer(RR(name, QTYPE.A, rdata=A("127.0.0.1"), ttl=300))
            elif qtype == "AAAA" and facts.aaaa:
                reply.add_answer(RR(name, QTYPE.AAAA, rdata=AAAA("::1"), ttl=300))
            elif qtype == "DS" and facts.signed:
                tag, alg, digest_type, digest = DS_RDATA
                rdata = DS(int(tag), int(alg), int(digest_type), bytes.fromhex(digest))
                reply.add_answer(RR(name, QTYPE.DS, rdata=rdata, ttl=300))
            return reply

    quiet = DNSLogger(logf=lambda _s: None)
    server = DNSServer(_Resolver(), address="127.0.0.1", port=0, logger=quiet)
    server.start_thread()
    return FixtureDns(server)
