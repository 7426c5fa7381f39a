"""The loopback fixture server: every ``<sites_dir>/<host>/`` over HTTP and HTTPS."""

from __future__ import annotations

import contextlib
import logging
import shutil
import socket
import socketserver
import ssl
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from auditor.config import ConnectTo
from auditor.errors import AuditorError
from auditor.fixtureserver.certs import TlsSetup
from auditor.fixtureserver.dns import FixtureDns, HostDns
from auditor.fixtureserver.handler import FixtureHandler, Hook, Request, ServeState
from auditor.fixtureserver.sites import Site, load_sites

logger = logging.getLogger(__name__)

HANDSHAKE_TIMEOUT_S = 10.0
JOIN_TIMEOUT_S = 2.0


class FixtureServerError(AuditorError):
    """The fixture server is used before :meth:`FixtureServer.start` or cannot start."""


class _Listener(socketserver.TCPServer):
    """One listening socket; each connection gets a daemon thread (and a TLS handshake there)."""

    allow_reuse_address = False
    request_queue_size = 64

    def __init__(
        self, address: tuple[str, int], state: ServeState, tls: ssl.SSLContext | None
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, FixtureHandler)
        self.state = state
        self.tls = tls
        self.scheme = "https" if tls is not None else "http"
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()

    @property
    def port(self) -> int:
        """The ephemeral port bound."""
        return int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection in its own daemon thread."""
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name=f"fixture-{self.scheme}-conn",
            daemon=True,
        )
        with self._lock:
            self._conns.add(request)
            self._threads.add(thread)
        thread.start()

    def _serve_connection(self, request: socket.socket, client_address: Any) -> None:
        conn = request
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(
                    request, server_side=True, do_handshake_on_connect=False
                )
                self._swap(request, conn)
                conn.settimeout(HANDSHAKE_TIMEOUT_S)
                conn.do_handshake()
            self.finish_request(conn, client_address)
        except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
            logger.debug("%s connection from %s ended: %s", self.scheme, client_address, exc)
        finally:
            self.shutdown_request(conn)
            with self._lock:
                self._conns.discard(conn)
                self._threads.discard(threading.current_thread())

    def _swap(self, old: socket.socket, new: socket.socket) -> None:
        with self._lock:
            self._conns.discard(old)
            self._conns.add(new)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Errors of one connection are logged, never printed."""
        logger.debug("%s error with %s", self.scheme, client_address, exc_info=True)

    def drop_connections(self) -> None:
        """Wake every thread blocked on a connection by shutting its socket down."""
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(conn, socket.SHUT_RDWR)

    def join_threads(self) -> list[threading.Thread]:
        """Wait for the connection threads; returns those still alive after the timeout."""
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(JOIN_TIMEOUT_S)
        return [t for t in threads if t.is_alive()]


class FixtureServer:
    """Serves every ``sites_dir/<host>/`` on two ephemeral loopback ports (HTTP and HTTPS),
    and their names on a loopback DNS server (:mod:`auditor.fixtureserver.dns`).

    Use as a context manager (or :meth:`start` / :meth:`close`); pass :meth:`connect_to`,
    :attr:`ca_pem_path` and :attr:`dns_server` to the crawler so any host's ports 80 and 443
    reach this server and its DNS facts come from the sites' ``ipv6`` / ``dnssec`` switches.
    ``dns`` replaces those switches by a table of its own (the rule fixtures' ``dns:``).
    """

    def __init__(
        self,
        sites_dir: Path,
        host: str = "127.0.0.1",
        dns: Mapping[str, HostDns] | None = None,
        hook: Hook | None = None,
    ) -> None:
        self.sites_dir = Path(sites_dir)
        self._hook = hook
        self.host = host
        self._dns_table = dict(dns) if dns is not None else None
        self._dns: FixtureDns | None = None
        self._state: ServeState | None = None
        self._tls: TlsSetup | None = None
        self._workdir: Path | None = None
        self._listeners: list[_Listener] = []
        self._threads: list[threading.Thread] = []

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> FixtureServer:
        """Read the sites, make the CA and certificates, bind both ports and start serving."""
        if self._state is not None:
            return self
        sites = load_sites(self.sites_dir)
        self._workdir = Path(tempfile.mkdtemp(prefix="auditor-fixtures-"))
        try:
            self._tls = TlsSetup(sites, self._workdir)
            self._state = ServeState(sites, hook=self._hook)
            self._listeners = [
                _Listener((self.host, 0), self._state, None),
                _Listener((self.host, 0), self._state, self._tls.default),
            ]
            table = self._dns_table
            if table is None:
                table = {
                    name: HostDns(aaaa=site.config.ipv6, signed=site.config.dnssec)
                    for name, site in sites.items()
                }
            self._dns = FixtureDns(table, "127.0.0.1").start()
        except BaseException:
            self.close()
            raise
        for listener in self._listeners:
            thread = threading.Thread(
                target=listener.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"fixture-{listener.scheme}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        logger.info(
            "fixture server on %s: HTTP %d, HTTPS %d, %d hosts",
            self.host,
            self.http_port,
            self.https_port,
            len(sites),
        )
        return self

    def close(self) -> None:
        """Stop serving, end open connections, close the ports and remove the CA file."""
        if self._state is not None:
            self._state.stop.set()
        for listener, thread in zip(self._listeners, self._threads, strict=False):
            if thread.is_alive():
                listener.shutdown()
        for listener in self._listeners:
            listener.drop_connections()
            listener.server_close()
            for thread in listener.join_threads():
                logger.warning("fixture server: connection thread %s did not end", thread.name)
        for thread in self._threads:
            thread.join(JOIN_TIMEOUT_S)
        if self._dns is not None:
            self._dns.close()
            self._dns = None
        self._listeners, self._threads = [], []
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
        self._workdir, self._tls, self._state = None, None, None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- what clients need ------------------------------------------------------------------

    def _listener(self, index: int) -> _Listener:
        if not self._listeners:
            raise FixtureServerError("the fixture server is not started")
        return self._listeners[index]

    @property
    def http_port(self) -> int:
        """The loopback port answering plain HTTP."""
        return self._listener(0).port

    @property
    def https_port(self) -> int:
        """The loopback port answering HTTPS."""
        return self._listener(1).port

    @property
    def ca_pem_path(self) -> Path:
        """A PEM file with the test CA that signed the hosts' certificates (removed on close)."""
        if self._tls is None:
            raise FixtureServerError("the fixture server is not started")
        return self._tls.ca_pem_path

    @property
    def sites(self) -> dict[str, Site]:
        """Every host name served (aliases included) → its site."""
        if self._state is None:
            raise FixtureServerError("the fixture server is not started")
        return dict(self._state.sites)

    @property
    def requests(self) -> list[Request]:
        """Every request received so far, in order (a copy)."""
        if self._state is None:
            raise FixtureServerError("the fixture server is not started")
        return self._state.recorded()

    @property
    def dns_server(self) -> str:
        """The loopback DNS server, ``127.0.0.1:PORT`` (for ``CrawlSettings.dns_server``)."""
        if self._dns is None:
            raise FixtureServerError("the fixture server is not started")
        return self._dns.address

    def connect_to(self) -> tuple[ConnectTo, ...]:
        """Overrides sending any host's port 443 to the HTTPS port and port 80 to the HTTP port."""
        return (
            ConnectTo(port=443, addr=self.host, addr_port=self.https_port),
            ConnectTo(port=80, addr=self.host, addr_port=self.http_port),
        )
