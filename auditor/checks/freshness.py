"""Timeliness of news (Sóc Trăng Đ17 k1 a; Lâm Đồng Đ11 k1)."""

from __future__ import annotations

from datetime import date
from typing import Any

from auditor.artifacts import Artifacts
from auditor.checks.registry import Params, check
from auditor.locate.news import news_pages, page_news_dates, read_news_dates
from auditor.models import Evidence, Outcome, t
from auditor.page import Page
from auditor.text.workdays import CalendarRangeError, working_days_between

# At most this many weekdays a year are public holidays (Tết, compensatory days included):
# a conservative bound when the holiday table does not cover a year.
_MAX_WEEKDAY_HOLIDAYS_PER_YEAR = 16


class FreshnessParams(Params):
    """How recent the newest dated news item must be, in working days before the audit date."""

    max_working_days: int = 10
    section: str = "news"


def dated_items(pages: list[Page], as_of: date) -> list[tuple[date, str]]:
    """Dates shown on ``pages`` (not after ``as_of``), newest first, with the page URL."""
    seen: set[tuple[date, str]] = set()
    for page in pages:
        for d in page_news_dates(page):
            if d <= as_of:
                seen.add((d, page.url))
    return sorted(seen, reverse=True)


def _weekdays_between(start: date, end: date) -> int:
    """Mondays–Fridays after ``start`` up to and including ``end``."""

    def upto(d: date) -> int:
        weeks, rest = divmod(d.toordinal(), 7)  # ordinal 1 (0001-01-01) is a Monday
        return weeks * 5 + min(rest, 5)

    return max(0, upto(end) - upto(start))


def min_working_days(start: date, end: date) -> int:
    """A lower bound of the working days between two dates, valid for any year: weekdays
    less the most public holidays the years spanned can hold."""
    years = end.year - start.year + 1
    return _weekdays_between(start, end) - years * _MAX_WEEKDAY_HOLIDAYS_PER_YEAR


def _outcome(newest: date, url: str, age: str, ok: bool, p: FreshnessParams) -> Outcome:
    return Outcome(
        status="pass" if ok else "fail",
        evidence=(
            Evidence(
                url=url,
                detail=t(
                    f"Tin mới nhất ngày {newest:%d/%m/%Y}, cách ngày kiểm tra {age} ngày làm việc.",
                    f"Newest item dated {newest:%d/%m/%Y}, "
                    f"{age} working days before the audit date.",
                ),
                expected=f"<= {p.max_working_days}",
                found=f"{newest:%d/%m/%Y}: {age}",
            ),
        ),
    )


def no_dated_items(pages: list[Page]) -> Outcome:
    """``error``: the news pages show no dated item, so timeliness cannot be judged."""
    return Outcome(
        status="error",
        evidence=(
            Evidence(
                url=pages[-1].url,
                detail=t(
                    f"Không tìm thấy tin nào có ngày đăng để đánh giá (đã xem {len(pages)} trang).",
                    f"No dated news item found to judge timeliness ({len(pages)} pages examined).",
                ),
            ),
        ),
    )


def read_news(art: Artifacts, page: Page, p: Any) -> None:
    """What the news checks read of each page (:func:`read_news_dates` of ``p.section``, the
    news section their params name)."""
    read_news_dates(art, page, p.section)


@check("news_fresh", params=FreshnessParams, absence=True, requires=("home",), reads=(read_news,))
def news_fresh(art: Artifacts, p: FreshnessParams) -> Outcome:
    """The newest dated news item is at most ``max_working_days`` working days old."""
    pages = news_pages(art, p.section)
    items = dated_items(pages, art.as_of)
    if not items:
        return no_dated_items(pages)
    newest, url = items[0]
    try:
        age = working_days_between(newest, art.as_of)
    except CalendarRangeError as exc:
        bound = min_working_days(newest, art.as_of)
        if bound > p.max_working_days:
            return _outcome(newest, url, f">= {bound}", False, p)
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=url,
                    detail=t(
                        f"Tin mới nhất ngày {newest:%d/%m/%Y}: không có lịch ngày nghỉ cho "
                        "khoảng thời gian này để đếm ngày làm việc.",
                        f"Newest item dated {newest:%d/%m/%Y}: no holiday calendar for this "
                        "period to count working days.",
                    ),
                    expected=f"<= {p.max_working_days}",
                    found=f"{newest:%d/%m/%Y}",
                    snippet=str(exc),
                ),
            ),
        )
    return _outcome(newest, url, str(age), age <= p.max_working_days, p)
