"""Build a site's :class:`Artifacts` from its crawl, fetching the few pages the checks need."""

from __future__ import annotations

import asyncio
from datetime import date

from auditor.checks.language import find_version_link
from auditor.crawl.crawler import SiteCrawl
from auditor.crawl.fetcher import Fetcher
from auditor.gather.artifacts import Artifacts
from auditor.gather.page import Link, Page
from auditor.models import Agency, PageSnapshot, Registry, normalise_host
from auditor.sections import label_matches, load_catalogue, slug_matches

# Pages linked from the home page that checks look at; fetched when the crawl did not reach them.
_MAX_EXTRA = 40


def _wanted_links(home: Page) -> list[Link]:
    """Home-page links that may be sections or language versions."""
    catalogue = load_catalogue()
    wanted: list[Link] = []
    for link in home.links:
        if any(
            label_matches(link, s) or slug_matches(link, s) for s in catalogue.sections.values()
        ):
            wanted.append(link)
    for lang in ("en", "zh"):
        version = find_version_link(home, lang, ("/en/", "/en", "/sites/en", "/zh/", "/cn/"))
        if version is not None:
            wanted.append(version)
    return wanted


async def gather(
    fetcher: Fetcher,
    crawl: SiteCrawl,
    agency: Agency,
    as_of: date,
    registry: Registry | None,
) -> Artifacts:
    """The artifacts of one site: the crawl plus any missing section/language pages."""
    pages = [Page(s) for s in crawl.pages]
    failed = list(crawl.failed)
    if pages:
        known = {u for p in pages for u in (p.snapshot.url, p.snapshot.final_url)}
        known |= {s.url for s in failed}
        host = normalise_host(agency.domain)
        missing: list[str] = []
        for link in _wanted_links(pages[0]):
            url = link.url
            in_scope = normalise_host(url.split("/")[2]) == host if "://" in url else False
            if in_scope and url not in known and url not in missing:
                missing.append(url)
        snapshots: list[PageSnapshot] = await asyncio.gather(
            *(fetcher.fetch(url, depth=1) for url in missing[:_MAX_EXTRA])
        )
        for snap in snapshots:
            (pages.append(Page(snap)) if snap.is_html else failed.append(snap))
    home_error = None
    if not pages:
        probes = [p for p in (crawl.https, crawl.http) if p is not None]
        home_error = "; ".join(f"{p.url}: {p.error or p.status}" for p in probes) or None
    return Artifacts(
        agency=agency,
        as_of=as_of,
        start_url=crawl.start_url,
        pages=tuple(pages),
        failed=tuple(failed),
        https=crawl.https,
        http=crawl.http,
        robots=crawl.robots,
        sitemap_urls=crawl.sitemap_urls,
        registry=registry,
        home_error=home_error,
    )
