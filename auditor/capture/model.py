"""The site capture: only what was observed for one agency, no evaluation context."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from pydantic import ConfigDict

from auditor.models import (
    Agency,
    DnsFacts,
    Frozen,
    PageSnapshot,
    RobotsInfo,
    TransportProbe,
)

# Bump when a field changes meaning or a required field is added; readers refuse other versions.
CAPTURE_SCHEMA_VERSION = 1


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
    # the body of a document file (PDF, .docx, .doc), kept to read its fonts; cut at the
    # fetcher's byte cap (``truncated``); empty for other files
    body: bytes = b""
    truncated: bool = False


class SiteCapture(Frozen):
    """Everything observed of one agency's portal by one crawl: responses (bodies as bytes,
    truncation, timing, redirect chains), failures, the transport probes with their TLS facts,
    robots.txt, the sitemap, DNS, and the search / document-file / state-link probes.

    No audit date, registry or rule pack: those are given to evaluation, so the same capture
    can be judged again under other texts (:meth:`auditor.artifacts.Artifacts.from_capture`).
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", ser_json_bytes="base64", val_json_bytes="base64"
    )

    schema_version: int = CAPTURE_SCHEMA_VERSION
    agency: Agency  # as crawled
    start_url: str
    captured_at: datetime
    tool_version: str
    settings_digest: str  # SHA-256 of the crawl settings used (see :func:`settings_digest`)
    duration_s: float = 0.0  # wall time of the crawl
    pages: tuple[PageSnapshot, ...] = ()  # HTML pages fetched with status 200, home page first
    failed: tuple[PageSnapshot, ...] = ()  # fetches that gave no usable page
    https: TransportProbe | None = None
    http: TransportProbe | None = None
    robots: RobotsInfo | None = None
    dns: DnsFacts | None = None  # None: not looked up (no rule needed it)
    sitemap_urls: tuple[str, ...] = ()
    sitemap_error: str | None = None  # a sitemap document not observed, and why
    home_error: str | None = None  # why there is no home page, when there is none
    search: SearchProbe | None = None
    doc_files: tuple[FileProbe, ...] = ()
    state_links: tuple[TransportProbe, ...] = ()
    skipped: tuple[str, ...] = ()  # inputs not gathered because no rule in use needed them
    retries: int = 0  # requests repeated after transient answers (408/429/5xx, reset, timeout)
    off_scope: str | None = None  # where the root redirects, when that is outside the scope
    timed_out: bool = False  # the portal's time budget (--portal-timeout) ended the capture
    spool: str | None = None  # the file holding the bodies of ``spooled`` pages (in flight)


def settings_digest(settings: Frozen) -> str:
    """SHA-256 of the crawl settings' canonical JSON (what limits and politeness applied)."""
    return hashlib.sha256(settings.model_dump_json().encode()).hexdigest()
