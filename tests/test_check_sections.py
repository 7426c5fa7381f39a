"""Section detection, national-system links and links to child portals."""

from __future__ import annotations

import pytest

from auditor.checks.registry import NoParams
from auditor.checks.sections import (
    LinksToHostsParams,
    SectionsParams,
    links_to_children,
    links_to_hosts,
    sections_present,
)
from auditor.models import Agency, PageSnapshot, Registry
from tests.factories import art, page

BODY = " ".join(["Nội dung văn bản pháp luật được cập nhật đầy đủ."] * 12)


def _home(menu: str) -> str:
    return f"<html lang='vi'><body><nav>{menu}</nav><main><h1>Trang chủ</h1><p>{BODY}</p></main></body></html>"


def _section(text: str) -> str:
    return f"<html><body><nav>menu</nav><main><h1>Mục</h1><p>{text}</p></main></body></html>"


def test_section_found_by_label_without_diacritics() -> None:
    home = page("https://soctrang.gov.vn/", _home('<a href="/vb/">VĂN BẢN PHÁP LUẬT</a>'))
    target = page("https://soctrang.gov.vn/vb/", _section(BODY))
    out = sections_present(art(home, target), SectionsParams(sections=("legal_documents",)))
    assert out.status == "pass"
    assert out.evidence[0].url == "https://soctrang.gov.vn/vb/"
    assert out.evidence[0].found == "VĂN BẢN PHÁP LUẬT"


def test_section_found_by_slug() -> None:
    home = page("https://soctrang.gov.vn/", _home('<a href="/thu-tuc-hanh-chinh/">TTHC</a>'))
    target = page("https://soctrang.gov.vn/thu-tuc-hanh-chinh/", _section(BODY))
    out = sections_present(art(home, target), SectionsParams(sections=("procedures",)))
    assert out.status == "pass"


def test_missing_section_fails_with_expected_labels() -> None:
    home = page("https://soctrang.gov.vn/", _home('<a href="/tin-tuc/">Tin tức</a>'))
    out = sections_present(art(home), SectionsParams(sections=("consultation",)))
    assert out.status == "fail"
    assert "Lấy ý kiến dự thảo" in (out.evidence[0].expected or "")


def test_placeholder_page_does_not_count() -> None:
    home = page("https://soctrang.gov.vn/", _home('<a href="/quy-hoach/">Quy hoạch</a>'))
    target = page("https://soctrang.gov.vn/quy-hoach/", _section("Nội dung đang cập nhật."))
    out = sections_present(art(home, target), SectionsParams(sections=("planning",)))
    assert out.status == "fail"
    assert "dang cap nhat" in out.evidence[0].detail.vi


def test_broken_link_fails_and_unfetched_is_error() -> None:
    home = page("https://soctrang.gov.vn/", _home('<a href="/du-an/">Dự án đầu tư</a>'))
    broken = PageSnapshot(
        url="https://soctrang.gov.vn/du-an/", final_url="https://soctrang.gov.vn/du-an/", status=404
    )
    out = sections_present(art(home, failed=(broken,)), SectionsParams(sections=("investment",)))
    assert out.status == "fail" and out.evidence[0].found == "404"
    out = sections_present(art(home), SectionsParams(sections=("investment",)))
    assert out.status == "error"


def test_online_services_satisfied_by_national_portal() -> None:
    home = page(
        "https://soctrang.gov.vn/",
        _home('<a href="https://dichvucong.gov.vn/">Dịch vụ công trực tuyến</a>'),
    )
    out = sections_present(art(home), SectionsParams(sections=("online_services",)))
    assert out.status == "pass"


def test_unknown_section_is_rejected_by_params() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        SectionsParams(sections=("nonsense",))


def test_links_to_hosts() -> None:
    home = page(
        "https://soctrang.gov.vn/", _home('<a href="https://nguoidan.chinhphu.vn/">Phản ánh</a>')
    )
    params = LinksToHostsParams(hosts=("nguoidan.chinhphu.vn", "dichvucong.gov.vn"))
    assert links_to_hosts(art(home), params).status == "pass"
    bare = page("https://soctrang.gov.vn/", _home('<a href="/x">X</a>'))
    assert links_to_hosts(art(bare), params).status == "fail"


def test_links_to_children_lists_the_missing_ones() -> None:
    parent = Agency(name="UBND tỉnh", level="province", domain="soctrang.gov.vn")
    reg = Registry(
        province="Sóc Trăng",
        agencies=(
            parent,
            Agency(
                name="Sở TT&TT",
                level="department",
                domain="sotttt.soctrang.gov.vn",
                parent="soctrang.gov.vn",
            ),
            Agency(
                name="Huyện Kế Sách",
                level="district",
                domain="kesach.soctrang.gov.vn",
                parent="soctrang.gov.vn",
            ),
        ),
    )
    home = page(
        "https://soctrang.gov.vn/",
        _home('<a href="https://sotttt.soctrang.gov.vn/">Sở TT&amp;TT</a>'),
    )
    out = links_to_children(art(home, agency=parent, registry=reg), NoParams())
    assert out.status == "fail"
    assert [e.expected for e in out.evidence] == ["kesach.soctrang.gov.vn"]
    assert links_to_children(art(home, agency=parent), NoParams()).status == "not_applicable"


