"""An httpcore network backend on asyncio's own transports (TCP, and TLS by ``loop.start_tls``).

httpcore's backend under asyncio is AnyIO's, whose TLS stream runs OpenSSL's memory buffers
from Python around every read and write and looks each socket attribute up through several
layers: about a sixth of a province scan's event loop (bench/README.md, "Eighth round").
asyncio's transports do the same work with fewer steps; this module adapts them to httpcore's
stream interface: reads and writes with their timeouts, TLS on an open connection, and the
extras httpcore and the auditor read (``ssl_object``, addresses, the socket, whether an idle
connection has something to read). Errors map to httpcore's as its AnyIO backend maps them.
"""

from __future__ import annotations

import asyncio
import asyncio.sslproto
import contextlib
import socket
import ssl
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore

# httpcore's socket option type (same shape as ``httpcore._backends.base.SOCKET_OPTION``).
SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)

_HIGH_WATER = 256 * 1024  # bytes received and not yet read before reading from the socket pauses

# asyncio's TLS protocol keeps a read buffer of this size per connection, filled before it is
# used: 256 kB by default, 32 MB over the 128 connections a province scan may hold open. A TLS
# record is at most 16 kB; 64 kB reads four at a time.
asyncio.sslproto.SSLProtocol.max_size = 64 * 1024


@contextlib.contextmanager
def _mapped(timeout: type[Exception], error: type[Exception]) -> Iterator[None]:
    """Re-raise a timeout as ``timeout`` and a socket or TLS failure as ``error``."""
    try:
        yield
    except TimeoutError as exc:
        raise timeout(str(exc) or "timed out") from exc
    except (OSError, EOFError) as exc:  # ssl.SSLError is an OSError
        raise error(str(exc) or type(exc).__name__) from exc


