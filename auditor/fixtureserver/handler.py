"""One HTTP exchange of the fixture server: site by Host header, switches, faults, files, search."""

from __future__ import annotations

import html
import logging
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import NamedTuple, Protocol
from urllib.parse import parse_qs, urlsplit

from auditor.fixtureserver.files import content_type, resolve
from auditor.fixtureserver.search import IndexedPage, build_index, results_page, search
from auditor.fixtureserver.sites import Site

logger = logging.getLogger(__name__)

GARBAGE = b"\x00\xff\xfeNOT-HTTP \x13\x37 garbage from the fixture server\r\n\x00\x00"
MAX_FORM = 64 * 1024


class Request(NamedTuple):
    """One request the server received, as recorded in :attr:`ServeState.requests`."""

    scheme: str  # "http" or "https"
    host: str  # the Host header's host name ('' when absent)
    method: str
    path: str  # the request target, query included


# A hook sees every request first (tests inject faults with it); True: it answered.
Hook = Callable[["FixtureHandler", str, Site | None], bool]


@dataclass
class ServeState:
    """What both listeners share: the sites, the stop signal, the search indexes (lazy), the
    record of every request received and an optional :data:`Hook`."""

    sites: dict[str, Site]
    stop: threading.Event = field(default_factory=threading.Event)
    hook: Hook | None = None
    requests: list[Request] = field(default_factory=list)
    _indexes: dict[str, tuple[IndexedPage, ...]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, request: Request) -> None:
        """Add ``request`` to :attr:`requests` (thread-safe)."""
        with self._lock:
            self.requests.append(request)

    def recorded(self) -> list[Request]:
        """A copy of :attr:`requests`."""
        with self._lock:
            return list(self.requests)

    def index(self, site: Site) -> tuple[IndexedPage, ...]:
        """The search index of ``site``, built on first use."""
        with self._lock:
            if site.name not in self._indexes:
                self._indexes[site.name] = build_index(site.folder, site.config.charset)
            return self._indexes[site.name]


class _Server(Protocol):
    state: ServeState
    scheme: str


def host_name(header: str | None) -> str:
    """The host name of a ``Host`` header value: lower-case, without port or final dot."""
    value = (header or "").strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else ""
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def _page(title: str, text: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>\n"
    )


