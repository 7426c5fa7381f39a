"""Crawl one portal: probe both schemes, fetch the home page, robots.txt and the sitemap, then
breadth-first over in-scope links within the page and depth caps."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections import deque
from dataclasses import dataclass
from urllib.parse import urlsplit

from auditor.config import CrawlSettings
from auditor.crawl.fetcher import Fetcher
from auditor.crawl.frontier import dedupe_key, in_scope, looks_like_html, normalise_url
from auditor.crawl.robots import RobotsRules, sitemap_children, sitemap_urls
from auditor.htmlcaps import PageTooComplex
from auditor.models import Agency, PageSnapshot, RobotsInfo, TransportProbe, normalise_host
from auditor.page import Page

logger = logging.getLogger(__name__)

MAX_SITEMAP_FILES = 4  # sitemap documents fetched per site (an index and a few children)
MAX_SITEMAP_URLS = 10_000  # sitemap URLs kept as evidence


@dataclass(frozen=True)
class SiteCrawl:
    """What the crawl of one portal saw."""

    start_url: str
    pages: tuple[PageSnapshot, ...]  # HTML pages fetched with status 200, home page first
    failed: tuple[PageSnapshot, ...]  # fetches that gave no usable page (status 0 or >= 400)
    https: TransportProbe | None
    http: TransportProbe | None
    robots: RobotsInfo | None
    sitemap_urls: tuple[str, ...]
    duration_s: float


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


async def _robots(fetcher: Fetcher, origin: str, user_agent: str) -> tuple[RobotsInfo, RobotsRules]:
    """robots.txt as evidence and as rules (anything but a 200 allows everything)."""
    url = f"{origin}/robots.txt"
    snap = await fetcher.fetch(url)
    if snap.status != 200:
        if snap.status == 0 or snap.status >= 500:
            logger.info(
                "robots.txt of %s unavailable (%s); crawling as allowed",
                origin,
                snap.error or snap.status,
            )
        rules = RobotsRules.allow_all(user_agent)
        return RobotsInfo(url=url, status=snap.status), rules
    text = snap.body.decode("utf-8", errors="replace")
    rules = RobotsRules(text, user_agent)
    return RobotsInfo(url=url, status=200, text=text, sitemaps=rules.sitemaps), rules


async def _sitemap(
    fetcher: Fetcher, first: tuple[str, ...], hosts: frozenset[str]
) -> tuple[str, ...]:
    """Page URLs of the site's sitemaps, following an index to a few of its children."""
    queue = deque(u for u in first if in_scope(u, hosts))
    found: dict[str, None] = {}
    fetched = 0
    while queue and fetched < MAX_SITEMAP_FILES and len(found) < MAX_SITEMAP_URLS:
        url = queue.popleft()
        fetched += 1
        snap = await fetcher.fetch(url)
        if snap.status != 200:
            continue
        queue.extend(u for u in sitemap_children(snap.body) if in_scope(u, hosts))
        for page_url in sitemap_urls(snap.body):
            found.setdefault(page_url, None)
    return tuple(found)[:MAX_SITEMAP_URLS]


class _Frontier:
    """URLs to fetch, shallowest first then in discovery order; each URL once."""

    def __init__(self, hosts: frozenset[str], robots: RobotsRules | None, max_depth: int) -> None:
        self.hosts = hosts
        self.robots = robots
        self.max_depth = max_depth
        self.seen: set[str] = set()
        self._heap: list[tuple[int, int, str]] = []
        self._order = itertools.count()

    def mark(self, url: str) -> None:
        self.seen.add(dedupe_key(url))

    def add(self, url: str, depth: int) -> None:
        target = normalise_url(url)
        if target is None or depth > self.max_depth:
            return
        if not in_scope(target, self.hosts) or not looks_like_html(target):
            return
        key = dedupe_key(target)
        if key in self.seen:
            return
        self.seen.add(key)
        if self.robots is not None and not self.robots.can_fetch(target):
            logger.debug("robots.txt disallows %s", target)
            return
        heapq.heappush(self._heap, (depth, next(self._order), target))

    def pop(self) -> tuple[str, int]:
        depth, _, url = heapq.heappop(self._heap)
        return url, depth

    def __bool__(self) -> bool:
        return bool(self._heap)


