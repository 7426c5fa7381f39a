"""posting_deadlines (issue date vs posting date per listing row) and news_volume."""

from __future__ import annotations

from auditor.checks.timeliness import (
    PostingParams,
    VolumeParams,
    news_volume,
    posted_records,
    posting_deadlines,
)
from tests.factories import art, judged, page

HOME = "https://soctrang.gov.vn/"
LIST = "https://soctrang.gov.vn/van-ban/"
P = PostingParams(section="legal_documents", max_working_days=7)


def _home() -> str:
    return (
        "<html lang='vi'><body><nav><a href='/van-ban/'>Văn bản quy phạm pháp luật</a>"
        "<a href='/tin-tuc/'>Tin tức</a></nav><main><h1>Trang chủ</h1></main></body></html>"
    )


def _listing(rows: list[tuple[str, str, str]], posted_label: str = "Ngày đăng") -> str:
    body = "".join(
        f"<tr><td>{n}</td><td><a href='/van-ban/{i}.html'>Quyết định {n}</a></td>"
        f"<td>{issued}</td><td>{posted}</td></tr>"
        for i, (n, issued, posted) in enumerate(rows)
    )
    return (
        "<html><body><main><h1>Văn bản</h1><table><tr><th>Số ký hiệu</th><th>Trích yếu</th>"
        f"<th>Ngày ban hành</th><th>{posted_label}</th></tr>{body}</table></main></body></html>"
    )


def test_rows_posted_in_time_pass() -> None:
    listing = page(LIST, _listing([("12/2026/QĐ-UBND", "02/11/2026", "10/11/2026")]))
    out = posting_deadlines(art(page(HOME, _home()), listing), P)
    assert out.status == "pass"
    assert out.evidence[0].url == LIST
    assert out.evidence[0].found == "1"


def test_late_row_fails_with_its_delay() -> None:
    rows = [
        ("12/2026/QĐ-UBND", "02/11/2026", "04/11/2026"),
        ("13/2026/QĐ-UBND", "02/10/2026", "20/11/2026"),
    ]
    listing = page(LIST, _listing(rows, "NGAY CAP NHAT"))
    out = posting_deadlines(art(page(HOME, _home()), listing), P)
    assert out.status == "fail"
    assert "1/2 " in out.evidence[0].detail.vi
    late = out.evidence[1]
    assert late.found == "35"
    assert late.expected == "<= 7"
    assert late.snippet == "Quyết định 13/2026/QĐ-UBND"
    assert "02/10/2026" in late.detail.en and "20/11/2026" in late.detail.en


def test_calendar_days() -> None:
    listing = page(LIST, _listing([("1/QĐ", "01/11/2026", "20/11/2026")]))
    params = PostingParams(section="legal_documents", max_working_days=15, calendar_days=True)
    out = posting_deadlines(art(page(HOME, _home()), listing), params)
    assert out.status == "fail"
    assert out.evidence[1].found == "19"


def test_no_posting_date_is_left_to_a_person() -> None:
    listing = page(LIST, _listing([("1/QĐ", "01/11/2026", "")], "Cơ quan ban hành"))
    out = posting_deadlines(art(page(HOME, _home()), listing), P)
    assert out.status == "manual"
    assert "posting date" in out.evidence[0].detail.en
    assert posted_records(listing) == []


def test_no_home_is_error() -> None:
    out = judged(posting_deadlines, art(), P)
    assert out.status == "error"
    assert "Could not be judged: the home page was not fetched" in out.evidence[0].detail.en


def _news(dates: list[str]) -> str:
    items = "".join(
        f"<li><a href='/tin-tuc/{i}.html'>Tin {i}</a> {d}</li>" for i, d in enumerate(dates)
    )
    return (
        "<html lang='vi'><body><nav><a href='/tin-tuc/'>Tin tức</a></nav>"
        f"<main><h1>Trang chủ</h1><ul>{items}</ul></main></body></html>"
    )


def test_two_items_each_working_day_pass() -> None:
    days = ["19/11/2026", "18/11/2026", "17/11/2026", "16/11/2026", "13/11/2026"]
    home = page(HOME, _news([d for d in days for _ in range(2)]))
    out = news_volume(art(home), VolumeParams())
    assert out.status == "pass"
    assert out.evidence[0].found == "19/11: 2, 18/11: 2, 17/11: 2, 16/11: 2, 13/11: 2"


def test_thin_day_fails_with_counts() -> None:
    days = ["19/11/2026", "19/11/2026", "18/11/2026", "17/11/2026", "17/11/2026"]
    out = news_volume(art(page(HOME, _news(days))), VolumeParams())
    assert out.status == "fail"
    assert out.evidence[0].found == "19/11: 2, 18/11: 1, 17/11: 2, 16/11: 0, 13/11: 0"
    assert "3 days under 2" in out.evidence[0].detail.en


def test_no_dated_news_is_error() -> None:
    out = news_volume(art(page(HOME, _news([]))), VolumeParams())
    assert out.status == "error"
    assert "No dated news item" in out.evidence[0].detail.en


def test_issuing_authority_column_is_not_an_issue_date() -> None:
    html = (
        "<html><body><main><table><tr><th>Cơ quan ban hành</th><th>Ngày đăng</th></tr>"
        "<tr><td>UBND tỉnh 01/10/2026</td><td>20/11/2026</td></tr></table></main></body></html>"
    )
    listing = page(LIST, html)
    assert posted_records(listing) == []
    out = posting_deadlines(art(page(HOME, _home()), listing), P)
    assert out.status == "manual"
