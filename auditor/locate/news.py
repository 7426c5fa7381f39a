"""News pages of a site (home, news section, articles) and the news dates they show."""

from __future__ import annotations

from datetime import date

from auditor.artifacts import Artifacts
from auditor.locate.sections import home_section_links
from auditor.page import Page


def news_listings(art: Artifacts, section_id: str) -> list[Page]:
    """The home page and the pages of the news section linked from it (when the crawl fetched
    them)."""
    home = art.home
    if home is None:
        return []
    pages = [home]
    for link, _why in home_section_links(art, section_id):
        page = art.page(link.url)
        if page is not None and page not in pages:
            pages.append(page)
    return pages


def news_pages(art: Artifacts, section_id: str) -> list[Page]:
    """The home page, the pages of the news section linked from it, and the article pages
    those pages link to (when the crawl fetched them)."""
    pages = news_listings(art, section_id)
    for listing in list(pages):
        for link in listing.links:
            page = art.page(link.url) if art.in_scope(link.url) else None
            if page is not None and page not in pages and page.is_article:
                pages.append(page)
    return pages


def read_news_dates(art: Artifacts, page: Page, section_id: str) -> None:
    """Read what the news checks read of ``page`` (:func:`page_news_dates`) when it may be one
    of :func:`news_pages`: a news listing (the home page, a news section page) or an article
    (reading every page once before judging: :func:`auditor.rules.engine.read_pages`)."""
    listings = art.remember(
        ("news listings", section_id),
        lambda: frozenset(id(p) for p in news_listings(art, section_id)),
    )
    listing = id(page) in listings
    if listing:
        page.links  # noqa: B018 (cached: the articles it lists)
    if listing or page.is_article:
        page.news_dates  # noqa: B018


def page_news_dates(page: Page) -> list[date]:
    """News dates of a page (:attr:`Page.news_dates`: a listing's every date, an article's
    byline date)."""
    return list(page.news_dates)
