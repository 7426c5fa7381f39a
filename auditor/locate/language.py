"""The home page's link to a language version (English, Chinese), in the shapes portals use.

A switch is recognised by what it says (text, image ``alt``, ``title``, ``aria-label``), by its
``hreflang`` or a ``<link rel="alternate" hreflang>``, by a flag icon (``icon-flag-en``,
``fi fi-gb``, ``/images/flags/en.png``), by its URL (``/en``, ``/web/en``, ``/en-US/…``,
``?lang=en``, ``?languageId=en_US``, ``en.<host>``, ``eng.<host>``) or as an option of a
language ``<select>``. A switch whose target only a script knows (a ``<select>`` of language
codes) is reported apart (:func:`scripted_switch`): the crawl cannot follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborNode

from auditor.artifacts import host_of
from auditor.models import normalise_host
from auditor.page import Link, Page, collapse
from auditor.text.fold import fold, fold_words

# Accessible names of a switch (folded words), per language.
LINK_LABELS = {
    "en": ("english", "en", "tieng anh", "eng", "english version", "en us", "en gb"),
    "zh": ("中文", "简体中文", "繁體中文", "tieng trung", "chinese", "zh", "cn"),
}
# Language codes in URLs, icon classes and image names, per language.
CODES = {
    "en": ("en", "eng", "english", "en-us", "en_us", "en-gb", "en_gb", "gb", "uk", "us"),
    "zh": ("zh", "cn", "chn", "chinese", "zh-cn", "zh_cn", "zh-hans", "china"),
}
# Codes that name a country flag only (never a path segment or host label of a version).
_FLAG_ONLY = frozenset({"gb", "uk", "us", "china"})
_QUERY_KEYS = frozenset(
    {"lang", "language", "languageid", "locale", "culture", "hl", "l", "lg", "ngonngu", "lng"}
)
# Path prefixes of CMSs before the language segment (Liferay /web/en, SharePoint /sites/en).
_PATH_HOSTS = ("web", "sites", "portal", "site")
_FLAG_WORDS = ("flag", "lang", "language", "icon", "fi", "ngonngu", "country")


@dataclass(frozen=True)
class VersionLink:
    """A link to a language version and how it was recognised."""

    link: Link
    how: str  # "hreflang", "«English»", "flag icon-flag-en", "URL /web/en", "<select>"…


def _codes(lang: str) -> tuple[str, ...]:
    return CODES.get(lang, (lang,))


def _label_hit(text: str, lang: str) -> bool:
    words = fold_words(text)
    labels = LINK_LABELS.get(lang, (lang,))
    if words in labels or text.strip() in labels:
        return True
    # "English version", "Tiếng Anh | English": a short name holding the language's name
    names = [w for w in labels if len(w) > 3 and w.isascii()]
    padded = f" {words} "
    short = len(words.split()) <= 4 and any(f" {n} " in padded for n in names)
    return short or any(not w.isascii() and w in text for w in labels)


def _flag_hit(node: LexborNode, lang: str) -> str | None:
    """A flag or language icon of ``lang`` inside (or on) the link ``node``."""
    codes = set(_codes(lang))
    for el in (node, *node.css("i, span, img, svg, use, em")):
        attrs = el.attributes
        title = attrs.get("title") or attrs.get("aria-label") or ""
        if el is not node and title and _label_hit(title, lang):
            return f"{el.tag} title «{title}»"
        classes = (attrs.get("class") or "").lower().split()
        for cls in classes:
            parts = re.split(r"[-_]", cls)
            if len(parts) >= 2 and parts[-1] in codes and any(p in _FLAG_WORDS for p in parts):
                return cls
            if cls in codes - {"us"} and len(classes) > 1:  # "flag en", "lang-item en"
                return cls
        src = (attrs.get("src") or attrs.get("href") or attrs.get("xlink:href") or "").lower()
        if el.tag in ("img", "use") and src:
            name = src.rsplit("/", 1)[-1].split("?", 1)[0].rsplit(".", 1)[0].lstrip("#")
            tokens = re.split(r"[-_.]", name)
            if name in codes or (tokens and tokens[-1] in codes and len(tokens) <= 3):
                return f"img {src.rsplit('/', 1)[-1]}"
    return None


def _url_hit(url: str, home_url: str, lang: str, paths: tuple[str, ...]) -> str | None:
    """Whether ``url`` has the shape of the ``lang`` version of the home page's site."""
    codes = set(_codes(lang)) - _FLAG_ONLY
    home_host = normalise_host(host_of(home_url))
    host = normalise_host(host_of(url))
    parts = urlsplit(url)
    first = host.split(".", 1)[0]
    if host.endswith("." + home_host) and first in codes:
        return f"host {host}"
    if host != home_host:
        return None
    path = parts.path.rstrip("/")
    if any(path == p.rstrip("/") for p in paths if p.strip("/")):
        return f"URL {parts.path}"
    segments = [s.lower() for s in path.split("/") if s]
    if segments and segments[0] in _PATH_HOSTS and len(segments) > 1:
        segments = segments[1:]
    if segments and segments[0] in codes:
        return f"URL {parts.path}"
    for key, value in parse_qsl(parts.query):
        low = value.lower()
        base = low.split("_")[0].split("-")[0]
        if key.lower() in _QUERY_KEYS and (low in codes or base in codes):
            return f"URL ?{key}={value}"
    return None