# --- catalogue completeness and trustworthy detection ------------------------------------

# Every section the four regulations and NĐ 42/2022 Đ4 name (issue 4, item 1).
REQUIRED_SECTIONS = {
    "introduction", "organisation", "leaders", "news", "direction", "schedule",
    "legal_documents", "gazette", "legal_dissemination", "procedures", "online_services",
    "planning", "investment", "projects", "bidding", "budget", "statistics", "science", "qa",
    "feedback", "consultation", "disclosure", "recruitment", "contact", "sitemap", "treaties",
    "epidemics", "boundary_map", "socio_economic", "culture_tourism",
}  # fmt: skip


def test_catalogue_names_every_regulated_section_with_labels_and_slugs() -> None:
    from auditor.sections import load_catalogue
    from auditor.text.fold import fold_words

    sections = load_catalogue().sections
    assert set(sections) >= REQUIRED_SECTIONS
    for sid, section in sections.items():
        assert section.labels and section.slugs, sid
        assert all(fold_words(label) for label in section.labels), sid
        assert all(s == s.lower() and " " not in s for s in section.slugs), sid


@pytest.mark.parametrize(
    ("menu", "section"),
    [
        ('<a href="/lich/">Lịch công tác tuần</a>', "schedule"),
        ('<a href="/x/">ĐẤU THẦU – MUA SẮM CÔNG</a>', "bidding"),
        ('<a href="/thong-bao/">Thông báo tuyển dụng</a>', "recruitment"),
        ('<a href="/dieu-uoc-quoc-te/">ĐƯQT</a>', "treaties"),
        ('<a href="/covid/">Phòng, chống dịch bệnh</a>', "epidemics"),
        ('<a href="/cong-khai-ngan-sach/">NS</a>', "budget"),
        ('<a href="/cb/">Công báo tỉnh</a>', "gazette"),
        ('<a href="/lanh-dao/">Ban Lãnh đạo</a>', "leaders"),
        ('<a href="/ban-do/">Bản đồ địa giới hành chính cấp xã</a>', "boundary_map"),
        ('<a href="/tt/">Danh mục thông tin phải công khai</a>', "disclosure"),
    ],
)
def test_new_sections_are_recognised(menu: str, section: str) -> None:
    import re

    href = re.search(r'href="([^"]+)"', menu)
    assert href is not None
    home = page("https://soctrang.gov.vn/", _home(menu))
    target = page("https://soctrang.gov.vn" + href.group(1), _section(BODY))
    out = sections_present(art(home, target), SectionsParams(sections=(section,)))
    assert out.status == "pass", out.evidence[0].detail.en
    assert "matched" in out.evidence[0].detail.en


def test_evidence_says_what_matched_and_why_the_page_counts() -> None:
    home = page("https://soctrang.gov.vn/", _home('<a href="/vb/">VĂN BẢN PHÁP LUẬT</a>'))
    target = page("https://soctrang.gov.vn/vb/", _section(BODY))
    out = sections_present(art(home, target), SectionsParams(sections=("legal_documents",)))
    detail = out.evidence[0].detail.en
    assert "«VĂN BẢN PHÁP LUẬT» (matched «VĂN BẢN PHÁP LUẬT»)" in detail
    assert "words of content" in detail
    by_slug = page("https://soctrang.gov.vn/", _home('<a href="/thu-tuc-hanh-chinh/">TTHC</a>'))
    target = page("https://soctrang.gov.vn/thu-tuc-hanh-chinh/", _section(BODY))
    out = sections_present(art(by_slug, target), SectionsParams(sections=("procedures",)))
    assert "(matched /thu-tuc-hanh-chinh)" in out.evidence[0].detail.en


@pytest.mark.parametrize(
    "text",
    ["Không có dữ liệu.", "Trang đang xây dựng", "Chưa có văn bản nào", "Under construction"],
)
def test_placeholders_do_not_count(text: str) -> None:
    home = page("https://soctrang.gov.vn/", _home('<a href="/tuyen-dung/">Tuyển dụng</a>'))
    padded = text + " " + " ".join(["Tuyển dụng"] * 25)
    target = page("https://soctrang.gov.vn/tuyen-dung/", _section(padded))
    out = sections_present(art(home, target), SectionsParams(sections=("recruitment",)))
    assert out.status == "fail", text
    assert "almost empty" in out.evidence[0].detail.en


def test_empty_table_listing_does_not_count() -> None:
    home = page("https://soctrang.gov.vn/", _home('<a href="/dau-thau/">Đấu thầu</a>'))
    table = "<table><tr><th>Gói thầu</th><th>Ngày đăng</th></tr></table>"
    target = page(
        "https://soctrang.gov.vn/dau-thau/",
        f"<html><body><main><h1>Đấu thầu</h1><p>{BODY}</p>{table}</main></body></html>",
    )
    out = sections_present(art(home, target), SectionsParams(sections=("bidding",)))
    assert out.status == "fail"
    assert "empty list" in out.evidence[0].detail.en


