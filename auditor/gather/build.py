"""Build a site's :class:`Artifacts` from its crawl, fetching the few pages the checks need."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import unicodedata
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

from auditor import __version__
from auditor.artifacts import Artifacts, host_of
from auditor.capture.model import FileProbe, SearchProbe, SiteCapture, settings_digest
from auditor.crawl.crawler import SiteCrawl
from auditor.crawl.fetcher import Fetcher
from auditor.crawl.scope import Scope
from auditor.gather.dns import site_dns
from auditor.htmlcaps import PageTooComplex
from auditor.locate.documents import file_links, find_listing
from auditor.locate.language import find_version_link
from auditor.locate.portals import state_portal_links
from auditor.locate.search import headline_query, recent_headline, search_forms
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
# Inputs the gatherer can skip when no rule in use declares them (see auditor.checks.registry).
OPTIONAL_INPUTS = ("dns", "search", "doc_files", "state_links")


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


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _encode_char(ch: str, encoding: str) -> bytes:
    try:
        return ch.encode(encoding)
    except UnicodeEncodeError:
        # windows-1258: precomposed vowel (â, ê, ơ…) followed by a combining tone mark
        marks = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in marks if c not in _TONE_MARKS))
        return (base + "".join(c for c in marks if c in _TONE_MARKS)).encode(encoding)


def _encode(value: str, encoding: str) -> bytes:
    """``value`` in the page's encoding, as a browser submits a form (tone marks combining
    where the encoding, like windows-1258, lacks the precomposed letter; UTF-8 when the
    encoding cannot hold the text)."""
    try:
        return b"".join(_encode_char(ch, encoding) for ch in unicodedata.normalize("NFC", value))
    except (UnicodeEncodeError, LookupError):
        return value.encode("utf-8")


def _with_query(action: str, fields: list[tuple[str, str]], encoding: str = "utf-8") -> str:
    """``action`` with ``fields`` appended to its query string, encoded as a GET form of a
    page in ``encoding`` submits them."""
    parts = urlsplit(action)
    encoded = [(_encode(k, encoding), _encode(v, encoding)) for k, v in fields]
    query = "&".join(q for q in (parts.query, urlencode(encoded)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


async def _robots_allow(fetcher: Fetcher, url: str) -> bool:
    """Whether robots.txt (of ``url``'s origin, as the fetcher obeys it) lets us fetch ``url``."""
    policy = await fetcher.robots(url)
    return policy.allows(url)


def _scope(art: Artifacts, crawl_scope: Scope | None) -> Scope:
    return crawl_scope if crawl_scope is not None else Scope.of(art.agency)


async def probe_search(
    fetcher: Fetcher, art: Artifacts, scope: Scope | None = None
) -> SearchProbe | None:
    """Submit the home page's search form with a word of a recent headline (``None`` when the
    home page has no search form)."""
    home = art.home
    if home is None:
        return None
    forms = search_forms(home)
    if not forms:
        return None
    form = forms[0]
    headline = recent_headline(art)
    if headline is None:
        return SearchProbe(home.url, "", "", "", "", note="no recent headline to search for")
    others = [lk.text for lk in home.links if lk.url != headline.url]
    query = headline_query(headline.text, others, art.agency.name)
    base = SearchProbe(home.url, "", query or "", headline.text, headline.url)
    if query is None:
        return dataclasses.replace(base, note="no word to search for in the headline")
    if form.method != "get":
        return dataclasses.replace(base, action=form.action, note=f"{form.method.upper()} form")
    scope = _scope(art, scope)
    if not scope.site(form.action):
        return dataclasses.replace(
            base, action=form.action, note=f"the form submits to another host ({form.action})"
        )
    encoding = home.snapshot.detected_encoding or "utf-8"
    url = _with_query(form.action, [*form.hidden, (form.param, query)], encoding)
    if not await _robots_allow(fetcher, url):
        return dataclasses.replace(base, action=url, note="robots.txt disallows the search page")
    logger.debug("search probe %s (headline %r)", url, headline.text)
    response = await fetcher.fetch(url, depth=1, scope=scope)
    return dataclasses.replace(base, action=url, response=response)


async def probe_document_files(
    fetcher: Fetcher, art: Artifacts, scope: Scope | None = None
) -> tuple[FileProbe, ...]:
    """Fetch one or two file links of the legal documents listing (those the scope and
    robots.txt allow)."""
    listing = find_listing(art, "legal_documents")
    if listing is None:
        return ()
    scope = _scope(art, scope)
    links = [
        link
        for link in file_links(listing.page)
        if scope.probe(link.url) and await _robots_allow(fetcher, link.url)
    ][:_MAX_DOC_FILES]
    snaps = await asyncio.gather(
        *(fetcher.fetch(link.url, depth=2, scope=scope) for link in links)
    )
    return tuple(
        FileProbe(
            url=link.url,
            listing_url=listing.page.url,
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
        for link, snap in zip(links, snaps, strict=True)
    )


async def probe_state_links(fetcher: Fetcher, art: Artifacts) -> tuple[TransportProbe, ...]:
    """Request once (without reading bodies) the other state portals the home page links to;
    each probe follows redirects only on the linked host (and its ``www.`` twin)."""
    links = state_portal_links(art)
    return tuple(
        await asyncio.gather(*(fetcher.probe(link.url, Scope.around(link.url)) for link in links))
    )


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


async def gather(
    fetcher: Fetcher,
    crawl: SiteCrawl,
    agency: Agency,
    needs: frozenset[str] | None = None,
    deadline: float | None = None,
) -> SiteCapture:
    """The capture of one site: the crawl plus any missing section/language pages, the
    search, document-file and state-portal probes, and the DNS facts of its host. ``needs``
    (inputs the rules in use declare, ``None``: all) skips probes no rule needs. Requests stay
    in the crawl's scope; what is not done by the loop time ``deadline`` (default: the
    portal's budget from now) is left out, and its checks say ``error``."""
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
    capture = SiteCapture(
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
    )
    if not pages:
        return capture
    # the locators read the pages gathered so far (the audit date and registry play no part)
    art = Artifacts.from_capture(capture, capture.captured_at.date())
    probed = await _until(
        deadline,
        asyncio.gather(
            _bounded(probe_search(fetcher, art, scope), None) if wanted("search") else _none(),
            _bounded(probe_document_files(fetcher, art, scope), ())
            if wanted("doc_files")
            else _empty(),
            _bounded(probe_state_links(fetcher, art), ()) if wanted("state_links") else _empty(),
        ),
    )
    if probed is None:  # out of time: no probe results, their checks say error
        return capture.model_copy(update={"timed_out": True})
    search, doc_files, state_links = probed
    return capture.model_copy(
        update={"search": search, "doc_files": doc_files, "state_links": state_links}
    )


async def _bounded(probe: Awaitable[T], fallback: T) -> T:
    """``probe``'s result, or ``fallback`` when a page it reads is beyond a DOM cap."""
    try:
        return await probe
    except PageTooComplex as exc:
        logger.info("probe skipped: %s", exc)
        return fallback


async def _until(deadline: float, work: Awaitable[T]) -> T | None:
    """``work``'s result, or ``None`` when the loop time ``deadline`` passes first."""
    try:
        async with asyncio.timeout_at(deadline):
            return await work
    except TimeoutError:
        logger.info("portal time budget spent: probes left out")
        return None


async def _none() -> None:
    return None


async def _empty() -> tuple[()]:
    return ()
