"""Whether a page is a single article, told without knowing its CMS's template.

Article markup (``<article>``, ``og:type=article``, ``datePublished``) is the first signal, but
many portals publish none: a DotNetNuke ``ChiTietTinTuc.aspx?nid=…``, a Liferay ``/-/slug``, a
SharePoint ``/Pages/….aspx`` or a home-grown ``/tin-tuc/…-1234.html`` article is a heading, a
date near it and a body of prose. A listing is many headline links with dates and little prose
of its own. The address (``?p=``, ``/2026/11/…``, ``nid=``, ``ArticleID``, ``chi-tiet``) supports
a page whose date cannot be read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from auditor.text.dates import find_dates, first_date

_WORD = re.compile(r"\w+")
# Addresses of single items on the CMSs Vietnamese portals run.
ARTICLE_URL = re.compile(
    r"chitiet|chi-tiet|chi_tiet|detail|articleid|/article/|newsid|newsdetail|xem-tin"
    r"|[?&](?:nid|newsid|itemid|articleid|p|id|tinid|idtin)=\d+"
    r"|/-/(?!asset_publisher/[^/]+/?$)[^/?]+"
    r"|/\d{4}/\d{1,2}/(?:\d{1,2}/)?[^/?]+"
    r"|[-_/]\d{3,}\.(?:html?|aspx|php)$",
    re.IGNORECASE,
)
# Paths of home pages (never a single article).
_ROOTS = frozenset(
    {
        "",
        "/index.html",
        "/index.htm",
        "/index.php",
        "/default.aspx",
        "/home",
        "/trang-chu",
        "/web/guest",
        "/web/guest/home",
        "/web/guest/trang-chu",
        "/pages/default.aspx",
        "/portal",
    }
)
_HEADINGS = "h1, h2, h3, [class*=title i], [id*=title i]"
_MIN_PROSE = 60  # words of the body's largest block of prose
_LONG_PROSE = 150  # a body this long is an article even beside lists of other news
_MIN_TITLE_WORDS = 4
_HEADLINE_WORDS = 6  # a link this long is a headline
_LISTING_LINKS = 6
_LISTING_DATES = 4
_BEFORE_CHARS = 80  # a byline date sits this close before the heading…
_AFTER_CHARS = 150  # …or this close after it
_LISTING_ITEMS = 3  # list items or table rows that each show a date


@dataclass(frozen=True)
class ArticleShape:
    """What the heuristic saw on a page (kept for tests and debugging)."""

    heading: str
    prose: int  # words of the largest block of prose
    dated_top: bool
    url_shape: bool
    headline_links: int
    dates: int
    dated_items: int = 0  # list items and table rows showing a date

    @property
    def is_article(self) -> bool:
        """A heading, a body of prose, and a date at the top or an article address; not a
        listing (many dated headline links) unless the body is long."""
        listing = (
            self.headline_links >= _LISTING_LINKS and self.dates >= _LISTING_DATES
        ) or self.dated_items >= _LISTING_ITEMS
        return (
            bool(self.heading)
            and self.prose >= _MIN_PROSE
            and (self.dated_top or self.url_shape)
            and (not listing or self.prose >= _LONG_PROSE)
        )


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _link_words(node: LexborNode) -> int:
    return sum(_words(a.text(separator=" ")) for a in node.css("a"))


def _prose(main: LexborNode, enough: int | None = None) -> int:
    """Words of the largest block of prose under ``main``: an element's own text and its
    paragraph children, without link text. With ``enough``, counting may stop once a block
    has that many words (the result is then at least ``enough``, not the largest)."""
    # A paragraph adds its words less its links' words, never fewer than none unless links
    # are nested (their words counted twice): only without them may a block stop early.
    growing = enough is not None and main.css_first("a a") is None
    best = 0
    for node in (main, *main.css("div, section, td, article, span, font")):
        own = _words(node.text(deep=False))
        for child in node.iter():
            if child.tag == "p":
                own += _words(child.text(separator=" ")) - _link_words(child)
                if growing and enough is not None and own >= enough:
                    return own
        best = max(best, own)
        if enough is not None and best >= enough:
            return best
    return best


_CHROME = re.compile(r"logo|banner|brand|masthead|headerpane|site-?header|navbar|menu", re.I)


def _in_chrome(node: LexborNode) -> bool:
    """Whether ``node`` sits in the site's chrome (logo, banner, menu): its site name is no
    article's heading."""
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html"):
        ident = f"{current.attributes.get('id') or ''} {current.attributes.get('class') or ''}"
        if _CHROME.search(ident):
            return True
        current = current.parent
    return False


