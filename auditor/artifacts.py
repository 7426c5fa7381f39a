"""What check primitives see of one site: a view over its :class:`SiteCapture` with the
evaluation context (audit date, registry)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TypeVar, cast
from urllib.parse import urlsplit

from auditor.capture.model import FileProbe, SearchProbe, SiteCapture
from auditor.errors import CheckError
from auditor.hostnames import on_site
from auditor.models import (
    Agency,
    DnsFacts,
    PageSnapshot,
    Registry,
    RobotsInfo,
    TransportProbe,
    normalise_host,
    status_observed,
)
from auditor.page import Page
from auditor.stubs import sign_in_url

T = TypeVar("T")

__all__ = ["INPUTS", "Artifacts", "FileProbe", "SearchProbe", "SiteCapture", "host_of"]


# Inputs a primitive may require (``@check(..., requires=...)``): name -> (vi, en) as said in
# the standard "could not be judged: … was not fetched" outcome. The last four are probes the
# gatherer skips when no rule in use requires them.
INPUTS: dict[str, tuple[str, str]] = {
    "home": ("trang chủ", "the home page"),
    "pages": ("trang HTML nào", "an HTML page"),
    "https": ("kết nối HTTPS tới trang chủ", "the HTTPS probe of the root"),
    "http": ("kết nối HTTP tới trang chủ", "the HTTP probe of the root"),
    "robots": ("tệp robots.txt", "robots.txt"),
    "dns": ("thông tin DNS", "the DNS facts"),
    "search": ("phép thử tìm kiếm", "the search probe"),
    "doc_files": ("tệp văn bản của danh mục", "the document-file probe"),
    "state_links": ("phép thử liên kết tới cổng nhà nước khác", "the state-portal link probe"),
}


def host_of(url: str) -> str:
    """The lower-case host of ``url`` ('' when there is none)."""
    return (urlsplit(url).hostname or "").lower()


@dataclass(frozen=True)
class Artifacts:
    """Everything the checks may look at for one agency. Built by :mod:`auditor.gather`."""

    agency: Agency
    as_of: date
    start_url: str
    pages: tuple[Page, ...] = ()  # HTML pages fetched with status 200, home page first
    failed: tuple[PageSnapshot, ...] = ()  # fetches that gave no usable page
    https: TransportProbe | None = None
    http: TransportProbe | None = None
    robots: RobotsInfo | None = None
    dns: DnsFacts | None = None  # A/AAAA/DNSSEC of the agency's host; None: not looked up
    sitemap_urls: tuple[str, ...] = ()
    sitemap_error: str | None = None  # a sitemap document not observed, and why
    registry: Registry | None = None
    home_error: str | None = None  # why there is no home page, when there is none
    search: SearchProbe | None = None  # the site search tried by the gatherer
    doc_files: tuple[FileProbe, ...] = ()  # file links of the documents listing, fetched
    state_links: tuple[TransportProbe, ...] = ()  # other state portals linked from home, probed
    skipped: tuple[str, ...] = ()  # inputs not gathered because no rule in use needed them
    extra: dict[str, object] = field(default_factory=dict)  # gatherer outputs by name
    # the pages are being read one at a time and their completeness is not known yet: all
    # are kept (for reading ahead of judging: :func:`auditor.pool.plan_and_keep`)
    unread: bool = False

    def __post_init__(self) -> None:
        """A page not seen whole (truncated, empty, not HTML) counts as not seen: it moves to
        ``failed`` with its :attr:`Page.problem` as the error, so that no check judges
        absence from it and "N pages examined" counts complete pages only. When the home page
        is such a page there is no home page (everything else hangs off it)."""
        if self.unread or all(page.complete for page in self.pages):
            return
        lost = tuple(
            page.snapshot.model_copy(update={"error": page.problem})
            for page in self.pages
            if not page.complete
        )
        home = self.pages[0]
        kept = tuple(page for page in self.pages if page.complete) if home.complete else ()
        object.__setattr__(self, "pages", kept)
        object.__setattr__(self, "failed", (*self.failed, *lost))
        if not home.complete and self.home_error is None:
            object.__setattr__(self, "home_error", f"{home.url}: {home.problem}")

    @property
    def unseen(self) -> tuple[PageSnapshot, ...]:
        """Fetches that showed nothing to judge: no answer, a status that is not observed
        (:func:`~auditor.models.status_observed`: 401, 403, 408, 429, 5xx), a page not seen
        whole or standing in for the content (:attr:`Page.problem`), or a redirect to a
        sign-in page outside the scope (single sign-on). Absence cannot be concluded while
        any remains."""
        return tuple(
            s
            for s in self.failed
            if not status_observed(s.status)
            or s.error is not None
            or (s.off_scope is not None and sign_in_url(s.off_scope))
        )

    @classmethod
    def from_capture(
        cls,
        capture: SiteCapture,
        as_of: date,
        registry: Registry | None = None,
        agency: Agency | None = None,
        pages: tuple[Page, ...] | None = None,
        unread: bool = False,
    ) -> Artifacts:
        """The view the checks judge: ``capture`` (what was observed) with the evaluation
        context (audit date, registry, and the agency as the registry knows it when it differs
        from the capture's); each page is parsed once, when first looked at. ``pages``: the
        capture's pages already wrapped (and perhaps parsed) by an earlier view of it;
        ``unread``: they are about to be read one at a time (see the field)."""
        if pages is None:
            pages = tuple(Page(s) for s in capture.pages)
        return cls(
            agency=agency or capture.agency,
            as_of=as_of,
            start_url=capture.start_url,
            pages=pages,
            failed=capture.failed,
            https=capture.https,
            http=capture.http,
            robots=capture.robots,
            dns=capture.dns,
            sitemap_urls=capture.sitemap_urls,
            sitemap_error=capture.sitemap_error,
            registry=registry,
            home_error=capture.home_error,
            search=capture.search,
            doc_files=capture.doc_files,
            state_links=capture.state_links,
            skipped=capture.skipped,
            unread=unread,
        )

    @property
    def home(self) -> Page | None:
        """The home page, or ``None`` when it could not be fetched."""
        return self.pages[0] if self.pages else None

    @cached_property
    def memo(self) -> dict[Hashable, object]:
        """What the checks work out once per site and use again, by a key of their own."""
        return {}

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, worked out once per site under ``key`` (:attr:`memo`). Callers must
        not change the result."""
        if key not in self.memo:
            self.memo[key] = compute()
        return cast(T, self.memo[key])

    @cached_property
    def _by_url(self) -> dict[str, Page]:
        out: dict[str, Page] = {}
        for page in self.pages:
            out.setdefault(page.snapshot.url, page)
            out.setdefault(page.snapshot.final_url, page)
        return out

    @property
    def home_page(self) -> Page:
        """The home page of a primitive that requires ``home`` (the engine checked it is
        there); :class:`~auditor.errors.CheckError` otherwise."""
        if not self.pages:
            raise CheckError(self.missing("home") or "the home page was not fetched")
        return self.pages[0]

    def missing(self, name: str) -> str | None:
        """Why input ``name`` is not there (``None``: it is)."""
        if name in self.skipped:
            return "not gathered: no rule in use needed it"
        if name in ("home", "pages"):
            return None if self.pages else (self.home_error or "no HTML page was received")
        if name in ("https", "http", "robots", "dns"):
            return None if getattr(self, name) is not None else "not observed"
        return None

    @cached_property
    def search_page(self) -> Page | None:
        """The search results page the gatherer received, when it is an HTML page."""
        probe = self.search
        if probe is None or probe.response is None or not probe.response.is_html:
            return None
        return Page(probe.response)

    def page(self, url: str) -> Page | None:
        """The fetched page at ``url`` (requested or final URL), or ``None``."""
        return (
            self._by_url.get(url)
            or self._by_url.get(url.rstrip("/"))
            or self._by_url.get(url + "/")
        )

    def failed_fetch(self, url: str) -> PageSnapshot | None:
        """The failed fetch of ``url``, if the crawler tried it and failed."""
        for snap in self.failed:
            if url in (snap.url, snap.final_url):
                return snap
        return None

    def in_scope(self, url: str) -> bool:
        """Whether ``url`` is one of the agency's own pages: on its host (a ``www.`` alias
        counts) and, for a path-based agency, under its path prefix — the crawl scope's
        definition (:func:`auditor.hostnames.on_site`), so a sibling agency on the same host
        is another site."""
        return on_site(url, (normalise_host(self.agency.domain),), self.agency.path)
