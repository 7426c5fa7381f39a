"""Which URLs and file names a report may turn into links: everything else is shown as text.

Shared by the HTML, SARIF and XLSX writers (kept apart from them so that writing one format
does not load another's libraries).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SAFE_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f\"'<>\\`]+$", re.IGNORECASE)
_SAFE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.html$")


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host, else ``None`` (shown as text)."""
    if not url or not _SAFE_URL.match(url):
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return url if host else None


def safe_report_link(name: str | None) -> str | None:
    """A link to a report file in the same folder: a plain ``*.html`` file name, else ``None``."""
    return name if name and _SAFE_FILE.match(name) and ".." not in name else None
