"""Build a site's :class:`Artifacts` from its crawl, fetching the few pages the checks need."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import TypeVar

from auditor import __version__
from auditor.artifacts import Artifacts, host_of
from auditor.capture.model import FileProbe, SearchProbe, SiteCapture, settings_digest
from auditor.crawl.crawler import SiteCrawl
from auditor.crawl.fetcher import Fetcher
from auditor.crawl.scope import Scope
from auditor.errors import LogText
from auditor.gather.dns import site_dns
from auditor.gather.plan import (
    OPTIONAL_INPUTS,
    FileLink,
    ProbePlan,
    plan_document_files,
    plan_probes,
    plan_search,
)
from auditor.htmlcaps import PageTooComplex
from auditor.locate.language import find_version_link
from auditor.models import Agency, TransportProbe, normalise_host
from auditor.page import Link, Page
from auditor.sections import label_matches, load_catalogue, slug_matches
from auditor.text.docfonts import document_kind

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Pages linked from the home page that checks look at; fetched when the crawl did not reach them.
_MAX_EXTRA = 40
_MAX_DOC_FILES = 2  # file links of the documents listing fetched to see that they download
_MAGIC_BYTES = 8


def _wanted_links(home: Page) -> list[Link]:
    """Home-page links that may be sections or language versions."""
    catalogue = load_catalogue()
    wanted: list[Link] = []
    for link in home.links:
        if any(
            label_matches(link, s) or slug_matches(link, s) for s in catalogue.sections.values()
        ):
            wanted.append(link)
    return wanted + _version_links(home)


def _version_links(home: Page) -> list[Link]:
    """The home page's links to its English and Chinese versions."""
    out: list[Link] = []
    for lang in ("en", "zh"):
        version = find_version_link(home, lang, ("/en/", "/en", "/sites/en", "/zh/", "/cn/"))
        if version is not None:
            out.append(version)
    return out


async def _robots_allow(fetcher: Fetcher, url: str) -> bool:
    """Whether robots.txt (of ``url``'s origin, as the fetcher obeys it) lets us fetch ``url``."""
    policy = await fetcher.robots(url)
    return policy.allows(url)


def _scope(art: Artifacts, crawl_scope: Scope | None) -> Scope:
    return crawl_scope if crawl_scope is not None else Scope.of(art.agency)


async def send_search(
    fetcher: Fetcher, planned: SearchProbe | None, fetch: bool, scope: Scope
) -> SearchProbe | None:
    """The planned search probe, sent when it is to be and robots.txt allows it."""
    if planned is None or not fetch:
        return planned
    if not await _robots_allow(fetcher, planned.action):
        return dataclasses.replace(planned, note="robots.txt disallows the search page")
    logger.debug(
        LogText("thử tìm kiếm %s (tiêu đề %r)", "search probe %s (headline %r)"),
        planned.action,
        planned.headline,
    )
    response = await fetcher.fetch(planned.action, depth=1, scope=scope)
    return dataclasses.replace(planned, response=response)


async def fetch_document_files(
    fetcher: Fetcher, listing: str | None, links: tuple[FileLink, ...], scope: Scope
) -> tuple[FileProbe, ...]:
    """Fetch the first one or two of ``links`` (file links of the documents ``listing``) that
    robots.txt allows."""
    if listing is None:
        return ()
    allowed = [link for link in links if await _robots_allow(fetcher, link.url)]
    allowed = allowed[:_MAX_DOC_FILES]
    snaps = await asyncio.gather(
        *(fetcher.fetch(link.url, depth=2, scope=scope) for link in allowed)
    )
    return tuple(
        FileProbe(
            url=link.url,
            listing_url=listing,
            link_text=link.text,
            status=snap.status,
            final_url=snap.final_url,
            content_type=snap.content_type,
            size=len(snap.body),
            magic=snap.body[:_MAGIC_BYTES],
            error=snap.error,
            body=snap.body if document_kind(snap.body) is not None else b"",
            truncated=snap.truncated,
        )
        for link, snap in zip(allowed, snaps, strict=True)
    )


async def request_state_links(
    fetcher: Fetcher, urls: tuple[str, ...]
) -> tuple[TransportProbe, ...]:
    """Request once (without reading bodies) the other state portals the home page links to;
    each probe follows redirects only on the linked host (and its ``www.`` twin)."""
    return tuple(await asyncio.gather(*(fetcher.probe(url, Scope.around(url)) for url in urls)))


async def probe_search(
    fetcher: Fetcher, art: Artifacts, scope: Scope | None = None
) -> SearchProbe | None:
    """Submit the home page's search form with a word of a recent headline (``None`` when the
    home page has no search form)."""
    scope = _scope(art, scope)
    planned, fetch = plan_search(art, scope)
    return await send_search(fetcher, planned, fetch, scope)


async def probe_document_files(
    fetcher: Fetcher, art: Artifacts, scope: Scope | None = None
) -> tuple[FileProbe, ...]:
    """Fetch one or two file links of the legal documents listing (those the scope and
    robots.txt allow)."""
    scope = _scope(art, scope)
    listing, links = plan_document_files(art, scope)
    return await fetch_document_files(fetcher, listing, links, scope)


def _home_error(crawl: SiteCrawl) -> str | None:
    """Why there is no home page."""
    if crawl.off_scope:
        return (
            f"{crawl.start_url} redirects to {crawl.off_scope}, outside the agency's domain:"
            " not followed, nothing judged there"
        )
    if crawl.timed_out:
        return "the portal's time budget (--portal-timeout) ran out before its home page"
    home = next((s for s in crawl.failed if s.url == crawl.start_url), None)
    if home is not None:
        return f"{home.url}: {home.why_not_seen}"
    probes = [p for p in (crawl.https, crawl.http) if p is not None]
    return (
        "; ".join(f"{p.url}: {p.error or p.off_scope or f'HTTP {p.status}'}" for p in probes)
        or None
    )


