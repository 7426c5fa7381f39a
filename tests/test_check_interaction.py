"""rating_form and share_buttons: interaction features found on the fetched pages."""

from __future__ import annotations

from auditor.checks.interaction import rating_form_present, share_buttons, share_links
from auditor.checks.registry import NoParams
from auditor.page import Page
from tests.factories import art, judged, page

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
    assert judged(share_buttons, art(), P).status == "error"
    assert judged(rating_form_present, art(), P).status == "error"


# --- shapes real CMSs publish -------------------------------------------------------------

# DotNetNuke / home-grown: the whole page is one ASP.NET <form>; the poll is radio buttons and a
# "Bình chọn" button wired by script, inside a sidebar box.
_ASPNET_POLL = """
<form method="post" action="./Default.aspx" id="Form"><input type="hidden" name="__VIEWSTATE" value="x">
<div id="dnn_ctr512_ContentPane"><div class="box-poll">
  <div class="box-title">Thăm dò ý kiến</div>
  <p class="poll-question">Bạn thấy thông tin trên Cổng có hữu ích không?</p>
  <span><input id="rdo1" type="radio" name="dnn$ctr512$rblAnswer" value="1"><label for="rdo1">Rất hữu ích</label></span>
  <span><input id="rdo2" type="radio" name="dnn$ctr512$rblAnswer" value="2"><label for="rdo2">Hữu ích</label></span>
  <span><input id="rdo3" type="radio" name="dnn$ctr512$rblAnswer" value="3"><label for="rdo3">Không hữu ích</label></span>
  <input type="button" class="btn" value="Bình chọn" onclick="Vote(512)">
  <a href="javascript:ViewResult(512)">Xem kết quả</a>
</div></div></form>
"""
# Home-grown poll without any <form> at all.
_BARE_POLL = """
<div class="widget"><h3>Ý kiến của bạn</h3>
<ul><li><input type="radio" name="answer" value="a"> Giao diện đẹp, dễ dùng</li>
<li><input type="radio" name="answer" value="b"> Bình thường</li></ul>
<button type="button" id="btnBinhChon">Bình chọn</button></div>
"""
# Liferay 7 ratings taglib as an anonymous visitor sees it (stars, no form).
_LIFERAY_STARS = """
<div class="taglib-ratings stars" id="_com_liferay_journal_content_web_ratingContainer">
 <div class="liferay-rating-vote" id="_ratingStar"><div id="_ratingStarContent">
  <div class="rating-label">Đánh giá của bạn</div>
  <a class="rating-element icon-star-empty" href="javascript:;"></a>
  <a class="rating-element icon-star-empty" href="javascript:;"></a>
  <a class="rating-element icon-star-empty" href="javascript:;"></a>
  <a class="rating-element icon-star-empty" href="javascript:;"></a>
  <a class="rating-element icon-star-empty" href="javascript:;"></a>
 </div></div></div>
"""
# jQuery star plugin on a WordPress article: five star images, nothing else.
_WP_STAR_IMAGES = """
<div class="post-ratings" id="post-ratings-1234">
<img src="/wp-content/plugins/wp-postratings/images/stars/rating_off.gif" alt="1 Star" onclick="rate_post();">
<img src="/wp-content/plugins/wp-postratings/images/stars/rating_off.gif" alt="2 Stars" onclick="rate_post();">
<img src="/wp-content/plugins/wp-postratings/images/stars/rating_off.gif" alt="3 Stars" onclick="rate_post();">
</div>
"""
# Radio buttons that are not a poll: a search filter of an ASP.NET page.
_SEARCH_RADIOS = """
<form method="post" action="./Default.aspx" id="Form"><div class="search-box">
<input type="text" name="txtKeyword" placeholder="Tìm kiếm">
<input type="radio" name="rblScope" value="title" checked> Tiêu đề
<input type="radio" name="rblScope" value="content"> Nội dung
<input type="submit" value="Tìm"></div></form>
"""