def test_links_off_the_portal() -> None:
    params = SectionsParams(sections=("recruitment",))
    blog = page(
        "https://soctrang.gov.vn/", _home('<a href="https://x.blogspot.com/td">Tuyển dụng</a>')
    )
    out = sections_present(art(blog), params)
    assert out.status == "fail" and out.evidence[0].found == "x.blogspot.com"
    other = page(
        "https://soctrang.gov.vn/",
        _home('<a href="https://tuyendung.soctrang.gov.vn/">Tuyển dụng</a>'),
    )
    out = sections_present(art(other), params)
    assert out.status == "error" and "allowed_hosts" in out.evidence[0].detail.en
    allowed = SectionsParams(
        sections=("recruitment",), allowed_hosts=("tuyendung.soctrang.gov.vn",)
    )
    assert sections_present(art(other), allowed).status == "pass"


def test_section_link_to_a_document_file_counts() -> None:
    home = page("https://soctrang.gov.vn/", _home('<a href="/qh.pdf">Quy hoạch tỉnh</a>'))
    pdf = PageSnapshot(
        url="https://soctrang.gov.vn/qh.pdf",
        final_url="https://soctrang.gov.vn/qh.pdf",
        status=200,
        headers=(("content-type", "application/pdf"),),
    )
    out = sections_present(art(home, failed=(pdf,)), SectionsParams(sections=("planning",)))
    assert out.status == "pass" and "application/pdf" in out.evidence[0].detail.en


def test_section_link_that_redirects_to_the_home_page_does_not_count() -> None:
    home = page("https://soctrang.gov.vn/", _home('<a href="/tuyen-dung/">Tuyển dụng</a>'))
    moved = PageSnapshot(
        url="https://soctrang.gov.vn/tuyen-dung/",
        final_url="https://soctrang.gov.vn/",
        status=200,
        headers=(("content-type", "text/html; charset=utf-8"),),
        body=_home("").encode(),
        detected_encoding="utf-8",
    )
    from auditor.page import Page

    site = art(home, Page(moved))
    out = sections_present(site, SectionsParams(sections=("recruitment",)))
    assert out.status == "fail"
    assert "back to the home page" in out.evidence[0].detail.en


def test_hdnd_committee_is_not_the_budget_section() -> None:
    # Liferay/DotNetNuke provincial portals list the HĐND committees in the menu.
    menu = (
        '<li><a href="/web/hdnd/ban-kinh-te-ngan-sach">Ban Kinh tế - Ngân sách</a></li>'
        '<li><a href="/web/hdnd/ban-phap-che">Ban Pháp chế</a></li>'
        '<li><a href="https://stc.soctrang.gov.vn/">Sở Tài chính</a></li>'
    )
    home = page("https://soctrang.gov.vn/", _home(menu))
    committee = page("https://soctrang.gov.vn/web/hdnd/ban-kinh-te-ngan-sach", _section(BODY))
    out = sections_present(art(home, committee), SectionsParams(sections=("budget",)))
    assert out.status == "fail"
    assert out.evidence[0].url == "https://soctrang.gov.vn/"
    assert "Công khai ngân sách" in (out.evidence[0].expected or "")


def test_budget_section_beside_the_committee_is_credited_to_itself() -> None:
    menu = (
        '<a href="/web/hdnd/ban-kinh-te-ngan-sach">Ban Kinh tế - Ngân sách</a>'
        '<a href="/web/guest/cong-khai-ngan-sach">Công khai ngân sách</a>'
    )
    home = page("https://soctrang.gov.vn/", _home(menu))
    budget = page("https://soctrang.gov.vn/web/guest/cong-khai-ngan-sach", _section(BODY))
    out = sections_present(art(home, budget), SectionsParams(sections=("budget",)))
    assert out.status == "pass"
    assert out.evidence[0].url == "https://soctrang.gov.vn/web/guest/cong-khai-ngan-sach"
    assert out.evidence[0].found == "Công khai ngân sách"


@pytest.mark.parametrize(
    ("menu", "section"),
    [
        ('<a href="/lanh-dao/">Ban lãnh đạo</a>', "leaders"),
        ('<a href="/ban-do/">Bản đồ hành chính</a>', "boundary_map"),
        ('<a href="/so-lieu/">Số liệu thống kê</a>', "statistics"),
        ('<a href="/covid/">Phòng chống dịch COVID-19</a>', "epidemics"),
    ],
)
def test_labels_opening_like_organisations_still_match(menu: str, section: str) -> None:
    import re

    href = re.search(r'href="([^"]+)"', menu)
    assert href is not None
    home = page("https://soctrang.gov.vn/", _home(menu))
    target = page("https://soctrang.gov.vn" + href.group(1), _section(BODY))
    out = sections_present(art(home, target), SectionsParams(sections=(section,)))
    assert out.status == "pass", out.evidence[0].detail.en
