"""A capture's pages in canonical order: the same site served with other response timings gives
the same page order, the same failures list and the same evidence."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from typing import Any

from auditor.capture.model import SiteCapture
from auditor.capture.order import canonical_pages, natural_key
from auditor.crawl.crawler import SiteCrawl, crawl_site
from auditor.crawl.fetcher import Fetcher
from auditor.gather.build import gather
from auditor.judge import JudgeTask, judge
from auditor.models import Agency, PageSnapshot
from auditor.paths import rules_dir
from auditor.rules.loader import load_pack
from tests.test_crawl_support import Reply, Routes, serve

ST = "soctrang.gov.vn"
AS_OF = date(2026, 11, 20)
ARTICLES = 12
BROKEN = ("/hong-3", "/hong-10", "/hong-1")


def _snap(url: str, status: int = 200, depth: int = 1) -> PageSnapshot:
    return PageSnapshot(url=url, final_url=url, status=status, depth=depth)


def test_numbers_in_urls_sort_as_numbers() -> None:
    names = ["bai-10.html", "bai-2.html", "bai-1.html", "bai-02.html"]
    assert sorted(names, key=natural_key) == [
        "bai-1.html",
        "bai-02.html",
        "bai-2.html",
        "bai-10.html",
    ]


def test_home_stays_first_and_the_rest_go_by_url_not_depth() -> None:
    home = _snap(f"https://{ST}/", depth=0)
    given = [
        home,
        _snap(f"https://{ST}/tin-tuc/bai-10.html", depth=1),
        _snap(f"https://www.{ST}/tin-tuc/", depth=2),  # www. is ignored for the order
        _snap(f"https://{ST}/tin-tuc/bai-2.html", depth=1),
        _snap(f"https://{ST}/gioi-thieu/", depth=3),
    ]
    assert [s.url for s in canonical_pages(given)] == [
        f"https://{ST}/",
        f"https://{ST}/gioi-thieu/",
        f"https://www.{ST}/tin-tuc/",
        f"https://{ST}/tin-tuc/bai-2.html",
        f"https://{ST}/tin-tuc/bai-10.html",
    ]


def test_a_capture_keeps_pages_and_failures_in_canonical_order() -> None:
    home = _snap(f"https://{ST}/", depth=0)
    b2, b10 = _snap(f"https://{ST}/bai-2"), _snap(f"https://{ST}/bai-10")
    gone = [_snap(f"https://{ST}/x-{n}", status=404) for n in (9, 11, 1)]
    capture = SiteCapture(
        agency=Agency(name="UBND", level="province", domain=ST),
        start_url=home.url,
        captured_at=datetime(2026, 11, 20, tzinfo=UTC),
        tool_version="test",
        settings_digest="",
        pages=(home, b10, b2),
        failed=tuple(gone),
    )
    assert capture.pages == (home, b2, b10)
    assert [s.url for s in capture.failed] == [f"https://{ST}/x-{n}" for n in (1, 9, 11)]
    again = SiteCapture.model_validate_json(capture.model_dump_json())
    assert again.pages == capture.pages and again.failed == capture.failed


def _page(title: str, body: str, *, lang: bool = True) -> str:
    head = (
        "<meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
        f"<title>{title}</title>"
    )
    return (
        f"<!doctype html><html{' lang=vi' if lang else ''}><head>{head}</head><body>"
        f"<header><a href='/'>Trang chủ</a></header><main><h1>{title}</h1>{body}"
        "</main></body></html>"
    )


def _routes(delay: Any) -> Routes:
    """A portal whose news section links twelve articles and three dead links; ``delay(i)``
    is how long the i-th of those pages takes to answer."""
    articles = [f"/tin-tuc/bai-{n}.html" for n in range(1, ARTICLES + 1)]
    listing = "".join(
        f"<li><a href='{u}'>Bài số {u[12:-5]} về địa phương</a></li>" for u in articles
    )
    replies: dict[str, Any] = {
        f"{ST}/": Reply(
            body=_page(
                "Cổng thông tin điện tử tỉnh Sóc Trăng",
                "<a href='/tin-tuc/'>Tin tức</a> <a href='/gioi-thieu/'>Giới thiệu</a> "
                + " ".join(f"<a href='{u}'>hỏng</a>" for u in BROKEN),
            ).encode()
        ),
        f"{ST}/tin-tuc/": Reply(body=_page("Tin tức", f"<ul>{listing}</ul>").encode()),
        f"{ST}/gioi-thieu/": Reply(body=_page("Giới thiệu", "<p>Giới thiệu.</p>").encode()),
    }
    for i, url in enumerate(articles):
        # every third article (bai-2, -5, -8, -11) lacks its language: examples to cite
        plain = i % 3 == 1
        body = _page(f"Bài {i + 1}", "<p>Nội dung bài viết.</p>", lang=not plain)
        replies[f"{ST}{url}"] = Reply(body=body.encode(), delay_s=delay(i))
    for i, url in enumerate(BROKEN):
        replies[f"{ST}{url}"] = Reply(
            status=404, body=b"gone", delay_s=delay(i), content_type="text/html"
        )
    return Routes(replies)


def _capture(delay: Any) -> tuple[SiteCrawl, SiteCapture]:
    agency = Agency(name="UBND tỉnh Sóc Trăng", level="province", domain=ST)
    with serve(_routes(delay)) as sites:
        settings = sites.settings(per_host=4, concurrency=8)

        async def go() -> tuple[SiteCrawl, SiteCapture]:
            async with Fetcher(settings) as fetcher:
                crawl = await crawl_site(fetcher, agency, settings)
                return crawl, await gather(fetcher, crawl, agency, frozenset())

        return asyncio.run(go())


def _evidence(capture: SiteCapture) -> list[tuple[str, str, str]]:
    pack = load_pack("soctrang-2019", rules_dir())
    report = judge(JudgeTask(capture, pack, AS_OF))
    return [
        (f.rule_id, f.status, json.dumps(f.model_dump(mode="json")["evidence"], ensure_ascii=False))
        for f in report.findings
    ]


def test_other_response_timings_give_the_same_pages_and_evidence() -> None:
    # the first pages answer slowest in one run and fastest in the other
    slow_first_crawl, slow_first = _capture(lambda i: 0.02 * (ARTICLES - i))
    fast_first_crawl, fast_first = _capture(lambda i: 0.02 * i)

    def urls(snaps: tuple[PageSnapshot, ...]) -> list[str]:
        return [s.url for s in snaps]

    # the crawl got its pages in different orders: there was something to put in order
    assert urls(slow_first_crawl.pages) != urls(fast_first_crawl.pages)
    assert set(urls(slow_first_crawl.pages)) == set(urls(fast_first_crawl.pages))
    assert urls(slow_first.pages) == urls(fast_first.pages)
    assert urls(slow_first.pages)[:4] == [
        f"http://{ST}/",
        f"http://{ST}/gioi-thieu/",
        f"http://{ST}/tin-tuc/",
        f"http://{ST}/tin-tuc/bai-1.html",
    ]
    assert urls(slow_first.pages)[-1] == f"http://{ST}/tin-tuc/bai-12.html"
    assert urls(slow_first.failed) == urls(fast_first.failed)
    assert urls(slow_first.failed) == [
        f"http://{ST}{p}" for p in ("/hong-1", "/hong-3", "/hong-10")
    ]

    found = _evidence(slow_first)
    assert found == _evidence(fast_first)
    # the pages at fault are cited in URL order, numbers as numbers: bai-11 after bai-8
    by_rule = {rule: (status, json.loads(evidence)) for rule, status, evidence in found}
    status, evidence = by_rule["st.d8.html-lang"]
    assert status == "fail"
    cited = [e["url"] for e in evidence if e.get("url")]
    assert cited == [f"http://{ST}/tin-tuc/bai-{n}.html" for n in (2, 5, 8, 11)]