async def gather_pages(
    fetcher: Fetcher,
    crawl: SiteCrawl,
    agency: Agency,
    needs: frozenset[str] | None = None,
    deadline: float | None = None,
) -> SiteCapture:
    """The capture of one site without its probes: the crawl plus any missing section and
    language pages the home page links to, and the DNS facts of its host. ``needs`` (inputs
    the rules in use declare, ``None``: all) skips what no rule needs. Requests stay in the
    crawl's scope; what is not done by the loop time ``deadline`` (default: the portal's
    budget from now) is left out, and its checks say ``error``."""
    scope = crawl.scope if crawl.scope is not None else Scope.of(agency)
    if deadline is None:
        deadline = asyncio.get_running_loop().time() + fetcher.settings.portal_timeout_s

    def wanted(name: str) -> bool:
        return needs is None or name in needs

    skipped = tuple(n for n in OPTIONAL_INPUTS if not wanted(n))
    dns_task = (
        asyncio.create_task(site_dns(agency.domain, fetcher.settings)) if wanted("dns") else None
    )
    pages = list(crawl.pages)
    failed = list(crawl.failed)
    if pages:
        known = {u for p in pages for u in (p.url, p.final_url)}
        known |= {s.url for s in failed}
        missing: list[str] = []
        versions: set[str] = set()
        try:
            home_page = Page(pages[0])
            candidates = _wanted_links(home_page)
            versions = {link.url for link in _version_links(home_page)}
        except PageTooComplex as exc:
            logger.info("%s", exc)
            candidates = []
        for link in candidates:
            url = link.url
            host = normalise_host(agency.domain)
            on_site = scope.site(url) or (
                url in versions and host_of(url).endswith("." + host)  # eng.<host>: once
            )
            if on_site and url not in known and url not in missing:
                missing.append(url)
        extra = (fetcher.fetch(url, depth=1, scope=scope) for url in missing[:_MAX_EXTRA])
        snapshots = await _until(deadline, asyncio.gather(*extra))
        for snap in snapshots or ():
            (pages.append(snap) if snap.is_html else failed.append(snap))
    home_error = _home_error(crawl) if not pages else None
    return SiteCapture(
        agency=agency,
        start_url=crawl.start_url,
        captured_at=datetime.now(UTC),
        tool_version=__version__,
        settings_digest=settings_digest(fetcher.settings),
        duration_s=crawl.duration_s,
        pages=tuple(pages),
        failed=tuple(failed),
        https=crawl.https,
        http=crawl.http,
        robots=crawl.robots,
        dns=await dns_task if dns_task is not None else None,
        sitemap_urls=crawl.sitemap_urls,
        sitemap_error=crawl.sitemap_error,
        home_error=home_error,
        skipped=skipped,
        retries=crawl.retries,
        off_scope=crawl.off_scope,
        timed_out=crawl.timed_out,
        spool=crawl.spool,
    )


async def run_probes(
    fetcher: Fetcher,
    capture: SiteCapture,
    plan: ProbePlan,
    scope: Scope,
    deadline: float | None = None,
) -> SiteCapture:
    """``capture`` with the probes of ``plan`` (:func:`auditor.gather.plan.plan_probes`) sent;
    when the loop time ``deadline`` passes first, none of them and ``timed_out`` set."""
    if not capture.pages:
        return capture
    if deadline is None:
        deadline = asyncio.get_running_loop().time() + fetcher.settings.portal_timeout_s
    probed = await _until(
        deadline,
        asyncio.gather(
            send_search(fetcher, plan.search, plan.fetch_search, scope),
            fetch_document_files(fetcher, plan.doc_listing, plan.doc_links, scope),
            request_state_links(fetcher, plan.state_links),
        ),
    )
    if probed is None:  # out of time: no probe results, their checks say error
        return capture.model_copy(update={"timed_out": True})
    search, doc_files, state_links = probed
    return capture.model_copy(
        update={"search": search, "doc_files": doc_files, "state_links": state_links}
    )


async def gather(
    fetcher: Fetcher,
    crawl: SiteCrawl,
    agency: Agency,
    needs: frozenset[str] | None = None,
    deadline: float | None = None,
) -> SiteCapture:
    """The whole capture of one site in this process: :func:`gather_pages`, the probes
    planned from its pages (:func:`auditor.gather.plan.plan_probes`) and :func:`run_probes`.
    A scan plans in a judging worker instead (:mod:`auditor.scan`)."""
    scope = crawl.scope if crawl.scope is not None else Scope.of(agency)
    if deadline is None:
        deadline = asyncio.get_running_loop().time() + fetcher.settings.portal_timeout_s
    capture = await gather_pages(fetcher, crawl, agency, needs, deadline)
    plan = plan_probes(capture, scope, needs)
    return await run_probes(fetcher, capture, plan, scope, deadline)


async def _until(deadline: float, work: Awaitable[T]) -> T | None:
    """``work``'s result, or ``None`` when the loop time ``deadline`` passes first."""
    try:
        async with asyncio.timeout_at(deadline):
            return await work
    except TimeoutError:
        logger.info(
            LogText(
                "hết thời gian dành cho cổng: bỏ qua các phép thử",
                "portal time budget spent: probes left out",
            )
        )
        return None
