"""Pages not seen whole count as not seen; landmarks read as the HTML parser builds them."""

from __future__ import annotations

import os

from selectolax.lexbor import LexborHTMLParser

from auditor.checks.encoding import LegacyParams, no_legacy_bytes
from auditor.checks.interaction import share_buttons
from auditor.checks.registry import NoParams, get_check
from auditor.models import PageSnapshot
from auditor.page import Page, remove_noise, unclosed_landmarks
from auditor.text.legacy import guess_legacy_encoding, scan_text
from tests.factories import art, judged, page

HOME = "https://soctrang.gov.vn/"
ARTICLE = (
    "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>Tin</title></head>"
    "<body><article><h1>Tin</h1><p>Nội dung tin tức của tỉnh Sóc Trăng.</p></article>"
    "</body></html>"
)


def snap(url: str, body: bytes, truncated: bool = False) -> PageSnapshot:
    return PageSnapshot(
        url=url,
        final_url=url,
        status=200,
        headers=(("content-type", "text/html; charset=utf-8"),),
        body=body,
        detected_encoding="utf-8",
        truncated=truncated,
    )


def test_page_problems() -> None:
    assert Page(snap(HOME, ARTICLE.encode())).complete
    cut = Page(snap(HOME, ARTICLE.encode(), truncated=True))
    assert cut.problem is not None and "byte cap" in cut.problem
    assert Page(snap(HOME, b"  \n")).problem == "empty body"
    noise = Page(snap(HOME, os.urandom(20_000)))
    assert noise.problem is not None and noise.problem.startswith("not HTML")
    # a few stray bytes are a UTF-8 fault of an HTML page, not noise
    stray = ARTICLE.encode().replace(b"</p>", b"\xff\xfe</p>")
    assert Page(snap(HOME, stray)).complete


def test_a_page_not_seen_whole_moves_to_failed() -> None:
    home = page(HOME, ARTICLE)
    cut = Page(snap(HOME + "tin/", ARTICLE.encode(), truncated=True))
    site = art(home, cut)
    assert [p.url for p in site.pages] == [HOME]
    lost = site.failed_fetch(HOME + "tin/")
    assert lost is not None and lost.error is not None and "byte cap" in lost.error
    assert site.unseen == (lost,)
    # a home page not seen whole: no home page, and the cause is said
    blind = art(Page(snap(HOME, os.urandom(20_000))), home)
    assert blind.home is None and blind.pages == ()
    assert blind.home_error is not None and "not HTML" in blind.home_error


def test_absence_is_not_concluded_while_pages_were_not_seen() -> None:
    plain = page(HOME, ARTICLE)
    assert share_buttons(art(plain), NoParams()).status == "fail"
    timed_out = PageSnapshot(
        url=HOME + "tin/2", final_url=HOME + "tin/2", status=0, error="timeout"
    )
    limited = PageSnapshot(url=HOME + "tin/3", final_url=HOME + "tin/3", status=429)
    gone = PageSnapshot(url=HOME + "tin/4", final_url=HOME + "tin/4", status=404)
    out = share_buttons(art(plain, failed=(timed_out, limited, gone)), NoParams())
    assert out.status == "error"
    head = out.evidence[0]
    assert head.found is not None
    assert HOME + "tin/2 (timeout)" in head.found and HOME + "tin/3 (HTTP 429)" in head.found
    assert "tin/4" not in head.found  # a 404 was seen: it is an answer
    assert "2 page(s) could not be seen whole" in head.detail.en
    # the engine calls the same guarded function
    spec = get_check("share_buttons")
    assert (
        spec is not None and spec.fn(art(plain, failed=(timed_out,)), NoParams()).status == "error"
    )
    # a 404 alone does not stop the verdict
    assert share_buttons(art(plain, failed=(gone,)), NoParams()).status == "fail"


def test_noise_is_not_read_as_legacy_vietnamese() -> None:
    data = os.urandom(256_000)
    assert guess_legacy_encoding(data).encoding is None
    assert scan_text(data.decode("cp1252", errors="replace")).encoding is None
    assert scan_text(data.decode("utf-8", errors="replace")).encoding is None
    # real TCVN3 text shown through windows-1252 is still found
    assert scan_text("Th«ng b¸o cña Uû ban nh©n d©n tØnh").encoding == "tcvn3"
    # and a binary page is error, not a legacy-encoding verdict
    out = judged(no_legacy_bytes, art(Page(snap(HOME, data))), LegacyParams())
    assert out.status == "error"


UNCLOSED = (
    "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>Sở</title></head><body>"
    "<header><h1>Sở Thông tin</h1><nav><ul><li><a href='/'>Trang chủ</a></li></ul>"
    "{main}<p>Cổng thông tin điện tử cung cấp tin tức, văn bản, thủ tục hành chính.</p>{end}"
    "<footer>Bản quyền</footer></body></html>"
)


def _main_words(html: str) -> set[str]:
    return set(Page(snap(HOME, html.encode())).main_text.split())


def test_unclosed_header_and_nav_keep_their_content() -> None:
    with_main = UNCLOSED.format(main="<main>", end="</main>")
    assert {"tin", "chính."} <= _main_words(with_main)
    without_main = UNCLOSED.format(main="<div>", end="</div>")
    assert {"tin", "chính."} <= _main_words(without_main)
    # closed landmarks are still left out of the main text
    closed = without_main.replace("</ul>", "</ul></nav></header>")
    words = _main_words(closed)
    assert "tin" in words and "Trang" not in words and "Bản" not in words


def test_remove_noise_keeps_the_ancestors_of_main() -> None:
    html = "<body><div role='banner'><main><p>Nội dung</p></main></div><nav>Menu</nav></body>"
    tree = LexborHTMLParser(html)
    remove_noise(tree, unclosed_landmarks(html))
    body = tree.body
    assert body is not None and "Nội dung" in body.text() and "Menu" not in body.text()
