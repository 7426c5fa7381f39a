"""A fault-injecting loopback server for scan tests: one host per fault beside a healthy twin.

Every host serves the same content (the demo department portal ``sotttt.soctrang.gov.vn``, its
own host name rewritten), so a faulty portal's report can be compared with its twin's: a fault
may turn verdicts into ``error`` but never add a ``fail`` the twin does not have (apart from the
facts the fault really is, :attr:`Fault.may_fail`). The server records every request by Host
(:attr:`FaultServer.requests`), so a test can also prove that nothing outside a portal's scope
was asked.

It runs the real fixture server (:class:`auditor.fixtureserver.FixtureServer`: HTTP, HTTPS with
a test CA, loopback DNS) with a hook that lets each fault host answer in its own way. To add a
fault, write an :data:`Answer` (or pick a connection mode or certificate) and give a
:class:`Fault` to :class:`FaultServer`::

    def huge(handler, host): handler.send(200, b"x" * 50_000_000); return True
    with FaultServer(tmp_path, [Fault("huge", huge)]) as server:
        settings = server.settings(timeout_s=1.0)

Connection modes: ``server`` (HTTP/HTTPS of the fixture server, by per-host ``--connect-to``
rules), ``refused`` (a bound port that never listens), ``stall`` (HTTPS port that accepts and
never answers the TLS handshake; HTTP served), ``nxdomain`` (no route and no DNS name: the name
does not resolve), ``dns-only`` (the DNS answers 127.0.0.1 but no ``--connect-to`` rule covers
it: a non-public address the crawler must refuse). Modes that touch only the HTTPS port (plain
HTTP served by the fixture server): ``https-refused`` (nothing listens on 443),
``https-reset`` (443 reads the TLS ClientHello and answers with a TCP RST, as a middlebox does),
``https-cut`` (443 reads the ClientHello and closes the connection), ``https-plain`` (443 speaks
plain HTTP: no TLS on the port).
"""

from __future__ import annotations

import contextlib
import re
import select
import shutil
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from auditor.config import ConnectTo, CrawlSettings
from auditor.fixtureserver import FixtureHandler, FixtureServer, HostDns, Request, Site
from auditor.fixtureserver.sites import DEFAULT_HSTS as HSTS
from auditor.paths import fixtures_dir

ZONE = "soctrang.gov.vn"
TWIN = f"sotttt.{ZONE}"  # the healthy twin: the demo department portal, unchanged
TWIN_NAME = "Sở Thông tin và Truyền thông"
FOREIGN = "elsewhere.example"  # an unrelated host, served so that a request to it is recorded
# other demo hosts the twin links to (state portals, parent, child, share targets)
NEIGHBOURS = (
    "chinhphu.vn",
    "dichvucong.gov.vn",
    "nguoidan.chinhphu.vn",
    "doanhnghiep.chinhphu.vn",
    "www.facebook.com",
    "zalo.me",
    ZONE,
    f"ict.{TWIN}",
)
_TEXT = frozenset({".html", ".htm", ".xml", ".txt", ".yaml", ".json", ".css", ".js"})

Connect = Literal[
    "server",
    "refused",
    "stall",
    "nxdomain",
    "dns-only",
    "https-refused",
    "https-reset",
    "https-cut",
    "https-plain",
]


class HostState:
    """What an :data:`Answer` may use: request counts per path, the server's ports."""

    def __init__(self, server: FaultServer, host: str) -> None:
        self.server = server
        self.host = host
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def count(self, path: str) -> int:
        """How many times ``path`` has been asked, this request included (1 the first time)."""
        with self._lock:
            self._counts[path] += 1
            return self._counts[path]


# Answer a request of a fault host; False lets the fixture server serve it normally.
Answer = Callable[[FixtureHandler, HostState], bool]


