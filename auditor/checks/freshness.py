"""Timeliness of news (Sóc Trăng Đ17 k1 a; Lâm Đồng Đ11 k1)."""

from __future__ import annotations

from datetime import date

from auditor.checks.registry import Params, check
from auditor.checks.sections import section_links
from auditor.gather.artifacts import Artifacts
from auditor.gather.page import Page
from auditor.models import Evidence, Outcome, t
from auditor.sections import load_catalogue
from auditor.text.dates import find_dates
from auditor.text.workdays import working_days_between


class FreshnessParams(Params):
    """How recent the newest dated news item must be, in working days before the audit date."""

    max_working_days: int = 10
    section: str = "news"


def news_pages(art: Artifacts, section_id: str) -> list[Page]:
    """The home page and the pages of the news section linked from it."""
    home = art.home
    if home is None:
        return []
    section = load_catalogue().sections[section_id]
    pages = [home]
    for link, _why in section_links(home.links, section):
        page = art.page(link.url)
        if page is not None and page not in pages:
            pages.append(page)
    return pages


def dated_items(pages: list[Page], as_of: date) -> list[tuple[date, str]]:
    """Dates shown on ``pages`` (not after ``as_of``), newest first, with the page URL."""
    seen: list[tuple[date, str]] = []
    for page in pages:
        for d in find_dates(page.main_text):
            if d <= as_of:
                seen.append((d, page.url))
    return sorted(set(seen), reverse=True)


@check("news_fresh", params=FreshnessParams)
def news_fresh(art: Artifacts, p: FreshnessParams) -> Outcome:
    """The newest dated news item is at most ``max_working_days`` working days old."""
    pages = news_pages(art, p.section)
    if not pages:
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=art.start_url,
                    detail=t("Không tải được trang chủ.", "The home page could not be fetched."),
                ),
            ),
        )
    items = dated_items(pages, art.as_of)
    if not items:
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=pages[-1].url,
                    detail=t(
                        "Không tìm thấy tin nào có ngày đăng để đánh giá.",
                        "No dated news item found to judge timeliness.",
                    ),
                ),
            ),
        )
    newest, url = items[0]
    age = working_days_between(newest, art.as_of)
    ok = age <= p.max_working_days
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
