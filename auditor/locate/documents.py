"""The documents listing of a section, its records and its file links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from auditor.artifacts import Artifacts
from auditor.locate.sections import home_section_links, linked_section_pages
from auditor.page import Link, Page, read_once
from auditor.text.fold import fold_words

# 25/2026/QĐ-UBND, 12/CT-UBND, 215/KH-UBND, 1234/UBND-VP
DOCUMENT_NUMBER = re.compile(
    r"(?<![\w/])\d{1,5}/(?:\d{4}/)?[A-ZĐ]{1,8}(?:-[A-ZĐ&]{1,12})+(?![\w/])"
)


DOC_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".rtf", ".zip", ".rar")


_DOWNLOAD_WORDS = ("tai ve", "tai tep", "tai file", "download", "toan van", "tep dinh kem", "file")


def file_links(page: Page) -> list[Link]:
    """Links of ``page`` to document files: by extension first, then by download wording."""
    by_ext = [
        lk for lk in page.links if unquote(urlsplit(lk.url).path).lower().endswith(DOC_EXTENSIONS)
    ]
    by_text = [
        lk
        for lk in page.links
        if lk not in by_ext and any(w in f" {fold_words(lk.text)} " for w in _DOWNLOAD_WORDS)
    ]
    seen: set[str] = set()
    out: list[Link] = []
    for link in by_ext + by_text:
        if link.url not in seen:
            seen.add(link.url)
            out.append(link)
    return out


def content_tree(page: Page) -> LexborHTMLParser:
    """The page without navigation, header, footer, asides and scripts (do not modify)."""
    return page.content_tree


@read_once
def record_count(page: Page) -> int:
    """Document records on a listing: table rows with at least three cells, else list items
    that show a document number or link a file."""
    tree = content_tree(page)
    rows = [row for row in tree.css("table tr") if len(row.css("td")) >= 3]
    if rows:
        return len(rows)
    files = {lk.url for lk in file_links(page)}
    count = 0
    for item in tree.css("li"):
        hrefs = {urljoin(page.url, a.attributes.get("href") or "") for a in item.css("a[href]")}
        if DOCUMENT_NUMBER.search(item.text(separator=" ")) or hrefs & files:
            count += 1
    return count


LISTING_CANDIDATES = 6  # home-page links to a section tried as its listing


@dataclass(frozen=True)
class Listing:
    """The documents listing found from the home page."""

    page: Page
    link: Link
    records: int


def listing_candidates(art: Artifacts, section_id: str) -> list[Link]:
    """Home-page links to the section (label matches first)."""
    return [lk for lk, _ in home_section_links(art, section_id)]


def find_listing(art: Artifacts, section_id: str) -> Listing | None:
    """The fetched in-scope page of the section with the most document records."""
    best: Listing | None = None
    for link in listing_candidates(art, section_id)[:LISTING_CANDIDATES]:
        page = art.page(link.url) if art.in_scope(link.url) else None
        if page is None:
            continue
        listing = Listing(page, link, record_count(page))
        if best is None or listing.records > best.records:
            best = listing
    return best


def read_listing_candidates(art: Artifacts, page: Page, section_id: str) -> None:
    """Read what :func:`find_listing` reads of ``page`` when it is one of the section's
    candidate listings (reading every page once before judging:
    :func:`auditor.rules.engine.read_pages`)."""
    if id(page) in linked_section_pages(art, section_id, first=LISTING_CANDIDATES):
        record_count(page)
