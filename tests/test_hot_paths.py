"""The speed work changes no verdict: each faster path gives exactly what the plain one gave."""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urljoin

import pytest
from selectolax.lexbor import LexborHTMLParser

from auditor.a11y.document import html_lang
from auditor.a11y.dom import Doc, is_hidden, role_of, select, snippet
from auditor.article_shape import heading, is_article, shape
from auditor.checks.encoding import decomposed_share
from auditor.checks.interaction import _SHARE as SHARE
from auditor.checks.interaction import share_links
from auditor.htmlcaps import MAX_DEPTH, PageTooComplex
from auditor.models import PageSnapshot
from auditor.page import _CONTROL as CONTROL
from auditor.page import _NOISE as NOISE
from auditor.page import _NOISE_SAMPLE as NOISE_SAMPLE
from auditor.page import Page, _control_characters, collapse, remove_noise, unclosed_landmarks
from auditor.stubs import (
    error_shown,
    login_page,
    refresh_target,
    script_shell,
    visible_raw,
    visible_text,
)
from auditor.text.dates import (
    _WORD_HINT,
    find_dates,
    first_date,
    first_date_in,
    worth_folding,
)
from auditor.text.encoding import first_invalid_utf8
from auditor.text.fold import fold_words, fold_words_slow
from auditor.text.legacy import (
    _TEXT_READINGS,
    LegacyScan,
    LegacyWord,
    _as_bytes,
    encode_tcvn3,
    encode_vni,
    is_vietnamese_syllable,
    non_ascii_word_counts,
    scan_text,
    word_counts,
    words_of,
)
from tests import test_article_shape as shapes
from tests import test_stubs as stubs_cases
from tests.factories import page

URL = "https://soctrang.gov.vn/tin-tuc/"
SENTENCE = "Ủy ban nhân dân tỉnh Sóc Trăng thông báo lịch tiếp công dân tháng mười một"


def _scan_each_occurrence(text: str) -> LegacyScan:
    """The former scan: every occurrence judged (the reference)."""
    counts: dict[str, list[LegacyWord]] = {name: [] for name in _TEXT_READINGS}
    examined = syllables = 0
    for word in words_of(text):
        if word.isascii():
            continue
        examined += 1
        if is_vietnamese_syllable(word):
            syllables += 1
            continue
        if not any("a" <= c <= "z" for c in word.lower()):
            continue
        raw = _as_bytes(word)
        if raw is None:
            continue
        for name, read in _TEXT_READINGS.items():
            try:
                reads = unicodedata.normalize("NFC", read(raw))
            except UnicodeDecodeError:
                continue
            if reads != word and is_vietnamese_syllable(reads):
                counts[name].append(LegacyWord(word, reads))
    readable = syllables + max((len(found) for found in counts.values()), default=0)
    if readable * 2 < examined:
        return LegacyScan(encoding=None, count=0, examined=examined)
    if not any(counts.values()):
        return LegacyScan(encoding=None, count=0, examined=examined)
    name = max(counts, key=lambda k: len(counts[k]))
    found = counts[name]
    unique = tuple(dict.fromkeys(found))
    return LegacyScan(encoding=name, count=len(found), examined=examined, samples=unique[:10])


def _garbled(encode: object, text: str) -> str:
    assert callable(encode)
    return bytes(encode(text)).decode("cp1252", errors="replace")


def test_distinct_word_scan_equals_the_scan_of_every_occurrence() -> None:
    rng = random.Random(13)
    low = SENTENCE.lower()
    parts = [SENTENCE, _garbled(encode_tcvn3, low), _garbled(encode_vni, low)]
    parts += [SENTENCE.encode().decode("cp1252", errors="replace"), "‘Th«ng’ c¸c\u00a0b¸o"]
    parts += ["naïve café résumé", "ASCII only words here", "Ð ð ¸ « ©", "ÿþ ¤¥ Ææ ØÞ ß"]
    for _ in range(60):
        text = " ".join(rng.choices(parts, k=rng.randint(1, 12)))
        assert scan_text(text) == _scan_each_occurrence(text)
        assert scan_text(word_counts(text)) == _scan_each_occurrence(text)
    assert _scan_each_occurrence(parts[1]).count > 0  # the reference does find legacy text


def test_decomposed_share_counts_every_occurrence() -> None:
    nfd = unicodedata.normalize("NFD", SENTENCE)
    text = f"{SENTENCE} {nfd} {nfd} plain"
    words = [w for w in words_of(text) if not w.isascii()]
    affected = sum(1 for w in words if not unicodedata.is_normalized("NFC", w))
    assert decomposed_share(text) == decomposed_share(word_counts(text)) == (affected, len(words))
    assert decomposed_share("only ascii") == (0, 0)


def test_collapse_splits_on_exactly_the_white_space_of_regex_s() -> None:
    space = re.compile(r"\s+")
    white = [chr(c) for c in range(sys.maxunicode + 1) if space.fullmatch(chr(c))]
    rng = random.Random(7)
    alphabet = [*white, "a", "ạ", "\u200b", "\ufeff", "x"]
    for _ in range(3000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 40)))
        assert collapse(text) == space.sub(" ", text).strip()


def test_snippet_of_a_long_element_equals_the_full_collapse() -> None:
    filler = " \n\t ".join(f"<p>đoạn {i}   văn\n\nbản</p>" for i in range(400))
    tree = LexborHTMLParser(f"<html lang='vi'><body>{filler}</body></html>")
    body = tree.body
    assert body is not None
    full = collapse(body.html or "")
    for limit in (20, 120, 500):
        expected = full if len(full) <= limit else full[: limit - 1] + "…"
        assert snippet(body, limit) == expected


def test_html_lang_quotes_the_start_tag_only_when_it_fails() -> None:
    body = "<p>nội dung</p>" * 2000
    good = html_lang(Doc.parse(f'<html lang="vi"><body>{body}</body></html>'))
    assert good.applicable and not good.issues
    bad = html_lang(Doc.parse(f'<html lang="xx-123-!"><body>{body}</body></html>'))
    assert bad.issues and bad.issues[0].snippet == '<html lang="xx-123-!">'


FIXTURES = Path(__file__).parent.parent / "auditor" / "data" / "fixtures"
_URLS = (
    "https://lamdong.gov.vn/",
    "https://lamdong.gov.vn/tin-tuc/hoi-nghi-tong-ket",
    "https://lamdong.gov.vn/ChiTietTinTuc.aspx?nid=1234",
)


def _article_pages() -> list[Page]:
    """Every fixture page and article-shape case, at a home, a plain and an article address;
    and article bodies cut to every length around the thresholds, with nested links."""
    htmls = [
        f.read_text(encoding="utf-8", errors="replace")
        for f in FIXTURES.rglob("*.htm*")
        if f.is_file()
    ]
    htmls += [shapes.DNN_ARTICLE, shapes.LIFERAY_ARTICLE, shapes.WP_ARTICLE, shapes.SP_ARTICLE]
    htmls += [
        shapes._listing(n, " ".join(shapes.BODY.split()[:k])) for n in (2, 8) for k in (0, 35)
    ]
    words = shapes.BODY.split()
    for n in (0, 30, 59, 60, 61, 100, 149, 150, 151, 200):
        body = " ".join((words * 3)[:n])
        # nested links: a paragraph that takes words away (−3 each) after the body reached 150
        nested = "<p><a href='/a'>một <svg><a>hai ba bốn năm</a></svg></a> sáu</p>" * 3
        listing = f"<ul>{shapes.RELATED}</ul>"
        for extra in ("", shapes.RELATED, nested, listing * 2, nested + listing):
            htmls.append(
                f"<main><h1>{shapes.TITLE}</h1><p>20/11/2026</p><p>{body}</p>{extra}</main>"
            )
    # a heading after a long preamble, found only in a longer prefix of the text; one that
    # straddles a prefix's end; one never found as written (its words across elements)
    preamble = " ".join((words * 40)[:4000])
    for cut in (0, 5, 1000, *range(3980, 4100, 3), 16380):
        intro = preamble[:cut]
        htmls.append(
            f"<main><p>{intro}</p><h1>{shapes.TITLE}</h1><p>20/11/2026</p>"
            f"<p>{' '.join(words)}</p></main>"
        )
        # the heading's words written before it, far from the date: the first occurrence counts
        htmls.append(
            f"<main><p>{shapes.TITLE}</p><p>{intro}</p><h1>{shapes.TITLE}</h1><p>20/11/2026</p>"
            f"<p>{' '.join(words)}</p></main>"
        )
    htmls.append(
        f"<main><p>{preamble}</p><h1>Hội nghị <b>tổng</b>kết năm</h1><p>20/11/2026</p></main>"
    )
    return [page(url, html) for html in htmls for url in _URLS]


