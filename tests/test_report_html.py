"""HTML renderers: agency page and index, including escaping of hostile scanned content."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

from auditor.models import (
    Agency,
    AuditReport,
    CategoryScore,
    Citation,
    CrawlInfo,
    DocumentInfo,
    Evidence,
    Finding,
    Level,
    ProfileInfo,
    ScanSummary,
    Score,
    Status,
    SummaryRow,
    ToolInfo,
    t,
)
from auditor.report.html_report import (
    render_agency_html,
    render_index_html,
    safe_href,
    safe_report_link,
)

HOSTILE_TITLE = "</title><script>alert(1)</script>\"'"
HOSTILE_SNIPPET = "<img src=x onerror=alert(2)><script>alert(3)</script>"
HOSTILE_URL = "javascript:alert(4)"
DOC = "qd-07-2019"
NATIONAL = "nd-42-2022"


def _finding(
    rule_id: str,
    status: Status,
    article: str,
    clause: str | None = None,
    *,
    title: str = "",
    document: str = DOC,
    category: str = "transport",
    evidence: tuple[Evidence, ...] = (),
) -> Finding:
    return Finding(
        rule_id=rule_id,
        title=t(title or f"Tiêu chí {rule_id}", f"Rule {rule_id}"),
        failure=t(f"Vi phạm {rule_id}", f"Violation {rule_id}"),
        category=category,
        severity="high",
        weight=2.0,
        status=status,
        citation=Citation(document=document, article=article, clause=clause),
        evidence=evidence,
    )


def make_report(
    domain: str = "www.soctrang.gov.vn",
    name: str = "Sở Thông tin và Truyền thông tỉnh Sóc Trăng",
    total: float | None = 72.5,
    grade: str | None = "Khá",
    level: Level = "department",
) -> AuditReport:
    """A realistic report: every status, hostile scanned content, two documents."""
    findings = (
        _finding(
            "st.d6k2.https",
            "fail",
            "6",
            "2",
            title="Cổng sử dụng HTTPS",
            evidence=(
                Evidence(
                    detail=t("Trang chủ trả về qua HTTP", "Home page served over HTTP"),
                    url="http://soctrang.gov.vn/",
                    expected="https://",
                    found="http://",
                ),
            ),
        ),
        _finding("st.d6k2.hsts", "warn", "6", "2", title="Có tiêu đề HSTS"),
        _finding(
            "st.d8.title",
            "fail",
            "8",
            title="Trang có tiêu đề",
            category="accessibility",
            evidence=(
                Evidence(
                    detail=t("Tiêu đề trang không hợp lệ", "Bad page title"),
                    url=HOSTILE_URL,
                    found=HOSTILE_TITLE,
                    snippet=HOSTILE_SNIPPET,
                ),
            ),
        ),
        _finding(
            "st.d8.lang", "pass", "8", title="Khai báo ngôn ngữ trang", category="accessibility"
        ),
        _finding(
            "st.d10.news",
            "error",
            "10",
            title="Chuyên mục Tin tức",
            category="sections",
            evidence=(
                Evidence(
                    detail=t("Hết thời gian chờ", "Timed out"),
                    url="https://soctrang.gov.vn/tin-tuc",
                ),
            ),
        ),
        _finding("st.d9.privacy", "manual", "9", title="Chính sách bảo vệ dữ liệu cá nhân"),
        _finding("st.d13.english", "not_applicable", "13", title="Phiên bản tiếng Anh"),
        _finding(
            "nd42.d4.contact",
            "pass",
            "4",
            "1",
            title="Thông tin liên hệ",
            document=NATIONAL,
            category="sections",
        ),
    )
    counts = {"pass": 2, "fail": 2, "warn": 1, "error": 1, "manual": 1, "not_applicable": 1}
    return AuditReport(
        tool=ToolInfo(version="0.1.0"),
        agency=Agency(name=name, level=level, domain=domain),
        profile=ProfileInfo(
            id="soctrang-2019",
            document=DOC,
            title=t("Sóc Trăng – Quyết định 07/2019/QĐ-UBND", "Soc Trang – Decision 07/2019"),
            documents=(
                DocumentInfo(id=DOC, title=t("Quyết định 07/2019/QĐ-UBND", "Decision 07/2019")),
                DocumentInfo(
                    id=NATIONAL,
                    title=t("Nghị định 42/2022/NĐ-CP", "Decree 42/2022"),
                    draft=True,
                ),
            ),
        ),
        as_of=date(2026, 11, 20),
        started_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        finished_at=datetime(2026, 11, 20, 8, 1, tzinfo=UTC),
        crawl=CrawlInfo(
            start_url=f"https://{domain}/",
            final_url=f"https://{domain}/",
            pages_fetched=42,
            pages_failed=1,
            duration_s=12.5,
        ),
        score=Score(
            total=total,
            grade=grade,
            by_category={
                "transport": CategoryScore(
                    label=t("Bảo mật đường truyền", "Transport security"), score=40.0, weight=4.0
                ),
                "accessibility": CategoryScore(
                    label=t("Hỗ trợ người khuyết tật", "Accessibility"), score=50.0, weight=4.0
                ),
                "sections": CategoryScore(
                    label=t("Chuyên mục thông tin", "Information sections"),
                    score=None,
                    weight=0.0,
                ),
            },
            counts=counts,
            errors=1,
        ),
        findings=findings,
    )


class _Collector(HTMLParser):
    """Collects tags, attributes and script bodies as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_script = tag == "script"
        if tag == "script":
            self.scripts.append("")
        for key, value in attrs:
            if key == "href" and value is not None:
                self.hrefs.append(value)
            assert not key.startswith("on"), f"event handler attribute {key} on <{tag}>"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def _parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    c.close()
    return c


