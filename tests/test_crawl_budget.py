"""The portal time budget, --ignore-robots and Crawl-delay on the fault server (crawl only)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from auditor.crawl.crawler import SiteCrawl, crawl_site
from auditor.crawl.fetcher import Fetcher
from auditor.models import Agency
from tests.faultserver import FAULTS, Fault, FaultServer, rate_limited, robots


def _crawl(server: FaultServer, host: str, **settings: Any) -> tuple[SiteCrawl, float]:
    crawl_settings = server.settings(**settings)
    agency = Agency(name="Sở", level="department", domain=host)

    async def go() -> SiteCrawl:
        async with Fetcher(crawl_settings) as fetcher:
            return await crawl_site(fetcher, agency, crawl_settings)

    started = time.monotonic()
    result = asyncio.run(go())
    return result, time.monotonic() - started


def test_the_portal_timeout_keeps_what_was_fetched(tmp_path: Path) -> None:
    slow = Fault("slowpages", rate_limited("2"))  # every page's first answer: 429, wait 2 s
    with FaultServer(tmp_path, (slow,)) as server:
        result, seconds = _crawl(
            server, slow.host, portal_timeout_s=6.0, retry_wait_max_s=3.0, max_pages=40
        )
    assert result.timed_out
    assert seconds < 6.0 + 15  # the budget, and the in-flight requests cancelled at its end
    assert result.pages and result.pages[0].final_url == f"https://{slow.host}/"
    assert result.retries > 0


def test_ignore_robots_crawls_and_says_so(tmp_path: Path) -> None:
    deny = FAULTS["robotsdeny"]
    with FaultServer(tmp_path, (deny,)) as server:
        result, _ = _crawl(server, deny.host, respect_robots=False, max_pages=5, max_depth=1)
        asked = {r.path for r in server.asked(deny.host)}
    assert result.robots is not None and result.robots.policy == "ignored"
    assert len(result.pages) >= 3 and len(asked) > 2


def test_crawl_delay_spaces_the_requests(tmp_path: Path) -> None:
    polite = Fault("polite", robots("User-agent: *\nCrawl-delay: 1\n"))
    with FaultServer(tmp_path, (polite,)) as server:
        result, seconds = _crawl(server, polite.host, max_pages=4, max_depth=1)
        https = [r for r in server.asked(polite.host) if r.scheme == "https"]
    assert len(result.pages) == 4
    # robots.txt, probe, home and three pages over HTTPS, one a second after robots.txt
    assert len(https) >= 5 and seconds >= len(https) - 2
