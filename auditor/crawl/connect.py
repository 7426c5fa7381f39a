"""curl-style ``--connect-to``: parse the option and reroute TCP connections accordingly.

Only the TCP target changes: httpcore starts TLS with the origin's host, so the Host header,
the TLS SNI and the certificate hostname check stay those of the URL, as with curl.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence

import httpcore

from auditor.config import ConnectTo
from auditor.crawl.streams import AsyncioBackend, SocketOption
from auditor.errors import UsageError
from auditor.models import t

logger = logging.getLogger(__name__)

# HOST and ADDR may be bracketed IPv6 literals; PORTs are digits (checked below) or empty.
_FIELD = r"(\[[^\]]*\]|[^:\[\]]*)"
_CONNECT_TO = re.compile(rf"^{_FIELD}:([^:]*):{_FIELD}:([^:]*)$")


def _port(text: str, what: str, option: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise UsageError(
            t(
                f"--connect-to {option!r}: {what} {text!r} không phải là số",
                f"--connect-to {option!r}: {what} {text!r} is not a number",
            )
        )
    value = int(text)
    if not 1 <= value <= 65535:
        raise UsageError(
            t(
                f"--connect-to {option!r}: {what} {value} nằm ngoài khoảng 1-65535",
                f"--connect-to {option!r}: {what} {value} is out of range 1-65535",
            )
        )
    return value


def _unbracket(text: str) -> str:
    text = text.strip()
    return text[1:-1] if text.startswith("[") and text.endswith("]") else text


def parse_connect_to(text: str) -> ConnectTo:
    """Parse curl's ``HOST:PORT:ADDR:PORT``; raise :class:`UsageError` on bad input.

    An empty HOST or first PORT matches any; an empty last PORT keeps the requested port;
    ADDR may be an IPv6 literal in brackets (``[::1]``).
    """
    match = _CONNECT_TO.match(text.strip())
    if match is None:
        fields = len(re.sub(r"\[[^\]]*\]", "x", text).split(":"))
        raise UsageError(
            t(
                f"--connect-to {text!r}: cần HOST:PORT:ADDR:PORT (4 trường cách nhau bởi ':', "
                f"địa chỉ IPv6 trong ngoặc vuông), nhận được {fields} trường",
                f"--connect-to {text!r}: expected HOST:PORT:ADDR:PORT (4 fields separated by ':',"
                f" IPv6 addresses in brackets), got {fields} field(s)",
            )
        )
    host, port, addr, addr_port = match.groups()
    address = _unbracket(addr)
    if not address:
        raise UsageError(
            t(
                f"--connect-to {text!r}: ADDR (địa chỉ để kết nối) trống",
                f"--connect-to {text!r}: ADDR (the address to connect to) is empty",
            )
        )
    return ConnectTo(
        host=_unbracket(host).lower().rstrip("."),
        port=_port(port, "PORT", text),
        addr=address,
        addr_port=_port(addr_port, "ADDR port", text),
    )


def resolve(rules: Sequence[ConnectTo], host: str, port: int) -> tuple[str, int]:
    """Where a connection to ``host:port`` goes: the first matching rule's target, else itself."""
    bare = host.rstrip(".")
    for rule in rules:
        if rule.matches(bare, port):
            return rule.addr, rule.addr_port if rule.addr_port is not None else port
    return host, port


class WrappingBackend(httpcore.AsyncNetworkBackend):
    """A network backend that wraps another: everything but ``connect_tcp`` is delegated."""

    _backend: httpcore.AsyncNetworkBackend

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Delegate to the wrapped backend."""
        return await self._backend.connect_unix_socket(
            path, timeout=timeout, socket_options=socket_options
        )

    async def sleep(self, seconds: float) -> None:
        """Delegate to the wrapped backend."""
        await self._backend.sleep(seconds)


class ConnectToBackend(WrappingBackend):
    """A network backend that sends TCP connections where ``--connect-to`` rules say.

    Everything else (TLS, reads, sleeps, Unix sockets) is the wrapped backend's, by default
    the asyncio backend (:mod:`auditor.crawl.streams`).
    """

    def __init__(
        self, rules: Iterable[ConnectTo], backend: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self.rules = tuple(rules)
        self._backend = backend if backend is not None else AsyncioBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to the rerouted address of ``host:port``."""
        addr, addr_port = resolve(self.rules, host, port)
        if (addr, addr_port) != (host, port):
            logger.debug("connect-to: %s:%d -> %s:%d", host, port, addr, addr_port)
        return await self._backend.connect_tcp(
            addr,
            addr_port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )
