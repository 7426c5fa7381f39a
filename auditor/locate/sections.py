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


def home_section_links(art: Artifacts, section_id: str) -> list[tuple[Link, str]]:
    """:func:`section_links` of the home page for a section of the catalogue (none without a
    home page), worked out once per site: several checks and locators look for the same
    section. Callers must not change the list."""

    def links() -> list[tuple[Link, str]]:
        home = art.home
        section = load_catalogue().sections[section_id]
        return section_links(home.links, section) if home is not None else []

    return art.remember(("home section links", section_id), links)


def linked_section_pages(art: Artifacts, section_id: str, first: int = 4) -> frozenset[int]:
    """The fetched pages (by ``id``) of the home page's ``first`` links to the section: those a
    check judges the section by. Worked out once per site."""

    def pages() -> frozenset[int]:
        linked = (art.page(link.url) for link, _ in home_section_links(art, section_id)[:first])
        return frozenset(id(page) for page in linked if page is not None)

    return art.remember(("section pages", section_id, first), pages)
