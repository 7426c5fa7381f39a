"""URL path → file of a site folder, with the lookup rules of ``fixtures/demo/check_sites.py``.

``/`` and ``/dir/`` serve ``index.html``; ``/dir`` redirects to ``/dir/`` when it is a folder;
``/page`` also finds ``page.html``. Names starting with ``_`` are never served and no path can leave
the site folder (``..``, ``.``, back-slashes, NUL and symlinks pointing outside are refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote, unquote

CONTENT_TYPES: dict[str, str] = {
    "html": "text/html",
    "htm": "text/html",
    "aspx": "text/html",  # ASP.NET (DotNetNuke, SharePoint) pages
    "php": "text/html",
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "json": "application/json",
    "xml": "application/xml",
    "rss": "application/rss+xml",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "ico": "image/x-icon",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Resolved:
    """What a URL path maps to: a file, a redirect to the folder URL, or nothing."""

    kind: Literal["file", "redirect", "missing"]
    file: Path | None = None
    location: str | None = None


MISSING = Resolved("missing")


def content_type(file: Path, charset: str) -> str:
    """The Content-Type of ``file``; HTML gets the site's ``charset``."""
    ctype = CONTENT_TYPES.get(file.suffix.lower().lstrip("."), "application/octet-stream")
    return f"{ctype}; charset={charset}" if ctype == "text/html" else ctype


def _inside(root: Path, file: Path) -> Path | None:
    """``file`` if it is a regular file whose real path stays inside ``root``."""
    try:
        real = file.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return real if real.is_file() and real.is_relative_to(root) else None


def resolve(root: Path, url_path: str) -> Resolved:
    """Map the path part of a request target (percent-encoded) to a file under ``root``.

    ``root`` must be an absolute, resolved folder.
    """
    try:
        path = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return MISSING
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        return MISSING
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") or p.startswith("_") for p in parts):
        return MISSING
    here = root.joinpath(*parts)
    if path.endswith("/"):
        found = _inside(root, here / "index.html")
        return Resolved("file", found) if found else MISSING
    found = _inside(root, here)
    if found:
        return Resolved("file", found)
    if here.is_dir() and here.resolve().is_relative_to(root):
        return Resolved("redirect", location=quote(path + "/"))
    found = _inside(root, here.with_name(here.name + ".html"))
    return Resolved("file", found) if found else MISSING
