"""Foreign-language version, header/footer and Dublin Core primitives, and the language guesser."""

from __future__ import annotations

from auditor.checks.language import ForeignVersionParams, foreign_version
from auditor.checks.layout import DublinCoreParams, dublin_core, footer_contacts, header_agency_name
from auditor.checks.registry import NoParams
from auditor.langid import identify
from auditor.models import Agency
from tests.factories import art, page

EN_TEXT = (
    "Soc Trang is a province in the Mekong Delta. The People's Committee of the province is the "
    "executive body of the provincial People's Council and it is responsible for the administration "
    "of the province in all sectors."
)
VI_TEXT = (
    "Sóc Trăng là tỉnh thuộc vùng Đồng bằng sông Cửu Long. Ủy ban nhân dân tỉnh là cơ quan chấp hành "
    "của Hội đồng nhân dân tỉnh, chịu trách nhiệm quản lý nhà nước trên các lĩnh vực của tỉnh."
)
EN_MENU = '<nav><a href="/en/organisation/">Organisation</a><a href="/en/functions/">Functions and duties</a><a href="/en/contact/">Contact</a></nav>'


def test_identify_languages() -> None:
    assert identify(EN_TEXT).lang == "en"
    assert identify(VI_TEXT).lang == "vi"
    assert identify("中华人民共和国越南朔庄省人民委员会").lang == "zh"


def test_english_version_pass() -> None:
    home = page("https://soctrang.gov.vn/", '<a href="/en/">English</a>')
    en = page(
        "https://soctrang.gov.vn/en/",
        f'<html lang="en"><body>{EN_MENU}<main><p>{EN_TEXT}</p></main></body></html>',
    )
    out = foreign_version(art(home, en), ForeignVersionParams())
    assert out.status == "pass"
    assert out.evidence[0].found == "en"
    assert out.evidence[1].found == "organisation, functions, contact"


def test_english_link_to_vietnamese_page_fails() -> None:
    home = page("https://soctrang.gov.vn/", '<a href="/en/">EN</a>')
    en = page(
        "https://soctrang.gov.vn/en/",
        f'<html lang="en"><body><main><p>{VI_TEXT}</p></main></body></html>',
    )
    out = foreign_version(art(home, en), ForeignVersionParams())
    assert out.status == "fail" and out.evidence[0].found == "vi"


def test_no_english_link_fails_and_missing_topics_fail() -> None:
    home = page("https://soctrang.gov.vn/", '<a href="/tin-tuc/">Tin tức</a>')
    assert foreign_version(art(home), ForeignVersionParams()).status == "fail"
    home = page("https://soctrang.gov.vn/", '<a href="/en/"><img src="uk.png" alt="English"></a>')
    en = page(
        "https://soctrang.gov.vn/en/",
        f'<html lang="en"><body><main><p>{EN_TEXT}</p></main></body></html>',
    )
    out = foreign_version(art(home, en), ForeignVersionParams())
    assert out.status == "fail" and out.evidence[1].found == "-"


FOOTER = (
    "<footer>Cơ quan chủ quản: Ủy ban nhân dân tỉnh Sóc Trăng. Chịu trách nhiệm chính: Chánh Văn phòng. "
    "Địa chỉ: số 01 Trần Hưng Đạo, Phường 2, TP Sóc Trăng. Điện thoại: (0299) 3822 345. "
    "Email: ubnd@soctrang.gov.vn</footer>"
)


def test_footer_pass_and_missing_fields_named() -> None:
    good = page(
        "https://soctrang.gov.vn/",
        f"<body><header><h1>Ủy ban nhân dân tỉnh Sóc Trăng</h1></header>{FOOTER}</body>",
    )
    assert footer_contacts(art(good), NoParams()).status == "pass"
    assert header_agency_name(art(good), NoParams()).status == "pass"
    bad = page(
        "https://soctrang.gov.vn/",
        "<body><header>Cổng thông tin</header><footer>Bản quyền 2026</footer></body>",
    )
    out = footer_contacts(art(bad), NoParams())
    assert out.status == "fail"
    assert out.evidence[0].detail.vi == (
        "Chân trang thiếu: cơ quan chủ quản, người chịu trách nhiệm, địa chỉ, điện thoại, thư điện tử."
    )
    assert header_agency_name(art(bad), NoParams()).status == "fail"


DC = "".join(
    f'<meta name="DC.{n}" content="x">'
    for n in ("title", "creator", "date", "description", "publisher", "identifier")
)


def test_dublin_core_ratio() -> None:
    full = page("https://soctrang.gov.vn/", f"<head>{DC}</head><body>a</body>")
    assert dublin_core(art(full), DublinCoreParams()).status == "pass"
    empty = page(
        "https://soctrang.gov.vn/a", '<head><meta name="DC.title" content=""></head><body>a</body>'
    )
    out = dublin_core(art(full, empty), DublinCoreParams())
    assert out.status == "fail"
    assert out.evidence[0].found == "50%"
    assert "DC.title" in out.evidence[1].detail.en


def test_header_name_is_manual_when_the_name_was_only_guessed() -> None:
    guessed = Agency(
        name="x.soctrang.gov.vn",
        level="department",
        domain="x.soctrang.gov.vn",
        guessed=("name", "level"),
    )
    home = page("https://x.soctrang.gov.vn/", "<title>Sở X</title><header><h1>Sở X</h1></header>")
    out = header_agency_name(art(home, agency=guessed), NoParams())
    assert out.status == "manual"
    assert "--name" in out.evidence[0].detail.en and out.evidence[0].found == "Sở X"
