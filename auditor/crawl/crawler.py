"""Crawl one portal: probe both schemes, fetch the home page, robots.txt and the sitemap, then
breadth-first over in-scope links within the page and depth caps, and within the portal's time
budget (``--portal-timeout``: what was fetched by then is kept and judged)."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections import deque
from dataclasses import dataclass
from urllib.parse import urlsplit

from auditor.capture.spool import BodySpool
from auditor.config import CrawlSettings
from auditor.crawl.fetcher import Fetcher, RobotsPolicy
from auditor.crawl.frontier import dedupe_key, looks_like_html, normalise_url
from auditor.crawl.robots import sitemap_children, sitemap_urls
from auditor.crawl.scope import Scope
from auditor.errors import LogText
from auditor.htmlcaps import PageTooComplex
from auditor.models import Agency, PageSnapshot, RobotsInfo, TransportProbe, status_observed
from auditor.page import Page

logger = logging.getLogger(__name__)

MAX_SITEMAP_FILES = 4  # sitemap documents fetched per site (an index and a few children)
MAX_SITEMAP_URLS = 10_000  # sitemap URLs kept as evidence


@dataclass(frozen=True)
class SiteCrawl:
    """What the crawl of one portal saw."""

    start_url: str
    pages: tuple[PageSnapshot, ...]  # HTML 200 pages, home first, then as fetched (capture.order)
    failed: tuple[PageSnapshot, ...]  # fetches that gave no usable page (status 0 or >= 400)
    https: TransportProbe | None
    http: TransportProbe | None
    robots: RobotsInfo | None
    sitemap_urls: tuple[str, ...]
    duration_s: float
    sitemap_error: str | None = None  # a sitemap document not observed (status 0, 5xx…)
    scope: Scope | None = None
    retries: int = 0  # requests repeated after transient answers
    off_scope: str | None = None  # where the root redirects, when that is outside the scope
    timed_out: bool = False  # the portal's time budget ended the crawl
    spool: str | None = None  # the file holding the bodies of spooled pages


def _works(probe: TransportProbe) -> bool:
    return probe.ok and 200 <= probe.status < 400


def _home_url(https: TransportProbe, http: TransportProbe) -> str:
    """The root over HTTPS when HTTPS works, else over HTTP when that works or at least
    answers while HTTPS does not, else over HTTPS."""
    if _works(https):
        return https.url
    if _works(http) or (http.ok and not https.ok):
        return http.url
    return https.url


def _unreached(probe: TransportProbe) -> PageSnapshot:
    """The home page's snapshot when the probe of its root got no response."""
    return PageSnapshot(
        url=probe.url,
        final_url=probe.final_url or probe.url,
        status=0,
        redirects=probe.redirects,
        error=probe.error,
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def _sitemap(
    fetcher: Fetcher, first: tuple[str, ...], scope: Scope
) -> tuple[tuple[str, ...], str | None]:
    """Page URLs of the site's sitemaps, following an index to a few of its children, and
    why a sitemap document was not observed (no answer, 401/403/408/429/5xx after the
    retries), when one was not."""
    queue = deque(u for u in first if scope.on_host(u))
    found: dict[str, None] = {}
    unseen: str | None = None
    fetched = 0
    while queue and fetched < MAX_SITEMAP_FILES and len(found) < MAX_SITEMAP_URLS:
        url = queue.popleft()
        fetched += 1
        snap = await fetcher.fetch(url, scope=scope)
        if not status_observed(snap.status) or snap.error:
            unseen = unseen or f"{url}: {snap.why_not_seen}"
        if snap.status != 200:
            continue
        queue.extend(u for u in sitemap_children(snap.body) if scope.on_host(u))
        for page_url in sitemap_urls(snap.body):  # all kept as evidence; crawled when in scope
            found.setdefault(page_url, None)
    return tuple(found)[:MAX_SITEMAP_URLS], unseen


_TARGETS_KEPT = 20_000  # links normalised once per portal, at most (menus repeat on every page)


class _Frontier:
    """URLs to fetch, shallowest first then in discovery order; each URL once."""

    def __init__(self, scope: Scope, robots: RobotsPolicy | None, max_depth: int) -> None:
        self.scope = scope
        self.robots = robots
        self.max_depth = max_depth
        self.seen: set[str] = set()
        self._heap: list[tuple[int, int, str]] = []
        self._order = itertools.count()
        self._targets: dict[str, tuple[str, str] | None] = {}

    def mark(self, url: str) -> None:
        self.seen.add(dedupe_key(url))

    def _target(self, url: str) -> tuple[str, str] | None:
        """``url`` normalised and its dedupe key, or ``None`` when it is not an HTML page of
        the site (looked up once per URL)."""
        if url in self._targets:
            return self._targets[url]
        target = normalise_url(url)
        found = None
        if target is not None and self.scope.site(target) and looks_like_html(target):
            found = target, dedupe_key(target)
        if len(self._targets) < _TARGETS_KEPT:
            self._targets[url] = found
        return found

    def add(self, url: str, depth: int) -> None:
        if depth > self.max_depth:
            return
        found = self._target(url)
        if found is None:
            return
        target, key = found
        if key in self.seen:
            return
        self.seen.add(key)
        if self.robots is not None and not self.robots.allows(target):
            logger.debug(LogText("robots.txt không cho phép %s", "robots.txt disallows %s"), target)
            return
        heapq.heappush(self._heap, (depth, next(self._order), target))

    def pop(self) -> tuple[str, int]:
        depth, _, url = heapq.heappop(self._heap)
        return url, depth

    def __bool__(self) -> bool:
        return bool(self._heap)


class _Collector:
    """Sorts fetch results into pages and failures, and feeds links to the frontier."""

    def __init__(self, frontier: _Frontier, spool: BodySpool | None = None) -> None:
        self.frontier = frontier
        self.spool = spool
        self.pages: list[PageSnapshot] = []
        self.failed: list[PageSnapshot] = []
        self._page_keys: set[str] = set()

    def take(self, snap: PageSnapshot, text: str | None = None) -> None:
        """Sort ``snap`` (``text``: its body decoded, when the fetcher has it) and queue the
        links of a page."""
        for hop in snap.redirects:
            self.frontier.mark(hop.url)
        self.frontier.mark(snap.final_url)
        if snap.is_html:
            key = dedupe_key(snap.final_url)
            if key in self._page_keys or not self.frontier.scope.site(snap.final_url):
                return  # reached twice via redirects, or redirected off the site
            self._page_keys.add(key)
            if snap.depth < self.frontier.max_depth:
                try:
                    urls = Page(snap, text).link_urls()
                except PageTooComplex as exc:  # not parsed: its links are not followed
                    logger.info("%s", exc)
                    urls = []
                for url in urls:
                    self.frontier.add(url, snap.depth + 1)
            if self.spool is not None and self.pages:  # the home page stays: it is read next
                snap = self.spool.shelve(snap)
            self.pages.append(snap)
        elif snap.status == 0 or snap.status >= 400 or snap.off_scope:
            self.failed.append(snap)


async def _crawl_links(
    fetcher: Fetcher,
    frontier: _Frontier,
    collector: _Collector,
    budget: int,
    parallel: int,
    deadline: float,
) -> bool:
    """Fetch from the frontier, ``parallel`` at a time, until it is empty, ``budget`` spent or
    the loop time ``deadline`` passed; True when the deadline ended it."""
    loop = asyncio.get_running_loop()
    tasks: set[asyncio.Task[tuple[PageSnapshot, str | None]]] = set()
    try:
        while frontier or tasks:
            while frontier and budget > 0 and len(tasks) < parallel:
                url, depth = frontier.pop()
                budget -= 1
                tasks.add(
                    asyncio.create_task(
                        fetcher.fetch_decoded(url, depth=depth, scope=frontier.scope)
                    )
                )
            if not tasks:
                break
            remaining = deadline - loop.time()
            if remaining <= 0:
                return True
            done, pending = await asyncio.wait(
                tasks, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
            )
            tasks = set(pending)
            for task in done:
                collector.take(*task.result())
        return False
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def crawl_site(
    fetcher: Fetcher,
    agency: Agency,
    settings: CrawlSettings,
    start_url: str | None = None,
    scope: Scope | None = None,
    deadline: float | None = None,
    spool: BodySpool | None = None,
) -> SiteCrawl:
    """Crawl ``agency``'s portal: probes, home page (``start_url`` when given), robots.txt,
    sitemap, then in-site HTML pages breadth-first within ``settings``' caps, requesting only
    what ``scope`` (default: the agency's own) allows, until the loop time ``deadline``
    (default: ``settings.portal_timeout_s`` from now). With a ``spool``, the bodies of the
    pages after the home page wait on disk (:mod:`auditor.capture.spool`)."""
    loop = asyncio.get_running_loop()
    started = time.monotonic()
    if deadline is None:
        deadline = loop.time() + settings.portal_timeout_s
    scope = scope if scope is not None else Scope.of(agency)
    domain = agency.domain.strip().lower().rstrip(".")
    base = scope.path or "/"
    retried_before = sum(fetcher.retries[h] for h in scope.hosts)
    https: TransportProbe | None = None
    http: TransportProbe | None = None
    home: PageSnapshot | None = None
    policy: RobotsPolicy | None = None
    sitemap: tuple[str, ...] = ()
    sitemap_error: str | None = None
    home_url = start_url or f"https://{domain}{base}"
    collector: _Collector | None = None
    timed_out = False

    def result() -> SiteCrawl:
        pages = tuple(collector.pages) if collector else ()
        failed = tuple(collector.failed) if collector else ()
        if home is None and https is not None and not pages:
            failed = (_unreached(https),)
        if home is None and timed_out and not pages:
            failed = (_timed_out(home_url, settings.portal_timeout_s),)
        return SiteCrawl(
            start_url=home_url,
            pages=pages,
            failed=failed,
            https=https,
            http=http,
            robots=policy.info if policy else None,
            sitemap_urls=sitemap,
            sitemap_error=sitemap_error,
            duration_s=round(time.monotonic() - started, 3),
            scope=scope,
            retries=sum(fetcher.retries[h] for h in scope.hosts) - retried_before,
            off_scope=home.off_scope if home is not None else None,
            timed_out=timed_out,
            spool=str(spool.path) if spool is not None else None,
        )

    try:
        async with asyncio.timeout_at(deadline):
            probes = await asyncio.gather(
                fetcher.probe(f"https://{domain}{base}", scope=scope),
                fetcher.probe(f"http://{domain}{base}", scope=scope),
            )
            https, http = probes
            if start_url is None and not https.ok and not http.ok:
                # nothing answered on either scheme: the probe's failure is the home page's
                policy = await fetcher.robots(https.url)  # read already: why, if it says no
                return result()
            home_url = start_url or _home_url(*probes)
            origin = _origin(home_url)
            for probe in probes:  # the site's own canonical origin, when reached
                if probe.url == home_url and probe.ok and probe.final_url:
                    origin = _origin(probe.final_url)
            read, fetched = await asyncio.gather(
                fetcher.robots(origin + "/"), fetcher.fetch(home_url, depth=0, scope=scope)
            )
            policy, home = read, fetched
            if fetched.is_html:
                first = read.info.sitemaps or (f"{origin}/sitemap.xml",)
                sitemap, sitemap_error = await _sitemap(fetcher, first, scope)
    except TimeoutError:
        timed_out = True
        logger.info(
            LogText(
                "%s: hết thời gian dành cho cổng trước khi tải được trang chủ",
                "%s: portal time budget spent before the home page",
            ),
            domain,
        )
        return result()

    assert home is not None
    frontier = _Frontier(scope, policy if settings.respect_robots else None, settings.max_depth)
    collector = _Collector(frontier, spool)
    frontier.mark(home_url)
    collector.take(home)
    if collector.pages:  # without a home page there is no site to crawl (and no "home")
        for url in sitemap:
            frontier.add(url, 1)
        timed_out = await _crawl_links(
            fetcher, frontier, collector, settings.max_pages - 1, settings.per_host, deadline
        )
        if timed_out:
            logger.info(
                LogText(
                    "%s: hết thời gian dành cho cổng; đánh giá những gì đã tải",
                    "%s: portal time budget spent; judging what was fetched",
                ),
                domain,
            )
    return result()


def _timed_out(url: str, budget_s: float) -> PageSnapshot:
    return PageSnapshot(
        url=url,
        final_url=url,
        status=0,
        error=f"timeout: the portal's time budget ({budget_s:g}s, --portal-timeout) ran out",
    )