def test_article_test_and_heading_equal_the_whole_shape() -> None:
    pages = _article_pages()
    assert len(pages) > 1500
    seen = set()
    for p in pages:
        found = shape(p.content_tree, p.url)
        assert is_article(p.content_tree, p.url) == (found is not None and found.is_article)
        shared = is_article(p.content_tree, p.url, p.content_text)  # as Page.is_article asks
        assert shared == is_article(p.content_tree, p.url)
        main = p.content_tree.css_first("main, [role=main]") or p.content_tree.body
        if main is not None:
            assert p.content_text(main) == main.text(separator=" ")
        assert heading(p.content_tree, p.url) == (found.heading if found is not None else "")
        seen.add(found.is_article if found is not None else None)
    assert seen == {None, True, False}


def test_word_counts_are_the_words_in_order_of_first_occurrence() -> None:
    rng = random.Random(11)
    alphabet = [" ", "  ", "\t", "\n", "\u00a0", "\u2003", ",", ".", "-", "“", "”", "–", "…", "|"]
    alphabet += ["‘", "’", "«", "¸", "ạ", "Ư", "x", "12", "Thông", "báo", "c¸c"]
    alphabet += ["_", "e\u0301", "²", "ǅ", "Ⅻ"]
    for _ in range(2000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 30)))
        expected: dict[str, int] = {}
        for word in words_of(text):
            expected[word] = expected.get(word, 0) + 1
        assert list(word_counts(text).items()) == list(expected.items())
        non_ascii = [(word, n) for word, n in expected.items() if not word.isascii()]
        assert list(non_ascii_word_counts(text).items()) == non_ascii


HIDING = """<html><body><div style="visibility:hidden"><p>a<span style="visibility: visible">b
<i hidden>c</i></span></p><input type=HIDDEN><b aria-hidden=" TRUE ">d</b></div>
<section style="display:none !important;"><h2>e</h2></section><h3 style="color:red">f</h3>
<ul style="visibility:collapse;visibility:visible"><li role=heading>g</li></ul>
<template><h4>h</h4></template><noscript><h5>i</h5></noscript><img alt="" aria-hidden>
</body></html>"""


def test_hidden_state_per_document_equals_the_walk_of_every_ancestor() -> None:
    rng = random.Random(5)
    htmls = [
        f.read_text(encoding="utf-8", errors="replace")
        for f in FIXTURES.rglob("*.htm*")
        if f.is_file()
    ]
    hidden = 0
    for html in [HIDING, *htmls]:
        doc = Doc.parse(html)
        nodes = doc.elements()
        rng.shuffle(nodes)  # the cache must not depend on the order of the questions
        for node in nodes:
            assert doc.hidden(node) == is_hidden(node)
            hidden += is_hidden(node)
        for selector in ("h1, h2, h3, h4, h5, h6, [role]", "img, [role]", "a, area, [role]"):
            expected = [n.mem_id for n in select(doc.tree, selector) if not is_hidden(n)]
            assert [n.mem_id for n in doc.visible(selector)] == expected
    assert hidden > 100


