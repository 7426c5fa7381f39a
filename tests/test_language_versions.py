"""Language-version switches in the shapes CMSs publish, and the English topics in the wording
English-language government sites use."""

from __future__ import annotations

import pytest

from auditor.checks.language import ForeignVersionParams, foreign_version
from auditor.locate.language import locate_version, scripted_switch, version_root
from auditor.models import Agency
from tests.factories import art, page

LD = Agency(name="Ủy ban nhân dân tỉnh Lâm Đồng", level="province", domain="lamdong.gov.vn")
HOME = "https://lamdong.gov.vn/"
EN_TEXT = (
    "Lam Dong is a province in the Central Highlands of Viet Nam. The Provincial People's "
    "Committee is the executive body of the Provincial People's Council and it is responsible "
    "for the state administration of the province in all sectors."
)


def _home(switch: str, head: str = "") -> str:
    return (
        f"<html lang='vi'><head>{head}<title>Cổng thông tin điện tử tỉnh Lâm Đồng</title></head>"
        f"<body><header><div class='language'>{switch}</div></header>"
        "<nav><a href='/web/guest/tin-tuc'>Tin tức</a><a href='/vi/'>Tiếng Việt</a></nav>"
        "<main><p>Tin tức sự kiện</p></main></body></html>"
    )


def _en(menu: str) -> str:
    return f"<html lang='en-US'><body><nav>{menu}</nav><main><p>{EN_TEXT}</p></main></body></html>"


# Liferay: a flag icon only, English as the /web/en site
LIFERAY = '<a href="/web/en"><i class="icon-flag-en"></i></a>'
# SharePoint variations: /en-US/Pages/default.aspx, a flag image without alt
SHAREPOINT = (
    '<a href="/en-US/Pages/default.aspx"><img src="/Style%20Library/Images/flag_uk.png" alt=""></a>'
)
# DotNetNuke language skin object: flag with title, /en-us/ culture prefix
DNN = (
    '<span class="Language" title="English (United States)"><a href="https://lamdong.gov.vn/en-us/home.aspx">'
    '<img src="/images/Flags/en-US.gif" alt="en-US"></a></span>'
)
# home-grown: an English host eng.<province>.gov.vn behind a flag class of flag-icons
ENG_HOST = '<a href="https://eng.lamdong.gov.vn/"><span class="fi fi-gb"></span></a>'
# WordPress Polylang
POLYLANG = (
    '<ul><li class="lang-item lang-item-2 lang-item-en"><a lang="en-GB" hreflang="en-GB" '
    'href="https://lamdong.gov.vn/en/">EN</a></li></ul>'
)
# Liferay language portlet links: ?languageId=en_US
LIFERAY_QUERY = (
    '<a href="/c/portal/update_language?p_l_id=20143&amp;redirect=%2F&amp;languageId=en_US">'
    '<img src="/o/classic-theme/images/language/en_US.png" alt="" title="English (United States)"></a>'
)
# a <select> whose options are the versions' addresses
SELECT = (
    "<select onchange='window.location.href=this.value'><option value='/'>Tiếng Việt</option>"
    "<option value='/en/'>English</option></select>"
)


@pytest.mark.parametrize(
    ("switch", "url", "how"),
    [
        (LIFERAY, "https://lamdong.gov.vn/web/en", "flag icon-flag-en"),
        (SHAREPOINT, "https://lamdong.gov.vn/en-US/Pages/default.aspx", "flag img flag_uk.png"),
        (DNN, "https://lamdong.gov.vn/en-us/home.aspx", "«en-US»"),
        (ENG_HOST, "https://eng.lamdong.gov.vn/", "flag fi-gb"),
        (POLYLANG, "https://lamdong.gov.vn/en/", 'hreflang="en-GB"'),
        (
            LIFERAY_QUERY,
            "https://lamdong.gov.vn/c/portal/update_language?p_l_id=20143&redirect=%2F&languageId=en_US",
            "flag img title «English (United States)»",
        ),
        (SELECT, "https://lamdong.gov.vn/en/", "<select> «English»"),
        ('<a href="https://eng.lamdong.gov.vn/">ENG</a>', "https://eng.lamdong.gov.vn/", "«ENG»"),
        (
            '<a href="/english.aspx"><img src="/i/b.png" alt="" title="English"></a>',
            "https://lamdong.gov.vn/english.aspx",
            "flag img title «English»",
        ),
        (
            '<a href="/en-US/Pages/default.aspx"><span></span></a>',
            "https://lamdong.gov.vn/en-US/Pages/default.aspx",
            "URL /en-US/Pages/default.aspx",
        ),
    ],
)
def test_switch_shapes_are_found(switch: str, url: str, how: str) -> None:
    found = locate_version(page(HOME, _home(switch)), "en", ("/en/", "/en"))
    assert found is not None
    assert found.link.url == url
    assert found.how == how


