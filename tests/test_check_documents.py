"""documents_listing: record fields, a downloadable file and a search form on the listing."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import ValidationError

from auditor.artifacts import Artifacts, FileProbe
from auditor.checks.documents import (
    DocumentsParams,
    ProjectsParams,
    documents_listing,
    fields_shown,
    is_document_file,
    projects_listing,
)
from auditor.locate.documents import file_links, record_count
from auditor.models import PageSnapshot
from tests.factories import art, page
from tests.test_gather import demo_artifacts

HOME = "https://soctrang.gov.vn/"
LISTING = HOME + "van-ban/"
PDF = HOME + "van-ban/files/25-2026-qd-ubnd.pdf"
HEAD = (
    "<tr><th>Số ký hiệu</th><th>Ngày ban hành</th><th>Ngày hiệu lực</th><th>Trích yếu</th>"
    "<th>Cơ quan ban hành</th><th>Loại văn bản</th><th>Tệp đính kèm</th></tr>"
)
ROW = (
    "<tr><td>25/2026/QĐ-UBND</td><td>16/11/2026</td><td>26/11/2026</td>"
    "<td>Ban hành Quy chế Cổng thông tin điện tử</td><td>UBND tỉnh Sóc Trăng</td>"
    "<td>Quyết định</td><td><a href='/van-ban/files/25-2026-qd-ubnd.pdf'>Tải về</a></td></tr>"
)
SEARCH = "<form action='/van-ban/'><label for='k'>Tìm văn bản</label><input id='k' name='k'></form>"
HOME_HTML = (
    "<html><body><header><form role='search' action='/tim-kiem'><input type='search' name='q'>"
    "</form></header><nav><a href='/van-ban/'>Văn bản pháp luật</a></nav><main>Trang chủ</main>"
    "<footer><strong>Cơ quan chủ quản</strong>: UBND tỉnh</footer></body></html>"
)
PDF_OK = FileProbe(
    url=PDF,
    listing_url=LISTING,
    link_text="Tải về",
    status=200,
    final_url=PDF,
    content_type="application/pdf",
    size=1200,
    magic=b"%PDF-1.4",
)


def _listing(head: str = HEAD, rows: str = ROW * 2, search: str = SEARCH) -> str:
    return (
        "<html><body><header><form role='search' action='/tim-kiem'>"
        "<input type='search' name='q'></form></header>"
        f"<main><h1>Văn bản</h1>{search}<table>{head}{rows}</table></main></body></html>"
    )


def _site(listing: str, files: tuple[FileProbe, ...] = (PDF_OK,)) -> Artifacts:
    site = art(page(HOME, HOME_HTML), page(LISTING, listing))
    return dataclasses.replace(site, doc_files=files)


def test_complete_listing_passes() -> None:
    out = documents_listing(_site(_listing()), DocumentsParams())
    assert out.status == "pass"
    assert out.evidence[0].url == LISTING and out.evidence[0].found == "2"
    assert out.evidence[1].found == (
        "loai van ban, co quan ban hanh, so ky hieu, ngay ban hanh, ngay hieu luc, trich yeu"
    )
    assert out.evidence[2].url == PDF and "application/pdf" in (out.evidence[2].found or "")
    assert out.evidence[3].found is not None and "Tìm văn bản" in out.evidence[3].found


def test_missing_fields_are_named() -> None:
    head = "<tr><th>Số ký hiệu</th><th>Trích yếu</th><th>Tệp</th></tr>"
    rows = (
        "<tr><td>25/2026/QĐ-UBND</td><td>Ban hành Quy chế</td>"
        "<td><a href='/van-ban/files/a.pdf'>PDF</a></td></tr>"
    )
    out = documents_listing(_site(_listing(head, rows)), DocumentsParams())
    assert out.status == "fail"
    lacking = out.evidence[0]
    assert lacking.detail.vi == (
        "Văn bản thiếu thông tin: loại văn bản, cơ quan ban hành, ngày ban hành, ngày hiệu lực."
    )
    assert lacking.detail.en == (
        "Records lack: document type, issuing authority, issue date, effective date."
    )


def test_the_header_search_form_and_footer_labels_do_not_count() -> None:
    out = documents_listing(_site(_listing(search="")), DocumentsParams())
    assert out.status == "fail"
    assert out.evidence[0].detail.en == "The documents listing has no search form."
    shown = fields_shown([page(LISTING, _listing(head="", rows=""))])
    assert "authority" not in shown


def test_empty_listing_fails() -> None:
    out = documents_listing(_site(_listing(rows="")), DocumentsParams())
    assert out.status == "fail"
    assert out.evidence[0].found == "0"


def test_file_that_is_not_a_document_fails_and_unreachable_is_error() -> None:
    html = dataclasses.replace(PDF_OK, content_type="text/html", magic=b"<!DOCTYPE")
    out = documents_listing(_site(_listing(), (html,)), DocumentsParams())
    assert out.status == "fail" and out.evidence[0].found == "200, text/html"
    gone = dataclasses.replace(PDF_OK, status=404, content_type="text/html")
    assert documents_listing(_site(_listing(), (gone,)), DocumentsParams()).status == "fail"
    down = dataclasses.replace(PDF_OK, status=0, content_type="", error="connect: refused")
    out = documents_listing(_site(_listing(), (down,)), DocumentsParams())
    assert out.status == "error" and out.evidence[0].found == "connect: refused"
    out = documents_listing(_site(_listing(), ()), DocumentsParams())
    assert out.status == "error"


def test_no_file_links_fails_unless_not_required() -> None:
    rows = ROW.replace("<a href='/van-ban/files/25-2026-qd-ubnd.pdf'>Tải về</a>", "—")
    out = documents_listing(_site(_listing(rows=rows), ()), DocumentsParams())
    assert out.status == "fail" and "no file to download" in out.evidence[0].detail.en
    relaxed = DocumentsParams(require_file=False)
    assert documents_listing(_site(_listing(rows=rows), ()), relaxed).status == "pass"


def test_no_listing_linked_fails_and_broken_listing_fails() -> None:
    home = page(HOME, HOME_HTML.replace("Văn bản pháp luật", "Liên hệ").replace("van-ban", "lh"))
    out = documents_listing(art(home), DocumentsParams())
    assert out.status == "fail" and "links no" in out.evidence[0].detail.en
    broken = PageSnapshot(url=LISTING, final_url=LISTING, status=404)
    out = documents_listing(art(page(HOME, HOME_HTML), failed=(broken,)), DocumentsParams())
    assert out.status == "fail" and out.evidence[0].found == "HTTP 404"
    assert documents_listing(art(page(HOME, HOME_HTML)), DocumentsParams()).status == "error"


def test_helpers() -> None:
    listing = page(LISTING, _listing())
    assert [lk.url for lk in file_links(listing)] == [PDF]
    assert record_count(listing) == 2
    items = "<ul><li>Quyết định 12/CT-UBND về phòng cháy</li><li>Giới thiệu</li></ul>"
    assert record_count(page(LISTING, f"<html><body><main>{items}</main></body></html>")) == 1
    octet = dataclasses.replace(PDF_OK, content_type="application/octet-stream")
    assert is_document_file(octet)
    assert not is_document_file(dataclasses.replace(octet, magic=b"<html>"))
    with pytest.raises(ValidationError):
        DocumentsParams(fields=("colour",))


def test_demo_listings_pass_and_longphu_fails() -> None:
    for domain, site in demo_artifacts().items():
        out = documents_listing(site, DocumentsParams())
        if domain == "longphu.soctrang.gov.vn":
            assert out.status == "fail", out.evidence
            assert out.evidence[0].url == "https://longphu.soctrang.gov.vn/"
        else:
            assert out.status == "pass", (domain, [e.detail.en for e in out.evidence])


PROJECTS = (
    "<html><body><main><h1>Dự án đầu tư</h1><table>"
    "<tr><th>Tên dự án</th><th>Lĩnh vực</th><th>Tổng mức đầu tư</th><th>Nguồn vốn</th>"
    "<th>Thời gian thực hiện</th><th>Tình trạng</th></tr>"
    "<tr><td>Đường liên xã</td><td>Giao thông</td><td>45,6 tỷ</td><td>Ngân sách tỉnh</td>"
    "<td>2025–2027</td><td>Đang thi công</td></tr></table></main></body></html>"
)


def _projects_site(html: str) -> Artifacts:
    home = page(HOME, HOME_HTML.replace("/van-ban/'>Văn bản pháp luật", "/du-an/'>Dự án đầu tư"))
    return art(home, page(HOME + "du-an/", html))


def test_projects_listing_core_fields_pass_and_missing_ones_warn() -> None:
    out = projects_listing(_projects_site(PROJECTS), ProjectsParams())
    assert out.status == "pass"
    assert out.evidence[0].found == (
        "ten du an, linh vuc, thoi gian thuc hien, tong muc dau tu, nguon von, tinh trang"
    )
    full = ProjectsParams(fields=("name", "goal", "donor"))
    out = projects_listing(_projects_site(PROJECTS), full)
    assert out.status == "warn"
    assert out.evidence[0].detail.en == ("The project listing «Dự án đầu tư» lacks: goal, donor.")
    strict = ProjectsParams(fields=("goal",), missing_status="fail")
    assert projects_listing(_projects_site(PROJECTS), strict).status == "fail"
    assert projects_listing(art(page(HOME, HOME_HTML)), ProjectsParams()).status == "warn"


def test_demo_project_listings_show_the_core_fields() -> None:
    for domain, site in demo_artifacts().items():
        out = projects_listing(site, ProjectsParams())
        assert out.status == "pass", (domain, out.evidence[0].detail.en)
