"""Links of a page that look like a section of the catalogue (``rules/sections.yaml``)."""

from __future__ import annotations

from auditor.artifacts import Artifacts
from auditor.page import Link
from auditor.sections import Section, label_matches, load_catalogue, slug_matches


def section_links(links: tuple[Link, ...], section: Section) -> list[tuple[Link, str]]:
    """Links that look like the section, label matches first, one per URL."""
    by_label = [(lk, f"«{lk.text}»") for lk in links if label_matches(lk, section)]
    by_slug = [(lk, f"/{slug_matches(lk, section)}") for lk in links if slug_matches(lk, section)]
    seen: set[str] = set()
    out: list[tuple[Link, str]] = []
    for link, why in by_label + by_slug:
        if link.url not in seen:
            seen.add(link.url)
            out.append((link, why))
    return out


def linked_section_pages(art: Artifacts, section_id: str, first: int = 4) -> frozenset[int]:
    """The fetched pages (by ``id``) of the home page's ``first`` links to the section: those a
    check judges the section by. Worked out once per site."""
    key = ("section pages", section_id, first)
    known = art.memo.get(key)
    if not isinstance(known, frozenset):
        home = art.home
        links = home.links if home is not None else ()
        section = load_catalogue().sections[section_id]
        pages = (art.page(link.url) for link, _why in section_links(links, section)[:first])
        known = art.memo[key] = frozenset(id(page) for page in pages if page is not None)
    return known
