"""rating_form and share_buttons: interaction features found on the fetched pages."""

from __future__ import annotations

from auditor.checks.interaction import rating_form_present, share_buttons, share_links
from auditor.checks.registry import NoParams
from auditor.page import Page
from tests.factories import art, page

HOME = "https://soctrang.gov.vn/"
ART = "https://soctrang.gov.vn/tin-tuc/a.html"
P = NoParams()


def _page(url: str, body: str) -> Page:
    return page(url, f"<html lang='vi'><body><main><h1>Trang</h1>{body}</main></body></html>")


def test_rating_form_passes() -> None:
    form = (
        "<form action='/danh-gia'><p>Bạn đánh giá thế nào về Cổng thông tin?</p>"
        "<label><input type='radio' name='muc' value='1'> Hài lòng</label>"
        "<label><input type='radio' name='muc' value='2'> Không hài lòng</label>"
        "<button>Gửi</button></form>"
    )
    out = rating_form_present(art(page(HOME, "<html><body></body></html>"), _page(ART, form)), P)
    assert out.status == "pass"
    assert out.evidence[0].url == ART
    assert out.evidence[0].found is not None and "đánh giá" in out.evidence[0].found


def test_search_form_with_select_is_not_a_rating() -> None:
    form = "<form action='/tim-kiem'><select name='loai'><option>Tin</option></select><input name='q'></form>"
    out = rating_form_present(art(_page(HOME, form)), P)
    assert out.status == "fail"
    assert "No rating" in out.evidence[0].detail.en
    assert out.evidence[0].url == HOME


def test_share_links_pass() -> None:
    body = (
        "<a href='https://www.facebook.com/sharer/sharer.php?u=https://soctrang.gov.vn/a'>FB</a>"
        "<a href='https://zalo.me/share?u=x'>Zalo</a><a href='https://www.facebook.com/ubnd'>Trang</a>"
    )
    pg = _page(ART, body)
    out = share_buttons(art(page(HOME, "<html><body></body></html>"), pg), P)
    assert out.status == "pass"
    assert out.evidence[0].url == ART
    assert share_links(pg) == [
        "https://www.facebook.com/sharer/sharer.php?u=https://soctrang.gov.vn/a",
        "https://zalo.me/share?u=x",
    ]


def test_profile_link_is_not_a_share_button() -> None:
    out = share_buttons(art(_page(HOME, "<a href='https://www.facebook.com/ubnd'>Facebook</a>")), P)
    assert out.status == "fail"
    assert "No social-network share" in out.evidence[0].detail.en


def test_no_home_is_error() -> None:
    assert share_buttons(art(), P).status == "error"
    assert rating_form_present(art(), P).status == "error"
