"""Foreign-language version, header/footer and Dublin Core primitives, and the language guesser."""

from __future__ import annotations

import pytest

from auditor.checks.language import ForeignVersionParams, foreign_version
from auditor.checks.layout import (
    DublinCoreParams,
    dublin_core,
    footer_contacts,
    footer_owner,
    footer_phone,
    footer_text,
    header_agency_name,
    header_emblem,
)
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


@pytest.mark.parametrize(
    "phone",
    [
        "(0299) 3822 345",
        "0299.3822.345",
        "0299 3 822 345",
        "0912 345 678",
        "+84 299 3822 345",
        "(+84) 299 3822345",
        "1900 1234",
    ],
)
def test_vietnamese_phone_formats(phone: str) -> None:
    assert footer_phone(f"Điện thoại: {phone} – Email: a@b.gov.vn") == phone


def test_dates_and_document_numbers_are_not_phones() -> None:
    assert footer_phone("Ngày 01/01/2026, Quyết định 24/2026/QĐ-UBND, 120 nhà giáo") is None


def test_footer_each_missing_field_named_with_what_was_seen() -> None:
    footer = (
        "<footer>Cơ quan chủ quản: UBND tỉnh Sóc Trăng. Địa chỉ: 01 Trần Hưng Đạo. "
        '<a href="mailto:ubnd@soctrang.gov.vn">Gửi thư</a></footer>'
    )
    out = footer_contacts(
        art(page("https://soctrang.gov.vn/", f"<body>{footer}</body>")), NoParams()
    )
    assert out.status == "fail"
    assert out.evidence[0].detail.en == "The footer lacks: person responsible, phone."
    found = out.evidence[0].found or ""
    assert "Cơ quan chủ quản: UBND" in found and "ubnd@soctrang.gov.vn" in found


def test_footer_email_outside_gov_vn_is_a_warning_and_at_spellings_count() -> None:
    gmail = FOOTER.replace("ubnd@soctrang.gov.vn", "congthongtin.soctrang@gmail.com")
    out = footer_contacts(
        art(page("https://soctrang.gov.vn/", f"<body>{gmail}</body>")), NoParams()
    )
    assert out.status == "warn"
    assert out.evidence[0].found == "congthongtin.soctrang@gmail.com"
    assert out.evidence[0].expected == "…@soctrang.gov.vn"
    at = FOOTER.replace("ubnd@soctrang.gov.vn", "ubnd[at]soctrang.gov.vn")
    out = footer_contacts(art(page("https://soctrang.gov.vn/", f"<body>{at}</body>")), NoParams())
    assert out.status == "pass" and out.evidence[0].found == "(0299) 3822 345; ubnd@soctrang.gov.vn"


def test_footer_in_decomposed_unicode_is_read() -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", FOOTER)
    out = footer_contacts(art(page("https://soctrang.gov.vn/", f"<body>{nfd}</body>")), NoParams())
    assert out.status == "pass"


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


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ('<header><img src="/static/quoc-huy.svg" alt="Quốc huy"></header>', "pass"),
        ('<header><img src="/img/logo-ubnd.png" alt=""></header>', "pass"),
        ('<header><img src="/img/banner1.jpg" alt=""></header>', "error"),
        ("<header><h1>Ủy ban nhân dân tỉnh Sóc Trăng</h1></header>", "fail"),
    ],
)
def test_header_emblem(header: str, status: str) -> None:
    home = page("https://soctrang.gov.vn/", f"<body>{header}<main>Nội dung</main></body>")
    out = header_emblem(art(home), NoParams())
    assert out.status == status
    if status == "pass":
        assert out.evidence[0].found in ("Quốc huy", "/img/logo-ubnd.png")
    if status == "error":
        assert out.evidence[0].found == "/img/banner1.jpg"


def test_dublin_core_recommended_elements_are_hints_only() -> None:
    full = page("https://soctrang.gov.vn/", f"<head>{DC}</head><body>a</body>")
    out = dublin_core(art(full), DublinCoreParams())
    assert out.status == "pass"
    assert "DC.language (1/1)" in out.evidence[1].detail.en
    complete = DC + "".join(
        f'<meta name="DC.{n}" content="x">'
        for n in ("language", "source", "contributor", "subject")
    )
    out = dublin_core(
        art(page("https://soctrang.gov.vn/", f"<head>{complete}</head>")), DublinCoreParams()
    )
    assert out.status == "pass" and len(out.evidence) == 1


ZH_TEXT = (
    "广宁省是越南东北部的一个省份。省人民委员会负责全省的行政管理工作，欢迎各位投资者和游客。" * 3
)


