"""Article pages told apart from listings on templates without article markup (DotNetNuke,
Liferay, WordPress, SharePoint, home-grown), and the newest headline found on such portals."""

from __future__ import annotations

import pytest

from auditor.locate.search import recent_headline
from auditor.models import Agency
from tests.factories import art, page

BODY = (
    "Chiều ngày 19/11, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác chuyển đổi số "
    "năm 2026 và triển khai nhiệm vụ năm 2027. Tham dự hội nghị có lãnh đạo các sở, ban, ngành "
    "tỉnh, Ủy ban nhân dân các xã, phường. Theo báo cáo, năm 2026 tỉnh đã hoàn thành 45/48 chỉ "
    "tiêu của kế hoạch, tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận và giải quyết trực tuyến "
    "đạt trên 80%, hạ tầng số tiếp tục được đầu tư đồng bộ. Phát biểu chỉ đạo, đồng chí Chủ tịch "
    "Ủy ban nhân dân tỉnh đề nghị các cơ quan, đơn vị tiếp tục nâng cao chất lượng cung cấp dịch "
    "vụ công trực tuyến, đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính, bảo đảm "
    "an toàn thông tin mạng và phát triển nguồn nhân lực số. Hội nghị cũng đã khen thưởng các "
    "tập thể, cá nhân có thành tích xuất sắc trong công tác chuyển đổi số năm 2026, đồng thời "
    "phát động phong trào thi đua thực hiện thắng lợi các nhiệm vụ chuyển đổi số năm 2027 trên "
    "địa bàn toàn tỉnh, hướng tới mục tiêu xây dựng chính quyền số, kinh tế số và xã hội số."
)
PARAS = "".join(f"<p>{s.strip()}.</p>" for s in BODY.split(". ") if s.strip())
TITLE = "Hội nghị tổng kết công tác chuyển đổi số năm 2026"
RELATED = "".join(
    f"<li><a href='/tin-tuc/ArticleID/{n}/tin-{n}'>Tin hoạt động số {n} của các sở ngành trong tỉnh</a>"
    f" <span>({10 + n % 9}/11/2026)</span></li>"
    for n in range(1, 8)
)

DNN_ARTICLE = f"""<html><body><form method="post" action="/ChiTietTinTuc.aspx?nid=1234" id="Form">
<div id="dnn_ContentPane"><div class="DnnModule"><span id="dnn_ctr512_ViewNews_lblTitle" class="news-title">{TITLE}</span>
<div class="news-date">Ngày đăng: 20/11/2026 08:30</div><div class="news-content">{PARAS}</div>
<div class="other-news"><h3>Các tin khác</h3><ul>{RELATED}</ul></div></div></div></form></body></html>"""
LIFERAY_ARTICLE = f"""<html><body><section id="content"><div class="portlet-asset-publisher">
<div class="asset-full-content"><h3 class="header-title"><span>{TITLE}</span></h3>
<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">20/11/2026</span></div>
<div class="journal-content-article">{PARAS}</div></div></div></section></body></html>"""
WP_ARTICLE = f"""<html><body><div id="primary" class="content-area"><div class="post-123 post type-post">
<h1 class="entry-title">{TITLE}</h1><div class="entry-meta"><span class="posted-on">20 tháng 11 năm 2026</span></div>
<div class="entry-content">{PARAS}</div></div></div></body></html>"""
SP_ARTICLE = f"""<html><body><form method="post" action="./hoi-nghi.aspx" id="aspnetForm"><div id="s4-workspace">
<h2 class="ms-pageTitle">{TITLE}</h2><div class="ms-rtestate-field"><i>20/11/2026</i><br>{BODY}</div>
</div></form></body></html>"""


@pytest.mark.parametrize(
    ("url", "html"),
    [
        ("https://lamdong.gov.vn/ChiTietTinTuc.aspx?nid=1234", DNN_ARTICLE),
        (
            "https://lamdong.gov.vn/web/guest/tin-tuc/-/asset_publisher/Ab1Cd/content/hoi-nghi-tong-ket",
            LIFERAY_ARTICLE,
        ),
        ("https://lamdong.gov.vn/?p=123", WP_ARTICLE),
        ("https://lamdong.gov.vn/tin-tuc/Pages/hoi-nghi.aspx", SP_ARTICLE),
        # no article address: the date at the heading and the body suffice
        ("https://lamdong.gov.vn/tin-tuc/hoi-nghi-tong-ket", WP_ARTICLE),
    ],
)
def test_articles_without_markup(url: str, html: str) -> None:
    assert page(url, html).is_article


def _listing(items: int, summary: str = "") -> str:
    rows = "".join(
        f"<div class='news-item'><h4><a href='/ChiTietTinTuc.aspx?nid={n}'>Tin hoạt động số {n} "
        f"của Ủy ban nhân dân tỉnh trong tuần</a></h4><span class='date'>{n:02d}/11/2026</span>"
        f"<p>{summary}</p></div>"
        for n in range(1, items + 1)
    )
    return f"<html><body><div id='dnn_ContentPane'><h2>Tin tức sự kiện trong tỉnh</h2>{rows}</div></body></html>"


@pytest.mark.parametrize(
    ("url", "html"),
    [
        ("https://lamdong.gov.vn/tabid/95/Default.aspx", _listing(10)),
        ("https://lamdong.gov.vn/web/guest/tin-tuc", _listing(10, " ".join(BODY.split()[:35]))),
        ("https://lamdong.gov.vn/", WP_ARTICLE),  # the home page is never an article
        # a section page: an introduction and dated list items, no byline
        (
            "https://lamdong.gov.vn/chi-dao-dieu-hanh/",
            f"<main><h1>Chỉ đạo điều hành của tỉnh</h1>{PARAS}<ul>"
            + "".join(f"<li>{n:02d}/11/2026 – Chỉ đạo số {n}</li>" for n in range(1, 5))
            + "</ul></main>",
        ),
    ],
)
def test_listings_are_not_articles(url: str, html: str) -> None:
    assert not page(url, html).is_article


def test_newest_headline_on_a_dotnetnuke_portal() -> None:
    agency = Agency(name="Ủy ban nhân dân tỉnh Lâm Đồng", level="province", domain="lamdong.gov.vn")
    home = page(
        "https://lamdong.gov.vn/",
        "<html><body><div class='menu'><a href='/tabid/95/Default.aspx'>Tin tức</a></div>"
        "<div id='dnn_ContentPane'><a href='/ChiTietTinTuc.aspx?nid=1234'>"
        f"{TITLE}</a> (20/11/2026)</div></body></html>",
    )
    article = page("https://lamdong.gov.vn/ChiTietTinTuc.aspx?nid=1234", DNN_ARTICLE)
    found = recent_headline(art(home, article, agency=agency))
    assert found is not None
    assert found.url == "https://lamdong.gov.vn/ChiTietTinTuc.aspx?nid=1234"
    assert found.text == TITLE
