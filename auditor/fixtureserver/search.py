"""The search endpoint of a fixture site: pages whose ``<title>`` or ``<h1>`` contains the query."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from selectolax.lexbor import LexborHTMLParser

from auditor.text.fold import fold_words

NO_RESULTS = "Không tìm thấy kết quả"
_PAGE_SUFFIXES = frozenset({".html", ".htm", ".aspx", ".php"})  # served as HTML


@dataclass(frozen=True)
class IndexedPage:
    """One HTML page of a site, as the search sees it."""

    url_path: str
    title: str
    h1: str


def _url_path(root: Path, file: Path) -> str:
    rel = file.relative_to(root).as_posix()
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return "/" + quote(rel)


def _text(tree: LexborHTMLParser, selector: str) -> str:
    node = tree.css_first(selector)
    return " ".join(node.text().split()) if node is not None else ""


def build_index(root: Path, charset: str) -> tuple[IndexedPage, ...]:
    """Every servable HTML page under ``root`` (names starting with ``_`` skipped), by URL path."""
    pages: list[IndexedPage] = []
    files = (f for f in root.rglob("*") if f.suffix.lower() in _PAGE_SUFFIXES and f.is_file())
    for file in sorted(files):
        if any(part.startswith("_") for part in file.relative_to(root).parts):
            continue
        tree = LexborHTMLParser(file.read_bytes().decode(charset, errors="replace"))
        pages.append(IndexedPage(_url_path(root, file), _text(tree, "title"), _text(tree, "h1")))
    return tuple(pages)


def search(index: tuple[IndexedPage, ...], query: str) -> list[IndexedPage]:
    """Pages whose title or first ``<h1>`` contains ``query``, ignoring diacritics and case."""
    needle = fold_words(query)
    if not needle:
        return []
    return [p for p in index if needle in fold_words(p.title) or needle in fold_words(p.h1)]


def results_page(query: str, results: list[IndexedPage], charset: str) -> str:
    """The HTML results page (Vietnamese), one link per result labelled with the page title."""
    q = html.escape(query)
    if results:
        items = "\n".join(
            f'<li><a href="{html.escape(p.url_path)}">{html.escape(p.title or p.h1 or p.url_path)}'
            "</a></li>"
            for p in results
        )
        body = (
            f"<p>Tìm thấy {len(results)} kết quả cho «{q}».</p>\n"
            f'<ul class="search-results">\n{items}\n</ul>'
        )
    else:
        body = f'<p class="search-empty">{NO_RESULTS} cho «{q}».</p>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="vi">\n<head>\n'
        f'<meta charset="{html.escape(charset)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Kết quả tìm kiếm: {q}</title>\n</head>\n<body>\n<main>\n"
        "<h1>Kết quả tìm kiếm</h1>\n"
        f"{body}\n"
        '<p><a href="/">Trang chủ</a></p>\n'
        "</main>\n</body>\n</html>\n"
    )