def test_first_date_is_the_first_of_all_dates() -> None:
    rng = random.Random(3)
    parts = ["22/11/2026", "31/02/2026", "ngày 5 tháng 3 năm 2026", "24/2026/QĐ-UBND", "văn bản"]
    parts += ["2026-11-22T08:30", "Thứ Hai, 22 tháng 11 năm 2026", "0299 3821 000", "1.2.2026.3"]
    for _ in range(500):
        text = " ".join(rng.choices(parts, k=rng.randint(0, 6)))
        found = find_dates(text)
        assert first_date(text) == (found[0] if found else None)


def test_first_date_of_a_prefix_is_the_first_date_of_the_collapsed_text() -> None:
    rng = random.Random(17)
    dates = ["22/11/2026", "31/02/2026", "ngày 5 tháng 3 năm 2026", "24/2026/QĐ-UBND"]
    dates += ["2026-11-22T08:30", "Thứ Hai , 22  tháng\n11 năm 2026", "1.2.2026.3", "22-11-2026-5"]
    filler = ["văn", "bản", "  ", "\n\t", "\u00a0", "tháng", "12", ",", "Σ", "İ", "e\u0301"]
    hinted = 0
    for date_text in dates:  # every date across the end of the first prefix read
        for pad in range(2000, 2060):
            raw = "a" * pad + " " + date_text + " 22/11/2025 b"
            assert first_date_in(raw) == first_date(raw), raw
    for _ in range(200):
        size = rng.choice((50, 2000, 2040, 8100, 9000))
        words: list[str] = []
        length = 0
        while length < size:
            words.append(rng.choice(filler))
            length += len(words[-1])
        for _ in range(rng.randint(0, 3)):
            words.insert(rng.randint(0, len(words)), rng.choice(dates))
        raw = " ".join(words) if rng.random() < 0.5 else "".join(words)
        text = " ".join(raw.split())
        assert first_date_in(raw) == first_date(text), raw
        assert bool(_WORD_HINT.search(raw)) == bool(_WORD_HINT.search(text))
        hinted += bool(_WORD_HINT.search(raw))
    assert 0 < hinted < 200


def test_the_fold_hint_tried_at_each_digit_equals_the_pattern_scan() -> None:
    rng = random.Random(5)
    pieces = ["22", "tháng", "THÁNG", "11", " ", "\n", ",", "th\u00e1ng", "thg", "năm", "x"]
    pieces += ["2026", "7", "ngày", "tha\u0301ng", "ng", "\u00a0"]
    found = 0
    for _ in range(600):
        count = rng.choice((1, 5, 40, 400))  # 400 pieces: more digits than are tried one by one
        text = "".join(rng.choice(pieces) + rng.choice(("", " ")) for _ in range(count))
        expected = _WORD_HINT.search(text) is not None
        assert worth_folding(text) == expected, text
        found += expected
    assert 0 < found < 600


def _stand_in_of_the_whole_text(p: Page) -> tuple[object, ...]:
    """What each stub test says of a page given its whole visible text (the reference)."""
    text = visible_text(p.tree)
    return (
        refresh_target(p.tree, p.url, text),
        error_shown(p.tree, text),
        login_page(p.tree, p.url, text),
        script_shell(p.tree, text),
    )


def test_stub_tests_read_a_prefix_as_they_read_the_whole_text() -> None:
    prose, url = stubs_cases.PROSE, stubs_cases.URL
    shell = '<div id="root"></div><script>location.href="/x"</script><noscript>JS</noscript>'
    bodies = [
        "<title>Service Unavailable</title><h1>Service Unavailable</h1>",
        '<form><input type="password"></form>',
        shell,
        '<meta http-equiv="refresh" content="0; url=/portal/">',
    ]
    htmls = [
        f"<html><body>{b}{'x ' * n}{prose * k}</body></html>"
        for b in bodies
        for n in (0, 140, 149, 150, 151, 990, 1000, 1001, 1499, 1500, 1501, 6000)
        for k in (0, 1)
    ]
    htmls += ["<html><body>" + " \n " * 20000 + "Lỗi hệ thống" + "</body></html>"]
    htmls += [
        f.read_text(encoding="utf-8", errors="replace")
        for f in FIXTURES.rglob("*.htm*")
        if f.is_file()
    ]
    for html in htmls:
        for where in (url, url + "Account/Login.aspx"):
            reference = _stand_in_of_the_whole_text(page(where, html))
            p = page(where, html)
            text = p._text_read_by_stubs()
            assert text == visible_text(p.tree) or len(text) > 3000
            assert (
                refresh_target(p.tree, p.url, text),
                error_shown(p.tree, text),
                login_page(p.tree, p.url, text),
                script_shell(p.tree, text),
            ) == reference


