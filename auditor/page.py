"""A fetched HTML page, parsed once, with the views checks need (text, links, title)."""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TypeVar, cast
from urllib.parse import urldefrag, urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from auditor.article_shape import is_article as shaped_as_article
from auditor.htmlcaps import PARSES, PageTooComplex, check_caps
from auditor.htmltree import parse_html
from auditor.models import PageSnapshot
from auditor.stubs import (
    MAX_STUB_BYTES,
    MAX_TEXT_READ,
    error_shown,
    login_page,
    refresh_target,
    script_shell,
    visible_raw,
)
from auditor.text.dates import find_dates, first_date_in, page_dates
from auditor.text.encoding import first_invalid_utf8
from auditor.text.fold import fold
from auditor.text.legacy import non_ascii_word_counts

# A body is noise, not HTML, when more than this share of its first characters are control
# characters or undecodable bytes (random or binary bytes served as text/html).
_NOISE_SHARE = 0.02
_NOISE_SAMPLE = 65_536
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
# The bytes of a UTF-8 body that decode to the characters of _CONTROL: the ASCII control
# bytes, and 0xC2 followed by 0x80–0x9F (U+0080–U+009F); U+FFFD is counted in the text.
_CONTROL_BYTES = frozenset([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_LANDMARK_TAGS = ("header", "nav", "footer", "aside")
# cached views :meth:`Page.shed` drops
_HEAVY = ("tree", "content_tree", "html", "views", "_content_texts", "_visible_raw")
T = TypeVar("T")

_NOISE = (
    "script, style, noscript, template, nav, header, footer, aside, "
    "[role=navigation], [role=banner], [role=contentinfo]"
)


def collapse(text: str) -> str:
    """Collapse runs of white space to one space and strip."""
    return " ".join(text.split())  # str.split() splits on exactly what \s matches


@dataclass(frozen=True)
class Link:
    """An ``<a href>`` on a page."""

    url: str  # absolute, without fragment
    href: str  # as written
    text: str  # accessible text: content, else img alt, else title/aria-label
    folded: str  # ``text`` folded (no diacritics, lower case)
    hreflang: str | None = None


class Page:
    """A successfully fetched HTML page. Parsing happens once, lazily."""

    def __init__(self, snapshot: PageSnapshot, html: str | None = None) -> None:
        """``html``: the body as :attr:`html` would decode it, when the caller has it (the
        fetcher's strict decode: :func:`~auditor.text.encoding.detect_text`)."""
        if snapshot.spooled is not None:  # judging an empty body would invent absences
            raise ValueError(f"{snapshot.final_url}: body still spooled (capture.spool.unspooled)")
        self.snapshot = snapshot
        if html is not None:
            self.__dict__["html"] = html

    @property
    def url(self) -> str:
        """The final URL (after redirects)."""
        return self.snapshot.final_url

    @cached_property
    def problem(self) -> str | None:
        """Why the page cannot be read as a whole, or ``None``: cut at the byte cap, an empty
        body, or a body that is not HTML (binary or control bytes). Such a page counts as not
        seen: nothing may be judged absent from it."""
        snap = self.snapshot
        if snap.truncated:
            return f"truncated at the byte cap ({len(snap.body):,} bytes): not seen whole"
        if not snap.body.strip():
            return "empty body"
        sample = self.html[:_NOISE_SAMPLE]
        noise = _control_characters(snap.body, sample, snap.detected_encoding)
        if noise >= 32 and noise > _NOISE_SHARE * len(sample):
            share = 100 * noise / len(sample)
            return f"not HTML: {share:.0f}% control or undecodable bytes (binary data?)"
        return self._stand_in()

    def _stand_in(self) -> str | None:
        """Why a small page stands in for the content without being it (:mod:`auditor.stubs`):
        a redirect page not followed, an error page served with HTTP 200, or a sign-in form
        a redirect led to; ``None`` otherwise (and for every page larger than a stub)."""
        snap = self.snapshot
        if len(snap.body) > MAX_STUB_BYTES:
            return None
        try:
            tree = self.tree
        except PageTooComplex:
            return None
        text = self._text_read_by_stubs()
        moved = refresh_target(tree, self.url, text)
        if moved is not None:
            target, how = moved
            return f"a redirect page ({how} to {target}), not followed: not seen"
        shown = error_shown(tree, text)
        if shown is not None:
            return f"an error page served with HTTP {snap.status} («{shown}»): not seen"
        if snap.redirects and login_page(tree, self.url, text):
            return f"redirected to a sign-in page ({self.url}): not seen"
        if script_shell(tree, text):
            return "no content without scripts (the page is built in the browser): not seen"
        return None

    def _text_read_by_stubs(self) -> str:
        """:attr:`text` when it is at most :data:`~auditor.stubs.MAX_TEXT_READ` characters
        long, else a longer prefix of it: all the stub tests read (most pages are longer, and
        their whole text need not be collapsed to tell)."""
        known = self.__dict__.get("text")
        if isinstance(known, str):
            return known
        raw = self._visible_raw
        # the collapse of a prefix is a prefix: the shortest will do (an eighth more than is
        # read is enough unless the text opens with much white space)
        size = MAX_TEXT_READ + MAX_TEXT_READ // 8
        head = collapse(raw[:size])
        while len(head) <= MAX_TEXT_READ and size < len(raw):
            size *= 4  # white space collapsed away: a longer prefix, up to the whole text
            head = collapse(raw[:size])
        if len(head) > MAX_TEXT_READ:
            return head
        self.__dict__["text"] = head  # the whole text, as the cached property would
        return head

    @property
    def complete(self) -> bool:
        """Whether the page was received whole and is HTML (see :attr:`problem`)."""
        return self.problem is None

    @cached_property
    def html(self) -> str:
        """The body decoded with the detected encoding (invalid bytes replaced)."""
        encoding = self.snapshot.detected_encoding or "utf-8"
        try:
            return self.snapshot.body.decode(encoding, errors="replace")
        except LookupError:
            return self.snapshot.body.decode("utf-8", errors="replace")

    @cached_property
    def invalid_utf8_at(self) -> int | None:
        """:func:`~auditor.text.encoding.first_invalid_utf8` of the body, read once per page:
        a body :attr:`html` decoded as UTF-8 without a replacement character (U+FFFD) is
        valid UTF-8, and is not decoded again to tell."""
        snap = self.snapshot
        if self._body_is_utf8_of_html:
            return None
        return first_invalid_utf8(snap.body, snap.truncated)

    @cached_property
    def _body_is_utf8_of_html(self) -> bool:
        """Whether the body is exactly the UTF-8 of :attr:`html`: decoded as UTF-8 without a
        replacement character (U+FFFD), it is valid UTF-8, and decoding it lost nothing."""
        return _decoded_as_utf8(self.snapshot.detected_encoding) and "\ufffd" not in self.html

    def shed(self) -> None:
        """Drop the parsed trees and the decoded HTML, keeping what was read from them (text,
        links, article shape…); they are rebuilt if looked at again. Keeps a page that waits
        to be judged small."""
        for name in _HEAVY:
            self.__dict__.pop(name, None)

    @cached_property
    def views(self) -> dict[str, object]:
        """Views other modules build on the tree (an accessibility ``Doc``…), by name: dropped
        with the tree by :meth:`shed`."""
        return {}

    @cached_property
    def reads(self) -> dict[object, object]:
        """What :func:`read_once` functions read of the page, kept when the trees are shed."""
        return {}

    @cached_property
    def tree(self) -> LexborHTMLParser:
        """The parsed document (the page's one parse); :class:`PageTooComplex` when the markup
        is beyond a DOM cap. Views that remove nodes work on a copy."""
        self._within_caps  # noqa: B018 (raises PageTooComplex)
        next(PARSES)
        # the body when it is what the parser would be given (the text encoded to UTF-8)
        return parse_html(self.snapshot.body if self._body_is_utf8_of_html else self.html)

    @cached_property
    def _within_caps(self) -> bool:
        """``True`` once :func:`check_caps` passed the markup (it raises otherwise): kept when
        the trees are shed, so a page parsed again is not measured again (the estimate walks
        every tag of the page in Python)."""
        check_caps(self.html, self.url)
        return True

    @cached_property
    def content_tree(self) -> LexborHTMLParser:
        """The tree without navigation, header, footer, asides and scripts (do not modify);
        landmarks that hold the ``<main>`` or swallowed the page stay (:func:`remove_noise`)."""
        tree = self.tree.clone()
        remove_noise(tree, self._unclosed_landmarks)
        return tree

    @cached_property
    def _content_texts(self) -> dict[int, str]:
        """What :meth:`content_text` read, by node of :attr:`content_tree` (dropped with it)."""
        return {}

    def content_text(self, node: LexborNode) -> str:
        """``node.text(separator=" ")`` of a node of :attr:`content_tree`, read once while the
        tree lives (the main content's text is read by the article test and the news dates)."""
        texts = self._content_texts
        text = texts.get(node.mem_id)
        if text is None:
            text = texts[node.mem_id] = node.text(separator=" ")
        return text

    @cached_property
    def _unclosed_landmarks(self) -> tuple[str, ...]:
        """:func:`unclosed_landmarks` of the page (kept when its trees are shed)."""
        return unclosed_landmarks(self.html)

    @cached_property
    def title(self) -> str:
        """The document ``<title>``, collapsed ('' when absent)."""
        node = self.tree.css_first("title")
        return collapse(node.text()) if node is not None else ""

    @cached_property
    def lang(self) -> str | None:
        """The ``<html lang>`` value, or ``None``."""
        node = self.tree.css_first("html")
        return node.attributes.get("lang") if node is not None else None

    @cached_property
    def text(self) -> str:
        """Visible text of the body, scripts and styles removed, collapsed."""
        return collapse(self._visible_raw)  # stubs.visible_text of the tree

    @cached_property
    def _visible_raw(self) -> str:
        """:func:`~auditor.stubs.visible_raw` of the tree, read once while the tree lives (the
        stub tests, :attr:`text` and :attr:`words` read it; dropped with the tree)."""
        return visible_raw(self.tree)

    @cached_property
    def words(self) -> Mapping[str, int]:
        """Distinct words of the title and text with non-ASCII characters, with their counts
        (what the encoding checks judge, each distinct word once; they skip ASCII words),
        computed once per page."""
        known = self.__dict__.get("text")  # else the words of the text before its collapse
        text = known if isinstance(known, str) else self._visible_raw
        return non_ascii_word_counts(f"{self.title} {text}")

    @cached_property
    def main_text(self) -> str:
        """Text of the main content: ``<main>``/``[role=main]``/``<article>`` when present,
        else the body without navigation, header, footer and asides."""
        return collapse(self._main_raw())

    def _main_raw(self) -> str:
        """:attr:`main_text` before its white space is collapsed."""
        tree = self.content_tree
        main = tree.css_first("main, [role=main]") or tree.css_first("article") or tree.body
        return self.content_text(main) if main is not None else ""

    @cached_property
    def is_article(self) -> bool:
        """Whether the page is a single article (news item, announcement), not a listing:
        an ``<article>`` with a heading that is the page's only article, article markup
        (``og:type=article``, ``article:published_time``, ``itemprop=datePublished`` outside
        any list), or, on templates without markup, the shape of one (a heading, a date near
        it or an article address, a body of prose: :mod:`auditor.article_shape`)."""
        articles = self.tree.css("article")
        if len(articles) == 1 and articles[0].css_first("h1, h2") is not None:
            return True
        markup = self.tree.css_first(
            'meta[property="og:type" i][content="article" i], '
            'meta[property="article:published_time" i]'
        )
        if markup is not None:
            return True
        dated = self.tree.css('[itemprop="datePublished"]')
        if len(dated) == 1 and not self.tree.css_first("li [itemprop=datePublished]"):
            return True
        if len(articles) > 1:
            return False  # a listing of <article> items
        return shaped_as_article(self.content_tree, self.url, self.content_text)

    @cached_property
    def news_dates(self) -> tuple[date, ...]:
        """News dates of the page. A listing or home page: every date of its main text (its
        markup is not read: ``DC.date`` dates the page, not a news item). An article page: the
        first date of its main text (the byline; later dates in the story may be deadlines or
        events), else the dates of its markup (``<time datetime>``,
        ``article:published_time``, ``DC.date``…). Read once per page."""
        if not self.is_article:
            return tuple(find_dates(self.main_text))
        byline = first_date_in(self._main_raw())  # first_date(self.main_text), read from a prefix
        return (byline,) if byline is not None else tuple(page_dates(self.tree))

    @cached_property
    def links(self) -> tuple[Link, ...]:
        """Every link with an ``href``, made absolute against the page (and ``<base>``)."""
        out: list[Link] = []
        for node, href, url in self._link_targets():
            text = link_text(node)
            out.append(Link(url, href, text, fold(text), node.attributes.get("hreflang")))
        return tuple(out)

    def link_urls(self) -> list[str]:
        """The URLs of :attr:`links`, in order, without reading the links' texts: what a crawl
        follows."""
        if "links" in self.__dict__:
            return [link.url for link in self.links]
        return [url for _node, _href, url in self._link_targets()]

    def _link_targets(self) -> Iterator[tuple[LexborNode, str, str]]:
        """Each ``<a href>`` that leads somewhere, with its ``href`` as written and its URL:
        absolute against the page (and ``<base>``), without fragment."""
        base = self.url
        base_node = self.tree.css_first("base[href]")
        if base_node is not None:
            base = urljoin(base, base_node.attributes.get("href") or "")
        for node in self.tree.css("a[href]"):
            href = (node.attributes.get("href") or "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
                continue
            yield node, href, urldefrag(urljoin(base, href))[0]


def read_once(fn: Callable[[Page], T]) -> Callable[[Page], T]:
    """``fn(page)``, computed once per page and kept on it (:attr:`Page.reads`), also when its
    trees are shed: what a check reads of each page, so that every page can be read once, page
    by page, before the site is judged (:func:`auditor.rules.engine.read_pages`) and its trees
    dropped. Callers must not change the result. What ``fn`` raises is not kept: it is raised
    again at the next call."""

    @functools.wraps(fn)
    def once(page: Page) -> T:
        reads = page.reads
        if fn in reads:
            return cast(T, reads[fn])
        value = reads[fn] = fn(page)
        return value

    return once


def _control_characters(body: bytes, sample: str, encoding: str | None) -> int:
    """How many characters of ``sample`` (a prefix of the page's decoded HTML) match
    :data:`_CONTROL`. When ``sample`` is the whole body decoded as UTF-8, they are counted in
    the body's bytes, faster: an ASCII byte always decodes to itself, the C1 controls only
    from 0xC2 0x80–0x9F (a byte 0xC2 is never part of another sequence), and U+FFFD stands
    for bytes that are not UTF-8, none of them ASCII."""
    if len(sample) < _NOISE_SAMPLE and _decoded_as_utf8(encoding):
        c1 = len(_C1_IN_UTF8.findall(body)) if b"\xc2" in body else 0
        return len(body.translate(None, _NOT_CONTROL_BYTES)) + c1 + sample.count("\ufffd")
    return len(_CONTROL.findall(sample))


def _decoded_as_utf8(encoding: str | None) -> bool:
    """Whether :attr:`Page.html` decodes a body detected as ``encoding`` with the UTF-8 codec
    (an unknown label falls back to it)."""
    try:
        return codecs.lookup(encoding or "utf-8").name == "utf-8"
    except LookupError:
        return True


def _any_case(word: str) -> str:
    """A pattern matching the ASCII ``word`` in any mix of ASCII cases ("nav" → [nN][aA][vV])."""
    return "".join(f"[{c}{c.upper()}]" for c in word)


# A landmark's start tag (``<nav`` followed by white space, ``>`` or ``/``: group 3 not empty)
# or end tag (``</nav``: group 1 is "/"), in any ASCII case. Only ASCII letters are matched
# case-insensitively: the counts are those of ``html.lower()``, where no other character
# becomes one of these letters, white space, ``<``, ``>`` or ``/`` except U+0130 (İ → "i̇",
# an "i" followed by a combining dot, which no tag name holds before its "de") and U+212A
# (Kelvin sign → "k", in no tag name).
_LANDMARK = re.compile(rf"<(/?)({'|'.join(_any_case(tag) for tag in _LANDMARK_TAGS)})([\s>/]?)")


def unclosed_landmarks(html: str) -> tuple[str, ...]:
    """The landmark tags (header, nav, footer, aside) of ``html`` with fewer ``</tag`` end
    tags than ``<tag`` start tags (followed by white space, ``>`` or ``/``), in any case;
    counted in one pass over ``html`` (a pattern that starts with "<" skips ahead quickly),
    not in its lower-case copy."""
    starts = dict.fromkeys(_LANDMARK_TAGS, 0)
    ends = dict.fromkeys(_LANDMARK_TAGS, 0)
    for slash, name, after in _LANDMARK.findall(html):
        if slash:
            ends[name.lower()] += 1
        elif after:
            starts[name.lower()] += 1
    return tuple(tag for tag in _LANDMARK_TAGS if ends[tag] < starts[tag])


def remove_noise(tree: LexborHTMLParser, unclosed: tuple[str, ...]) -> None:
    """Remove scripts, navigation, header, footer and asides from ``tree`` in place, as a
    reader's view of the page, but as the HTML parser built it: a landmark that holds the
    ``<main>`` is not removed, nor one whose end tag is missing and that swallowed the rest of
    the page (it holds the body's last element) — a browser shows that content
    (``unclosed``: :func:`unclosed_landmarks` of the page's HTML)."""
    main = tree.css_first("main, [role=main]")
    keep: set[int] = set()
    if main is not None:
        parent = main.parent
        while parent is not None:
            keep.add(parent.mem_id)
            parent = parent.parent
    body = tree.body
    last = None
    if body is not None and unclosed:  # the body's last element, only when it matters
        for node in body.traverse(include_text=False):
            last = node
    if last is not None:
        parent = last
        while parent is not None:
            if parent.tag in unclosed:
                keep.add(parent.mem_id)
            parent = parent.parent
    for node in tree.css(_NOISE):
        if node.mem_id not in keep:
            node.decompose()


def link_text(node: LexborNode) -> str:
    """The accessible text of a link: its text, else image ``alt``, else aria-label or title."""
    text = collapse(node.text(separator=" "))
    if text:
        return text
    for img in node.css("img[alt]"):
        alt = collapse(img.attributes.get("alt") or "")
        if alt:
            return alt
    for attr in ("aria-label", "title"):
        value = collapse(node.attributes.get(attr) or "")
        if value:
            return value
    return ""
