"""Parse HTML into a lexbor tree whose CSS queries share one selector engine per thread.

selectolax gives every parsed document its own CSS parser and selector engine on its first
query: about 76 kB each, held as long as the tree. A judging worker holds the trees of a
whole portal, so that is 4 MB of engines for 50 pages that could share one. The engine keeps
no state between queries (a query's results are returned, then cleared), so one per thread
serves every tree that thread queries.
"""

from __future__ import annotations

import threading

from selectolax.lexbor import LexborCSSSelector, LexborHTMLParser

_ENGINES = threading.local()


def _engine() -> LexborCSSSelector:
    engine: LexborCSSSelector | None = getattr(_ENGINES, "engine", None)
    if engine is None:
        engine = _ENGINES.engine = LexborCSSSelector()  # type: ignore[no-untyped-call]
    return engine


class HTMLTree(LexborHTMLParser):
    """A :class:`LexborHTMLParser` that queries with its thread's shared selector engine
    (copies made by ``clone()`` are plain parsers, with their own)."""

    @property
    def selector(self) -> LexborCSSSelector:
        """The selector engine of the calling thread."""
        return _engine()


def parse_html(html: str | bytes) -> LexborHTMLParser:
    """The document tree of ``html``: text, or bytes in UTF-8 (text is encoded to UTF-8 before
    it is parsed: a page's body that is exactly the UTF-8 of its text is parsed as it is, at
    less than half the cost)."""
    return HTMLTree(html)