def test_page_words_are_the_words_of_the_collapsed_text() -> None:
    htmls = [
        f.read_text(encoding="utf-8", errors="replace")
        for f in FIXTURES.rglob("*.htm*")
        if f.is_file()
    ]
    htmls.append("<title>Tin\ttức</title><p>Ủy  ban\n\nnhân\u00a0dân</p><p>tỉnh.\r\nSóc</p>")
    for html in htmls:
        fresh = page("https://soctrang.gov.vn/", html)
        counts = word_counts(f"{fresh.title} {fresh.text}")
        expected = [(word, n) for word, n in counts.items() if not word.isascii()]
        assert list(page("https://soctrang.gov.vn/", html).words.items()) == expected
        assert list(fresh.words.items()) == expected  # text already known


def test_a_page_beyond_a_cap_stays_beyond_it_once_shed() -> None:
    deep = page("https://soctrang.gov.vn/", "<div>" * (MAX_DEPTH + 1))
    for _ in range(2):
        with pytest.raises(PageTooComplex, match="nesting depth"):
            deep.tree  # noqa: B018
        deep.shed()
    fine = page("https://soctrang.gov.vn/", "<p>nội dung</p>" * 600)
    first = fine.tree
    fine.shed()
    assert fine.tree is not first and fine.tree.css_first("p") is not None


def test_fold_words_token_by_token_equals_folding_the_whole_text() -> None:
    white = [c for c in map(chr, range(0x3000 + 1)) if c.isspace()]
    tcvn3 = _garbled(encode_tcvn3, SENTENCE.lower())
    nfd = unicodedata.normalize("NFD", SENTENCE)
    words = [SENTENCE, nfd, tcvn3, "ΟΔΟΣ ΣΑΣ Σ", "İstanbul", "ǅ Ⅻ ² ½", "naïve-café", "a.b,c;d"]
    words += ["Đà Lạt–Huế", "ﬁ ß ẞ", "‘Th«ng’ c¸c", "123/UBND-VP", "", "x"]
    rng = random.Random(17)
    for _ in range(400):
        parts = rng.choices(words + white, k=rng.randint(0, 120))
        text = "".join(p + rng.choice(["", " ", *white]) for p in parts)
        assert fold_words(text) == fold_words_slow(text)
        assert fold_words(text) == fold_words(text)  # from the tokens seen
    for start in range(0, 0x30000, 512):  # every character, alone and next to others
        chars = [chr(c) for c in range(start, start + 512)]
        for glue in ("", " ", "a", "Σ", "\u0301 "):
            text = glue.join(chars) + " " * 300
            assert fold_words(text) == fold_words_slow(text)


def _remove_noise_walking_the_body(tree: LexborHTMLParser, html: str) -> None:
    """The former :func:`remove_noise`: the body's last element found on every page."""
    main = tree.css_first("main, [role=main]")
    keep: set[int] = set()
    if main is not None:
        parent = main.parent
        while parent is not None:
            keep.add(parent.mem_id)
            parent = parent.parent
    body = tree.body
    last = None
    if body is not None:
        for node in body.traverse(include_text=False):
            last = node
    swallowing = unclosed_landmarks(html)
    if last is not None and swallowing:
        parent = last
        while parent is not None:
            if parent.tag in swallowing:
                keep.add(parent.mem_id)
            parent = parent.parent
    for node in tree.css(NOISE):
        if node.mem_id not in keep:
            node.decompose()