def test_poll_inside_an_aspnet_page_form_passes_with_its_own_text() -> None:
    out = rating_form_present(art(_page(HOME, _ASPNET_POLL)), P)
    assert out.status == "pass"
    found = out.evidence[0].found or ""
    assert "Thăm dò ý kiến" in found and "VIEWSTATE" not in found


def test_poll_without_a_form_passes() -> None:
    out = rating_form_present(art(_page(HOME, _BARE_POLL)), P)
    assert out.status == "pass"
    assert "Ý kiến của bạn" in (out.evidence[0].found or "")


def test_liferay_star_rating_passes() -> None:
    out = rating_form_present(
        art(page(HOME, "<html><body></body></html>"), _page(ART, _LIFERAY_STARS)), P
    )
    assert out.status == "pass"
    assert out.evidence[0].url == ART
    assert "taglib-ratings" in (out.evidence[0].found or "")


def test_star_images_pass() -> None:
    out = rating_form_present(art(_page(HOME, _WP_STAR_IMAGES)), P)
    assert out.status == "pass"
    assert "post-ratings" in (out.evidence[0].found or "")


def test_search_filter_radios_are_not_a_poll() -> None:
    out = rating_form_present(art(_page(HOME, _SEARCH_RADIOS)), P)
    assert out.status == "fail"
    assert out.evidence[0].expected is not None and "bình chọn" in out.evidence[0].expected


def test_script_filled_poll_box_is_manual_not_fail() -> None:
    body = "<div id='divPoll'></div><script src='/js/poll.js'></script>"
    out = rating_form_present(art(_page(HOME, body)), P)
    assert out.status == "manual"
    assert out.evidence[0].found is not None and "divPoll" in out.evidence[0].found


_SDK_SHARE = """
<div id="fb-root"></div>
<script async defer crossorigin="anonymous" src="https://connect.facebook.net/vi_VN/sdk.js#xfbml=1&version=v18.0"></script>
<div class="fb-share-button" data-href="https://lamdong.gov.vn/tin-tuc/a" data-layout="button_count"></div>
<div class="zalo-share-button" data-href="" data-oaid="579745863508352884" data-layout="1" data-color="blue"></div>
<script src="https://sp.zalo.me/plugins/sdk.js"></script>
"""


def test_sdk_share_buttons_pass() -> None:
    pg = _page(ART, _SDK_SHARE)
    out = share_buttons(art(page(HOME, "<html><body></body></html>"), pg), P)
    assert out.status == "pass"
    assert out.evidence[0].url == ART
    assert share_links(pg) == [".fb-share-button", ".zalo-share-button"]


def test_share_toolbar_script_passes() -> None:
    body = (
        "<div class='addthis_inline_share_toolbox_x1y2'></div>"
        "<script src='//s7.addthis.com/js/300/addthis_widget.js#pubid=ra-5a1b'></script>"
    )
    out = share_buttons(art(_page(HOME, body)), P)
    assert out.status == "pass"
    assert "addthis_widget.js" in (out.evidence[0].found or "")


def test_onclick_share_dialog_and_labelled_icon_pass() -> None:
    body = (
        "<a href='javascript:void(0)' onclick=\"window.open('https://www.facebook.com/sharer/"
        "sharer.php?u='+location.href,'_blank')\"><i class='fa fa-facebook'></i></a>"
        "<a href='#' class='share-zalo' title='Chia sẻ Zalo'><img src='/img/zalo.png' alt=''></a>"
    )
    found = share_links(_page(HOME, body))
    assert found[0] == "onclick → https://www.facebook.com/sharer"
    assert any("share-zalo" in f for f in found)


def test_page_plugin_follow_button_and_sdk_alone_are_not_sharing() -> None:
    body = (
        "<div class='fb-page' data-href='https://www.facebook.com/lamdong.gov.vn'></div>"
        "<div class='zalo-follow-only-button' data-oaid='579745863508352884'></div>"
        "<script src='https://connect.facebook.net/vi_VN/sdk.js'></script>"
        "<a href='https://zalo.me/579745863508352884'>Zalo OA</a>"
    )
    out = share_buttons(art(_page(HOME, body)), P)
    assert out.status == "fail"
    assert ".fb-share-button" in (out.evidence[0].expected or "")