def _heading(main: LexborNode) -> str:
    for node in main.css(_HEADINGS):
        if node.tag in ("html", "body", "main") or node.css_first("a") is not None:
            continue
        parent = node.parent
        if (parent is not None and parent.tag == "a") or _in_chrome(node):
            continue
        text = " ".join(node.text(separator=" ").split())
        if _MIN_TITLE_WORDS <= _words(text) <= 60:
            return text
    return ""


def _main(content: LexborHTMLParser, url: str) -> tuple[LexborNode, bool] | None:
    """The element holding the page's content and whether the address is an article's;
    ``None`` for a home page."""
    url_shape = bool(ARTICLE_URL.search(url))
    path = urlsplit(url).path.rstrip("/").lower()
    if path in _ROOTS and not url_shape:  # "/?p=123" is a WordPress article, "/" the home
        return None
    main = content.css_first("main, [role=main]") or content.body
    return None if main is None else (main, url_shape)


def _top(text: str, heading: str) -> str:
    """The text around the heading, where a byline date sits."""
    start = max(text.find(heading), 0) if heading else 0
    return text[max(start - _BEFORE_CHARS, 0) : start + len(heading) + _AFTER_CHARS]


def _top_of(raw: str, heading: str) -> str:
    """``_top`` of the collapsed ``raw`` text, collapsing only as much of it as the heading's
    first occurrence needs (the collapse of a prefix of a text is a prefix of its
    collapse)."""
    size = 4096
    while size < len(raw):
        text = " ".join(raw[:size].split())
        start = text.find(heading)
        if start >= 0 and start + len(heading) + _AFTER_CHARS <= len(text):
            return _top(text, heading)
        size *= 4
    return _top(" ".join(raw.split()), heading)


def _dated_items(main: LexborNode) -> int:
    return sum(1 for item in main.css("li, tr") if find_dates(item.text(separator=" ", deep=True)))


def _headline_links(main: LexborNode) -> int:
    return sum(1 for a in main.css("a[href]") if _words(a.text(separator=" ")) >= _HEADLINE_WORDS)


def shape(content: LexborHTMLParser, url: str) -> ArticleShape | None:
    """The article signals of a page (``content``: its tree without navigation, header,
    footer, asides), or ``None`` for a home page."""
    found = _main(content, url)
    if found is None:
        return None
    main, url_shape = found
    text = " ".join(main.text(separator=" ").split())
    heading = _heading(main)
    return ArticleShape(
        heading=heading,
        prose=_prose(main),
        dated_top=bool(find_dates(_top(text, heading))),
        url_shape=url_shape,
        headline_links=_headline_links(main),
        dates=len(find_dates(text)),
        dated_items=_dated_items(main),
    )


def heading(content: LexborHTMLParser, url: str) -> str:
    """``shape(content, url).heading`` ('' for a home page), without reading the rest."""
    found = _main(content, url)
    return _heading(found[0]) if found is not None else ""


def _text(node: LexborNode) -> str:
    return node.text(separator=" ")


def is_article(
    content: LexborHTMLParser, url: str, text_of: Callable[[LexborNode], str] = _text
) -> bool:
    """``shape(content, url).is_article`` (``False`` for a home page), reading only what
    decides it: no body is measured without a heading and a date or an article address, and
    the listing signals are read only for a body of between :data:`_MIN_PROSE` and
    :data:`_LONG_PROSE` words. ``text_of(node)`` is ``node.text(separator=" ")`` (or where
    the caller keeps it)."""
    found = _main(content, url)
    if found is None:
        return False
    main, url_shape = found
    title = _heading(main)
    if not title:
        return False
    if not url_shape and first_date(_top_of(text_of(main), title)) is None:
        return False
    prose = _prose(main, enough=_LONG_PROSE)
    if prose < _MIN_PROSE:
        return False
    if prose >= _LONG_PROSE:
        return True
    text = " ".join(text_of(main).split())
    listing = (
        _headline_links(main) >= _LISTING_LINKS and len(find_dates(text)) >= _LISTING_DATES
    ) or _dated_items(main) >= _LISTING_ITEMS
    return not listing