def test_remove_noise_walks_the_body_only_for_an_unclosed_landmark() -> None:
    htmls = [
        f.read_text(encoding="utf-8", errors="replace")
        for f in FIXTURES.rglob("*.htm*")
        if f.is_file()
    ]
    story = "<h1>Tin tức</h1><p>Ủy ban nhân dân tỉnh</p><script>x()</script>"
    for tag in ("header", "nav", "footer", "aside"):
        htmls.append(f"<body><{tag}><a href=/>Trang chủ</a><div>{story}</div></body>")
        htmls.append(f"<body><{tag}>menu</{tag}><main>{story}</main><footer>f</footer></body>")
        htmls.append(f"<body><{tag}><main>{story}</main></{tag}><aside>a</aside></body>")
    htmls += ["", "<p>chỉ một đoạn</p>", "<body><nav>a<nav>b</nav></body>"]
    for html in htmls:
        fast, plain = LexborHTMLParser(html), LexborHTMLParser(html)
        remove_noise(fast, unclosed_landmarks(html))
        _remove_noise_walking_the_body(plain, html)
        assert fast.html == plain.html


def test_invalid_utf8_of_a_page_equals_decoding_its_body() -> None:
    text = f"<p>{SENTENCE}</p>"
    nfd = unicodedata.normalize("NFD", text)
    bodies = [text.encode(), nfd.encode(), b"", b"<p>ascii</p>", "<p>\ufffd ok</p>".encode()]
    bodies += [text.encode()[:-6] + b"\xe1\xbb", b"<p>a\xffb</p>", b"\xef\xbb\xbf" + text.encode()]
    bodies += [encode_tcvn3(text.lower()), encode_vni(text.lower()), text.encode()[:7]]
    labels = [None, "utf-8", "UTF8", "utf_8", "utf-8-sig", "windows-1258", "latin-1", "no-such"]
    for body in bodies:
        for truncated in (False, True):
            for label in labels:
                snap = PageSnapshot(
                    url=URL,
                    final_url=URL,
                    status=200,
                    body=body,
                    truncated=truncated,
                    detected_encoding=label,
                )
                expected = first_invalid_utf8(body, truncated)
                assert Page(snap).invalid_utf8_at == expected


def test_a_page_parsed_from_its_body_equals_the_parse_of_its_decoded_text() -> None:
    plain = f"<title>Tin tức</title><p>{SENTENCE}</p>"
    text = plain + "<p>\ufffd ok</p>"
    bodies = [text.encode(), b"\xef\xbb\xbf" + text.encode(), text.encode()[:-12] + b"\xe1\xbb"]
    bodies += [b"<p>a\xffb</p>", encode_tcvn3(plain.lower()), b"<p>caf\xe9</p>"]
    for body in bodies:
        for label in (None, "utf-8", "utf-8-sig", "windows-1258", "latin-1", "no-such"):
            snap = PageSnapshot(url=URL, final_url=URL, status=200, body=body)
            snap = snap.model_copy(update={"detected_encoding": label})
            fresh = Page(snap)
            expected = LexborHTMLParser(fresh.html).html
            valid = label in (None, "utf-8") and "\ufffd" not in fresh.html
            assert fresh.tree.html == expected
            fresh.shed()
            assert fresh.tree.html == expected
            assert ("html" not in fresh.__dict__) == valid  # parsed again from the body


def _unclosed_in_lower_case(html: str) -> tuple[str, ...]:
    """The former count: each landmark's start and end tags in ``html.lower()`` (reference)."""
    low = html.lower()
    return tuple(
        tag
        for tag in ("header", "nav", "footer", "aside")
        if low.count(f"</{tag}") < len(re.findall(rf"<{tag}[\s>/]", low))
    )


