"""Dates in Vietnamese portal text and markup (auditor.text.dates)."""

from __future__ import annotations

import time
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from auditor.text.dates import find_dates, page_dates, parse_iso_date
from tests.factories import page

SITES = Path(__file__).resolve().parent.parent / "auditor" / "data" / "fixtures" / "sites"
D = date(2026, 11, 22)


@pytest.mark.parametrize(
    "text",
    [
        "22/11/2026",
        "22-11-2026",
        "22.11.2026",
        "2026-11-22",
        "2026-11-22T08:30:00+07:00",
        "Thứ Hai, 22/11/2026 08:30",
        "ngày 22 tháng 11 năm 2026",
        "Ngày 22 Tháng 11 Năm 2026",
        "NGÀY 22 THÁNG 11 NĂM 2026",
        "ngày 22, tháng 11, năm 2026",
        "ngày 22/11/2026",
        "22/11/2026 - 08:30",
        "22/11/2026-08:30",
        "Cập nhật lúc: 22/11/2026.",
        "(22/11/2026)",
        "Thứ Hai, 22 tháng 11 năm 2026",
        "Chủ nhật, 22 tháng 11 năm 2026",
        "ngay 22 thang 11 nam 2026",
        unicodedata.normalize("NFD", "Ngày 22 tháng 11 năm 2026"),
        unicodedata.normalize("NFD", "NGÀY 22 THÁNG 11 NĂM 2026"),
        "ngày\u00a022\u00a0tháng\u00a011\u00a0năm\u00a02026",
    ],
)
def test_forms_portals_use(text: str) -> None:
    assert find_dates(text) == [D]


def test_one_digit_day_and_month() -> None:
    assert find_dates("Ngày 5 tháng 3 năm 2026") == [date(2026, 3, 5)]
    assert find_dates("5/3/2026 và 05.03.2026") == [date(2026, 3, 5)] * 2


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2026",
        "ngày 30 tháng 2 năm 2026",
        "2026-13-01",
        "1/13/2026",
        "Điện thoại: (0299) 3822 345 – Fax: (0299) 3822 455",
        "0299.3822.345",
        "Quyết định số 24/2026/QĐ-UBND",
        "Nghị quyết 12/11/2026/NQ-HĐND",  # not a date form: a numbering
        "phiên bản 1.2.2026.3",
        "v2.10.2024",
        "Ngày Nhà giáo Việt Nam 20/11",
        "từ ngày 25 tháng 11 đến ngày 15 tháng 12",
        "hoàn thành 18/18 chỉ tiêu, tăng 6,8%, hơn 14.000 cán bộ",
        "/tin-tuc/2026-11-19-uy-ban.html",
        "01/01/0001",
        "ngày 22 tháng 11 năm 20266",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_order_of_appearance_and_repeats() -> None:
    text = (
        "Ban hành ngày 5 tháng 3 năm 2026, hiệu lực 2026-04-01; "
        "đăng 19/11/2026, sửa 01.02.2025, đăng lại 19/11/2026"
    )
    assert find_dates(text) == [
        date(2026, 3, 5),
        date(2026, 4, 1),
        date(2026, 11, 19),
        date(2025, 2, 1),
        date(2026, 11, 19),
    ]


def test_demo_news_listing() -> None:
    html = (SITES / "soctrang.gov.vn" / "tin-tuc" / "index.html").read_text(encoding="utf-8")
    shown = find_dates(page("https://soctrang.gov.vn/tin-tuc/", html).main_text)
    assert len(shown) == 12  # one per item; "20/11" (no year) in a title is not a date
    assert shown[0] == date(2026, 11, 19) and shown[-1] == date(2026, 11, 5)


def test_demo_stale_ward_listing() -> None:
    html = (SITES / "phuong2.thanhpho.soctrang.gov.vn" / "tin-tuc" / "index.html").read_text(
        encoding="utf-8"
    )
    shown = find_dates(page("https://phuong2.thanhpho.soctrang.gov.vn/tin-tuc/", html).main_text)
    assert max(shown) == date(2025, 2, 14)


