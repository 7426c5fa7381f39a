"""The element-level rules of :mod:`auditor.a11y` against the W3C ACT rules' test cases.

The cases (``tests/data/act/cases.json``, copied from ``shared/act``: 176 examples of 12 ACT
rules, W3C Software and Document License, see that folder's README) are run each through the
one matching rule:

- ``passed``: the rule applies and reports no fail-level issue (warnings are hints, allowed);
- ``failed``: the rule reports at least one fail-level issue;
- ``inapplicable``: the rule does not apply and reports nothing at fail level.

Fragments are wrapped as the ACT tooling does; complete documents get a doctype. No case is
skipped: the cases that depend on CSS (``display:none``, ``visibility:hidden``, off-screen
positioning) use inline styles or ``<style>`` rules that do not change the outcome, and the
scripts in three cases do not change it either (README of the data set). Below the ACT cases,
tests of behaviour the ACT rules do not cover (tables, headings, mobile rules).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from auditor.a11y import RULES, Doc, RuleResult, run_rule
from auditor.a11y.site import doc_of
from auditor.a11y.viewport import style_rules
from tests.factories import page

# A copy of ../shared/act (W3C Software and Document Notice and License: see its README.md).
ACT_DIR = Path(os.environ.get("AUDITOR_ACT_DIR", Path(__file__).resolve().parent / "data" / "act"))
CASES_FILE = ACT_DIR / "cases.json"

# ACT rule id -> the a11y rule that implements it.
ACT_RULES = {
    "23a2a8": "image-alt",  # Image has non-empty accessible name
    "59796f": "image-button-name",  # Image button has non-empty accessible name
    "97a4e1": "button-name",  # Button has non-empty accessible name
    "e086e5": "form-field-name",  # Form field has non-empty accessible name
    "c487ae": "link-name",  # Link has non-empty accessible name
    "ffd0e9": "heading-name",  # Heading has non-empty accessible name
    "b5c3f8": "html-lang",  # HTML page has lang attribute
    "bf051a": "html-lang",  # HTML page lang attribute has valid language tag
    "2779a5": "title",  # HTML page has non-empty title
    "b4f0c3": "viewport-zoom",  # Meta viewport allows for zoom
    "de46e4": "element-lang",  # Element with lang attribute has valid language tag
    "3ea0c8": "duplicate-id",  # Id attribute value is unique (deprecated upstream, WCAG 2.2)
}
# Rules whose examples are complete documents (the others are fragments).
PAGE_RULES = frozenset({"b5c3f8", "bf051a", "2779a5", "b4f0c3", "de46e4"})
WRAPPER = (
    '<!DOCTYPE html>\n<html lang="en"><head><title>{title}</title></head><body>{html}</body></html>'
)
# Cases a static checker cannot decide (they need layout, computed styles or scripts):
# none today. Add ``"<rule_id>-<expected>-<n>": "reason"`` here, never silently.
NEEDS_BROWSER: dict[str, str] = {}


def _load() -> list[dict[str, Any]]:
    if not CASES_FILE.exists():
        return []
    data = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


CASES = _load()
pytestmark = pytest.mark.skipif(not CASES, reason=f"ACT cases not found at {CASES_FILE}")


def case_id(case: dict[str, Any]) -> str:
    return f"{case['rule_id']}-{case['expected']}-{case['example']}"


def document_of(case: dict[str, Any]) -> str:
    """The case as a full HTML document, as the ACT test-case files present it."""
    html = str(case["html"])
    if case["rule_id"] in PAGE_RULES:
        return html if html.lstrip().lower().startswith("<!doctype") else "<!DOCTYPE html>\n" + html
    return WRAPPER.format(title=f"{case['expected']} example {case['example']}", html=html)


def outcome(result: RuleResult) -> str:
    """The ACT outcome of a rule result."""
    if result.failures:
        return "failed"
    return "passed" if result.applicable else "inapplicable"


def test_every_case_is_mapped() -> None:
    assert len(CASES) == 176
    assert {c["rule_id"] for c in CASES} == set(ACT_RULES)
    assert set(ACT_RULES.values()) <= set(RULES)
    assert set(NEEDS_BROWSER) <= {case_id(c) for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_act_case(case: dict[str, Any]) -> None:
    if case_id(case) in NEEDS_BROWSER:
        pytest.skip(NEEDS_BROWSER[case_id(case)])
    result = RULES[ACT_RULES[case["rule_id"]]](Doc.parse(document_of(case)))
    assert outcome(result) == case["expected"], [(i.path, i.message.en) for i in result.issues]
    if case["expected"] == "failed":
        assert all(i.path and i.message.vi and i.message.en for i in result.failures)
    if case["expected"] == "inapplicable":
        assert result.issues == ()


# --- beyond the ACT cases -----------------------------------------------------------------


def body(html: str) -> str:
    return WRAPPER.format(title="t", html=html)


def test_decorative_image_in_unnamed_link_fails_link_name_not_image_alt() -> None:
    html = body('<a href="/x"><img src="a.png" alt=""></a>')
    assert outcome(run_rule("image-alt", html)) == "passed"
    links = run_rule("link-name", html)
    assert outcome(links) == "failed"
    assert links.failures[0].path == "html > body > a"
    assert links.failures[0].snippet == '<a href="/x"><img src="a.png" alt=""></a>'


def test_image_link_without_alt_fails_both_image_and_link() -> None:
    html = body('<a href="/dvc"><img src="/banner.png"></a>')
    assert run_rule("image-alt", html).failures[0].snippet == '<img src="/banner.png">'
    assert run_rule("link-name", html).failures[0].path == "html > body > a"


def test_generic_link_text_is_a_warning_with_diacritics_or_not() -> None:
    html = body('<a href="/a">Xem tiếp »</a> <a href="/b">xem tiep</a> <a href="/c">Chi tiết</a>')
    result = run_rule("link-name", html)
    assert result.failures == ()
    assert [i.level for i in result.issues] == ["warn"] * 3
    assert "Xem tiếp" in result.issues[0].message.vi


def test_placeholder_only_field_warns_and_unlabelled_textarea_fails() -> None:
    result = run_rule(
        "form-field-name",
        body('<input name="q" placeholder="Tìm kiếm"><textarea name="nd"></textarea>'),
    )
    assert [(i.level, i.path) for i in result.issues] == [
        ("warn", "html > body > input"),
        ("fail", "html > body > textarea"),
    ]


def test_heading_order_skips_are_reported_from_the_previous_heading() -> None:
    result = run_rule("heading-order", body("<h2>a</h2><h1>b</h1><h4>c</h4><h5>d</h5><h3>e</h3>"))
    assert [i.snippet for i in result.issues] == ["<h4>c</h4>"]
    assert "h1" in result.issues[0].message.en and "h4" in result.issues[0].message.en


TEXT_ROWS = "<tr><td>25/2026</td><td>Quyết định</td></tr><tr><td>12/CT</td><td>Chỉ thị</td></tr>"


@pytest.mark.parametrize(
    ("html", "expected", "level"),
    [
        (f"<table><caption>Văn bản</caption>{TEXT_ROWS}</table>", "failed", "fail"),
        (f"<table>{TEXT_ROWS}</table>", "passed", "warn"),  # may be a layout table
        (f'<table border="1">{TEXT_ROWS}</table>', "failed", "fail"),
        (f"<table><tr><th>Số</th><th>Loại</th></tr>{TEXT_ROWS}</table>", "passed", None),
        (
            f'<table><tr><td scope="col">Số</td><td>Loại</td></tr>{TEXT_ROWS}</table>',
            "passed",
            None,
        ),
        (f'<table role="presentation">{TEXT_ROWS}</table>', "inapplicable", None),
        (f"<table><tr><td><table>{TEXT_ROWS}</table></td></tr></table>", "passed", "warn"),
        ("<table><tr><td>only</td><td>one row</td></tr></table>", "inapplicable", None),
    ],
)
def test_table_headers(html: str, expected: str, level: str | None) -> None:
    result = run_rule("table-headers", body(html))
    assert outcome(result) == expected
    assert [i.level for i in result.issues] == ([level] if level else [])


def test_hidden_marquee_is_not_reported() -> None:
    html = body('<div style="display:none"><marquee>x</marquee></div><blink>y</blink>')
    result = run_rule("no-blink", html)
    assert [i.snippet for i in result.failures] == ["<blink>y</blink>"]


@pytest.mark.parametrize(
    ("content", "ok"),
    [
        ("width=device-width, initial-scale=1", True),
        ("initial-scale=1", True),  # browsers then use the device width (as Lighthouse)
        ("width=1200", False),
        ("maximum-scale=1", False),
    ],
)
def test_viewport_width(content: str, ok: bool) -> None:
    html = f'<html lang="vi"><head><meta name="viewport" content="{content}"></head><body>'
    result = run_rule("viewport-width", html)
    assert (result.failures == ()) is ok
    if not ok:
        assert result.failures[0].path == "html > head > meta"


def test_missing_viewport_fails() -> None:
    result = run_rule("viewport-width", body("<p>x</p>"))
    assert result.failures[0].path == "head"
    assert "viewport" in result.failures[0].message.en


PAGE_TEXT = "<p>" + "Nội dung trang " * 20 + "</p>"


@pytest.mark.parametrize(
    ("html", "path"),
    [
        (f'<div id="wrapper" style="width:1200px">{PAGE_TEXT}</div>', "div#wrapper"),
        (
            f'<style>#w {{ width: 1200px; margin: 0 auto }}</style><div id="w">{PAGE_TEXT}</div>',
            "div#w",
        ),
        (f"<style>body{{min-width:1280px}}</style>{PAGE_TEXT}", "html > body"),
        # min-width wins over max-width (CSS 2.1 §10.4): a SharePoint/Liferay-style wrapper
        (
            "<style>#s4-workspace{max-width:1400px;min-width:1264px;margin:0 auto}</style>"
            f'<div id="s4-workspace">{PAGE_TEXT}</div>',
            "div#s4-workspace",
        ),
        (f'<div id="w" style="max-width:100%;min-width:1264px">{PAGE_TEXT}</div>', "div#w"),
        # a px cap above the limit does not make a fixed width fluid
        (f'<div id="w" style="width:1200px;max-width:1400px">{PAGE_TEXT}</div>', "div#w"),
        (f'<div id="w" style="width:1200px;max-width:960px">{PAGE_TEXT}</div>', None),
        (f'<table width="1100"><tr><td>{PAGE_TEXT}</td></tr></table>', "html > body > table"),
        # not the page layout: a fluid wrapper, a media query, a slider track, an image
        (f'<div style="width:1200px;max-width:100%">{PAGE_TEXT}</div>', None),
        (
            "<style>@media (min-width:1200px){.c{width:1170px}}</style>"
            f"<div class=c>{PAGE_TEXT}</div>",
            None,
        ),
        (f'<ul style="width:5000px"><li>1</li></ul>{PAGE_TEXT}', None),
        (f'<img src="b.png" width="1920">{PAGE_TEXT}', None),
        (f'<div style="width:980px">{PAGE_TEXT}</div>', None),
    ],
)
def test_fixed_width(html: str, path: str | None) -> None:
    result = run_rule("fixed-width", body(html))
    assert [i.path for i in result.failures] == ([path] if path else [])


def test_style_rules_drop_at_rules_and_keep_top_level_rules() -> None:
    css = "@import url(a.css); a{color:red} /* c{} */ @media print{ b{x:y} } g, h { w: 1px }"
    assert style_rules(css) == [("a", "color:red"), ("g, h", " w: 1px ")]


@pytest.mark.parametrize(
    ("html", "status"),
    [
        ('<object data="intro.swf"></object>', "fail"),
        ('<embed src="https://www.youtube.com/v/abc">', "fail"),
        ("<applet code=A.class></applet>", "fail"),
        ('<object data="bao-cao.pdf" type="application/pdf"></object>', "warn"),
        ('<object data="so-do.svg" type="image/svg+xml"></object>', None),
        ('<video src="a.mp4"></video>', None),
    ],
)
def test_plugins(html: str, status: str | None) -> None:
    result = run_rule("no-plugins", body(html))
    assert [i.level for i in result.issues] == ([status] if status else [])


def test_doc_of_reuses_the_page_tree_and_caches_the_doc() -> None:
    p = page("https://soctrang.gov.vn/", body("<p>x</p>"))
    doc = doc_of(p)
    assert doc.tree is p.tree
    assert doc_of(p) is doc
