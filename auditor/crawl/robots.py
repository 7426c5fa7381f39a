"""robots.txt rules and sitemap parsing, independent of fetching."""

from __future__ import annotations

import html
import logging
import re
import zlib
from urllib.parse import urlsplit

from protego import Protego

logger = logging.getLogger(__name__)

MAX_SITEMAP_BYTES = 50_000_000  # the sitemaps.org limit for an uncompressed file
MAX_SITEMAP_URLS = 50_000

_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.I | re.M)
_PREFIX = r"(?:[\w.-]+:)?"
_ROOT = re.compile(rb"<(" + _PREFIX.encode() + rb")(urlset|sitemapindex)[\s>]", re.I)
_CDATA = re.compile(r"^<!\[CDATA\[(.*)\]\]>$", re.S)


def _loc_pattern(prefix: bytes) -> re.Pattern[bytes]:
    """``<loc>`` with the root element's namespace prefix only: ``<image:loc>``,
    ``<video:loc>``… name images and videos of a page, not pages (sitemaps.org)."""
    p = re.escape(prefix)
    return re.compile(rb"<" + p + rb"loc\s*>(.*?)</" + p + rb"loc\s*>", re.I | re.S)


MAX_ROBOTS_BYTES = 500_000  # RFC 9309 §2.5: crawlers must parse at least 500 KiB


class RobotsRules:
    """The rules of one robots.txt for one user agent, read as RFC 9309 says (protego: longest
    match wins, ``*`` and ``$`` wildcards, groups of one agent merged, a UTF-8 BOM ignored)."""

    def __init__(self, text: str, user_agent: str, *, allow: bool | None = None) -> None:
        self.user_agent = user_agent
        self._allow = allow  # True / False: everything allowed / disallowed, text aside
        text = text.removeprefix("\ufeff")[:MAX_ROBOTS_BYTES]
        self._parser = Protego.parse(text)
        seen: dict[str, None] = {}
        for match in _SITEMAP_LINE.finditer(text):
            url = match.group(1).strip()
            if url.lower().startswith(("http://", "https://")):
                seen.setdefault(url, None)
        self.sitemaps: tuple[str, ...] = tuple(seen)

    @classmethod
    def allow_all(cls, user_agent: str) -> RobotsRules:
        """Rules that allow everything (no robots.txt: a 4xx answer)."""
        return cls("", user_agent, allow=True)

    @classmethod
    def disallow_all(cls, user_agent: str) -> RobotsRules:
        """Rules that allow nothing (robots.txt unreachable or answering 5xx, RFC 9309 §2.3.1.4)."""
        return cls("", user_agent, allow=False)

    def can_fetch(self, url: str) -> bool:
        """Whether our user agent may fetch ``url`` (``/robots.txt`` itself always)."""
        if self._allow is not None:
            return self._allow
        try:
            if urlsplit(url).path == "/robots.txt":
                return True
        except ValueError:
            return False
        return bool(self._parser.can_fetch(url, self.user_agent))

    @property
    def crawl_delay(self) -> float | None:
        """The ``Crawl-delay`` for our user agent, if any."""
        if self._allow is not None:
            return None
        value = self._parser.crawl_delay(self.user_agent)
        return float(value) if value is not None else None


def _inflate(data: bytes) -> bytes:
    """``data`` un-gzipped when it is gzip (bounded), else as is; ``b''`` when corrupt."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    try:
        inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        return inflater.decompress(data, MAX_SITEMAP_BYTES)
    except zlib.error:
        return b""


def _locs(data: bytes, prefix: bytes) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for match in _loc_pattern(prefix).finditer(data):
        text = match.group(1).decode("utf-8", errors="replace").strip()
        cdata = _CDATA.match(text)
        url = html.unescape(cdata.group(1) if cdata else text).strip()
        if url.lower().startswith(("http://", "https://")) and " " not in url:
            out.setdefault(url, None)
            if len(out) >= MAX_SITEMAP_URLS:
                break
    return tuple(out)


def _kind(data: bytes) -> tuple[str | None, bytes]:
    """The root element (``urlset``, ``sitemapindex`` or ``None``) and its namespace prefix."""
    match = _ROOT.search(data[:4096])
    return (match.group(2).decode().lower(), match.group(1)) if match else (None, b"")


def _text_sitemap(data: bytes) -> tuple[str, ...]:
    """A plain-text sitemap: one absolute URL per line, nothing else (a UTF-8 byte-order mark
    at the start is not part of the first URL)."""
    text = data.decode("utf-8-sig", errors="replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or not all(
        line.lower().startswith(("http://", "https://")) and " " not in line for line in lines
    ):
        return ()
    return tuple(dict.fromkeys(lines[:MAX_SITEMAP_URLS]))


def sitemap_urls(data: bytes) -> tuple[str, ...]:
    """Page URLs listed by a sitemap (XML ``<urlset>``, gzipped or not, or plain text).

    A sitemap index lists sitemaps, not pages: see :func:`sitemap_children`. Anything else,
    garbage included, gives ``()``.
    """
    data = _inflate(data)
    kind, prefix = _kind(data)
    if kind == "urlset":
        return _locs(data, prefix)
    if kind is None and b"<" not in data[:1024]:
        return _text_sitemap(data)
    return ()


def sitemap_children(data: bytes) -> tuple[str, ...]:
    """The sitemaps a sitemap index lists (``()`` when ``data`` is not a sitemap index)."""
    data = _inflate(data)
    kind, prefix = _kind(data)
    return _locs(data, prefix) if kind == "sitemapindex" else ()
