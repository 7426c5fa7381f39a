"""Moved to :mod:`auditor.page` (kept so older imports keep working)."""

from auditor.page import Link, Page, collapse, link_text

__all__ = ["Link", "Page", "collapse", "link_text"]
