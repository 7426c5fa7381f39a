"""Which probes a site's capture calls for: the search to submit, the document files to fetch
and the state portals to request. Pure (no network), so that it runs in a judging worker
(:mod:`auditor.pool`) where the pages are parsed, and the event loop only sends the requests
(:func:`auditor.gather.build.run_probes`)."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from auditor.artifacts import Artifacts
from auditor.capture.model import SearchProbe, SiteCapture
from auditor.crawl.scope import Scope
from auditor.errors import LogText
from auditor.htmlcaps import PageTooComplex
from auditor.locate.documents import (
    LISTING_CANDIDATES,
    file_links,
    find_listing,
    record_count,
)
from auditor.locate.portals import state_portal_links
from auditor.locate.search import article_title, headline_query, recent_headline, search_forms
from auditor.locate.sections import section_links
from auditor.page import Page
from auditor.sections import load_catalogue

logger = logging.getLogger(__name__)

# Inputs the gatherer can skip when no rule in use declares them (see auditor.checks.registry).
OPTIONAL_INPUTS = ("dns", "search", "doc_files", "state_links")


@dataclass(frozen=True)
class FileLink:
    """A file link of the legal documents listing, to fetch to see that it downloads."""

    url: str
    text: str


@dataclass(frozen=True)
class ProbePlan:
    """The probes a capture calls for (picklable; small: URLs and texts, no pages).

    ``search`` is the search probe as planned: with ``fetch`` set, its ``action`` is the URL to
    request (robots.txt permitting); otherwise it is final (its ``note`` says why nothing is
    sent) or ``None`` (no search form)."""

    search: SearchProbe | None = None
    fetch_search: bool = False
    doc_listing: str | None = None  # the documents listing whose file links are below
    doc_links: tuple[FileLink, ...] = ()
    state_links: tuple[str, ...] = ()  # other state portals the home page links to


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


def with_query(action: str, fields: list[tuple[str, str]], encoding: str = "utf-8") -> str:
    """``action`` with ``fields`` appended to its query string, encoded as a GET form of a
    page in ``encoding`` submits them."""
    parts = urlsplit(action)
    encoded = [(_encode(k, encoding), _encode(v, encoding)) for k, v in fields]
    query = "&".join(q for q in (parts.query, urlencode(encoded)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def plan_search(art: Artifacts, scope: Scope) -> tuple[SearchProbe | None, bool]:
    """The search probe of the home page's first search form, submitting a word of a recent
    headline, and whether it is to be sent."""
    home = art.home
    if home is None:
        return None, False
    forms = search_forms(home)
    if not forms:
        return None, False
    form = forms[0]
    headline = recent_headline(art)
    if headline is None:
        return SearchProbe(home.url, "", "", "", "", note="no recent headline to search for"), False
    others = [lk.text for lk in home.links if lk.url != headline.url]
    query = headline_query(headline.text, others, art.agency.name)
    base = SearchProbe(home.url, "", query or "", headline.text, headline.url)
    if query is None:
        return dataclasses.replace(base, note="no word to search for in the headline"), False
    if form.method != "get":
        note = f"{form.method.upper()} form"
        return dataclasses.replace(base, action=form.action, note=note), False
    if not scope.site(form.action):
        note = f"the form submits to another host ({form.action})"
        return dataclasses.replace(base, action=form.action, note=note), False
    encoding = home.snapshot.detected_encoding or "utf-8"
    url = with_query(form.action, [*form.hidden, (form.param, query)], encoding)
    return dataclasses.replace(base, action=url), True


def plan_document_files(art: Artifacts, scope: Scope) -> tuple[str | None, tuple[FileLink, ...]]:
    """The legal documents listing and its file links the scope allows requesting."""
    listing = find_listing(art, "legal_documents")
    if listing is None:
        return None, ()
    links = tuple(
        FileLink(link.url, link.text) for link in file_links(listing.page) if scope.probe(link.url)
    )
    return listing.page.url, links


def _linked(home: Page, section_id: str, first: int | None = None) -> set[str]:
    """URLs of the home page's (``first``) links to a section of the catalogue (planning has
    no :class:`Artifacts` yet: :func:`~auditor.locate.sections.home_section_links` once it
    has)."""
    links = section_links(home.links, load_catalogue().sections[section_id])
    return {link.url for link, _why in links[:first]}


def read_page_by_page(pages: Sequence[Page], also: Callable[[Page], object] | None = None) -> None:
    """Read each page of a capture (home page first), one at a time, for what the locators
    look up — whether it was received whole (:attr:`Page.problem`); an article's news dates
    and title; the links of a news listing the home page links to; the records of a
    documents listing it links to — and for what ``also`` reads of it (what judging will
    read of it: :func:`auditor.rules.engine.page_reader`), then drop its trees
    (:meth:`Page.shed`; the home page, which the locators read again, keeps them). The
    locators, and the checks after them, find these answers kept, so a portal's trees are
    not all alive together while it is planned (they were: 50 pages of 40 kB held about
    35 MB of trees); a tree read again is parsed again."""
    listings: set[str] = set()
    candidates: set[str] = set()
    for index, page in enumerate(pages):
        # what a page raises here (a DOM cap…) it raises again where it is read, and is
        # handled there as before
        with contextlib.suppress(Exception):
            if page.complete:
                if index == 0:
                    listings = _linked(page, "news")
                    candidates = _linked(page, "legal_documents", LISTING_CANDIDATES)
                seen_at = {page.snapshot.url, page.url}
                if seen_at & listings:
                    page.links  # noqa: B018 (cached: the articles a listing links)
                if seen_at & candidates:
                    record_count(page)
                if page.is_article:
                    page.news_dates  # noqa: B018 (cached)
                    article_title(page)
        if also is not None:
            also(page)
        if index:  # incomplete pages too: a stub's tree, a binary body's decoded text
            page.shed()


def plan_probes(
    capture: SiteCapture,
    scope: Scope,
    needs: frozenset[str] | None,
    pages: tuple[Page, ...] | None = None,
) -> ProbePlan:
    """The probes ``capture`` calls for under ``scope`` (``needs``: the inputs the rules in use
    declare, ``None``: all; ``pages``: the capture's pages, to parse them for judging too).
    A locator that meets a page beyond a DOM cap leaves its probe out (the checks that need it
    say ``error``)."""
    if not capture.pages:
        return ProbePlan()
    # the locators read the pages gathered so far (the audit date and registry play no part)
    art = Artifacts.from_capture(capture, capture.captured_at.date(), pages=pages)

    def wanted(name: str) -> bool:
        return needs is None or name in needs

    plan = ProbePlan()
    try:
        if wanted("search"):
            search, fetch = plan_search(art, scope)
            plan = dataclasses.replace(plan, search=search, fetch_search=fetch)
    except PageTooComplex as exc:
        logger.info(LogText("bỏ qua thử tìm kiếm: %s", "search probe left out: %s"), exc)
    try:
        if wanted("doc_files"):
            listing, links = plan_document_files(art, scope)
            plan = dataclasses.replace(plan, doc_listing=listing, doc_links=links)
    except PageTooComplex as exc:
        logger.info(LogText("bỏ qua thử tệp văn bản: %s", "document-file probe left out: %s"), exc)
    try:
        if wanted("state_links"):
            urls = tuple(link.url for link in state_portal_links(art))
            plan = dataclasses.replace(plan, state_links=urls)
    except PageTooComplex as exc:
        logger.info(
            LogText("bỏ qua thử liên kết cổng nhà nước: %s", "state-link probe left out: %s"), exc
        )
    return plan