def test_unclosed_landmarks_in_one_pass_equal_the_lower_case_count() -> None:
    rng = random.Random(17)
    alphabet = ["<", "</", "<//", ">", "/", " ", "\n", "\u00a0", "\u2003", "x", "ạ", "İ", "K"]
    alphabet += ["nav", "NAV", "Nav", "nAv", "header", "HEADER", "Header", "footer", "FoOtEr"]
    alphabet += ["aside", "ASIDE", "asİde", "aſide", "navbar", "headers", "<nav>", "</nav>"]
    alphabet += ["<header>", "</header>", "<aside/>", "<footer\t", "</footer>", "<NAV>"]
    for _ in range(5000):
        html = "".join(rng.choices(alphabet, k=rng.randint(0, 40)))
        assert unclosed_landmarks(html) == _unclosed_in_lower_case(html), html
    files = [f for f in FIXTURES.rglob("*.htm*") if f.is_file()]
    for html in (f.read_text(encoding="utf-8", errors="replace") for f in files):
        assert unclosed_landmarks(html) == _unclosed_in_lower_case(html)
    assert unclosed_landmarks("<body><NAV class=m>menu<main>x</main>") == ("nav",)


def _decomposed_share_word_by_word(counts: dict[str, int]) -> tuple[int, int]:
    """The former NFC share: each non-ASCII word tested on its own (the reference)."""
    affected = words = 0
    for word, n in counts.items():
        if not word.isascii():
            words += n
            affected += 0 if unicodedata.is_normalized("NFC", word) else n
    return affected, words


def test_decomposed_share_of_the_joined_words_equals_testing_each_word() -> None:
    rng = random.Random(19)
    nfd = unicodedata.normalize("NFD", SENTENCE)
    alphabet = [SENTENCE, nfd, "\u0301", "\u0301a", "e\u0301", "a\u0328\u0301", "\u0105\u0301"]
    alphabet += ["\u1100\u1161", "\u1100", "\u1161", "\uac00\u11a8", "\u212b", "Å", "<\u0338"]
    alphabet += ["Th«ng", "c¸c", "plain", "", " ", "\u00a0", "–", "’", "q\u0307\u0323", "ǅ"]
    for _ in range(3000):
        text = " ".join(rng.choices(alphabet, k=rng.randint(0, 12)))
        counts = dict(word_counts(text))
        expected = _decomposed_share_word_by_word(counts)
        assert decomposed_share(counts) == decomposed_share(text) == expected, text
        assert decomposed_share(non_ascii_word_counts(text)) == expected
    assert decomposed_share(nfd)[0] > 0


def _visible_raw_of_a_copy(tree: LexborHTMLParser) -> str:
    """The former visible_raw: always a copy with scripts, styles… removed (reference)."""
    clone = tree.clone()
    for node in clone.css("script, style, noscript, template"):
        node.decompose()
    root = clone.body
    return root.text(separator=" ") if root is not None else ""


def test_visible_raw_of_a_body_without_scripts_equals_reading_a_copy() -> None:
    htmls = [
        f.read_text(encoding="utf-8", errors="replace")
        for f in FIXTURES.rglob("*.htm*")
        if f.is_file()
    ]
    story = f"<h1>Tin  tức</h1>\n<p>{SENTENCE}</p><p>a<b>b</b>c</p>"
    head = "<head><title>T</title><script>var a=1</script><style>p{}</style></head>"
    for extra in ("", "<script>x()</script>", "<style>p{}</style>", "<noscript>bật JS</noscript>"):
        htmls.append(f"<html>{head}<body>{story}{extra}</body></html>")
        htmls.append(f"<html><body>{extra}{story}</body></html>")
    htmls.append(f"<body>{story}<template><p>mẫu</p></template></body>")
    htmls += ["", "   ", "<p>chỉ một đoạn</p>", "<frameset><frame src=a></frameset>", SENTENCE]
    for html in htmls:
        tree = LexborHTMLParser(html)
        assert visible_raw(tree) == _visible_raw_of_a_copy(tree)
        assert visible_text(tree) == collapse(_visible_raw_of_a_copy(tree))


