"""Loopback servers for the crawl tests: an HTTP+HTTPS server dispatching on Host and path (with
per-host certificates chosen by SNI), and a raw TCP server for broken peers. Plus a self-test."""

from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpcore
import httpx
import trustme

from auditor.config import ConnectTo, CrawlSettings
from auditor.crawl.streams import AsyncioBackend


@dataclass(frozen=True)
class Reply:
    """A canned response."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    delay_s: float = 0.0  # pause before answering


def html(body: str, title: str = "t") -> Reply:
    """A small UTF-8 HTML page."""
    doc = f"<!doctype html><html lang='vi'><head><title>{title}</title></head><body>{body}</body>"
    return Reply(body=(doc + "</html>").encode())


def redirect(location: str, status: int = 301) -> Reply:
    """A redirect to ``location``."""
    return Reply(status=status, headers=(("Location", location),), content_type="text/plain")


@dataclass
class Seen:
    """A request the server received."""

    scheme: str
    host: str
    path: str
    headers: dict[str, str]


@dataclass
class Routes:
    """Replies by ``host + path`` (``"soctrang.gov.vn/robots.txt"``); ``*`` host matches any."""

    replies: dict[str, Reply | Callable[[BaseHTTPRequestHandler], None]] = field(
        default_factory=dict
    )
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self, host: str | None = None) -> list[str]:
        """Paths requested (of ``host`` when given), in order."""
        with self.lock:
            return [s.path for s in self.seen if host is None or s.host == host]

    def hosts(self) -> set[str]:
        """Hosts requested."""
        with self.lock:
            return {s.host for s in self.seen}


def _handler(routes: Routes, scheme: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go in two writes

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            with routes.lock:
                routes.seen.append(Seen(scheme, host, self.path, dict(self.headers.items())))
            reply = routes.replies.get(host + self.path) or routes.replies.get("*" + self.path)
            if reply is None:
                reply = Reply(status=404, body=b"not found", content_type="text/plain")
            if callable(reply):
                reply(self)
                return
            if reply.delay_s:
                time.sleep(reply.delay_s)
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, handler: type[BaseHTTPRequestHandler], tls: ssl.SSLContext | None) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.tls = tls

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        if self.tls is not None:  # handshake in the handler thread, on first read
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # failed handshakes and resets are what some tests are about


@dataclass
class Pki:
    """A test CA (its PEM written to ``ca_path``), the main certificate and, by host name,
    server contexts with other certificates."""

    ca: trustme.CA
    ca_path: Path
    main: trustme.LeafCert
    contexts: dict[str, ssl.SSLContext]

    def server_context(self) -> ssl.SSLContext:
        """A server context presenting the main certificate, or another one chosen by SNI."""
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.main.configure_cert(ctx)

        def pick(sock: ssl.SSLObject, name: str | None, _: ssl.SSLContext) -> None:
            chosen = self.contexts.get((name or "").lower())
            if chosen is not None:
                sock.context = chosen

        ctx.sni_callback = pick
        return ctx


def make_pki(tmp: Path, hosts: list[str]) -> Pki:
    """A CA and a certificate for ``hosts``, plus special hosts: ``expired.gov.vn`` (expired),
    ``wronghost.gov.vn`` (certificate for another name), ``untrusted.gov.vn`` (another CA)."""
    ca = trustme.CA()
    ca_path = tmp / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))

    def context(cert: trustme.LeafCert) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(ctx)
        return ctx

    expired = ca.issue_cert(
        "expired.gov.vn", not_before=datetime(2020, 1, 1), not_after=datetime(2021, 1, 1)
    )
    contexts = {
        "expired.gov.vn": context(expired),
        "wronghost.gov.vn": context(ca.issue_cert("other.example.vn")),
        "untrusted.gov.vn": context(trustme.CA().issue_cert("untrusted.gov.vn")),
    }
    return Pki(ca=ca, ca_path=ca_path, main=ca.issue_cert(*hosts), contexts=contexts)


@dataclass
class Sites:
    """Running HTTP and HTTPS servers sharing routes."""

    routes: Routes
    http_port: int
    https_port: int
    ca_path: Path | None

    def connect_to(self) -> tuple[ConnectTo, ...]:
        """Send every host's port 80 and 443 to these servers."""
        return (
            ConnectTo(port=80, addr="127.0.0.1", addr_port=self.http_port),
            ConnectTo(port=443, addr="127.0.0.1", addr_port=self.https_port),
        )

    def settings(self, **changes: Any) -> CrawlSettings:
        """Crawl settings reaching these servers, fast timeouts, no retries by default."""
        base: dict[str, Any] = {
            "connect_to": self.connect_to(),
            "ca_bundle": self.ca_path,
            "timeout_s": 2.0,
            "retries": 0,
        }
        base.update(changes)
        return CrawlSettings(**base)


@contextmanager
def serve(routes: Routes, pki: Pki | None = None) -> Iterator[Sites]:
    """HTTP (and, with ``pki``, HTTPS) servers on loopback for ``routes``."""
    servers = [_Server(_handler(routes, "http"), None)]
    if pki is not None:
        servers.append(_Server(_handler(routes, "https"), pki.server_context()))
    threads = [threading.Thread(target=s.serve_forever, args=(0.05,), daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    try:
        yield Sites(
            routes=routes,
            http_port=servers[0].server_address[1],
            https_port=servers[1].server_address[1] if len(servers) > 1 else 1,
            ca_path=pki.ca_path if pki else None,
        )
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@contextmanager
def raw_server(behaviour: Callable[[socket.socket], None]) -> Iterator[int]:
    """A TCP server on loopback running ``behaviour`` on each connection; yields its port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=_run, args=(conn,), daemon=True).start()

    def _run(conn: socket.socket) -> None:
        try:
            behaviour(conn)
        except OSError:
            pass
        finally:
            conn.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(1)
        listener.close()


def read_request(conn: socket.socket) -> bytes:
    """Read until the end of the request head."""
    conn.settimeout(2)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def reset(conn: socket.socket) -> None:
    """Close ``conn`` with a TCP reset."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


# --- self-test ---------------------------------------------------------------------------------


def test_servers_dispatch_on_host_and_sni(tmp_path: Path) -> None:
    pki = make_pki(tmp_path, ["a.gov.vn"])
    routes = Routes({"a.gov.vn/": html("A"), "b.gov.vn/": html("B")})
    with serve(routes, pki) as sites:
        plain = httpx.get(f"http://127.0.0.1:{sites.http_port}/", headers={"Host": "b.gov.vn"})
        assert b"B" in plain.content
        ctx = ssl.create_default_context(cafile=str(pki.ca_path))
        with (
            socket.create_connection(("127.0.0.1", sites.https_port)) as sock,
            ctx.wrap_socket(sock, server_hostname="a.gov.vn") as tls,
        ):
            tls.sendall(b"GET / HTTP/1.1\r\nHost: a.gov.vn\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := tls.recv(4096):
                data += chunk
        assert data.startswith(b"HTTP/1.1 200") and b"<title>t</title>" in data
    assert [(s.scheme, s.host, s.path) for s in routes.seen] == [
        ("http", "b.gov.vn", "/"),
        ("https", "a.gov.vn", "/"),
    ]


class RecordingBackend(httpcore.AsyncNetworkBackend):
    """A network backend that records where it was asked to connect, then connects there."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.inner = AsyncioBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> httpcore.AsyncNetworkStream:
        self.calls.append((host, port))
        return await self.inner.connect_tcp(host, port, timeout=timeout)
