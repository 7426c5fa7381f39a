"""The crawler's client keeps the cookies a portal sets and sends them back, as httpx does,
while answers that set none leave the cookie jar alone."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from auditor.crawl.client import CrawlClient
from auditor.crawl.fetcher import Fetcher
from tests.test_crawl_support import Reply, Routes, Sites, html, make_pki, serve

ST = "soctrang.gov.vn"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    routes = {
        f"{ST}/robots.txt": Reply(body=b"User-agent: *\nAllow: /\n", content_type="text/plain"),
        f"{ST}/dang-nhap": Reply(
            body=b"<p>ok</p>",
            headers=(
                ("Set-Cookie", "ASP.NET_SessionId=abc123; Path=/; HttpOnly"),
                ("Set-Cookie", "lang=vi; Path=/tin-tuc"),
                ("Set-Cookie", "other=x; Domain=example.com; Path=/"),  # not this site's
            ),
        ),
        f"{ST}/tin-tuc/a": html("<p>tin</p>"),
        f"{ST}/gioi-thieu": html("<p>gt</p>"),
    }
    pki = make_pki(tmp_path_factory.mktemp("pki"), [ST])
    with serve(Routes(routes), pki) as running:
        yield running


def test_cookies_set_by_a_portal_are_sent_back_where_they_apply(sites: Sites) -> None:
    async def go() -> tuple[int, int]:
        async with Fetcher(sites.settings()) as fetcher:
            await fetcher.fetch(f"https://{ST}/gioi-thieu")
            before = len(fetcher.client.cookies.jar)  # an answer without Set-Cookie
            await fetcher.fetch(f"https://{ST}/dang-nhap")
            await fetcher.fetch(f"https://{ST}/tin-tuc/a")
            await fetcher.fetch(f"https://{ST}/gioi-thieu")
            return before, len(fetcher.client.cookies.jar)

    start = len(sites.routes.seen)
    before, after = asyncio.run(go())
    assert (before, after) == (0, 2)  # the other domain's cookie is refused
    sent = {s.path: s.headers.get("Cookie") for s in sites.routes.seen[start:]}
    assert sent["/tin-tuc/a"] == "lang=vi; ASP.NET_SessionId=abc123"
    assert sent["/gioi-thieu"] == "ASP.NET_SessionId=abc123"  # not lang=vi: another path


def test_the_client_cookies_can_be_set_as_on_httpx() -> None:
    client = CrawlClient(cookies={"a": "1"})
    assert dict(client.cookies) == {"a": "1"}
    client.cookies = {"b": "2"}
    assert dict(client.cookies) == {"b": "2"}
    assert isinstance(client.cookies, httpx.Cookies)