@dataclass(frozen=True)
class Fault:
    """One fault host ``<name>.soctrang.gov.vn``: how it answers, and which fails are facts.

    ``may_fail`` lists rule ids that may ``fail`` here although they pass on the twin (an
    expired certificate is a real failure of the HTTPS rules); everything else may only turn
    to ``error``.
    """

    name: str
    answer: Answer | None = None
    cert: str = "valid"
    connect: Connect = "server"
    may_fail: frozenset[str] = frozenset()
    note: str = ""
    site: str = ""  # extra lines of the copied site's _site.yaml (``http_redirect: false``)

    @property
    def host(self) -> str:
        """The fault's host name."""
        return f"{self.name}.{ZONE}"


# --- answers ---------------------------------------------------------------------------------


def _reset(handler: FixtureHandler) -> None:
    """End the connection with a TCP RST (linger 0)."""
    handler.close_connection = True
    with contextlib.suppress(OSError):
        handler.wfile.flush()
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()


def https_only(answer: Answer) -> Answer:
    """``answer`` over HTTPS; plain HTTP answers as the twin does (a redirect to HTTPS)."""

    def over_https(handler: FixtureHandler, host: HostState) -> bool:
        if getattr(handler.server, "scheme", "") != "https":
            return False
        return answer(handler, host)

    return over_https


def _path(handler: FixtureHandler) -> str:
    return handler.path.split("?", 1)[0]


def _wait(host: HostState, seconds: float) -> bool:
    """Sleep ``seconds`` unless the server stops; True when it stopped."""
    return host.server.stop.wait(seconds)


def slow_headers(seconds: float = 30.0) -> Answer:
    """Read the request, then send nothing for ``seconds`` (longer than any read timeout)."""

    def answer(handler: FixtureHandler, host: HostState) -> bool:
        handler.close_connection = True
        _wait(host, seconds)
        return True

    return answer


def slow_body(interval_s: float = 0.3, size: int = 200_000) -> Answer:
    """Headers at once, then one byte every ``interval_s``: never idle long enough for a read
    timeout, never done."""

    def answer(handler: FixtureHandler, host: HostState) -> bool:
        handler.close_connection = True
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        with contextlib.suppress(OSError):
            handler.wfile.write(b"<!DOCTYPE html><html><body>")
            for _ in range(size):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                if _wait(host, interval_s):
                    break
        return True

    return answer


