"""Trees whose CSS queries share one selector engine per thread answer as plain parsers do."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from auditor.htmltree import parse_html
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