class _Protocol(asyncio.Protocol):
    """Received bytes in a queue of chunks, the end of the stream, and write flow control."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.transport: asyncio.Transport | None = None
        self._chunks: deque[bytes] = deque()
        self._buffered = 0
        self._eof = False
        self._closed = False
        self._lost: Exception | None = None
        self._reader: asyncio.Future[None] | None = None
        self._writable: asyncio.Future[None] | None = None
        self._reading_paused = False

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self._chunks.append(data)
        self._buffered += len(data)
        if self._buffered > _HIGH_WATER and not self._reading_paused and self.transport:
            self._reading_paused = True
            self.transport.pause_reading()
        self._wake_reader()

    def eof_received(self) -> bool:
        self._eof = True
        self._wake_reader()
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._eof:  # an error after the peer's clean end does not undo it
            self._lost = exc
        self._eof = self._closed = True
        self._wake_reader()
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)  # a writer waiting wakes and finds it closed

    def pause_writing(self) -> None:
        if self._writable is None or self._writable.done():
            self._writable = self._loop.create_future()

    def resume_writing(self) -> None:
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)
        self._writable = None

    # the stream's side

    def _wake_reader(self) -> None:
        if self._reader is not None and not self._reader.done():
            self._reader.set_result(None)

    @property
    def ended(self) -> bool:
        """The peer closed its side, or the connection is gone."""
        return self._eof

    @property
    def readable(self) -> bool:
        """Bytes or the end of the stream wait to be read."""
        return bool(self._chunks) or self._eof

    async def _wait(self, future: asyncio.Future[None], timeout: float | None) -> None:
        """Wait for ``future``; :class:`TimeoutError` after ``timeout`` seconds."""
        if timeout is None:
            await future
            return
        timer = self._loop.call_later(timeout, _expire, future)
        try:
            await future
        finally:
            timer.cancel()

    async def read(self, max_bytes: int, timeout: float | None) -> bytes:
        """Up to ``max_bytes`` received bytes, waiting at most ``timeout`` for some; ``b""``
        at the end of the stream."""
        if not self._chunks and not self._eof:
            self._reader = self._loop.create_future()
            try:
                await self._wait(self._reader, timeout)
            finally:
                self._reader = None
        if not self._chunks:
            if self._lost is not None:  # reset, or a TLS record cut: not a clean end
                raise ConnectionResetError(str(self._lost) or "connection lost") from self._lost
            return b""
        data = self._chunks.popleft()
        if len(data) > max_bytes:
            self._chunks.appendleft(data[max_bytes:])
            data = data[:max_bytes]
        self._buffered -= len(data)
        if self._reading_paused and self._buffered <= _HIGH_WATER // 4 and self.transport:
            self._reading_paused = False
            self.transport.resume_reading()
        return data

    async def drained(self, timeout: float | None) -> None:
        """Return once the transport takes more writes (at once unless it paused them);
        :class:`ConnectionResetError` when the connection is gone."""
        if self._writable is not None and not self._closed:
            await self._wait(self._writable, timeout)
        if self._closed:
            raise ConnectionResetError(str(self._lost or "connection closed")) from self._lost


def _cut_handshake() -> ssl.SSLEOFError:
    """What OpenSSL raises for a peer that closes during the handshake (asyncio reports a
    reset or a closed transport instead): a lost connection, not a verdict on its TLS."""
    return ssl.SSLEOFError("connection closed during the TLS handshake")


def _expire(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_exception(TimeoutError())


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection (TCP, or TLS over it) as an httpcore network stream."""

    def __init__(self, protocol: _Protocol, transport: asyncio.Transport) -> None:
        self._protocol = protocol
        self._transport = transport

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Up to ``max_bytes`` bytes; ``b""`` when the peer closed the connection."""
        with _mapped(httpcore.ReadTimeout, httpcore.ReadError):
            return await self._protocol.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Send ``buffer``, waiting at most ``timeout`` for the transport to take it."""
        if not buffer:
            return
        with _mapped(httpcore.WriteTimeout, httpcore.WriteError):
            if self._transport.is_closing():
                raise ConnectionResetError("connection closed")
            self._transport.write(buffer)
            await self._protocol.drained(timeout)

    async def aclose(self) -> None:
        """Close the connection at once: no TLS close_notify exchange (asyncio's would keep
        the socket up to 30 s for a silent peer), as httpcore's AnyIO backend does."""
        self._transport.abort()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """This connection with TLS started over it (the handshake within ``timeout``)."""
        loop = asyncio.get_running_loop()
        try:
            with _mapped(httpcore.ConnectTimeout, httpcore.ConnectError):
                if self._protocol.ended or self._transport.is_closing():
                    raise _cut_handshake()  # the peer left before TLS began
                try:
                    async with asyncio.timeout(timeout):
                        transport = await loop.start_tls(
                            self._transport,
                            self._protocol,
                            ssl_context,
                            server_hostname=server_hostname,
                            ssl_handshake_timeout=timeout,
                        )
                except (ConnectionError, EOFError) as exc:
                    if isinstance(exc, OSError) and exc.errno:  # a reset: said as such
                        raise
                    raise _cut_handshake() from exc  # the peer closed: not a TLS verdict
                if transport is None:
                    raise _cut_handshake()
        except BaseException:
            self._transport.abort()
            raise
        self._protocol.transport = transport
        return AsyncioStream(self._protocol, transport)

    def get_extra_info(self, info: str) -> Any:
        """``ssl_object``, ``client_addr``, ``server_addr``, ``socket`` or ``is_readable``."""
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        if info == "socket":
            return self._transport.get_extra_info("socket")
        if info == "is_readable":
            return self._protocol.readable
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """TCP connections on the running asyncio loop (Unix sockets are not used)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to ``host:port`` within ``timeout``."""
        loop = asyncio.get_running_loop()
        protocol = _Protocol(loop)
        with _mapped(httpcore.ConnectTimeout, httpcore.ConnectError):
            async with asyncio.timeout(timeout):
                transport, _ = await loop.create_connection(
                    lambda: protocol,
                    host,
                    port,
                    local_addr=(local_address, 0) if local_address else None,
                )
        assert isinstance(transport, asyncio.Transport)
        try:
            sock = transport.get_extra_info("socket")
            for option in socket_options or ():
                sock.setsockopt(*option)
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except BaseException:
            transport.abort()
            raise
        return AsyncioStream(protocol, transport)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Not used by the auditor."""
        raise httpcore.UnsupportedProtocol("Unix sockets are not supported")

    async def sleep(self, seconds: float) -> None:
        """Sleep on the loop."""
        await asyncio.sleep(seconds)