def _section(html: str, key: str) -> str:
    m = re.search(
        rf'<section class="findings-section(?: no-print)?" id="section-{key}">(.*?)</section>\s*'
        rf'(?=<section class="findings-section"|<footer>)',
        html,
        re.S,
    )
    assert m, f"section {key} missing"
    return m.group(1)


def test_agency_page_shows_header_score_and_grade() -> None:
    html = render_agency_html(make_report(), "vi")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in html
    assert "Sở Thông tin và Truyền thông tỉnh Sóc Trăng" in html
    assert "soctrang.gov.vn" in html
    assert "Sở, ban, ngành" in html
    assert "Nghị định 42/2022/NĐ-CP" in html and "dự thảo" in html
    assert "20/11/2026" in html
    assert "auditor 0.1.0" in html
    assert re.search(r'id="score">72,5<small>/100', html)
    assert '<div class="grade" id="grade">Khá</div>' in html
    assert "Bảo mật đường truyền" in html and '<rect width="40.0"' in html
    assert "Không đạt: 2" in html and "Lỗi kiểm tra: 1" in html


def test_agency_page_in_english() -> None:
    html = render_agency_html(make_report(), "en")
    assert '<html lang="en">' in html
    assert "72.5" in html and "Department" in html and "Could not check" in html
    assert "Art. 6(2)" in html and "To check by hand" in html and "draft" in html


def test_findings_grouped_by_document_and_article() -> None:
    html = render_agency_html(make_report(), "vi")
    failures = _section(html, "failures")
    assert "Quyết định 07/2019/QĐ-UBND" in failures
    assert failures.index("Điều 6 khoản 2") < failures.index("Điều 8")
    assert "Cổng sử dụng HTTPS" in failures and "Vi phạm st.d6k2.https" in failures
    assert "Có tiêu đề HSTS" in failures  # warnings sit with failures
    assert "<strong>Yêu cầu" not in failures
    assert "https://" in failures and "http://" in failures  # expected vs found
    passed = _section(html, "passed")
    assert "Nghị định 42/2022/NĐ-CP" in passed and "Điều 4 khoản 1" in passed


def test_error_and_manual_sections_are_apart_from_failures() -> None:
    html = render_agency_html(make_report(), "vi")
    failures = _section(html, "failures")
    errors = _section(html, "errors")
    manual = _section(html, "manual")
    assert "Chuyên mục Tin tức" in errors and "Hết thời gian chờ" in errors
    assert "Chuyên mục Tin tức" not in failures and "Chuyên mục Tin tức" not in manual
    assert "Chính sách bảo vệ dữ liệu cá nhân" in manual
    assert "Chính sách bảo vệ dữ liệu cá nhân" not in failures
    assert "Cổng sử dụng HTTPS" not in errors and "Cổng sử dụng HTTPS" not in manual
    assert "Không kiểm tra được" in errors
    # not_applicable is collapsed, at the very end
    na = _section(html, "not-applicable")
    assert "<details>" in na and "Phiên bản tiếng Anh" in na
    assert html.index('id="section-not-applicable"') > html.index('id="section-passed"')
    assert html.index('id="section-errors"') < html.index('id="section-manual"')


def test_hostile_scanned_content_is_inert() -> None:
    html = render_agency_html(make_report(name="<b>Sở</b>"), "vi")
    parsed = _parse(html)
    # The only script-free page: the agency page has no <script> at all.
    assert parsed.scripts == []
    assert "<script>alert" not in html
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#34;&#39;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<code><bdi>&lt;img src=x" in html  # quoted text isolated in <bdi>
    assert "&lt;b&gt;Sở&lt;/b&gt;" in html and "<b>Sở</b>" not in html
    # javascript: URL shown as text only
    assert 'href="javascript:' not in html.lower()
    assert '<span class="url inert"><bdi>javascript:alert(4)</bdi></span>' in html
    assert all(h.startswith(("http://", "https://")) for h in parsed.hrefs)
    assert "http://soctrang.gov.vn/" in parsed.hrefs
    assert "img" not in parsed.tags  # the snippet's <img> never became an element


def test_no_external_assets() -> None:
    for html in (
        render_agency_html(make_report(), "vi"),
        render_index_html(make_summary(), "vi"),
    ):
        assert "<link" not in html and "src=" not in html.replace("src=x", "")
        assert "@import" not in html and "url(" not in html
        assert "@media print" in html and "size:A4" in html


