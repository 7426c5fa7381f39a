"""Crawl frontier helpers: URL normalisation, dedupe keys, scope and non-HTML filtering."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit, urlunsplit

from auditor.models import normalise_host

_DEFAULT_PORTS = {"http": 80, "https": 443}

# Extensions of resources that are not HTML pages: not crawled.
NON_HTML_EXTENSIONS = frozenset(
    {
        # documents
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "pps", "ppsx", "odt", "ods", "odp",
        "rtf", "csv", "txt", "xml", "json", "rss", "atom",
        # archives and binaries
        "zip", "rar", "7z", "gz", "tgz", "tar", "bz2", "exe", "msi", "apk", "dmg", "iso", "bin",
        # images
        "jpg", "jpeg", "png", "gif", "bmp", "svg", "webp", "ico", "tif", "tiff", "heic",
        # audio and video
        "mp3", "wav", "ogg", "m4a", "mp4", "avi", "wmv", "mov", "flv", "mkv", "webm", "3gp",
        # web assets
        "css", "js", "woff", "woff2", "ttf", "eot", "swf",
    }
)  # fmt: skip


def normalise_url(url: str) -> str | None:
    """``url`` normalised for fetching: http(s) only, scheme and host lower-case, default port
    and fragment dropped, empty path made ``/``. ``None`` for anything else or unparsable."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def dedupe_key(url: str) -> str:
    """A key under which ``url`` and its scheme or ``www.`` variants count once."""
    parts = urlsplit(url)
    host = normalise_host(parts.hostname or "")
    try:
        port = parts.port
    except ValueError:
        port = None
    port_part = f":{port}" if port is not None and port not in _DEFAULT_PORTS.values() else ""
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port_part}{parts.path or '/'}{query}"


def in_scope(url: str, hosts: frozenset[str]) -> bool:
    """Whether ``url``'s host (``www.`` ignored) is one of ``hosts`` (normalised host names)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    return normalise_host(host) in hosts


def looks_like_html(url: str) -> bool:
    """False when the path's extension names an obvious non-HTML resource (PDF, image, …)."""
    path = urlsplit(url).path
    ext = posixpath.splitext(path)[1].lower().lstrip(".")
    return ext not in NON_HTML_EXTENSIONS