def reset_mid_body(handler: FixtureHandler, host: HostState) -> bool:
    """Headers promising 100 kB, half of the real file, then a TCP RST."""
    body = host.server.file(host.host, _path(handler)) or b"<!DOCTYPE html><html>" * 5000
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    with contextlib.suppress(OSError):
        handler.wfile.write(body[: len(body) // 2])
    _reset(handler)
    return True


def redirect(handler: FixtureHandler, location: str, status: int = 302) -> bool:
    """Answer ``status`` to ``location``."""
    handler.send(status, b"", extra=[("Location", location)])
    return True


def redirect_loop(handler: FixtureHandler, host: HostState) -> bool:
    """``/`` → ``/vong-a/`` → ``/vong-b/`` → ``/vong-a/`` … for every page."""
    path = _path(handler)
    if path == "/robots.txt":
        return False
    return redirect(handler, "/vong-b/" if path == "/vong-a/" else "/vong-a/")


def redirect_chain(hops: int = 30) -> Answer:
    """Every page redirects through ``hops`` hops (``/buoc/1/`` … ``/buoc/N/``) to itself."""

    def answer(handler: FixtureHandler, host: HostState) -> bool:
        path = _path(handler)
        if path == "/robots.txt":
            return False
        match = re.fullmatch(r"/buoc/(\d+)/", path)
        step = int(match.group(1)) if match else 0
        return redirect(handler, "/" if step >= hops else f"/buoc/{step + 1}/")

    return answer


def root_redirect(location: str | Callable[[HostState], str]) -> Answer:
    """The home page (``/``) redirects to ``location``; other paths are served."""

    def answer(handler: FixtureHandler, host: HostState) -> bool:
        if _path(handler) != "/":
            return False
        target = location(host) if callable(location) else location
        return redirect(handler, target)

    return answer


def flapping(status: int = 503) -> Answer:
    """Every other request of each path answers ``status`` (the first one among them)."""

    def answer(handler: FixtureHandler, host: HostState) -> bool:
        if host.count(handler.path) % 2 == 1:
            handler.send(status, b"<html><body>Service Unavailable</body></html>")
            return True
        return False

    return answer


def rate_limited(retry_after: str = "1") -> Answer:
    """The first request of each path answers 429 with ``Retry-After``."""

    def answer(handler: FixtureHandler, host: HostState) -> bool:
        if host.count(handler.path) == 1:
            body = b"<html><body>Too Many Requests</body></html>"
            handler.send(429, body, extra=[("Retry-After", retry_after)])
            return True
        return False

    return answer


def robots(text: str) -> Answer:
    """``/robots.txt`` answers ``text``."""

    def answer(handler: FixtureHandler, host: HostState) -> bool:
        if _path(handler) != "/robots.txt":
            return False
        handler.send(200, text.encode(), "text/plain; charset=utf-8")
        return True

    return answer


def status(code: int, paths: Iterable[str] = ("/robots.txt",)) -> Answer:
    """``paths`` answer ``code``."""
    wanted = frozenset(paths)

    def answer(handler: FixtureHandler, host: HostState) -> bool:
        if _path(handler) not in wanted:
            return False
        handler.send(code, b"<html><body>error</body></html>")
        return True

    return answer


def crawler_trap(handler: FixtureHandler, host: HostState) -> bool:
    """An endless calendar: the home page links ``/lich/1/``, each day links the next day and
    a deeper copy of itself."""
    path = _path(handler)
    if path == "/":
        body = host.server.file(host.host, "/") or b""
        link = b'<p><a href="/lich/1/">L\xe1\xbb\x8bch c\xc3\xb4ng t\xc3\xa1c</a></p></body>'
        handler.send(200, body.replace(b"</body>", link, 1))
        return True
    match = re.fullmatch(r"/lich/(\d+)/((?:x/)*)", path)
    if match is None:
        return False
    day, deeper = int(match.group(1)), match.group(2)
    page = (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Lịch {day}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'</head><body><a href="/lich/{day + 1}/{deeper}">Ngày {day + 1}</a>'
        f'<a href="/lich/{day}/{deeper}x/">Chi tiết</a></body></html>'
    )
    handler.send(200, page.encode())
    return True


# Real-web shapes of a portal whose pages are there for a browser but not for the audit.
SOME_PAGES = ("/van-ban/", "/lien-he/", "/gioi-thieu/", "/so-do-cong/")  # sections checks need
ERROR_PAGE = (
    b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>"
    b"<h1>Service Unavailable</h1><p>HTTP Error 503. The service is unavailable.</p>"
    b"</body></html>"
)
LOGIN_PAGE = (
    '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Đăng nhập hệ thống'
    '</title></head><body><form method="post" action="/dang-nhap"><label>Tên đăng nhập '
    '<input name="u"></label><label>Mật khẩu <input type="password" name="p"></label>'
    "<button>Đăng nhập</button></form></body></html>"
).encode()


def moved_home(stub: str) -> Answer:
    """Over HTTPS the home page is a 200 page that moves the browser on to ``/portal/`` (by
    ``stub``: a meta refresh or a script), where the real home page is served."""

    def answer(handler: FixtureHandler, host: HostState) -> bool:
        if getattr(handler.server, "scheme", "") != "https":
            return False
        path = _path(handler)
        if path == "/":
            page = (
                '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Đang chuyển trang'
                f"</title>{stub}</head><body></body></html>"
            )
            handler.send(200, page.encode(), extra=[("Strict-Transport-Security", HSTS)])
            return True
        if path == "/portal/":
            body = host.server.file(host.host, "/") or b""
            handler.send(200, body, extra=[("Strict-Transport-Security", HSTS)])
            return True
        return False

    return answer


def http_moves_on(handler: FixtureHandler, host: HostState) -> bool:
    """Plain HTTP answers every page with 200 and a meta refresh to its HTTPS address, instead
    of a 301 (HTTPS as the twin)."""
    if getattr(handler.server, "scheme", "") == "https" or _path(handler) == "/robots.txt":
        return False
    target = f"https://{host.host}{handler.path}"
    page = f'<html><head><meta http-equiv="refresh" content="0;url={target}"></head></html>'
    handler.send(200, page.encode())
    return True


def on_some_pages(send: Callable[[FixtureHandler, HostState], None]) -> Answer:
    """:data:`SOME_PAGES` answered by ``send``; the rest as the twin."""

    def answer(handler: FixtureHandler, host: HostState) -> bool:
        if _path(handler) not in SOME_PAGES:
            return False
        send(handler, host)
        return True

    return answer


def _waf(handler: FixtureHandler, host: HostState) -> None:
    handler.send(403, b"<html><body><h1>Access Denied</h1>Request blocked.</body></html>")


def _error_200(handler: FixtureHandler, host: HostState) -> None:
    handler.send(200, ERROR_PAGE, extra=[("Strict-Transport-Security", HSTS)])


def _to_login(handler: FixtureHandler, host: HostState) -> None:
    redirect(handler, f"/dang-nhap?ReturnUrl={_path(handler)}")


def _to_sso(handler: FixtureHandler, host: HostState) -> None:
    # an identity provider outside the audit's scope: recorded, never requested
    redirect(
        handler, f"https://sso.{FOREIGN}/cas/login?service=https://{host.host}{_path(handler)}"
    )


def login_wall(handler: FixtureHandler, host: HostState) -> bool:
    """:data:`SOME_PAGES` redirect to ``/dang-nhap``, a sign-in form answering 200."""
    if _path(handler) == "/dang-nhap":
        handler.send(200, LOGIN_PAGE, extra=[("Strict-Transport-Security", HSTS)])
        return True
    return on_some_pages(_to_login)(handler, host)


SHELL_PAGE = (
    b'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>C\xe1\xbb\x95ng TT\xc4\x90T'
    b'</title><script src="/static/app.js" defer></script></head><body><div id="root"></div>'
    b"<noscript>B\xe1\xba\xadt JavaScript \xc4\x91\xe1\xbb\x83 xem trang.</noscript></body></html>"
)


def shell_home(handler: FixtureHandler, host: HostState) -> bool:
    """The home page over HTTPS is an application shell whose content scripts build."""
    if getattr(handler.server, "scheme", "") != "https" or _path(handler) != "/":
        return False
    handler.send(200, SHELL_PAGE, extra=[("Strict-Transport-Security", HSTS)])
    return True


def waf_everywhere(handler: FixtureHandler, host: HostState) -> bool:
    """Every page but robots.txt answers 403 to the audit (a firewall blocking its agent)."""
    if _path(handler) == "/robots.txt":
        return False
    _waf(handler, host)
    return True


def error_home(handler: FixtureHandler, host: HostState) -> bool:
    """The home page over HTTPS is a 200 "Service Unavailable" page."""
    if getattr(handler.server, "scheme", "") != "https" or _path(handler) != "/":
        return False
    _error_200(handler, host)
    return True


_OWN_DOMAIN = frozenset({"st.d6k2.http-redirect"})
_PLAIN_HTTP = "http_redirect: false"  # plain HTTP serves the pages instead of redirecting
_NO_HTTPS = frozenset({"st.d6k2.https", "st.d6k2.http-redirect"})  # facts of a portal without

# The faults of issue 11's network list, by name (tests pick from here; add yours).
FAULTS: dict[str, Fault] = {
    f.name: f
    for f in (
        Fault("refused", connect="refused", note="connection refused on both ports"),
        Fault("dnsfail", connect="nxdomain", note="the name does not resolve"),
        Fault(
            "tlsexpired",
            cert="expired",
            may_fail=frozenset({"st.d6k2.https", "st.d6k2.certificate-lifetime"}),
        ),
        Fault("tlswronghost", cert="wrong-host", may_fail=frozenset({"st.d6k2.https"})),
        Fault("tlsuntrusted", cert="untrusted", may_fail=frozenset({"st.d6k2.https"})),
        Fault("tlsstall", connect="stall", note="TCP accepted, TLS handshake never answered"),
        Fault("slowheaders", https_only(slow_headers())),
        Fault("slowbody", https_only(slow_body())),
        Fault("resetbody", https_only(reset_mid_body)),
        Fault("loop", redirect_loop),
        Fault("chain30", redirect_chain(30)),
        # the root sends visitors off the agency's domain: HTTP does not lead to its own HTTPS
        Fault("offsite", root_redirect(f"https://{FOREIGN}/"), may_fail=_OWN_DOMAIN),
        Fault(
            "private",
            root_redirect(lambda h: f"http://127.0.0.1:{h.server.http_port}/latest/meta-data/"),
            may_fail=_NO_HTTPS,  # the HTTPS root sends visitors to plain HTTP: a fact
        ),
        Fault(
            "metadata",
            root_redirect("http://169.254.169.254/latest/meta-data/"),
            may_fail=_NO_HTTPS,
        ),
        Fault("rebind", root_redirect(lambda h: f"https://www.{h.host}/")),
        Fault("flapping", flapping(503)),
        Fault("ratelimit", rate_limited("1")),
        Fault("robotsdeny", robots("User-agent: *\nDisallow: /\n")),
        Fault("trap", https_only(crawler_trap)),
        # HTTPS faults beside a plain HTTP that serves the pages (HTTP not redirecting is a fact
        # of these hosts): a reset or a cut handshake is not observed (error), a refused port,
        # plain HTTP on 443 or an HTTPS that sends visitors to HTTP is a definite fail
        Fault("httpsreset", connect="https-reset", site=_PLAIN_HTTP, may_fail=_OWN_DOMAIN),
        Fault("httpscut", connect="https-cut", site=_PLAIN_HTTP, may_fail=_OWN_DOMAIN),
        Fault("httpsrefused", connect="https-refused", site=_PLAIN_HTTP, may_fail=_NO_HTTPS),
        Fault("httpsplain", connect="https-plain", site=_PLAIN_HTTP, may_fail=_NO_HTTPS),
        # real-web shapes: nothing the audit could not see may turn into a fail
        Fault("httpmeta", http_moves_on, note="HTTP leads to HTTPS by a meta refresh"),
        Fault("metarefresh", moved_home('<meta http-equiv="refresh" content="0; url=/portal/">')),
        Fault("jsredirect", moved_home('<script>window.location.href = "/portal/";</script>')),
        Fault("waf", on_some_pages(_waf), note="403 to the audit's requests on some pages"),
        Fault("error200", on_some_pages(_error_200), note="200 'Service Unavailable' pages"),
        Fault("error200home", error_home),
        Fault("loginwall", login_wall, note="some pages redirect to a sign-in form"),
        Fault("spa", shell_home, note="the home page is built by scripts in the browser"),
        Fault("wafall", waf_everywhere, note="403 to the audit everywhere"),
        Fault("sso", on_some_pages(_to_sso), note="some pages redirect to another host's SSO"),
        Fault(
            "httpsdowngrade",
            https_only(root_redirect(lambda h: f"http://{h.host}/")),
            site=_PLAIN_HTTP,
            may_fail=_NO_HTTPS,
        ),
    )
}


# --- the server ------------------------------------------------------------------------------


class _Cutter:
    """A TCP port that reads the first bytes of each connection (a TLS ClientHello) and then
    resets it (``reset``: RST, linger 0) or closes it (``close``: FIN)."""

    def __init__(self, stop: threading.Event, how: Literal["reset", "close"]) -> None:
        self._stop = stop
        self._how = how
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._thread = threading.Thread(target=self._run, name=f"fault-{how}", daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._sock.getsockname()[1])

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._sock], [], [], 0.05)
            if not ready:
                continue
            with contextlib.suppress(OSError):
                conn, _ = self._sock.accept()
                conn.settimeout(2.0)
                with contextlib.suppress(OSError):
                    conn.recv(4096)
                if self._how == "reset":
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()

    def close(self) -> None:
        self._thread.join(2.0)
        self._sock.close()


