"""Trees whose CSS queries share one selector engine per thread answer as plain parsers do."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from auditor import page as page_module
from auditor.htmltree import parse_html
from auditor.models import PageSnapshot
from auditor.page import Page
from auditor.paths import fixtures_dir

FIXTURES = sorted(fixtures_dir().rglob("*.html"))[::9]  # every ninth of ~535 pages
SELECTORS = (
    "a[href]",
    "title",
    "main, [role=main]",
    "script, style, noscript, template, nav, header, footer, aside",
    'meta[property="og:type" i][content="article" i]',
    "li [itemprop=datePublished]",
    "form input[type=search], input[name]",
    "table tr > td:first-child",
    "img:not([alt])",
    "h1, h2, h3",
)


def _answers(tree: LexborHTMLParser) -> list[list[str]]:
    out = [[node.html or "" for node in tree.css(query)] for query in SELECTORS]
    body = tree.body
    if body is not None:  # queries from a node, nested in a query's results
        out.append([node.html or "" for div in body.css("div") for node in div.css("a, p")])
    return out


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(fixtures_dir())))
def test_shared_engine_answers_as_a_plain_parser(path: Path) -> None:
    html = path.read_bytes().decode("utf-8", errors="replace")
    assert _answers(parse_html(html)) == _answers(LexborHTMLParser(html))


def test_one_engine_per_thread() -> None:
    first, second = parse_html("<p>a</p>"), parse_html("<p>b</p>")
    assert first.selector is second.selector
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(parse_html("<p>c</p>").selector))
    thread.start()
    thread.join()
    assert other[0] is not first.selector


def test_a_bad_selector_leaves_the_engine_working() -> None:
    tree = parse_html("<div><p class=x>1</p><p>2</p></div>")
    with pytest.raises(SelectolaxError):
        tree.css("p[")
    assert [n.text() for n in tree.css("p.x")] == ["1"]
    assert [n.text() for n in parse_html("<p>z</p>").css("p")] == ["z"]


def test_queries_on_two_trees_interleave() -> None:
    one, two = parse_html("<p>1</p><p>2</p>"), parse_html("<p>z</p>")
    seen = [(p.text(), [q.text() for q in two.css("p")]) for p in one.css("p")]
    assert seen == [("1", ["z"]), ("2", ["z"])]


_DOC = "<!doctype html><html lang=vi><head><title>Sở Tài chính</title></head><body>{}</body></html>"


@pytest.mark.parametrize(
    ("body", "encoding", "as_bytes"),
    [
        (_DOC.format("<p>Thông báo <a href='/tin'>tin tức</a></p>").encode(), "utf-8", True),
        (b"\xef\xbb\xbf" + _DOC.format("<p>Có BOM</p>").encode(), "utf-8", True),
        # an invalid byte: the text holds U+FFFD where the parser would have its own say
        (_DOC.format("<p>Lỗi \x00</p>").encode().replace(b"\x00", b"\xff"), "utf-8", False),
        # a multi-byte sequence cut by the byte cap
        (_DOC.format("<p>Việt</p>").encode()[:-20] + "ệ".encode()[:2], "utf-8", False),
        (_DOC.format("<p>Thông báo</p>").encode("windows-1258", "replace"), "windows-1258", False),
    ],
)
def test_a_page_is_parsed_from_its_body_when_that_is_the_utf8_of_its_text(
    body: bytes, encoding: str, as_bytes: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    given: list[object] = []
    monkeypatch.setattr(page_module, "parse_html", lambda src: given.append(src) or parse_html(src))
    snap = PageSnapshot(
        url="https://stc.soctrang.gov.vn/",
        final_url="https://stc.soctrang.gov.vn/",
        status=200,
        headers=(("Content-Type", f"text/html; charset={encoding}"),),
        body=body,
        detected_encoding=encoding,
    )
    page = Page(snap)
    assert page.tree.html == parse_html(page.html).html  # the same tree either way
    assert given == [body if as_bytes else page.html]
    assert (page.invalid_utf8_at is None) == as_bytes
