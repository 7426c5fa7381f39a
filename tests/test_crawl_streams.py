"""The asyncio network backend against real loopback servers: plain TCP and TLS, reads in
order and within their bound, timeouts, a closed or refused peer, a cut handshake and a
certificate for another name, each raised as httpcore's error with its cause."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpcore
import pytest
import trustme

from auditor.crawl.streams import AsyncioBackend

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def server(handler: Handler, tls: ssl.SSLContext | None = None) -> AsyncIterator[int]:
    """A loopback server running ``handler`` for each connection; yields its port."""
    srv = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=tls)
    try:
        yield srv.sockets[0].getsockname()[1]
    finally:
        srv.close()


async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Send back each line, then close after ``bye``."""
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()
        if line == b"bye\n":
            break
    writer.close()


async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read()  # never answers; returns when the client goes


async def hang_up(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.close()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def server_tls(ca: trustme.CA, name: str) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(name).configure_cert(ctx)
    return ctx


def client_tls(ca: trustme.CA) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    return ctx


def test_plain_tcp_round_trip_then_the_peer_closes() -> None:
    async def run() -> None:
        async with server(echo) as port:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
            assert stream.get_extra_info("server_addr")[1] == port
            assert stream.get_extra_info("is_readable") is False
            await stream.write(b"xin chao\n", timeout=5)
            assert await stream.read(4, timeout=5) == b"xin "  # at most max_bytes
            assert await stream.read(100, timeout=5) == b"chao\n"
            await stream.write(b"bye\n", timeout=5)
            assert await stream.read(100, timeout=5) == b"bye\n"
            assert await stream.read(100, timeout=5) == b""  # closed by the peer
            assert stream.get_extra_info("is_readable") is True  # an idle connection is dead
            assert stream.get_extra_info("ssl_object") is None
            await stream.aclose()

    asyncio.run(run())


def test_large_response_arrives_whole_and_in_order() -> None:
    payload = bytes(range(256)) * 8192  # 2 MB: reading pauses and resumes on the way

    async def send(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(payload)
        await writer.drain()
        writer.close()

    async def run() -> bytes:
        async with server(send) as port:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
            await asyncio.sleep(0.2)  # let it all arrive unread
            parts = []
            while part := await stream.read(65536, timeout=5):
                assert len(part) <= 65536
                parts.append(part)
            await stream.aclose()
            return b"".join(parts)

    assert asyncio.run(run()) == payload


def test_read_timeout() -> None:
    async def run() -> None:
        async with server(silent) as port:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
            with pytest.raises(httpcore.ReadTimeout):
                await stream.read(100, timeout=0.1)
            await stream.aclose()

    asyncio.run(run())


def test_refused_connection_is_a_connect_error() -> None:
    async def run() -> None:
        async with server(silent) as port:
            pass  # closed: nothing listens on the port any more
        with pytest.raises(httpcore.ConnectError) as info:
            await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
        assert isinstance(info.value.__cause__, ConnectionRefusedError)

    asyncio.run(run())


def test_tls_round_trip_with_the_certificate_checked(ca: trustme.CA) -> None:
    async def run() -> None:
        async with server(echo, server_tls(ca, "soctrang.gov.vn")) as port:
            tcp = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
            stream = await tcp.start_tls(client_tls(ca), "soctrang.gov.vn", timeout=5)
            ssl_object = stream.get_extra_info("ssl_object")
            assert isinstance(ssl_object, ssl.SSLObject)
            assert ssl_object.server_hostname == "soctrang.gov.vn"
            assert ssl_object.getpeercert()["subjectAltName"] == (("DNS", "soctrang.gov.vn"),)
            await stream.write(b"bye\n", timeout=5)
            assert await stream.read(100, timeout=5) == b"bye\n"
            await stream.aclose()

    asyncio.run(run())


def handshake_error(
    ca: trustme.CA,
    handler: Handler,
    tls: ssl.SSLContext | None = None,
    before: float = 0.0,
    timeout: float = 5,
) -> Exception:
    """What TLS with ``soctrang.gov.vn`` raises against a server running ``handler`` (over
    ``tls``, started ``before`` seconds after the connection)."""

    async def run() -> Exception:
        async with server(handler, tls) as port:
            tcp = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
            await asyncio.sleep(before)
            try:
                await tcp.start_tls(client_tls(ca), "soctrang.gov.vn", timeout=timeout)
            except Exception as exc:
                return exc
        raise AssertionError("the handshake succeeded")

    return asyncio.run(run())


def test_certificate_for_another_name_is_a_tls_verdict(ca: trustme.CA) -> None:
    error = handshake_error(ca, echo, server_tls(ca, "other.gov.vn"))
    assert isinstance(error, httpcore.ConnectError)
    assert isinstance(error.__cause__, ssl.SSLCertVerificationError)


def test_peer_that_closes_during_the_handshake_is_a_cut_not_a_verdict(ca: trustme.CA) -> None:
    error = handshake_error(ca, hang_up)  # accepts TCP, then closes without TLS
    assert isinstance(error, httpcore.ConnectError)
    assert isinstance(error.__cause__, ssl.SSLEOFError)


def test_handshake_that_never_ends_times_out(ca: trustme.CA) -> None:
    # a TCP server that never speaks TLS
    assert isinstance(handshake_error(ca, silent, timeout=0.2), httpcore.ConnectTimeout)


def test_a_peer_that_left_before_tls_is_a_cut_at_once_not_a_timeout(ca: trustme.CA) -> None:
    error = handshake_error(ca, hang_up, before=0.2)  # its FIN arrives before TLS starts
    assert isinstance(error, httpcore.ConnectError)
    assert isinstance(error.__cause__, ssl.SSLEOFError)


def test_closing_a_tls_connection_to_a_silent_peer_frees_its_socket_at_once(
    ca: trustme.CA,
) -> None:
    # a hung server: it completes the handshake, then never reads (no close_notify back)
    listener = socket.create_server(("127.0.0.1", 0))
    done = threading.Event()

    def hung() -> None:
        conn, _ = listener.accept()
        with server_tls(ca, "soctrang.gov.vn").wrap_socket(conn, server_side=True):
            done.wait(10)

    thread = threading.Thread(target=hung, daemon=True)
    thread.start()

    async def run() -> int:
        port = listener.getsockname()[1]
        tcp = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
        stream = await tcp.start_tls(client_tls(ca), "soctrang.gov.vn", timeout=5)
        sock = stream.get_extra_info("socket")
        await stream.aclose()
        await asyncio.sleep(0.2)
        return int(sock.fileno())

    try:
        assert asyncio.run(run()) == -1  # closed, not waiting for the peer's close_notify
    finally:
        done.set()
        thread.join(5)
        listener.close()
