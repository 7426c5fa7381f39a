"""Site-level facts built once from a crawl; the only input of check primitives."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from urllib.parse import urlsplit

from auditor.models import (
    Agency,
    DnsFacts,
    PageSnapshot,
    Registry,
    RobotsInfo,
    TransportProbe,
    normalise_host,
)
from auditor.page import Page


@dataclass(frozen=True)
class SearchProbe:
    """The site search tried once by the gatherer: a word of a recent headline submitted
    through the home page's search form (``response`` is ``None`` when nothing was sent)."""

    form_url: str  # the page that holds the form
    action: str  # the URL submitted, query included ('' when nothing was sent)
    query: str  # the word searched for
    headline: str  # the recent headline the word comes from
    headline_url: str  # where that headline links
    response: PageSnapshot | None = None
    note: str | None = None  # why nothing was sent (POST form, no headline…)


@dataclass(frozen=True)
class FileProbe:
    """One file link of a documents listing, fetched by the gatherer."""

    url: str
    listing_url: str  # the listing that links it
    link_text: str
    status: int  # 0 when no HTTP response was received
    final_url: str = ""
    content_type: str = ""  # media type without parameters, lower case
    size: int = 0  # bytes received (capped)
    magic: bytes = b""  # the first bytes of the body
    error: str | None = None


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
    registry: Registry | None = None
    home_error: str | None = None  # why there is no home page, when there is none
    search: SearchProbe | None = None  # the site search tried by the gatherer
    doc_files: tuple[FileProbe, ...] = ()  # file links of the documents listing, fetched
    state_links: tuple[TransportProbe, ...] = ()  # other state portals linked from home, probed
    extra: dict[str, object] = field(default_factory=dict)  # gatherer outputs by name

    @property
    def home(self) -> Page | None:
        """The home page, or ``None`` when it could not be fetched."""
        return self.pages[0] if self.pages else None

    @cached_property
    def _by_url(self) -> dict[str, Page]:
        out: dict[str, Page] = {}
        for page in self.pages:
            out.setdefault(page.snapshot.url, page)
            out.setdefault(page.snapshot.final_url, page)
        return out

    def page(self, url: str) -> Page | None:
        """The fetched page at ``url`` (requested or final URL), or ``None``."""
        return self._by_url.get(url) or self._by_url.get(url.rstrip("/")) or self._by_url.get(
            url + "/"
        )

    def failed_fetch(self, url: str) -> PageSnapshot | None:
        """The failed fetch of ``url``, if the crawler tried it and failed."""
        for snap in self.failed:
            if url in (snap.url, snap.final_url):
                return snap
        return None

    def in_scope(self, url: str) -> bool:
        """Whether ``url`` is on the agency's host (a ``www.`` alias counts)."""
        return normalise_host(host_of(url)) == normalise_host(self.agency.domain)
