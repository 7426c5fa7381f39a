"""Links of a page that look like a section of the catalogue (``rules/sections.yaml``)."""

from __future__ import annotations

from auditor.page import Link
from auditor.sections import Section, label_matches, slug_matches


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
