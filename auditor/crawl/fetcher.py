"""The fetcher: one HTTP client for the whole run, politeness, redirects followed (inside the
request's scope) and recorded, byte caps, robots.txt asked before every request, retries of
transient answers. Network problems are facts, never exceptions."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import ssl
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import certifi
import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_result, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from auditor.config import CrawlSettings
from auditor.crawl.client import CrawlClient
from auditor.crawl.failures import Failure, describe
from auditor.crawl.frontier import normalise_url
from auditor.crawl.politeness import Politeness
from auditor.crawl.resolve import GuardedBackend
from auditor.crawl.robots import RobotsRules
from auditor.crawl.scope import Scope, host_of_url
from auditor.crawl.tlsinfo import response_tls
from auditor.crawl.transport import PoolTransport
from auditor.errors import LogText, UsageError
from auditor.models import (
    PageSnapshot,
    RedirectHop,
    RobotsInfo,
    TlsFacts,
    TransportProbe,
    t,
)
from auditor.stubs import redirect_in
from auditor.text.encoding import charset_from_content_type, detect_text, meta_charset

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 10
MAX_SOFT_REDIRECTS = 2  # meta-refresh / script redirect pages followed in a row
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TRANSIENT_STATUSES = frozenset({408, 429, 502, 503, 504})
MAX_CRAWL_DELAY_S = 5.0  # a robots.txt Crawl-delay is honoured up to this
# robots.txt policies kept for the scan, the least recently asked dropped first: far more than
# the origins of the portals crawled at once, so memory stays flat over a ministry's registry
MAX_ROBOTS_KEPT = 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPT_LANGUAGE = "vi,en;q=0.8"


def _size_note(body: bytes, truncated: bool, read: bool, declared: str | None) -> str:
    """What the request log says of a body: the bytes received, or why none were read."""
    if read:
        return f"{len(body)} bytes, truncated" if truncated else f"{len(body)} bytes"
    if declared is not None and declared.isdigit():
        return f"body not read, Content-Length {declared}"
    return "body not read"


def make_ssl_context(ca_bundle: Path | None = None) -> ssl.SSLContext:
    """A verifying client context trusting the system store, certifi's roots and ``ca_bundle``."""
    context = ssl.create_default_context()
    context.load_verify_locations(cafile=certifi.where())
    if ca_bundle is not None:
        try:
            context.load_verify_locations(cafile=str(ca_bundle))
        except (OSError, ssl.SSLError) as exc:
            raise UsageError(
                t(
                    f"--ca-bundle {ca_bundle}: không phải tệp chứng thư PEM đọc được ({exc})",
                    f"--ca-bundle {ca_bundle}: not a readable PEM bundle ({exc})",
                )
            ) from exc
    return context


@dataclass(frozen=True)
class _Response:
    """One request's outcome: a response (body read or not) or a failure."""

    url: str
    status: int = 0
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    truncated: bool = False
    tls: TlsFacts | None = None
    failure: Failure | None = None

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)


@dataclass(frozen=True)
class RobotsPolicy:
    """robots.txt of one origin as the fetcher obeys it."""

    info: RobotsInfo
    rules: RobotsRules
    failure: Failure | None = None  # the origin could not be reached at all

    def allows(self, url: str) -> bool:
        """Whether ``url`` may be requested."""
        return self.info.policy == "ignored" or self.rules.can_fetch(url)

    def refusal(self, url: str) -> Failure:
        """Why ``url`` is not requested."""
        if self.failure is not None:
            return self.failure
        if self.info.policy == "disallow":
            return Failure(
                "other",
                f"robots: {self.info.url} could not be read ({self.info.error}); RFC 9309 says"
                " to crawl nothing then",
            )
        return Failure("other", f"robots: {self.info.url} disallows {url}")


def retry_after_s(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True)
class _Chain:
    """A followed redirect chain: the hops and the last response."""

    hops: tuple[RedirectHop, ...]
    last: _Response
    tls: TlsFacts | None  # of the first HTTPS response in the chain
    off_scope: str | None = None  # the redirect target not followed (outside the scope)


