"""quoted_sources: attribution lines of articles quoting another outlet."""

from __future__ import annotations

from auditor.checks.sources import QuoteParams, article_quote, quoted_sources
from tests.factories import art, page

HOME = "https://soctrang.gov.vn/"
ART = "https://soctrang.gov.vn/tin-tuc/bai-1.html"
HOME_PAGE = page(
    HOME, "<html><body><main><a href='/tin-tuc/bai-1.html'>Bài 1</a></main></body></html>"
)


def _article(tail: str) -> str:
    return (
        "<html lang='vi'><body><nav><a href='/'>Trang chủ</a></nav><article><h1>Tin</h1>"
        "<p>Theo đó, tỉnh triển khai kế hoạch mới.</p>"
        f"<p>Nội dung bài viết.</p>{tail}</article>"
        "<footer><p>Nguồn: Internet</p></footer></body></html>"
    )


def test_named_source_passes() -> None:
    a = page(ART, _article("<p><em>Nguồn: Báo Lâm Đồng</em></p>"))
    out = quoted_sources(art(HOME_PAGE, a), QuoteParams())
    assert out.status == "pass"
    assert out.evidence[0].url == ART
    assert out.evidence[0].found == "Nguồn: Báo Lâm Đồng"


def test_unnamed_source_fails() -> None:
    a = page(ART, _article("<p>Nguồn: Sưu tầm</p>"))
    out = quoted_sources(art(HOME_PAGE, a), QuoteParams())
    assert out.status == "fail"
    assert out.evidence[0].found == "Nguồn: Sưu tầm"
    assert "does not name" in out.evidence[0].detail.en


def test_link_required() -> None:
    bare = page(ART, _article("<p>(Theo TTXVN)</p>"))
    out = quoted_sources(art(HOME_PAGE, bare), QuoteParams(require_link=True))
    assert out.status == "fail"
    assert "does not link" in out.evidence[0].detail.en and "TTXVN" in out.evidence[0].detail.en
    linked = page(
        ART,
        _article("<p>Nguồn: <a href='https://baotintuc.vn/a-1.htm'>Báo Tin tức</a></p>"),
    )
    assert quoted_sources(art(HOME_PAGE, linked), QuoteParams(require_link=True)).status == "pass"
    q = article_quote(linked)
    assert q is not None and q.link == "https://baotintuc.vn/a-1.htm" and q.source == "Báo Tin tức"


def test_own_link_does_not_count() -> None:
    a = page(ART, _article("<p>Nguồn: <a href='/tin-tuc/'>Báo Lâm Đồng</a></p>"))
    out = quoted_sources(art(HOME_PAGE, a), QuoteParams(require_link=True))
    assert out.status == "fail"


def test_no_quote_is_not_applicable() -> None:
    a = page(ART, _article("<p>Theo Quyết định 12 của UBND tỉnh</p>"))
    out = quoted_sources(art(HOME_PAGE, a), QuoteParams(require_link=True))
    assert out.status == "not_applicable"
    assert "No article quotes" in out.evidence[0].detail.en