def test_safe_href() -> None:
    assert safe_href("https://a.gov.vn/x?y=1") == "https://a.gov.vn/x?y=1"
    assert safe_href("HTTP://a.gov.vn/") == "HTTP://a.gov.vn/"
    for bad in (
        "javascript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>",
        "//evil.example/",
        "https://",
        'https://a.gov.vn/"onmouseover=alert(1)',
        "http://[::1",
        None,
        "",
    ):
        assert safe_href(bad) is None, bad
    assert safe_report_link("soctrang.gov.vn.html") == "soctrang.gov.vn.html"
    assert safe_report_link("javascript:alert(1)") is None
    assert safe_report_link("../x.html") is None


def make_summary() -> ScanSummary:
    """Three agencies, one unscored, one with a hostile name."""
    from auditor.report.writer import build_summary_row

    reports = [
        make_report("www.soctrang.gov.vn", "Sở A", 72.5, "Khá"),
        make_report("stnmt.soctrang.gov.vn", "Sở B <script>alert(5)</script>", 91.0, "Tốt"),
        make_report("xa.soctrang.gov.vn", "Xã C", None, None, level="commune"),
        make_report("ubnd.soctrang.gov.vn", "Huyện D", 55.0, "Trung bình", level="district"),
    ]
    rows: list[SummaryRow] = []
    for r in reports:
        stem = r.agency.domain.removeprefix("www.")
        rows.append(build_summary_row(r, f"{stem}.json", f"{stem}.html"))
    rows.append(rows[0].model_copy(update={"report_html": "javascript:alert(6)"}))
    return ScanSummary(
        tool=ToolInfo(version="0.1.0"),
        province="Sóc Trăng",
        profile="soctrang-2019",
        as_of=date(2026, 11, 20),
        started_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        finished_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        agencies=tuple(rows),
    )


def _league_rows(html: str) -> list[str]:
    body = html.split('<table class="league" id="league">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr>\s*(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)


def test_index_ranks_agencies_by_score() -> None:
    html = render_index_html(make_summary(), "vi")
    rows = _league_rows(html)
    assert len(rows) == 5
    order = [re.search(r"<td>(?:<a [^>]*>)?(?:<bdi>)?([^<]*)", r) for r in rows]
    names = [m.group(1) if m else "" for m in order]
    assert names == [
        "Sở B &lt;script&gt;alert(5)&lt;/script&gt;",
        "Sở A",
        "Sở A",
        "Huyện D",
        "Xã C",
    ]
    ranks = [re.search(r'data-sort="(\d+)">([^<]*)<', r) for r in rows]
    assert [m.group(2) if m else "" for m in ranks] == ["1", "2", "2", "4", "—"]
    assert "91,0" in rows[0] and "Tốt" in rows[0]
    assert '<a href="stnmt.soctrang.gov.vn.html">' in rows[0]
    assert "Chưa xếp loại" in rows[4]


def test_index_grade_distribution_grid_and_sorting() -> None:
    html = render_index_html(make_summary(), "vi")
    parsed = _parse(html)
    assert len(parsed.scripts) == 1 and "addEventListener" in parsed.scripts[0]
    assert "alert" not in parsed.scripts[0]
    assert "<script>alert(5)" not in html
    assert 'href="javascript:' not in html
    assert all(not h.lower().startswith("javascript") for h in parsed.hrefs)
    grades = html.split('<table class="grades">', 1)[1].split("</table>", 1)[0]
    assert grades.index("Tốt") < grades.index("Khá") < grades.index("Trung bình")
    assert re.search(r"<td>Khá</td><td class=\"num\">2</td>", grades)
    grid = html.split('<table class="grid">', 1)[1].split("</table>", 1)[0]
    cols = re.findall(r'<th class="col" scope="col">([^<]*)</th>', grid)
    assert cols == [
        "Điều 6 k2",
        "Điều 8",
        "Điều 9",
        "Điều 10",
        "Điều 13",
        "nd-42-2022 Điều 4 k1",
    ]
    assert 'class="cell s-fail" title="Điều 6 k2: Không đạt"' in grid
    assert 'class="cell s-error" title="Điều 10: Lỗi kiểm tra"' in grid
    assert 'class="cell s-manual"' in grid and 'class="cell s-not_applicable"' in grid
    assert '<a href="soctrang.gov.vn.html" aria-label="Điều 8: Không đạt">✗</a>' in grid
    assert "Sóc Trăng" in html and "20/11/2026" in html


def test_unscored_report_without_findings() -> None:
    report = make_report(total=None, grade=None).model_copy(update={"findings": ()})
    html = render_agency_html(report, "vi")
    assert "Không tính được điểm" in html and "Chưa xếp loại" in html
    assert html.count("Không có.") == 5  # every section says it is empty
    assert 'class="finding f-' not in html


def test_guessed_agency_facts_are_flagged() -> None:
    report = make_report()
    guessed = report.model_copy(
        update={"agency": report.agency.model_copy(update={"guessed": ("name", "level")})}
    )
    html = render_agency_html(guessed, "vi")
    assert html.count("đoán từ tên miền") == 2
    assert "guessed from the domain" in render_agency_html(guessed, "en")
    assert "đoán từ tên miền" not in render_agency_html(report, "vi")
