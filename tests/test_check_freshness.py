"""news_fresh: the newest dated news item against the audit date, in working days."""

from __future__ import annotations

from datetime import date

from auditor.checks.freshness import FreshnessParams, min_working_days, news_fresh
from tests.factories import art, page

HOME = "https://soctrang.gov.vn/"
P = FreshnessParams(max_working_days=10)


def _home(items: str, head: str = "") -> str:
    return (
        f"<html lang='vi'><head>{head}</head><body><nav><a href='/tin-tuc/'>Tin tức</a></nav>"
        f"<main><h1>Trang chủ</h1><ul>{items}</ul></main></body></html>"
    )


def _item(d: str, slug: str = "a") -> str:
    return f"<li><a href='/tin-tuc/{slug}.html'>Tin {slug}</a> <time>{d}</time></li>"


def test_fresh_news_passes() -> None:
    home = page(HOME, _home(_item("19/11/2026") + _item("02/11/2026", "b")))
    out = news_fresh(art(home), P)
    assert out.status == "pass"
    assert out.evidence[0].found == "19/11/2026: 1"
    assert out.evidence[0].url == HOME


def test_stale_news_fails_with_newest_date_found() -> None:
    listing = page(
        "https://soctrang.gov.vn/tin-tuc/",
        "<html><body><main><h1>Tin tức</h1><ul>"
        + _item("14/02/2025")
        + _item("03/01/2025", "b")
        + "</ul></main></body></html>",
    )
    home = page(HOME, _home(_item("05/01/2025", "c")))
    out = news_fresh(art(home, listing), P)
    assert out.status == "fail"
    ev = out.evidence[0]
    assert ev.found is not None and ev.found.startswith("14/02/2025")
    assert ev.url == "https://soctrang.gov.vn/tin-tuc/"
    assert ev.expected == "<= 10"


def test_no_dated_item_is_error() -> None:
    home = page(HOME, _home("<li><a href='/tin-tuc/x.html'>Tin không ngày</a></li>"))
    out = news_fresh(art(home), P)
    assert out.status == "error"
    assert "No dated news item" in out.evidence[0].detail.en


def test_dc_date_of_home_page_is_not_a_news_date() -> None:
    head = '<meta name="DC.date" content="2026-11-19">'
    home = page(HOME, _home("<li>Không có tin</li>", head))
    assert news_fresh(art(home), P).status == "error"


def test_structured_date_of_an_article_page_counts() -> None:
    home = page(HOME, _home("<li><a href='/tin-tuc/a.html'>Tin mới của tỉnh hôm nay</a></li>"))
    article = page(
        "https://soctrang.gov.vn/tin-tuc/a.html",
        '<html><head><meta property="article:published_time" content="2026-11-18T08:00:00+07:00">'
        "</head><body><main><article><h1>Tin mới</h1><p>Nội dung.</p></article></main></body></html>",
    )
    out = news_fresh(art(home, article), P)
    assert out.status == "pass"
    assert out.evidence[0].url == "https://soctrang.gov.vn/tin-tuc/a.html"
    assert out.evidence[0].found == "18/11/2026: 2"


def test_news_older_than_the_holiday_table_fails_on_the_calendar_gap() -> None:
    home = page(HOME, _home(_item("14/02/2015")))
    out = news_fresh(art(home), P)
    assert out.status == "fail"
    assert out.evidence[0].found is not None and out.evidence[0].found.startswith("14/02/2015")


def test_outside_the_table_with_a_small_gap_is_error() -> None:
    home = page(HOME, _home(_item("20/12/1900")))  # the calendar starts in 1901
    out = news_fresh(art(home, as_of=date(1901, 1, 3)), P)
    assert out.status == "error"
    assert "holiday calendar" in out.evidence[0].detail.en


def test_min_working_days_is_a_lower_bound() -> None:
    from auditor.text.workdays import working_days_between

    for start, end in (
        (date(2020, 1, 1), date(2026, 11, 20)),
        (date(2026, 1, 1), date(2026, 3, 1)),
    ):
        assert min_working_days(start, end) <= working_days_between(start, end)


def test_a_later_date_inside_an_old_article_does_not_make_it_fresh() -> None:
    home = page(HOME, _home("<li><a href='/tin-tuc/a.html'>Thông báo tuyển sinh năm 2025</a></li>"))
    article = page(
        "https://soctrang.gov.vn/tin-tuc/a.html",
        "<html><body><main><article><h1>Thông báo</h1><p>Ngày đăng: 03/01/2025</p>"
        "<p>Hạn nộp hồ sơ đến ngày 18/11/2026.</p></article></main></body></html>",
    )
    out = news_fresh(art(home, article), P)
    assert out.status == "fail"
    assert out.evidence[0].found is not None and out.evidence[0].found.startswith("03/01/2025")
