"""Bounded parsing: caps on the DOM depth and node count of a page, checked on the markup
before it is parsed.

An HTML tree builder spends time in proportion to depth × nodes (lexbor takes 13 s for a page
of 100,000 nested ``<div>``), and recursive walks over such a tree do not end either; Chromium's
parser nests no deeper than 512. A page beyond a cap is not parsed: the checks that need its
elements say ``error`` and name the cap (:class:`PageTooComplex`).
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from itertools import count

from auditor.errors import CheckError

MAX_DEPTH = 512  # nesting of elements that need an end tag (Chromium's parser caps at 512)
MAX_NODES = 100_000  # start tags

# elements without end tag, or whose end tag a parser implies (they do not nest deeper)
_NOT_NESTING = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
        "command",
        "basefont",
        "bgsound",
        "frame",
        "image",
        "isindex",
        "nobr",
        "spacer",
        "p",
        "li",
        "dt",
        "dd",
        "option",
        "optgroup",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "colgroup",
        "caption",
        "rb",
        "rt",
        "rtc",
        "rp",
        "html",
        "head",
        "body",
    ]
)
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "noscript", "iframe"})
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)|<!--")
_START = re.compile(r"<[a-zA-Z]")

PARSES = count()  # every HTML parse of a page, for the parse-once measurement (tests, bench)


class PageTooComplex(CheckError):
    """A page's markup is beyond a DOM cap; it is not parsed."""

    def __init__(self, url: str, what: str, limit: int, found: int) -> None:
        self.url = url
        self.cap = what
        self.limit = limit
        self.found = found
        super().__init__(
            f"{url}: the page's {what} ({found:,}) is beyond the auditor's cap ({limit:,}); "
            "its elements were not examined"
        )


def nesting_depth(html: str, stop: int = MAX_DEPTH) -> int:
    """An estimate of the deepest element nesting of ``html`` (stops counting past ``stop``):
    end tags close back to their element, as a parser does; raw-text elements and comments
    are skipped; elements that do not nest (void, implied end tags) are not counted."""
    stack: list[str] = []
    open_names: Counter[str] = Counter()
    deepest = 0
    pos = 0
    search = _TAG.search
    while True:
        match = search(html, pos)
        if match is None:
            return deepest
        pos = match.end()
        name = match.group(2)
        if name is None:  # a comment
            end = html.find("-->", pos)
            pos = len(html) if end < 0 else end + 3
            continue
        name = name.lower()
        if match.group(1):  # an end tag
            if open_names[name]:
                while stack:
                    top = stack.pop()
                    open_names[top] -= 1
                    if top == name:
                        break
            continue
        if name in _RAW_TEXT:
            end = _find_end(html, name, pos)
            pos = len(html) if end < 0 else end
            continue
        if name in _NOT_NESTING:
            continue
        stack.append(name)
        open_names[name] += 1
        if len(stack) > deepest:
            deepest = len(stack)
            if deepest > stop:
                return deepest


def _find_end(html: str, name: str, pos: int) -> int:
    match = re.compile(f"</{name}", re.I).search(html, pos)
    return -1 if match is None else match.start()


_SEEN: OrderedDict[tuple[str, int, int], PageTooComplex | None] = OrderedDict()


def check_caps(html: str, url: str) -> None:
    """Raise :class:`PageTooComplex` when ``html`` is beyond :data:`MAX_NODES` or
    :data:`MAX_DEPTH` (the verdict on a large page is remembered: crawler, gatherer and
    locators look at the same page)."""
    if len(html) < 65_536:
        _check(html, url)
        return
    key = (url, len(html), hash(html))
    if key not in _SEEN:
        try:
            _check(html, url)
            _SEEN[key] = None
        except PageTooComplex as exc:
            _SEEN[key] = exc
        while len(_SEEN) > 32:
            _SEEN.popitem(last=False)
    found = _SEEN[key]
    if found is not None:
        raise PageTooComplex(found.url, found.cap, found.limit, found.found)


def _check(html: str, url: str) -> None:
    tags = html.count("<")
    if tags <= MAX_DEPTH:
        return
    nodes = len(_START.findall(html))
    if nodes > MAX_NODES:
        raise PageTooComplex(url, "element count", MAX_NODES, nodes)
    depth = nesting_depth(html)
    if depth > MAX_DEPTH:
        raise PageTooComplex(url, "element nesting depth", MAX_DEPTH, depth)
