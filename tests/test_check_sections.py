"""Section detection, national-system links and links to child portals."""

from __future__ import annotations

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
