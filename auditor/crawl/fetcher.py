"""The fetcher: one HTTP client for the whole run, politeness, redirects followed and recorded,
byte caps, retries of transient failures. Network problems are facts, never exceptions."""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import certifi
import httpx

from auditor.config import CrawlSettings
from auditor.crawl.connect import ConnectToBackend
from auditor.crawl.failures import Failure, describe
from auditor.crawl.frontier import normalise_url
from auditor.crawl.politeness import Politeness
from auditor.crawl.tlsinfo import response_tls
from auditor.crawl.transport import PoolTransport
from auditor.errors import UsageError
from auditor.models import PageSnapshot, RedirectHop, TlsFacts, TransportProbe
from auditor.text.encoding import charset_from_content_type, detect_encoding, meta_charset

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 10
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TRANSIENT_STATUSES = frozenset({502, 503, 504})
HTML_TYPES = ("text/html", "application/xhtml+xml")
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPT_LANGUAGE = "vi,en;q=0.8"


def make_ssl_context(ca_bundle: Path | None = None) -> ssl.SSLContext:
    """A verifying client context trusting the system store, certifi's roots and ``ca_bundle``."""
    context = ssl.create_default_context()
    context.load_verify_locations(cafile=certifi.where())
    if ca_bundle is not None:
        try:
            context.load_verify_locations(cafile=str(ca_bundle))
        except (OSError, ssl.SSLError) as exc:
            raise UsageError(f"--ca-bundle {ca_bundle}: not a readable PEM bundle ({exc})") from exc
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
class _Chain:
    """A followed redirect chain: the hops and the last response."""

    hops: tuple[RedirectHop, ...]
    last: _Response
    tls: TlsFacts | None  # of the first HTTPS response in the chain


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

    async def __aenter__(self) -> Fetcher:
        transport = self._transport or PoolTransport(
            make_ssl_context(self.settings.ca_bundle),
            ConnectToBackend(self.settings.connect_to),
            max_connections=self.settings.concurrency * 2,
            max_keepalive=self.settings.concurrency,
        )
        self._client = httpx.AsyncClient(
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
                    body, truncated = b"", False
                    if read_body and response.status_code not in REDIRECT_STATUSES:
                        body, truncated = await self._read(response)
                finally:
                    await response.aclose()
        except Exception as exc:  # every transport problem becomes a fact
            failure = describe(exc, self.settings.timeout_s)
            logger.debug("GET %s -> %s (%.2fs)", url, failure.message, time.monotonic() - started)
            if self._on_request is not None:
                self._on_request(url, 0)
            return _Response(url=url, failure=failure)
        logger.debug(
            "GET %s -> %d (%d bytes%s, %.2fs)",
            url,
            response.status_code,
            len(body),
            ", truncated" if truncated else "",
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

    async def _request(self, url: str, read_body: bool) -> _Response:
        """:meth:`_once` within the host's politeness slot, retried on transient failures."""
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:  # the request itself will fail and say why
            host = ""
        tries = self.settings.retries + 1
        for attempt in range(tries):
            async with self._politeness.slot(host):
                result = await self._once(url, read_body)
            transient = (
                result.failure.transient
                if result.failure is not None
                else result.status in TRANSIENT_STATUSES
            )
            if not transient or attempt == tries - 1:
                return result
            why = result.failure.message if result.failure else f"HTTP {result.status}"
            logger.debug("retrying %s after %s", url, why)
            await asyncio.sleep(self._backoff_s * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _follow(self, url: str, read_body: bool) -> _Chain:
        """Request ``url`` and follow up to :data:`MAX_REDIRECTS` redirects, recording each."""
        hops: list[RedirectHop] = []
        tls: TlsFacts | None = None
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            result = await self._request(current, read_body)
            tls = tls or result.tls
            location = result.header("location")
            if result.failure is not None or result.status not in REDIRECT_STATUSES:
                return _Chain(tuple(hops), result, tls)
            target = _redirect_target(current, location)
            if target is None:  # nowhere (or nowhere HTTP) to go: the redirect is the answer
                return _Chain(tuple(hops), result, tls)
            hops.append(RedirectHop(url=current, status=result.status, location=location))
            current = target
        failure = Failure("protocol", f"protocol: more than {MAX_REDIRECTS} redirects")
        return _Chain(tuple(hops), _Response(url=current, failure=failure), tls)

    # --- public API ----------------------------------------------------------------------

    async def fetch(self, url: str, depth: int = 0) -> PageSnapshot:
        """Fetch ``url`` (redirects followed and recorded, body capped). Never raises for
        network problems: those give status 0 and ``error``."""
        started = time.monotonic()
        chain = await self._follow(url, read_body=True)
        last = chain.last
        elapsed = round(time.monotonic() - started, 4)
        if last.failure is not None:
            return PageSnapshot(
                url=url,
                final_url=last.url,
                status=0,
                elapsed_s=elapsed,
                depth=depth,
                redirects=chain.hops,
                error=last.failure.message,
            )
        content_type = last.header("content-type") or ""
        declared = meta = detected = None
        if content_type.split(";", 1)[0].strip().lower() in HTML_TYPES:
            declared = charset_from_content_type(content_type)
            meta = meta_charset(last.body)
            detected = detect_encoding(last.body, declared, meta)
        return PageSnapshot(
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
        )

    async def probe(self, url: str) -> TransportProbe:
        """Request a site root over one scheme, following redirects: status, chain, TLS facts
        of the first HTTPS response, HSTS of the final one. Failures are facts in the probe."""
        chain = await self._follow(url, read_body=False)
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
        )