def test_chinese_version_with_its_topics() -> None:
    home = page("https://quangninh.gov.vn/", '<a href="/zh/">中文</a>')
    menu = '<a href="/zh/org">组织机构</a><a href="/zh/duty">职能任务</a><a href="/zh/contact">联系我们</a>'
    zh = page(
        "https://quangninh.gov.vn/zh/",
        f'<html lang="zh"><body>{menu}<main><p>{ZH_TEXT}</p></main></body></html>',
    )
    out = foreign_version(art(home, zh), ForeignVersionParams(lang="zh", paths=("/zh/",)))
    assert out.status == "pass"
    assert out.evidence[-1].found == "organisation, functions, contact"
    bare = page(
        "https://quangninh.gov.vn/zh/",
        f'<html lang="zh"><body><main><p>{ZH_TEXT}</p></main></body></html>',
    )
    out = foreign_version(art(home, bare), ForeignVersionParams(lang="zh", paths=("/zh/",)))
    assert out.status == "fail" and out.evidence[-1].found == "-"


_REST = (
    "Chịu trách nhiệm chính: Chánh Văn phòng. Địa chỉ: số 01 Trần Hưng Đạo, Phường 2. "
    "Điện thoại: (0299) 3822 345. Email: sotp@soctrang.gov.vn"
)
_DEPT = Agency(
    name="Sở Tư pháp tỉnh Sóc Trăng",
    level="department",
    domain="sotp.soctrang.gov.vn",
    parent="soctrang.gov.vn",
)


@pytest.mark.parametrize(
    ("footer", "owner"),
    [
        # WordPress theme: copyright line
        (
            f"<footer><p>© 2025 Sở Tư pháp tỉnh Sóc Trăng. {_REST}</p></footer>",
            "Sở Tư pháp tỉnh Sóc Trăng",
        ),
        # home-grown: "Bản quyền thuộc về …"
        (
            f"<div id='footer'>Bản quyền thuộc về Ủy ban nhân dân tỉnh Sóc Trăng<br>{_REST}</div>",
            "Ủy ban nhân dân tỉnh Sóc Trăng",
        ),
        # Liferay theme: the owner's name in bold, no label
        (
            f"<footer id='footer' role='contentinfo'><p><strong>SỞ TƯ PHÁP TỈNH SÓC TRĂNG</strong></p><p>{_REST}</p></footer>",
            "SỞ TƯ PHÁP TỈNH SÓC TRĂNG",
        ),
        # DotNetNuke skin: "Copyright 2019-2025 by UBND tỉnh …"
        (
            f"<div class='footer'><span>Copyright 2019-2025 by UBND tỉnh Sóc Trăng</span> {_REST}</div>",
            "UBND tỉnh Sóc Trăng",
        ),
    ],
)
def test_footer_owner_named_without_the_label(footer: str, owner: str) -> None:
    other = Agency(
        name="Sở Nội vụ tỉnh Sóc Trăng", level="department", domain="snv.soctrang.gov.vn"
    )
    home = page("https://sotp.soctrang.gov.vn/", f"<body><main>Tin</main>{footer}</body>")
    out = footer_contacts(art(home, agency=other), NoParams())
    assert out.status == "pass", out.evidence[0].detail.en
    text = footer_text(home)
    assert footer_owner(home, text) is not None and owner in (footer_owner(home, text) or "")


def test_footer_owner_is_the_registered_agency_name() -> None:
    footer = (
        f"<footer><p>Trang thông tin điện tử Sở Tư pháp tỉnh Sóc Trăng</p><p>{_REST}</p></footer>"
    )
    home = page("https://sotp.soctrang.gov.vn/", f"<body>{footer}</body>")
    out = footer_contacts(art(home, agency=_DEPT), NoParams())
    assert out.status == "pass"


@pytest.mark.parametrize(
    "footer",
    [
        f"<footer><p>© 2025 Cổng thông tin điện tử. {_REST}</p></footer>",
        f"<footer><p><b>Bản quyền thuộc về Cổng thông tin điện tử tỉnh</b></p><p>{_REST}</p></footer>",
        f"<footer><p><b>Ban biên tập Cổng thông tin</b></p><p>{_REST}</p></footer>",
        f"<footer><p>Thiết kế bởi Công ty ABC. {_REST}</p></footer>",
    ],
)
def test_footer_without_an_owner_name_still_fails(footer: str) -> None:
    other = Agency(
        name="Sở Nội vụ tỉnh Sóc Trăng", level="department", domain="snv.soctrang.gov.vn"
    )
    home = page("https://sotp.soctrang.gov.vn/", f"<body>{footer}</body>")
    out = footer_contacts(art(home, agency=other), NoParams())
    assert out.status == "fail"
    assert out.evidence[0].detail.en == "The footer lacks: owner agency."
