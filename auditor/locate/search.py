"""The site search form and the newest headline to search for."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from auditor.article_shape import heading as shaped_heading
from auditor.artifacts import Artifacts
from auditor.locate.news import news_pages, page_news_dates
from auditor.page import Page, collapse, read_once
from auditor.text.fold import fold_words

# Names of the query field of search forms seen on Vietnamese portals.
_QUERY_NAMES = frozenset(
    {"q", "s", "query", "keyword", "keywords", "key", "search", "searchtext", "tukhoa", "kw", "k"}
)


_SEARCH_HINTS = ("tim-kiem", "timkiem", "search", "tim_kiem")


_TEXT_TYPES = frozenset({"", "text", "search"})


_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class SearchForm:
    """A search form of a page: where it submits and the name of its query field."""

    page_url: str
    action: str  # absolute URL
    method: str  # "get" or "post"
    param: str  # the query field's name
    hidden: tuple[tuple[str, str], ...] = ()  # hidden fields submitted with it


def _form_score(form: LexborNode, field: LexborNode) -> int:
    attrs = form.attributes
    score = 0
    if (attrs.get("role") or "").lower() == "search":
        score += 3
    if (field.attributes.get("type") or "").lower() == "search":
        score += 3
    if (field.attributes.get("name") or "").lower() in _QUERY_NAMES:
        score += 2
    action = (attrs.get("action") or "").lower()
    if any(h in action for h in _SEARCH_HINTS):
        score += 2
    label = fold_words(
        " ".join(
            [
                form.text(separator=" "),
                field.attributes.get("placeholder") or "",
                field.attributes.get("aria-label") or "",
                field.attributes.get("title") or "",
            ]
        )
    )
    if "tim kiem" in label or "search" in label or "tra cuu" in label:
        score += 1
    return score


def search_forms(page: Page) -> list[SearchForm]:
    """The search forms of ``page``, most search-like first (a form counts when it has a text
    field and looks like search by role, field type, field name, action or wording)."""
    scored: list[tuple[int, int, SearchForm]] = []
    for index, form in enumerate(page.tree.css("form")):
        for field in form.css("input"):
            kind = (field.attributes.get("type") or "").lower()
            name = field.attributes.get("name") or ""
            if kind not in _TEXT_TYPES or not name:
                continue
            score = _form_score(form, field)
            if score < 2:
                continue
            hidden = tuple(
                (h.attributes.get("name") or "", h.attributes.get("value") or "")
                for h in form.css('input[type="hidden" i][name]')
            )
            action = urljoin(page.url, (form.attributes.get("action") or "").strip())
            method = (form.attributes.get("method") or "get").strip().lower()
            scored.append((-score, index, SearchForm(page.url, action, method, name, hidden)))
            break
    return [form for *_, form in sorted(scored, key=lambda s: (s[0], s[1]))]


def headline_query(headline: str, others: list[str], avoid: str = "") -> str | None:
    """A word of ``headline`` to search for: the one least used in ``others`` (other link
    texts of the page) and in ``avoid`` (e.g. the agency's name), longest on ties."""
    words = _WORD.findall(unicodedata.normalize("NFC", headline))
    if not words:
        return None
    folded_others = [fold_words(o) for o in others]
    avoid_words = set(fold_words(avoid).split())

    def rank(word: str) -> tuple[int, int, int]:
        key = fold_words(word)
        uses = sum(1 for o in folded_others if key in o.split())
        return (key in avoid_words, uses, -len(key))

    best: str = min(words, key=rank)
    return best


@dataclass(frozen=True)
class Headline:
    """A recent news item: its title (the article's ``<h1>``) and URL."""

    text: str
    url: str


@read_once
def article_title(page: Page) -> str:
    """The article's heading: ``article h1``, else the heading the article's shape was read
    from (a DotNetNuke ``span.news-title``, a Liferay ``h3.header-title``; never the site name
    in the logo), else the first ``<h1>``."""
    node = page.tree.css_first("article h1")
    if node is None:
        heading = shaped_heading(page.content_tree, page.url)
        if heading:
            return heading
        node = page.tree.css_first("h1")
    return collapse(node.text(separator=" ")) if node is not None else ""


def recent_headline(art: Artifacts) -> Headline | None:
    """The newest news item the crawl fetched: among the in-scope article pages linked from
    the home page and the news listing, the one with the newest date (earliest link on ties),
    titled by its ``<h1>`` (else the link text). ``None`` when no article page was fetched."""
    best: tuple[date, int, Headline] | None = None
    order = 0
    for listing in news_pages(art, "news"):
        if listing.is_article:
            continue
        for link in listing.links:
            order += 1
            target = art.page(link.url) if art.in_scope(link.url) else None
            if target is None or target is listing or not target.is_article:
                continue
            title = article_title(target) or link.text
            if len(title.split()) < 3:
                continue
            dates = page_news_dates(target)
            newest = max(dates) if dates else date.min
            if best is None or (newest, -order) > (best[0], -best[1]):
                best = (newest, order, Headline(title, target.url))
    return best[2] if best is not None else None