def test_page_dates_structured_sources_in_document_order() -> None:
    tree = LexborHTMLParser(
        "<html><head>"
        '<meta name="dc.Date" content="2026-11-19">'
        '<meta property="article:published_time" content="2026-11-18T23:30:00-05:00">'
        '<meta name="description" content="22/11/2026">'
        "</head><body>"
        '<span itemprop="datePublished" content="2026-01-02">2/1</span>'
        '<time datetime="2026-11-17T08:00">17/11</time>'
        "<time>12/12/2026</time>"
        '<div itemprop="datePublished">Ngày 3 tháng 4 năm 2026</div>'
        '<time datetime="not a date">x</time>'
        "</body></html>"
    )
    assert page_dates(tree) == [
        date(2026, 11, 19),
        date(2026, 11, 18),  # calendar date as written: the time zone is ignored
        date(2026, 1, 2),
        date(2026, 11, 17),
        date(2026, 4, 3),
    ]


def test_page_dates_on_demo_page() -> None:
    html = (SITES / "soctrang.gov.vn" / "tin-tuc" / "index.html").read_text(encoding="utf-8")
    got = page_dates(page("https://soctrang.gov.vn/tin-tuc/", html).tree)
    assert got[0] == date(2026, 11, 19)  # DC.date
    assert len(got) == 13 and got[-1] == date(2026, 11, 5)


def test_parse_iso_date() -> None:
    assert parse_iso_date("2026-11-19T08:30:00+07:00") == date(2026, 11, 19)
    assert parse_iso_date(" 2026-02-30") is None
    assert parse_iso_date("19/11/2026") is None


def test_a_large_page_is_read_without_runaway_matching() -> None:
    # not a speed measurement (bench/ has those): a pattern that backtracks over the whole
    # text would take minutes on 190,000 characters; a linear one takes well under a second
    # even on a loaded machine, so the bound is generous
    block = (
        "Tin ngày 19/11/2026 08:30 – Điện thoại (0299) 3822 345, văn bản 24/2026/QĐ-UBND. "
        "Hơn 14.000 cán bộ, tăng 6,8%. "
    ) * 2000  # ~190 000 characters, no word dates: no folding needed
    worded = block + "Ban hành ngày 5 tháng 3 năm 2026."
    start = time.perf_counter()
    plain = find_dates(block)
    folded = find_dates(worded)
    elapsed = time.perf_counter() - start
    assert len(plain) == 2000 and folded[-1] == date(2026, 3, 5)
    assert elapsed < 10.0, elapsed


def test_month_word_dates_without_ngay_and_with_a_numbered_weekday() -> None:
    assert find_dates("21 tháng 09 năm 2026") == [date(2026, 9, 21)]
    assert find_dates("Thứ 2, 23 tháng 11 năm 2026") == [date(2026, 11, 23)]
    assert find_dates("Cập nhật: Thứ 7, 21 Tháng 11 Năm 2026 08:30") == [date(2026, 11, 21)]
    assert find_dates("Chủ nhật, 22 tháng 11 năm 2026") == [date(2026, 11, 22)]
    # a number glued to other digits or words is not a day of the month
    assert find_dates("Quyết định 123 tháng 11 năm 2026") == []
    assert find_dates("x21 tháng 09 năm 2026") == []


def test_a_date_starts_at_a_boundary_or_right_after_ngay() -> None:
    # the digit-first pattern: "ngày" against the number still dates, a word ending in it not
    assert find_dates("ngày22 tháng 11 năm 2026") == [date(2026, 11, 22)]
    assert find_dates("Thứ Hai,23 tháng 11 năm 2026") == [date(2026, 11, 23)]
    assert find_dates("angày22 tháng 11 năm 2026") == []
    assert find_dates("x22/11/2026 v1.22.11.2026 a2026-11-22") == []