def test_alternate_link_in_head_is_found() -> None:
    head = '<link rel="alternate" hreflang="en" href="https://lamdong.gov.vn/en/">'
    found = locate_version(page(HOME, _home("", head)), "en")
    assert found is not None and found.link.url == "https://lamdong.gov.vn/en/"
    assert found.how == '<link rel="alternate" hreflang>'


@pytest.mark.parametrize(
    "switch",
    [
        '<a href="/vi/"><i class="icon-flag-vi"></i></a>',  # the Vietnamese flag only
        '<a href="/tin-tuc/en-bai-viet">Tin</a><a href="/web/guest/gioi-thieu">Giới thiệu</a>',
        '<a href="https://translate.google.com/"><img src="/img/banner.png" alt="Dịch"></a>',
    ],
)
def test_no_english_switch(switch: str) -> None:
    home = page(HOME, _home(switch))
    assert locate_version(home, "en", ("/en/", "/en")) is None
    out = foreign_version(art(home, agency=LD), ForeignVersionParams())
    assert out.status == "fail"
    assert "does not link to a en version" in out.evidence[0].detail.en


def test_select_of_codes_is_left_to_a_person() -> None:
    switch = (
        '<select id="dnn_dnnLANGUAGE_selectCulture" onchange="dnn.changeCulture(this.value)">'
        '<option value="vi-VN" selected>Tiếng Việt</option><option value="en-US">English</option>'
        "</select>"
    )
    home = page(HOME, _home(switch))
    assert locate_version(home, "en") is None
    assert scripted_switch(home, "en") == '<option value="en-US">English</option>'
    out = foreign_version(art(home, agency=LD), ForeignVersionParams())
    assert out.status == "manual"
    assert out.evidence[0].found == '<option value="en-US">English</option>'


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("https://lamdong.gov.vn/web/en", "https://lamdong.gov.vn/web/en/"),
        ("https://lamdong.gov.vn/en-US/Pages/default.aspx", "https://lamdong.gov.vn/en-US/"),
        ("https://eng.lamdong.gov.vn/", "https://eng.lamdong.gov.vn/"),
        ("https://lamdong.gov.vn/en/", "https://lamdong.gov.vn/en/"),
    ],
)
def test_version_root(url: str, root: str) -> None:
    assert version_root(url) == root


# The English menus of real provincial sites: different words for the same three topics.
MENUS = [
    '<a href="/web/en/about">About Lam Dong</a><a href="/web/en/org">Organizational Structure</a>'
    '<a href="/web/en/fn">Functions and Tasks</a><a href="/web/en/contact">Contact Us</a>',
    '<a href="/web/en/leaders">Leadership</a><a href="/web/en/mission">Mission and Powers</a>'
    '<a href="/web/en/hotline">Hotline</a>',
    '<a href="/web/en/apparatus">Government apparatus</a><a href="/web/en/roles">Roles and '
    'responsibilities</a><a href="/web/en/dir">Directory</a>',
]


@pytest.mark.parametrize("menu", MENUS)
def test_english_topics_in_government_wording(menu: str) -> None:
    home = page(HOME, _home(LIFERAY))
    en = page("https://lamdong.gov.vn/web/en", _en(menu))
    out = foreign_version(art(home, en, agency=LD), ForeignVersionParams())
    assert out.status == "pass", [e.detail.en for e in out.evidence]
    assert "flag icon-flag-en" in out.evidence[0].detail.en
    assert out.evidence[1].found == "organisation, functions, contact"


def test_english_topics_found_on_the_version_pages_under_its_root() -> None:
    home = page(HOME, _home(SHAREPOINT))
    en = page(
        "https://lamdong.gov.vn/en-US/Pages/default.aspx",
        _en('<a href="/en-US/Pages/about.aspx">About us</a>'),
    )
    about = page(
        "https://lamdong.gov.vn/en-US/Pages/about.aspx",
        _en(
            "<h2>Organizational chart</h2><h2>Functions and duties</h2><p>Address: 36 Tran Phu, Da Lat</p>"
        ),
    )
    out = foreign_version(art(home, en, about, agency=LD), ForeignVersionParams())
    assert out.status == "pass", [e.detail.en for e in out.evidence]


def test_english_home_without_the_topics_fails_naming_them() -> None:
    home = page(HOME, _home(LIFERAY))
    en = page(
        "https://lamdong.gov.vn/web/en",
        _en('<a href="/web/en/news">News</a><a href="/web/en/invest">Investment</a>'),
    )
    out = foreign_version(art(home, en, agency=LD), ForeignVersionParams())
    assert out.status == "fail"
    assert out.evidence[1].found == "-"
    assert out.evidence[1].expected == "organisation, functions, contact"


def test_unfetched_english_host_is_error_not_fail() -> None:
    home = page(HOME, _home(ENG_HOST))
    out = foreign_version(art(home, agency=LD), ForeignVersionParams())
    assert out.status == "error"
    assert out.evidence[0].url == "https://eng.lamdong.gov.vn/"