def test_control_characters_counted_in_the_bytes_equal_the_pattern_over_the_text() -> None:
    rng = random.Random(29)
    pieces = [SENTENCE.encode(), b"<p>ascii</p>", b"\x00", b"\x07", b"\x0b", b"\x0c", b"\x1f"]
    pieces += [b"\x7f", b"\t\r\n", b"\xc2\x80", b"\xc2\x9f", b"\xc2\xa0", b"\xc2\xc2\x85", b"\xc2"]
    pieces += [b"\xe0\xc2\x80", b"\xf0\x90\xc2\x9f", b"\xff", b"\xef\xbf\xbd", b"\xef\xbb\xbf"]
    pieces += [b"\xe1\xbb", b"\x80\x81", "Ð«¸".encode("cp1252"), encode_tcvn3("thông báo")]
    labels = [None, "utf-8", "UTF8", "utf-8-sig", "windows-1258", "cp1252", "latin-1", "no-such"]
    bodies = [b"".join(rng.choices(pieces, k=rng.randint(1, 40))) for _ in range(1500)]
    bodies += [b"\x01" * 70_000, SENTENCE.encode() * 800 + b"\x02" * 40, b"a" * 65_535 + b"\x03"]
    for body in bodies:
        label = rng.choice(labels)
        snap = PageSnapshot(url=URL, final_url=URL, status=200, body=body, detected_encoding=label)
        sample = Page(snap).html[:NOISE_SAMPLE]
        expected = len(CONTROL.findall(sample))
        assert _control_characters(body, sample, label) == expected, (body[:80], label)
    noisy = PageSnapshot(url=URL, final_url=URL, status=200, body=b"<p>x</p>" + b"\x01\x02" * 40)
    assert (Page(noisy).problem or "").startswith("not HTML: 91%")


def _share_links_joining_every_link(p: Page) -> list[str]:
    """The share links of :func:`share_links`'s first loop, every link joined (the reference)."""
    out: list[str] = []
    for a in p.tree.css("a[href]"):
        url = urljoin(p.url, a.attributes.get("href") or "")
        if SHARE.match(url) and url not in out:
            out.append(url)
    return out


def test_share_links_join_only_links_a_network_could_be_in() -> None:
    hrefs = ["https://www.facebook.com/sharer/sharer.php?u=x", "//facebook.com/sharer.php?u=1"]
    hrefs += ["https://face\tbook.com/sharer.php", " https://zalo.me/share?u=2", "/sharer.php"]
    hrefs += ["HTTPS://X.COM/intent/tweet", "https://lin\u212aedin.com/shareArticle?u=3"]
    hrefs += ["https://t.me/share/url?u=4", "https:facebook.com/sharer", "../dialog/share", "#"]
    hrefs += ["https://pinterest.com/pin/create/?u=5", "tin-tuc/bai-1.html", "https://gov.vn/"]
    links = "".join(f'<a href="{h}">{i}</a>' for i, h in enumerate(hrefs))
    bases = ["https://soctrang.gov.vn/tin/", "https://www.facebook.com/", "https://m.x.com/a/"]
    pages = [page(base, f"<body>{links}</body>") for base in bases]
    pages += [
        page(URL, f.read_text(encoding="utf-8", errors="replace"))
        for f in FIXTURES.rglob("*.htm*")
        if f.is_file()
    ]
    found = 0
    for p in pages:
        expected = _share_links_joining_every_link(p)
        assert share_links(p)[: len(expected)] == expected, p.url
        found += len(expected)
    assert found > 10


def test_element_roles_kept_per_document_equal_the_role_of_each() -> None:
    for f in (f for f in FIXTURES.rglob("*.htm*") if f.is_file()):
        doc = Doc(LexborHTMLParser(f.read_text(encoding="utf-8", errors="replace")))
        for node in doc.elements("*"):
            assert doc.role(node) == role_of(node)
            assert doc.role(node) == role_of(node)  # kept