def _is_home(url: str, home: Page) -> bool:
    own = {home.url.rstrip("/"), home.snapshot.url.rstrip("/")}
    return url.rstrip("/") in own


def locate_version(home: Page, lang: str, paths: tuple[str, ...] = ()) -> VersionLink | None:
    """The home page's link to the ``lang`` version and how it was recognised, or ``None``."""
    for node in home.tree.css("link[rel~=alternate][hreflang][href]"):
        if (node.attributes.get("hreflang") or "").lower().startswith(lang):
            url = urldefrag(urljoin(home.url, node.attributes.get("href") or ""))[0]
            if not _is_home(url, home):
                link = Link(url, node.attributes.get("href") or "", "", "", lang)
                return VersionLink(link, '<link rel="alternate" hreflang>')
    links = [lk for lk in home.links if not _is_home(lk.url, home)]
    for link in links:
        if link.hreflang and link.hreflang.lower().startswith(lang):
            return VersionLink(link, f'hreflang="{link.hreflang}"')
    for link in links:
        if link.text and _label_hit(link.text, lang):
            return VersionLink(link, f"«{link.text}»")
    by_node = _link_nodes(home)
    for link in links:
        anchor = by_node.get(link.href)
        flag = _flag_hit(anchor, lang) if anchor is not None else None
        if flag is not None:
            return VersionLink(link, f"flag {flag}")
    for link in links:
        how = _url_hit(link.url, home.url, lang, paths)
        if how is not None:
            return VersionLink(link, how)
    return _select_option(home, lang)


def _link_nodes(home: Page) -> dict[str, LexborNode]:
    out: dict[str, LexborNode] = {}
    for node in home.tree.css("a[href]"):
        out.setdefault((node.attributes.get("href") or "").strip(), node)
    return out


def _select_option(home: Page, lang: str) -> VersionLink | None:
    """An option of a language ``<select>`` whose value is the version's address."""
    for option in home.tree.css("select option[value]"):
        value = (option.attributes.get("value") or "").strip()
        text = collapse(option.text())
        if not value or not (_label_hit(text, lang) or value.lower() in _codes(lang)):
            continue
        if "/" in value or value.startswith(("http:", "https:", "?")):
            url = urldefrag(urljoin(home.url, value))[0]
            return VersionLink(Link(url, value, text, fold(text)), f"<select> «{text}»")
    return None


def scripted_switch(home: Page, lang: str) -> str | None:
    """A switch to ``lang`` whose target a script decides (a ``<select>`` option or a button
    with the language's name or code but no address), or ``None``."""
    for option in home.tree.css("select option"):
        value = (option.attributes.get("value") or "").strip()
        text = collapse(option.text())
        if (
            _label_hit(text, lang)
            or value.lower() in _codes(lang)
            or (value.lower().split("_")[0].split("-")[0] in _codes(lang))
        ):
            return f'<option value="{value}">{text}</option>'
    for node in home.tree.css("button, [onclick], a[href^='javascript' i], a[href='#']"):
        name = collapse(node.text()) or node.attributes.get("title") or ""
        if name and _label_hit(name, lang):
            return f"<{node.tag}> «{name}»"
    return None


def find_version_link(home: Page, lang: str, paths: tuple[str, ...] = ()) -> Link | None:
    """The home page's link to the ``lang`` version (see :func:`locate_version`)."""
    found = locate_version(home, lang, paths)
    return found.link if found is not None else None


def version_root(url: str) -> str:
    """The root of the version at ``url``: its language segment (``/en/``, ``/web/en/``,
    ``/en-US/``) or, for a language host (``eng.<host>``), the host."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    keep: list[str] = []
    for segment in segments:
        keep.append(segment)
        if segment.lower() not in _PATH_HOSTS:
            break
    if segments and "." in keep[-1]:  # /en-US/Pages/default.aspx → a file, not a folder
        keep = keep[:-1]
    root = "/".join(keep)
    return f"{parts.scheme}://{parts.netloc}/{root + '/' if root else ''}"
