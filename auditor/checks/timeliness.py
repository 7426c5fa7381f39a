"""Posting deadlines and news volume (Lâm Đồng Đ9 k2–k6, Đ11 k1; Tuyên Quang Đ7 k2–k6;
Sóc Trăng Đ17 k1 b–g)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from pydantic import field_validator
from selectolax.lexbor import LexborNode

from auditor.artifacts import Artifacts
from auditor.checks.freshness import dated_items, no_dated_items, read_news
from auditor.checks.registry import Params, check
from auditor.locate.documents import LISTING_CANDIDATES, content_tree, listing_candidates
from auditor.locate.news import news_pages, page_news_dates
from auditor.models import Evidence, Outcome, t
from auditor.page import Page, collapse, read_once
from auditor.sections import load_catalogue
from auditor.text.dates import find_dates
from auditor.text.fold import fold_words
from auditor.text.workdays import CalendarRangeError, add_working_days, working_days_between

# Column labels, folded (no diacritics, lower case).
_ISSUE_LABELS = ("ngay ban hanh", "ngay ky", "ngay van ban")
_POSTED_LABELS = (
    "ngay dang",
    "ngay cap nhat",
    "ngay dua tin",
    "ngay dang tai",
    "ngay cong bo",
    "ngay dang tin",
    "ngay xuat ban",
)
_MAX_LISTED = 10


class PostingParams(Params):
    """The longest allowed gap between a record's issue date and its posting date."""

    section: str = "legal_documents"
    max_working_days: int = 5
    calendar_days: bool = False  # count calendar days instead ("15 ngày")

    @field_validator("section")
    @classmethod
    def _section(cls, value: str) -> str:
        if value not in load_catalogue().sections:
            raise ValueError(f"unknown section {value!r}")
        return value


@dataclass(frozen=True)
class PostedRecord:
    """One listing row that shows both dates."""

    page_url: str
    title: str
    issued: date
    posted: date


def _column(labels: list[str], names: tuple[str, ...], skip: int = -1) -> int:
    for name in names:
        for i, label in enumerate(labels):
            if i != skip and f" {name} " in f" {label} ":
                return i
    return -1


def _row_title(cells: list[LexborNode]) -> str:
    for cell in cells:
        link = cell.css_first("a")
        if link is not None and collapse(link.text(separator=" ")):
            return collapse(link.text(separator=" "))[:120]
    longest = max((collapse(c.text(separator=" ")) for c in cells), key=len, default="")
    return longest[:120]


@read_once
def posted_records(page: Page) -> list[PostedRecord]:
    """Rows of the tables of ``page`` whose header labels an issue date and a posting date,
    with both dates readable."""
    out: list[PostedRecord] = []
    for table in content_tree(page).css("table"):
        rows = table.css("tr")
        if not rows:
            continue
        head = rows[0].css("th, td")
        labels = [fold_words(c.text(separator=" ")) for c in head]
        issue = _column(labels, _ISSUE_LABELS)
        posted = _column(labels, _POSTED_LABELS, skip=issue)
        if issue < 0 or posted < 0:
            continue
        for row in rows[1:]:
            cells = row.css("td, th")
            if len(cells) != len(head):
                continue
            issued = find_dates(cells[issue].text(separator=" "))
            shown = find_dates(cells[posted].text(separator=" "))
            if issued and shown:
                out.append(PostedRecord(page.url, _row_title(cells), issued[0], shown[0]))
    return out


def _read_listing(art: Artifacts, page: Page, p: PostingParams) -> None:
    """What :func:`posting_deadlines` reads of the section's listing pages."""
    listings = art.remember(
        ("posting listings", p.section),
        lambda: frozenset(id(pg) for pg in _listing_pages(art, p.section)),
    )
    if id(page) in listings:
        posted_records(page)


def _listing_pages(art: Artifacts, section_id: str) -> list[Page]:
    pages: list[Page] = []
    for link in listing_candidates(art, section_id)[:LISTING_CANDIDATES]:
        page = art.page(link.url) if art.in_scope(link.url) else None
        if page is not None and page not in pages:
            pages.append(page)
    return pages


def _delay(rec: PostedRecord, p: PostingParams) -> int:
    if p.calendar_days:
        return max(0, (rec.posted - rec.issued).days)
    return working_days_between(rec.issued, rec.posted)