class _Collector:
    """Sorts fetch results into pages and failures, and feeds links to the frontier."""

    def __init__(self, frontier: _Frontier) -> None:
        self.frontier = frontier
        self.pages: list[PageSnapshot] = []
        self.failed: list[PageSnapshot] = []
        self._page_keys: set[str] = set()

    def take(self, snap: PageSnapshot) -> None:
        for hop in snap.redirects:
            self.frontier.mark(hop.url)
        self.frontier.mark(snap.final_url)
        if snap.is_html:
            key = dedupe_key(snap.final_url)
            if key in self._page_keys or not in_scope(snap.final_url, self.frontier.hosts):
                return  # reached twice via redirects, or redirected off the site
            self._page_keys.add(key)
            self.pages.append(snap)
            if snap.depth < self.frontier.max_depth:
                try:
                    links = Page(snap).links
                except PageTooComplex as exc:  # not parsed: its links are not followed
                    logger.info("%s", exc)
                    links = ()
                for link in links:
                    self.frontier.add(link.url, snap.depth + 1)
        elif snap.status == 0 or snap.status >= 400:
            self.failed.append(snap)


async def _crawl_links(
    fetcher: Fetcher, frontier: _Frontier, collector: _Collector, budget: int, parallel: int
) -> None:
    """Fetch from the frontier, ``parallel`` at a time, until it is empty or ``budget`` spent."""
    tasks: set[asyncio.Task[PageSnapshot]] = set()
    try:
        while frontier or tasks:
            while frontier and budget > 0 and len(tasks) < parallel:
                url, depth = frontier.pop()
                budget -= 1
                tasks.add(asyncio.create_task(fetcher.fetch(url, depth=depth)))
            if not tasks:
                break
            done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            tasks = set(pending)
            for task in done:
                collector.take(task.result())
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def crawl_site(
    fetcher: Fetcher, agency: Agency, settings: CrawlSettings, start_url: str | None = None
) -> SiteCrawl:
    """Crawl ``agency``'s portal: probes, home page (``start_url`` when given), robots.txt,
    sitemap, then in-scope HTML pages breadth-first within ``settings``' caps."""
    started = time.monotonic()
    domain = agency.domain.strip().lower().rstrip(".")
    https, http = await asyncio.gather(
        fetcher.probe(f"https://{domain}/"), fetcher.probe(f"http://{domain}/")
    )
    if start_url is None and not https.ok and not http.ok:
        # nothing answered on either scheme: the probe's failure is the home page's
        return SiteCrawl(
            start_url=https.url,
            pages=(),
            failed=(_unreached(https),),
            https=https,
            http=http,
            robots=None,
            sitemap_urls=(),
            duration_s=round(time.monotonic() - started, 3),
        )
    home_url = start_url or _home_url(https, http)
    hosts = {normalise_host(domain), normalise_host(urlsplit(home_url).hostname or domain)}
    origin = _origin(home_url)
    for probe in (https, http):  # the site's own canonical origin, when the probe reached it
        if probe.url == home_url and probe.ok and probe.final_url:
            origin = _origin(probe.final_url)

    home, (robots, rules) = await asyncio.gather(
        fetcher.fetch(home_url, depth=0), _robots(fetcher, origin, settings.user_agent)
    )
    if home.is_html and not in_scope(home.final_url, frozenset(hosts)):
        # the agency's root sends visitors to another host: that host is its portal
        hosts.add(normalise_host(urlsplit(home.final_url).hostname or ""))
    scope = frozenset(hosts)
    sitemap: tuple[str, ...] = ()
    if home.is_html:
        sitemap = await _sitemap(fetcher, robots.sitemaps or (f"{origin}/sitemap.xml",), scope)

    frontier = _Frontier(scope, rules if settings.respect_robots else None, settings.max_depth)
    collector = _Collector(frontier)
    frontier.mark(home_url)
    collector.take(home)
    if collector.pages:  # without a home page there is no site to crawl (and no "home")
        for url in sitemap:
            frontier.add(url, 1)
        await _crawl_links(fetcher, frontier, collector, settings.max_pages - 1, settings.per_host)
    return SiteCrawl(
        start_url=home_url,
        pages=tuple(collector.pages),
        failed=tuple(collector.failed),
        https=https,
        http=http,
        robots=robots,
        sitemap_urls=sitemap,
        duration_s=round(time.monotonic() - started, 3),
    )
