"""Quoted information names its source (Lâm Đồng Đ8 k3; Tuyên Quang Đ6 k1 c)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborNode

from auditor.artifacts import Artifacts, host_of
from auditor.checks.registry import Params, check
from auditor.models import Evidence, Outcome, t
from auditor.page import Page, collapse, read_once
from auditor.text.fold import fold

_BLOCKS = "p, div, em, i, span, small, cite, footer, li, strong, b"
_MAX_CHARS = 200
_MAX_THEO_WORDS = 8
# "Nguồn:", "Nguồn tin:", "Trích từ", "Trích nguồn:" (folded, lower case)
_MARKER = re.compile(r"^\(?\s*(nguon(?: tin| bai| bai viet)?\s*:|trich (?:tu|nguon)\s*:?)\s*(.*)$")
_THEO = re.compile(r"^\(?\s*theo\s+(.+)$")
_OUTLETS = (
    "bao ",
    "tap chi",
    "dai ",
    "thong tan",
    "ttxvn",
    "vtv",
    "vov",
    "cong thong tin",
    "trang ",
    "baochinhphu",
    "vnexpress",
    "tuoi tre",
    "thanh nien",
    "nhan dan",
)
_DOMAIN = re.compile(r"\b[a-z0-9-]+\.(?:vn|com|net|org)\b")
# what does not name a source
_UNNAMED = frozenset(
    {"", "internet", "st", "s.t", "suu tam", "tong hop", "mang", "mang xa hoi", "nguon khac"}
)


@dataclass(frozen=True)
class Quote:
    """The attribution line of an article that quotes another outlet."""

    page_url: str
    text: str  # as shown
    source: str  # the source named ('' when none)
    link: str | None  # a link to another host in or right after the line


def _outside_chrome(node: LexborNode) -> bool:
    parent: LexborNode | None = node
    in_footer = False
    while parent is not None:
        tag = parent.tag
        if tag in ("nav", "header", "aside"):
            return False
        if tag == "article":
            return True
        if tag == "footer":
            in_footer = True
        parent = parent.parent
    return not in_footer


def _source(text: str) -> str | None:
    """The source an attribution line names ('' for an unnamed one), or None when the
    line is not an attribution."""
    folded = fold(text).strip()
    same = len(folded) == len(text)  # folding kept the positions: show the original text
    m = _MARKER.match(folded)
    if m is not None:
        named = collapse(text[len(text) - len(m.group(2)) :] if same else m.group(2))
        named = named.strip(" .)(")
        return "" if fold(named).strip(" .") in _UNNAMED else named
    m = _THEO.match(folded)
    if m is None or "," in text or len(text.split()) > _MAX_THEO_WORDS:
        return None
    rest = collapse(text[len(text) - len(m.group(1)) :] if same else m.group(1)).strip(" .)(")
    # "(Theo TTXVN)", "Theo Báo Lâm Đồng", "Theo baochinhphu.vn"; not "Theo Quyết định 12…"
    if folded.startswith("(") or m.group(1).startswith(_OUTLETS) or _DOMAIN.search(m.group(1)):
        return rest
    return None


def _link(node: LexborNode, page: Page) -> str | None:
    own = host_of(page.url)
    nodes = [node]
    sibling = node.next
    while sibling is not None and len(nodes) < 3:
        if sibling.tag != "-text":
            nodes.append(sibling)
        sibling = sibling.next
    for n in nodes:
        anchors = [n] if n.tag == "a" else n.css("a[href]")
        for a in anchors:
            url = urljoin(page.url, a.attributes.get("href") or "")
            if urlsplit(url).scheme in ("http", "https") and host_of(url) != own:
                return url
    return None


@read_once
def article_quote(page: Page) -> Quote | None:
    """The last attribution line of an article page ("Nguồn: …", "(Theo …)", "Trích từ …")."""
    found: Quote | None = None
    for node in page.tree.css(_BLOCKS):
        text = collapse(node.text(separator=" "))
        if not text or len(text) > _MAX_CHARS or not _outside_chrome(node):
            continue
        source = _source(text)
        if source is not None:
            found = Quote(page.url, text, source, _link(node, page))
    return found


class QuoteParams(Params):
    """Whether the attribution must also link to the original."""

    require_link: bool = False


def _read_quote(art: Artifacts, page: Page, p: QuoteParams) -> None:
    """What :func:`quoted_sources` reads of an article page: its attribution line."""
    if page.is_article:
        article_quote(page)


@check("quoted_sources", params=QuoteParams, absence=True, requires=("home",), reads=(_read_quote,))
def quoted_sources(art: Artifacts, p: QuoteParams) -> Outcome:
    """Articles that quote another outlet name the source ("Nguồn: Báo …", "Theo …") and,
    with ``require_link``, link to the original."""
    articles = [pg for pg in art.pages if pg.is_article and art.in_scope(pg.url)]
    quotes = [q for q in (article_quote(pg) for pg in articles) if q is not None]
    if not quotes:
        return Outcome(
            status="not_applicable",
            evidence=(
                Evidence(
                    url=art.home_page.url,
                    detail=t(
                        f"Không bài viết nào trích dẫn nguồn khác (đã xem {len(articles)} bài).",
                        f"No article quotes another outlet ({len(articles)} articles examined).",
                    ),
                ),
            ),
        )
    bad: list[Evidence] = []
    for q in quotes:
        if not q.source:
            bad.append(
                Evidence(
                    url=q.page_url,
                    detail=t(
                        "Bài trích dẫn không ghi rõ tên nguồn.",
                        "The quoted article does not name its source.",
                    ),
                    expected="Nguồn: <tên cơ quan báo chí>",
                    found=q.text,
                    snippet=q.text,
                )
            )
        elif p.require_link and q.link is None:
            bad.append(
                Evidence(
                    url=q.page_url,
                    detail=t(
                        f"Bài trích dẫn «{q.source}» không có liên kết tới bài gốc.",
                        f"The article quoting «{q.source}» does not link to the original.",
                    ),
                    expected="<a href> tới bài gốc",
                    found=q.text,
                    snippet=q.text,
                )
            )
    if bad:
        return Outcome(status="fail", evidence=tuple(bad[:10]))
    return Outcome(
        status="pass",
        evidence=(
            Evidence(
                url=quotes[0].page_url,
                detail=t(
                    f"{len(quotes)} bài trích dẫn đều ghi nguồn"
                    + (" và liên kết bài gốc." if p.require_link else "."),
                    f"All {len(quotes)} quoting articles name the source"
                    + (" and link the original." if p.require_link else "."),
                ),
                found="; ".join(q.text for q in quotes[:3]),
            ),
        ),
    )
