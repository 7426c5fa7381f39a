"""The home page's link to a language version (English, Chinese)."""

from __future__ import annotations

from urllib.parse import urlsplit

from auditor.artifacts import host_of
from auditor.models import normalise_host
from auditor.page import Link, Page
from auditor.text.fold import fold_words

LINK_LABELS = {
    "en": ("english", "en", "tieng anh", "eng"),
    "zh": ("中文", "tieng trung", "chinese", "zh", "cn"),
}


def find_version_link(home: Page, lang: str, paths: tuple[str, ...]) -> Link | None:
    """The home page's link to the ``lang`` version: by label, hreflang, flag alt, or path."""
    labels = LINK_LABELS.get(lang, (lang,))
    for link in home.links:
        if link.hreflang and link.hreflang.lower().startswith(lang):
            return link
        words = fold_words(link.text)
        if words in labels or link.text.strip() in labels:
            return link
    home_host = normalise_host(host_of(home.url))
    for link in home.links:
        host = host_of(link.url)
        path = urlsplit(link.url).path
        if host == f"{lang}.{home_host}" or (
            normalise_host(host) == home_host
            and any(path.rstrip("/") == p.rstrip("/") for p in paths)
        ):
            return link
    return None