def _redirect_target(url: str, location: str | None) -> str | None:
    """The absolute http(s) URL a ``Location`` points to, or ``None``."""
    if not location or not location.strip():
        return None
    try:
        return normalise_url(urljoin(url, location.strip()))
    except ValueError:
        return None


class Fetcher:
    """Fetches pages and probes sites over one ``httpx.AsyncClient``; use as an async context
    manager. ``transport`` replaces the network transport (tests)."""

    def __init__(
        self,
        settings: CrawlSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        backoff_s: float = 0.25,
        on_request: Callable[[str, int], None] | None = None,
    ) -> None:
        self.settings = settings
        self._on_request = on_request  # told (url, status; 0: no response) after each request
        self._backoff_s = backoff_s
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._politeness = Politeness(settings.concurrency, settings.per_host, settings.delay_s)
        # a slow drip must not hold a request for ever: a bound on one whole request
        self._deadline_s = settings.timeout_s * 4
        self.retries: Counter[str] = Counter()  # retried requests by normalised host
        self._robots: OrderedDict[str, asyncio.Task[RobotsPolicy]] = OrderedDict()
        self._backoff = wait_exponential_jitter(
            multiplier=backoff_s, max=max(backoff_s, settings.retry_wait_max_s), jitter=backoff_s
        )

    async def __aenter__(self) -> Fetcher:
        transport = self._transport or PoolTransport(
            make_ssl_context(self.settings.ca_bundle),
            GuardedBackend(
                self.settings.connect_to,
                allow_private=self.settings.allow_private,
                dns_server=self.settings.dns_server,
            ),
            # politeness holds a host to per_host requests in flight; the pools follow it
            max_connections=self.settings.per_host * 2,
            max_keepalive=self.settings.per_host,
            max_origins=self.settings.concurrency,
        )
        self._client = CrawlClient(
            transport=transport,
            timeout=httpx.Timeout(self.settings.timeout_s),
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": ACCEPT,
                "Accept-Language": ACCEPT_LANGUAGE,
            },
            follow_redirects=False,
            trust_env=False,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for task in self._robots.values():
            task.cancel()
        await asyncio.gather(*self._robots.values(), return_exceptions=True)
        self._robots.clear()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    @property
    def client(self) -> httpx.AsyncClient:
        """The shared client (only inside ``async with``)."""
        if self._client is None:
            raise RuntimeError("Fetcher used outside 'async with'")
        return self._client

    # --- one request ---------------------------------------------------------------------

    async def _read(self, response: httpx.Response) -> tuple[bytes, bool]:
        """The body up to ``max_bytes`` and whether it was cut."""
        cap = self.settings.max_bytes
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            room = cap - size
            if len(chunk) > room:
                chunks.append(chunk[:room])
                return b"".join(chunks), True
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks), False

    async def _once(self, url: str, read_body: bool) -> _Response:
        """One GET of ``url``; the body is read unless it is a redirect or not wanted."""
        client = self.client
        started = time.monotonic()
        try:
            async with asyncio.timeout(self._deadline_s):
                request = client.build_request("GET", url)
                response = await client.send(request, stream=True)
                try:
                    tls = response_tls(response)
                    body, truncated, read = b"", False, False
                    if read_body and response.status_code not in REDIRECT_STATUSES:
                        body, truncated = await self._read(response)
                        read = True
                finally:
                    await response.aclose()
        except Exception as exc:  # every transport problem becomes a fact
            failure = describe(exc, self.settings.timeout_s)
            logger.debug("GET %s -> %s (%.2fs)", url, failure.message, time.monotonic() - started)
            if self._on_request is not None:
                self._on_request(url, 0)
            return _Response(url=url, failure=failure)
        logger.debug(
            "GET %s -> %d (%s, %.2fs)",
            url,
            response.status_code,
            _size_note(body, truncated, read, response.headers.get("content-length")),
            time.monotonic() - started,
        )
        if self._on_request is not None:
            self._on_request(url, response.status_code)
        return _Response(
            url=url,
            status=response.status_code,
            headers=tuple(response.headers.multi_items()),
            body=body,
            truncated=truncated,
            tls=tls,
        )

    @staticmethod
    def _transient(result: _Response) -> bool:
        if result.failure is not None:
            return result.failure.transient
        return result.status in TRANSIENT_STATUSES

    def _wait(self, state: RetryCallState) -> float:
        """Backoff before the next try: the server's Retry-After when it gave one (capped),
        else exponential with jitter."""
        waited = self._backoff(state)
        if state.outcome is not None and not state.outcome.failed:
            result: _Response = state.outcome.result()
            asked = retry_after_s(result.header("retry-after"))
            if asked is not None:
                waited = max(waited, asked)
        return min(waited, self.settings.retry_wait_max_s)

    def _count_retry(self, state: RetryCallState) -> None:
        url = str(state.args[0]) if state.args else ""
        self.retries[host_of_url(url)] += 1
        if state.outcome is not None and not state.outcome.failed:
            result: _Response = state.outcome.result()
            why = result.failure.message if result.failure else f"HTTP {result.status}"
            logger.debug(LogText("thử lại %s sau %s", "retrying %s after %s"), url, why)

    async def _slot_once(self, url: str, read_body: bool) -> _Response:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:  # the request itself will fail and say why
            host = ""
        async with self._politeness.slot(host):
            return await self._once(url, read_body)

    async def _request(self, url: str, read_body: bool) -> _Response:
        """:meth:`_once` within the host's politeness slot, retried on transient answers
        (tenacity: bounded tries, exponential backoff with jitter, Retry-After honoured up to
        ``retry_wait_max_s``); the last answer is returned when the tries run out."""
        first = await self._slot_once(url, read_body)
        if not self._transient(first) or not self.settings.retries:
            return first  # most answers: no retry machinery to set up
        tried = [first]

        async def attempt(url: str, read_body: bool) -> _Response:
            # tenacity's first attempt is the one made above: its answer, not a new request
            return tried.pop() if tried else await self._slot_once(url, read_body)

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.retries + 1),
            wait=self._wait,
            retry=retry_if_result(self._transient),
            before_sleep=self._count_retry,
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
            reraise=True,
        )
        result: _Response = await retrying(attempt, url, read_body)
        return result

    # --- robots.txt ----------------------------------------------------------------------

    async def _read_robots(self, origin: str) -> RobotsPolicy:
        url = f"{origin}/robots.txt"
        agent = self.settings.user_agent
        ignored = not self.settings.respect_robots
        chain = await self._follow(url, read_body=True, scope=Scope.around(url), robots=False)
        last = chain.last
        if last.failure is not None or last.status == 429 or last.status >= 500:
            error = last.failure.message if last.failure else f"HTTP {last.status}"
            info = RobotsInfo(
                url=url,
                status=last.status,
                policy="ignored" if ignored else "disallow",
                error=error,
            )
            logger.info(
                LogText(
                    "không đọc được robots.txt của %s (%s): không thu thập gì ở đó",
                    "robots.txt of %s unreadable (%s): nothing crawled there",
                ),
                origin,
                error,
            )
            return RobotsPolicy(info, RobotsRules.disallow_all(agent), last.failure)
        if last.status != 200:  # 4xx (and a redirect to nowhere): no robots.txt, all allowed
            info = RobotsInfo(url=url, status=last.status, policy="ignored" if ignored else "allow")
            return RobotsPolicy(info, RobotsRules.allow_all(agent))
        text = last.body.decode("utf-8-sig", errors="replace")
        rules = RobotsRules(text, agent)
        delay = rules.crawl_delay
        if delay:
            host = urlsplit(origin).hostname or ""
            self._politeness.set_delay(host, min(delay, MAX_CRAWL_DELAY_S))
        info = RobotsInfo(
            url=url,
            status=200,
            text=text,
            sitemaps=rules.sitemaps,
            policy="ignored" if ignored else "rules",
        )
        return RobotsPolicy(info, rules)

    async def robots(self, url: str) -> RobotsPolicy:
        """The robots.txt policy of ``url``'s origin, read once per origin (of the
        :data:`MAX_ROBOTS_KEPT` origins asked most recently)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        task = self._robots.get(origin)
        if task is None:
            task = self._robots[origin] = asyncio.ensure_future(self._read_robots(origin))
            self._forget_robots()
        else:
            self._robots.move_to_end(origin)
        return await asyncio.shield(task)

    def _forget_robots(self) -> None:
        """Drop the least recently asked policies beyond :data:`MAX_ROBOTS_KEPT` (read ones
        only: a policy still being read is awaited by someone)."""
        excess = len(self._robots) - MAX_ROBOTS_KEPT
        if excess > 0:
            read = [origin for origin, task in self._robots.items() if task.done()]
            for origin in read[:excess]:
                del self._robots[origin]

    async def _refused(self, url: str, probe: bool = False) -> Failure | None:
        """Why robots.txt forbids ``url`` (``None`` when it may be requested). A ``probe``
        (one request to learn how the origin answers) goes on when robots.txt could not be
        fetched for want of a connection: there is nothing to spare, and the probe records
        how the connection fails (TLS, refused, timeout)."""
        try:
            urlsplit(url)
        except ValueError:
            return None
        if not url.lower().startswith(("http://", "https://")):
            return None
        policy = await self.robots(url)
        if policy.allows(url) or (probe and policy.failure is not None):
            return None
        return policy.refusal(url)

    async def _follow(
        self,
        url: str,
        read_body: bool,
        scope: Scope | None = None,
        robots: bool = True,
        probe: bool = False,
    ) -> _Chain:
        """Request ``url`` and follow up to :data:`MAX_REDIRECTS` redirects inside ``scope``
        (default: ``url``'s host and its ``www.`` twin), recording each; robots.txt is asked
        before each request unless ``robots`` is False."""
        allowed = scope if scope is not None else Scope.around(url)
        hops: list[RedirectHop] = []
        tls: TlsFacts | None = None
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            refusal = await self._refused(current, probe) if robots else None
            if refusal is not None:
                return _Chain(tuple(hops), _Response(url=current, failure=refusal), tls)
            result = await self._request(current, read_body)
            tls = tls or result.tls
            location = result.header("location")
            if result.failure is not None or result.status not in REDIRECT_STATUSES:
                return _Chain(tuple(hops), result, tls)
            target = _redirect_target(current, location)
            if target is None:  # nowhere (or nowhere HTTP) to go: the redirect is the answer
                return _Chain(tuple(hops), result, tls)
            if not allowed.probe(target):  # outside the scope: reported, never requested
                logger.info(
                    LogText(
                        "không theo %s -> %s: ngoài phạm vi kiểm tra",
                        "not following %s -> %s: outside the scope",
                    ),
                    current,
                    target,
                )
                return _Chain(tuple(hops), result, tls, off_scope=target)
            hops.append(RedirectHop(url=current, status=result.status, location=location))
            current = target
        failure = Failure("protocol", f"protocol: more than {MAX_REDIRECTS} redirects")
        return _Chain(tuple(hops), _Response(url=current, failure=failure), tls)

    # --- public API ----------------------------------------------------------------------

    async def fetch(self, url: str, depth: int = 0, scope: Scope | None = None) -> PageSnapshot:
        """Fetch ``url`` (redirects followed inside ``scope`` and recorded, body capped).
        A small page that only moves the browser on (a meta refresh or a script: see
        :mod:`auditor.stubs`) is followed too, inside the scope, as a browser would, and
        recorded as a redirect hop with its status 200. Never raises for network problems:
        those give status 0 and ``error``."""
        return (await self.fetch_decoded(url, depth, scope))[0]

    async def fetch_decoded(
        self, url: str, depth: int = 0, scope: Scope | None = None
    ) -> tuple[PageSnapshot, str | None]:
        """:meth:`fetch`, with the HTML body's text when detecting its encoding decoded it
        strictly and whole (what :attr:`auditor.page.Page.html` would decode it to): the
        crawler reads the page's links without decoding it again."""
        snap, text = await self._fetch(url, depth, scope)
        for _ in range(MAX_SOFT_REDIRECTS):
            if not snap.is_html or snap.truncated:
                break
            moved = redirect_in(snap.body, snap.final_url, snap.detected_encoding)
            if moved is None:
                break
            target, how = moved
            allowed = scope if scope is not None else Scope.around(url)
            seen = {url, snap.final_url, *(hop.url for hop in snap.redirects)}
            if target in seen or not allowed.probe(target):
                break  # a loop, or outside the scope: the page stays what it is (not seen)
            logger.debug(
                LogText("theo %s của %s tới %s", "following the %s of %s to %s"),
                how,
                snap.final_url,
                target,
            )
            hop = RedirectHop(url=snap.final_url, status=snap.status, location=target)
            moved_to, text = await self._fetch(target, depth, scope)
            snap = moved_to.model_copy(
                update={
                    "url": url,
                    "redirects": (*snap.redirects, hop, *moved_to.redirects),
                    "elapsed_s": round(snap.elapsed_s + moved_to.elapsed_s, 4),
                }
            )
        return snap, text

    async def _fetch(
        self, url: str, depth: int, scope: Scope | None
    ) -> tuple[PageSnapshot, str | None]:
        """One fetch of ``url`` with its HTTP redirects (see :meth:`fetch_decoded`)."""
        started = time.monotonic()
        chain = await self._follow(url, read_body=True, scope=scope)
        last = chain.last
        elapsed = round(time.monotonic() - started, 4)
        if last.failure is not None:
            failed = PageSnapshot(
                url=url,
                final_url=last.url,
                status=0,
                elapsed_s=elapsed,
                depth=depth,
                redirects=chain.hops,
                error=last.failure.message,
            )
            return failed, None
        content_type = last.header("content-type") or ""
        declared = meta = detected = text = None
        if content_type.split(";", 1)[0].strip().lower() in HTML_TYPES:
            declared = charset_from_content_type(content_type)
            meta = meta_charset(last.body)
            detected, text = detect_text(last.body, declared, meta)
        snap = PageSnapshot(
            url=url,
            final_url=last.url,
            status=last.status,
            headers=last.headers,
            body=last.body,
            declared_encoding=declared,
            meta_encoding=meta,
            detected_encoding=detected,
            elapsed_s=elapsed,
            depth=depth,
            redirects=chain.hops,
            truncated=last.truncated,
            off_scope=chain.off_scope,
        )
        return snap, text

    async def _soft_probe(self, chain: _Chain, scope: Scope) -> _Chain:
        """A probe's chain that ends in a plain-HTTP 200 page which only moves the browser on
        (meta refresh, script: :mod:`auditor.stubs`) continued as a browser goes on, the page
        recorded as a hop with its status 200: how plain HTTP leads visitors to HTTPS without
        an HTTP redirect. Only then is the body read (one more request)."""
        last = chain.last
        if last.failure is not None or last.status != 200 or not last.url.startswith("http:"):
            return chain
        page = await self._request(last.url, read_body=True)
        if page.failure is not None or page.status != 200:
            return chain
        charset = charset_from_content_type(page.header("content-type") or "")
        moved = redirect_in(page.body, last.url, charset)
        if moved is None or not scope.probe(moved[0]) or moved[0] == last.url:
            return chain
        hop = RedirectHop(url=last.url, status=200, location=moved[0])
        after = await self._follow(moved[0], read_body=False, scope=scope, probe=True)
        return _Chain(
            (*chain.hops, hop, *after.hops),
            after.last,
            chain.tls or after.tls,
            after.off_scope,
        )

    async def probe(self, url: str, scope: Scope | None = None) -> TransportProbe:
        """Request a site root over one scheme, following redirects inside ``scope``: status,
        chain, TLS facts of the first HTTPS response, HSTS of the final one. Failures are
        facts in the probe."""
        chain = await self._follow(url, read_body=False, scope=scope, probe=True)
        chain = await self._soft_probe(chain, scope if scope is not None else Scope.around(url))
        last = chain.last
        if last.failure is not None:
            return TransportProbe(
                url=url,
                ok=False,
                final_url=last.url,
                redirects=chain.hops,
                error=last.failure.message,
                error_kind=last.failure.kind,
                tls=chain.tls,
            )
        hsts = last.header("strict-transport-security") if last.url.startswith("https:") else None
        return TransportProbe(
            url=url,
            ok=True,
            status=last.status,
            final_url=last.url,
            redirects=chain.hops,
            tls=chain.tls,
            hsts=hsts,
            off_scope=chain.off_scope,
        )