class _Stall:
    """A TCP port that accepts connections and never says a word."""

    def __init__(self, stop: threading.Event) -> None:
        self._stop = stop
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._run, name="fault-stall", daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._sock.getsockname()[1])

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._sock], [], [], 0.05)
            if ready:
                with contextlib.suppress(OSError):
                    conn, _ = self._sock.accept()
                    self._held.append(conn)

    def close(self) -> None:
        self._thread.join(2.0)
        for conn in self._held:
            conn.close()
        self._sock.close()


def _copy_site(source: Path, target: Path, host: str, switches: str = "") -> None:
    """Copy the demo site ``source`` to ``target``, its own host name rewritten to ``host``."""
    shutil.copytree(source, target)
    old = "//" + source.name
    for path in target.rglob("*"):
        if path.is_file() and path.suffix.lower() in _TEXT:
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            if old in text:
                path.write_text(text.replace(old, "//" + host), "utf-8", "surrogateescape")
    if switches:
        site_yaml = target / "_site.yaml"
        site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + switches, encoding="utf-8")


@dataclass
class FaultServer:
    """The twin, the fault hosts and their neighbours on loopback HTTP/HTTPS/DNS.

    Use as a context manager; :meth:`settings` gives crawl settings that reach it,
    :meth:`registry_yaml` a registry listing the twin and every fault host.
    """

    root: Path
    faults: tuple[Fault, ...] = tuple(FAULTS.values())
    stop: threading.Event = field(default_factory=threading.Event)
    _fixture: FixtureServer | None = None
    _hosts: dict[str, HostState] = field(default_factory=dict)
    _answers: dict[str, Answer] = field(default_factory=dict)
    _stall: _Stall | None = None
    _refuse: socket.socket | None = None
    _cutters: dict[str, _Cutter] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.faults = tuple(self.faults)

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> FaultServer:
        """Write the sites, start the fixture server and the extra ports."""
        demo = fixtures_dir() / "sites"
        sites = self.root / "sites"
        sites.mkdir(parents=True, exist_ok=True)
        shutil.copytree(demo / TWIN, sites / TWIN)
        for name in NEIGHBOURS:
            shutil.copytree(demo / name, sites / name)
        foreign = sites / FOREIGN
        foreign.mkdir()
        (foreign / "index.html").write_text(
            "<!DOCTYPE html><html><head><title>Elsewhere</title></head><body>Not a state"
            " portal.</body></html>",
            encoding="utf-8",
        )
        dns: dict[str, HostDns] = {n: HostDns(signed=True) for n in (TWIN, *NEIGHBOURS)}
        dns[FOREIGN] = HostDns()
        for fault in self.faults:
            extra = f"cert: {fault.cert}\n" if fault.cert != "valid" else ""
            extra += fault.site + ("\n" if fault.site and not fault.site.endswith("\n") else "")
            if fault.name == "rebind":
                extra += f"aliases: [www.{fault.host}]\n"
            _copy_site(demo / TWIN, sites / fault.host, fault.host, extra)
            self._hosts[fault.host] = HostState(self, fault.host)
            if fault.answer is not None:
                self._answers[fault.host] = fault.answer
            if fault.connect != "nxdomain":
                dns[fault.host] = HostDns(signed=True)
            if fault.name == "rebind":
                dns[f"www.{fault.host}"] = HostDns(signed=True)
        self._fixture = FixtureServer(sites, dns=dns, hook=self._hook).start()
        self._stall = _Stall(self.stop)
        self._cutters = {"reset": _Cutter(self.stop, "reset"), "close": _Cutter(self.stop, "close")}
        self._refuse = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._refuse.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        return self

    def close(self) -> None:
        """Stop everything."""
        self.stop.set()
        if self._fixture is not None:
            self._fixture.close()
        if self._stall is not None:
            self._stall.close()
        if self._refuse is not None:
            self._refuse.close()
        for cutter in self._cutters.values():
            cutter.close()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _hook(self, handler: FixtureHandler, host: str, site: Site | None) -> bool:
        answer = self._answers.get(host)
        state = self._hosts.get(host)
        if answer is None or state is None:
            return False
        return answer(handler, state)

    # -- what tests need ------------------------------------------------------------------

    @property
    def fixture(self) -> FixtureServer:
        """The underlying fixture server."""
        assert self._fixture is not None, "FaultServer not started"
        return self._fixture

    @property
    def http_port(self) -> int:
        """The plain-HTTP port."""
        return self.fixture.http_port

    @property
    def requests(self) -> list[Request]:
        """Every request received so far."""
        return self.fixture.requests

    def hosts_asked(self) -> set[str]:
        """The Host names of every request received."""
        return {r.host for r in self.requests}

    def asked(self, host: str) -> list[Request]:
        """The requests received for ``host``."""
        return [r for r in self.requests if r.host == host]

    def file(self, host: str, path: str) -> bytes | None:
        """The bytes of ``path`` (``/`` → ``index.html``) in ``host``'s site folder."""
        folder = self.root / "sites" / host / path.lstrip("/")
        if folder.is_dir():
            folder = folder / "index.html"
        return folder.read_bytes() if folder.is_file() else None

    def connect_to(self) -> tuple[ConnectTo, ...]:
        """Per-host routes: served hosts to the fixture ports, ``refused`` / ``stall`` hosts to
        theirs; ``nxdomain`` and ``dns-only`` hosts get none (they go through DNS)."""
        fixture = self.fixture
        assert self._stall is not None and self._refuse is not None
        refused = int(self._refuse.getsockname()[1])
        routes: list[ConnectTo] = []

        def route(host: str, https: int, http: int) -> None:
            routes.append(ConnectTo(host=host, port=443, addr="127.0.0.1", addr_port=https))
            routes.append(ConnectTo(host=host, port=80, addr="127.0.0.1", addr_port=http))

        for host in (TWIN, *NEIGHBOURS, FOREIGN):
            route(host, fixture.https_port, fixture.http_port)
        for fault in self.faults:
            if fault.connect == "server":
                route(fault.host, fixture.https_port, fixture.http_port)
            elif fault.connect == "refused":
                route(fault.host, refused, refused)
            elif fault.connect == "stall":
                route(fault.host, self._stall.port, fixture.http_port)
            elif fault.connect == "https-refused":
                route(fault.host, refused, fixture.http_port)
            elif fault.connect == "https-reset":
                route(fault.host, self._cutters["reset"].port, fixture.http_port)
            elif fault.connect == "https-cut":
                route(fault.host, self._cutters["close"].port, fixture.http_port)
            elif fault.connect == "https-plain":
                route(fault.host, fixture.http_port, fixture.http_port)
        return tuple(routes)

    def settings(self, **overrides: Any) -> CrawlSettings:
        """Crawl settings that reach this server (routes, CA, DNS); ``overrides`` on top."""
        values: dict[str, Any] = {
            "connect_to": self.connect_to(),
            "ca_bundle": self.fixture.ca_pem_path,
            "dns_server": self.fixture.dns_server,
            "timeout_s": 1.0,
        }
        values.update(overrides)
        return CrawlSettings(**values)

    def registry_yaml(self, path: Path) -> Path:
        """Write a registry listing the twin and every fault host (same agency name)."""
        lines = ["province: Sóc Trăng\nprofile: soctrang-2019\nagencies:"]
        for host in (TWIN, *(f.host for f in self.faults)):
            lines.append(f"  - {{name: {TWIN_NAME}, level: department, domain: {host}}}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