class FixtureHandler(BaseHTTPRequestHandler):
    """Serves the site named by the Host header; ``_site.yaml`` switches shape the answer."""

    protocol_version = "HTTP/1.1"
    server_version = "fixture-server/1"
    timeout = 30.0  # idle keep-alive connections end after this

    def version_string(self) -> str:
        """The ``Server`` header."""
        return self.server_version

    @property
    def _server(self) -> _Server:
        server: _Server = self.server  # type: ignore[assignment]
        return server

    def log_message(self, format: str, *args: object) -> None:
        """Requests are logged at debug level, never printed."""
        logger.debug("%s %s", self._server.scheme, format % args)

    def do_GET(self) -> None:
        """Answer a GET."""
        self._answer(head=False, form=None)

    def do_HEAD(self) -> None:
        """Answer a HEAD: the GET headers, no body."""
        self._answer(head=True, form=None)

    def do_POST(self) -> None:
        """Answer a POST: the search endpoint reads its form, other paths answer as for GET."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.send_error(400, "bad Content-Length")
            return
        form = self.rfile.read(min(length, MAX_FORM)) if length > 0 else b""
        self._answer(head=False, form=form)

    # -- the answer -------------------------------------------------------------------------

    def _answer(self, *, head: bool, form: bytes | None) -> None:
        state = self._server.state
        tls = self._server.scheme == "https"
        name = host_name(self.headers.get("Host"))
        site = state.sites.get(name)
        state.record(Request(self._server.scheme, name, self.command, self.path))
        if state.hook is not None and state.hook(self, name, site):
            return
        if site is None:
            page = _page("404 – Không tìm thấy trang", f"Unknown host {name!r} on this server.")
            self._send(404, page.encode(), "text/html; charset=utf-8", head=head)
            return
        cfg = site.config
        if cfg.latency_ms and state.stop.wait(cfg.latency_ms / 1000):
            self.close_connection = True
            return
        if cfg.fault != "none":
            self._fault(site, head=head)
            return
        extra: list[tuple[str, str]] = []
        if tls and cfg.hsts:
            extra.append(("Strict-Transport-Security", cfg.hsts))
        target = urlsplit(self.path)
        if not tls and cfg.http_redirect:
            location = f"https://{name}{target.path or '/'}"
            if target.query:
                location += "?" + target.query
            self._redirect(location, site, head=head)
            return
        if site.search is not None and target.path.rstrip("/") == site.search.path.rstrip("/"):
            self._search(site, target.query, form, extra, head=head)
            return
        found = resolve(site.folder, target.path or "/")
        if found.kind == "redirect" and found.location:
            self._redirect(found.location, site, head=head, extra=extra)
        elif found.kind == "file" and found.file is not None:
            body = found.file.read_bytes()
            ctype = content_type(found.file, cfg.charset)
            self._send(200, body, ctype, head=head, extra=extra)
        else:
            page = _page("404 – Không tìm thấy trang", "Trang bạn tìm không tồn tại (not found).")
            self._send_html(404, page, site, head=head, extra=extra)

    def _fault(self, site: Site, *, head: bool) -> None:
        """Answer as the fault says: 500, TCP reset, non-HTTP bytes, or nothing until stop."""
        fault = site.config.fault
        self.close_connection = True
        if fault == "http500":
            self.close_connection = False
            page = _page("500 – Lỗi máy chủ", "Internal server error (fixture fault).")
            self._send_html(500, page, site, head=head)
        elif fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()
            self.connection.close()  # linger 0: the peer gets a TCP RST, no FIN
        elif fault == "garbage":
            self.wfile.write(GARBAGE)
        elif fault == "hang":
            self._server.state.stop.wait()

    def _search(
        self,
        site: Site,
        query_string: str,
        form: bytes | None,
        extra: list[tuple[str, str]],
        *,
        head: bool,
    ) -> None:
        assert site.search is not None
        raw = form.decode("latin-1") if form is not None else query_string
        values = _parse_form(raw, site.config.charset).get(site.search.param, [])
        query = values[0] if values else ""
        results = search(self._server.state.index(site), query)
        page = results_page(query, results, site.config.charset)
        self._send_html(200, page, site, head=head, extra=extra)

    def _redirect(
        self, location: str, site: Site, *, head: bool, extra: list[tuple[str, str]] | None = None
    ) -> None:
        page = _page("301 – Moved Permanently", location)
        self._send_html(301, page, site, head=head, extra=[("Location", location), *(extra or [])])

    def _send_html(
        self,
        status: int,
        page: str,
        site: Site,
        *,
        head: bool,
        extra: list[tuple[str, str]] | None = None,
    ) -> None:
        charset = site.config.charset
        page = page.replace('<meta charset="utf-8">', f'<meta charset="{html.escape(charset)}">')
        body = page.encode(charset, errors="xmlcharrefreplace")
        self._send(status, body, f"text/html; charset={charset}", head=head, extra=extra)

    def send(
        self,
        status: int,
        body: bytes,
        ctype: str = "text/html; charset=utf-8",
        extra: list[tuple[str, str]] | None = None,
    ) -> None:
        """Answer ``status`` with ``body`` (for hooks; HEAD gets the headers only)."""
        self._send(status, body, ctype, head=self.command == "HEAD", extra=extra)

    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str,
        *,
        head: bool,
        extra: list[tuple[str, str]] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in extra or []:
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)


def _parse_form(text: str, charset: str) -> dict[str, list[str]]:
    """Decode an urlencoded query or form: UTF-8 first, then the site's charset."""
    try:
        return parse_qs(text, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return parse_qs(text, encoding=charset, errors="replace")