@check("posting_deadlines", params=PostingParams, requires=("home",), reads=(_read_listing,))
def posting_deadlines(art: Artifacts, p: PostingParams) -> Outcome:
    """Where the section's listing shows both the issue date and the posting date of its
    records, no record was posted later than ``max_working_days`` after its issue."""
    home = art.home_page
    unit_vi, unit_en = ("ngày", "days") if p.calendar_days else ("ngày làm việc", "working days")
    pages = _listing_pages(art, p.section)
    records = [rec for page in pages for rec in posted_records(page)]
    name = load_catalogue().sections[p.section].name  # the reader's words, not the key
    if not records:  # the deadline still binds; only a person can check it
        return Outcome(
            status="manual",
            evidence=(
                Evidence(
                    url=pages[0].url if pages else home.url,
                    detail=t(
                        f"Không có danh sách nào của mục «{name.vi}» ghi cả ngày ban hành và "
                        f"ngày đăng (đã xem {len(pages)} trang): cần kiểm tra thủ công thời hạn.",
                        f"No listing of the «{name.en}» section shows both the issue and the "
                        f"posting date ({len(pages)} pages examined): the deadline is to be "
                        "checked by hand.",
                    ),
                ),
            ),
        )
    late: list[tuple[PostedRecord, int]] = []
    unknown: list[PostedRecord] = []
    for rec in records:
        try:
            delay = _delay(rec, p)
        except CalendarRangeError:
            unknown.append(rec)
            continue
        if delay > p.max_working_days:
            late.append((rec, delay))
    judged = len(records) - len(unknown)
    if late:
        summary = Evidence(
            url=late[0][0].page_url,
            detail=t(
                f"{len(late)}/{judged} mục đăng quá {p.max_working_days} {unit_vi} "
                "sau ngày ban hành.",
                f"{len(late)}/{judged} items posted more than {p.max_working_days} "
                f"{unit_en} after issue.",
            ),
            expected=f"<= {p.max_working_days}",
            found=str(max(d for _, d in late)),
        )
        items = tuple(
            Evidence(
                url=rec.page_url,
                detail=t(
                    f"«{rec.title}»: ban hành {rec.issued:%d/%m/%Y}, đăng {rec.posted:%d/%m/%Y}, "
                    f"chậm {delay} {unit_vi}.",
                    f"«{rec.title}»: issued {rec.issued:%d/%m/%Y}, posted "
                    f"{rec.posted:%d/%m/%Y}, {delay} {unit_en} later.",
                ),
                expected=f"<= {p.max_working_days}",
                found=str(delay),
                snippet=rec.title,
            )
            for rec, delay in late[:_MAX_LISTED]
        )
        return Outcome(status="fail", evidence=(summary, *items))
    if not judged:
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=records[0].page_url,
                    detail=t(
                        "Không có lịch ngày nghỉ cho các năm của danh sách để đếm ngày làm việc.",
                        "No holiday calendar for the listing's years to count working days.",
                    ),
                    found=f"{records[0].issued:%d/%m/%Y}",
                ),
            ),
        )
    return Outcome(
        status="pass",
        evidence=(
            Evidence(
                url=records[0].page_url,
                detail=t(
                    f"{judged} mục đều đăng trong {p.max_working_days} {unit_vi} "
                    "sau ngày ban hành.",
                    f"All {judged} items posted within {p.max_working_days} {unit_en} of issue.",
                ),
                expected=f"<= {p.max_working_days}",
                found=str(judged),
            ),
        ),
    )


class VolumeParams(Params):
    """How many dated news items each of the last working days must carry."""

    min_per_day: int = 2
    working_days: int = 5
    section: str = "news"


def daily_counts(pages: list[Page], as_of: date) -> Counter[date]:
    """News items per date: for each date, the most items any one listing shows for it, or
    the number of article pages dated that day when more (an item shown on both the home
    page and the news listing counts once)."""
    shown: Counter[date] = Counter()
    articles: Counter[date] = Counter()
    for page in pages:
        dates = [d for d in page_news_dates(page) if d <= as_of]
        if page.is_article:
            articles.update(set(dates[:1]))
            continue
        for d, n in Counter(dates).items():
            shown[d] = max(shown[d], n)
    return Counter({d: max(shown[d], articles[d]) for d in shown.keys() | articles.keys()})


@check("news_volume", params=VolumeParams, absence=True, requires=("home",), reads=(read_news,))
def news_volume(art: Artifacts, p: VolumeParams) -> Outcome:
    """At least ``min_per_day`` dated news items on each of the ``working_days`` working days
    before the audit date (the audit date itself excluded: it may not be over)."""
    pages = news_pages(art, p.section)
    items = dated_items(pages, art.as_of)
    if not items:
        return no_dated_items(pages)
    try:
        days = [add_working_days(art.as_of, -n) for n in range(1, p.working_days + 1)]
    except CalendarRangeError as exc:
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=pages[0].url,
                    detail=t(
                        "Không có lịch ngày nghỉ để xác định các ngày làm việc "
                        "trước ngày kiểm tra.",
                        "No holiday calendar to tell the working days before the audit date.",
                    ),
                    snippet=str(exc),
                ),
            ),
        )
    counts = daily_counts(pages, art.as_of)
    per_day = ", ".join(f"{d:%d/%m}: {counts[d]}" for d in days)
    short = [d for d in days if counts[d] < p.min_per_day]
    ok = not short
    return Outcome(
        status="pass" if ok else "fail",
        evidence=(
            Evidence(
                url=pages[0].url,
                detail=t(
                    f"Số tin theo ngày làm việc ({len(days)} ngày gần nhất): {per_day}"
                    + ("." if ok else f"; {len(short)} ngày dưới {p.min_per_day} tin."),
                    f"News items per working day (last {len(days)}): {per_day}"
                    + ("." if ok else f"; {len(short)} days under {p.min_per_day}."),
                ),
                expected=f">= {p.min_per_day}/ngày",
                found=per_day,
            ),
        ),
    )
