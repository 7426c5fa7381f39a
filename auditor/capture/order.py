"""The canonical order of a capture's pages and failures: a function of what the site served,
not of which response came back first.

The crawler fetches several pages of a host at once, so the order it collects them in varies
from run to run; checks walk the pages in order and cite the first ones as examples, so a
report would too. A capture therefore keeps its pages as: the home page first, then the rest
by URL — host (``www.`` ignored), path and query, case-folded and percent-decoded, with runs of
digits compared as numbers (``bai-2`` before ``bai-10``), ties broken by the exact URLs.

The crawl depth is deliberately not part of the key: it is the depth of the first link to a
page that the crawl happened to read, which depends on timing when pages of two depths are in
flight together. The URL order still lists a section before the pages under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from auditor.models import PageSnapshot

_DIGITS = re.compile(r"(\d+)")

NaturalKey = tuple[tuple[int, str], ...]
UrlKey = tuple[NaturalKey, str]


def natural_key(text: str) -> NaturalKey:
    """``text`` as a sort key where runs of digits compare as numbers: ``a-2`` < ``a-10``.

    Splitting on digit runs puts text at even positions and digits at odd ones, so two keys
    compare text with text and numbers with numbers (leading zeros break ties)."""
    parts = _DIGITS.split(text)
    return tuple((int(part), part) if i % 2 else (0, part) for i, part in enumerate(parts))


def url_key(url: str) -> UrlKey:
    """The sort key of ``url``: its normalised host, path and query in natural order, then the
    URL itself (so that the order is total)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    text = unquote(f"{host}{parts.path or '/'}?{parts.query}").casefold()
    return natural_key(text), url


def snapshot_key(snap: PageSnapshot) -> tuple[UrlKey, UrlKey, int, str]:
    """Where a fetch goes in canonical order: by the URL it ended at, then the URL asked for
    (two links may redirect to one page), then what was got (the same URL failing twice)."""
    return (
        url_key(snap.final_url or snap.url),
        url_key(snap.url),
        snap.status,
        snap.error or "",
    )


def canonical_pages(pages: Iterable[PageSnapshot]) -> tuple[PageSnapshot, ...]:
    """``pages`` (the home page first) in canonical order: the home page stays first, the
    others follow by :func:`snapshot_key`."""
    listed = tuple(pages)
    if len(listed) < 2:
        return listed
    return (listed[0], *canonical_snapshots(listed[1:]))


def canonical_snapshots(snaps: Iterable[PageSnapshot]) -> tuple[PageSnapshot, ...]:
    """``snaps`` (fetches that gave no usable page, say) by :func:`snapshot_key`."""
    return tuple(sorted(snaps, key=snapshot_key))
