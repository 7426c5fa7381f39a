"""crawl_site against loopback portals: home choice, scope, robots, sitemap, caps."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from auditor.capture.spool import BodySpool
from auditor.config import ConnectTo, CrawlSettings
from auditor.crawl.crawler import SiteCrawl, crawl_site
from auditor.crawl.fetcher import Fetcher
from auditor.models import Agency
from auditor.paths import fixtures_dir
from tests.factories import page as html_page
from tests.test_crawl_support import Reply, Routes, Sites, html, make_pki, redirect, serve

ST = "soctrang.gov.vn"


def links(*hrefs: str) -> Reply:
    return html("".join(f"<a href='{h}'>{h}</a> " for h in hrefs))


HOME_LINKS = (
    "/gioi-thieu",
    "/gioi-thieu#lich-su",
    "http://www.soctrang.gov.vn/tin-tuc",
    "https://kesach.soctrang.gov.vn/",
    "https://example.com/",
    "/noi-bo/bao-cao",
    "/van-ban/qd-07.pdf",
    "/anh/logo.PNG",
    "mailto:ubnd@soctrang.gov.vn",
    "tel:02993822222",
    "javascript:void(0)",
    "/cu",
    "/hong",
    "#top",
    "/",
)

ROUTES: dict[str, Any] = {
    f"{ST}/": links(*HOME_LINKS),
    f"{ST}/gioi-thieu": links("/gioi-thieu/lich-su", "/"),
    f"{ST}/gioi-thieu/lich-su": links("/gioi-thieu/lich-su/chi-tiet"),
    f"{ST}/gioi-thieu/lich-su/chi-tiet": links("/sau"),
    f"{ST}/sau": html("depth 4"),
    f"{ST}/cu": redirect("/gioi-thieu"),
    f"{ST}/noi-bo/bao-cao": html("secret"),
    f"{ST}/sitemap-only": html("only in the sitemap"),
    f"{ST}/robots.txt": Reply(
        body=b"User-agent: *\nDisallow: /noi-bo/\nSitemap: https://soctrang.gov.vn/sitemap.xml\n",
        content_type="text/plain",
    ),
    f"{ST}/sitemap.xml": Reply(
        body=b"<urlset><url><loc>https://soctrang.gov.vn/</loc></url>"
        b"<url><loc>https://soctrang.gov.vn/sitemap-only</loc></url>"
        b"<url><loc>https://kesach.soctrang.gov.vn/x</loc></url></urlset>",
        content_type="application/xml",
    ),
    f"www.{ST}/tin-tuc": html("tin tức"),
    "kesach.soctrang.gov.vn/": html("other agency"),
    # a portal that only works over plain HTTP (its HTTPS certificate names other hosts)
    "httponly.gov.vn/": links("/lien-he", "https://httponly.gov.vn/https-link"),
    "httponly.gov.vn/lien-he": html("liên hệ"),
    # a portal whose root sends visitors to its new host
    "old.gov.vn/": redirect("https://new.gov.vn/"),
    "new.gov.vn/": links("/trang-2", "https://old.gov.vn/cu"),
    "new.gov.vn/trang-2": html("2"),
    "old.gov.vn/cu": html("old"),
    # a portal that is down
    "down.gov.vn/": Reply(status=503, body=b"down", content_type="text/plain"),
    # a portal without robots.txt but with /sitemap.xml, as an index
    "index.gov.vn/": html("home"),
    "index.gov.vn/sitemap.xml": Reply(
        body=b"<sitemapindex><sitemap><loc>https://index.gov.vn/sm-1.xml</loc></sitemap>"
        b"<sitemap><loc>https://elsewhere.gov.vn/sm.xml</loc></sitemap></sitemapindex>",
        content_type="application/xml",
    ),
    "index.gov.vn/sm-1.xml": Reply(
        body=b"<urlset><url><loc>https://index.gov.vn/a</loc></url></urlset>",
        content_type="application/xml",
    ),
    "index.gov.vn/a": html("a"),
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    hosts = [ST, f"www.{ST}", "kesach.soctrang.gov.vn", "old.gov.vn", "new.gov.vn"]
    hosts += ["down.gov.vn", "index.gov.vn"]
    pki = make_pki(tmp_path_factory.mktemp("pki"), hosts)
    with serve(Routes(dict(ROUTES)), pki) as running:
        yield running


Requested = list[tuple[str, str, str]]  # (scheme, host, path) the servers saw


def crawl(
    sites: Sites, domain: str = ST, start_url: str | None = None, **changes: Any
) -> tuple[SiteCrawl, Requested]:
    """Crawl ``domain`` sequentially (one request at a time: a deterministic order)."""
    settings = sites.settings(per_host=1, **changes)
    agency = Agency(name="UBND", level="province", domain=domain)

    async def go() -> SiteCrawl:
        async with Fetcher(settings) as fetcher:
            return await crawl_site(fetcher, agency, settings, start_url=start_url)

    before = len(sites.routes.seen)
    result = asyncio.run(go())
    return result, [(s.scheme, s.host, s.path) for s in sites.routes.seen[before:]]


def test_crawl_portal_scope_robots_sitemap(sites: Sites) -> None:
    result, requested = crawl(sites)
    hosts = {host for _, host, _ in requested}
    paths = [path for _, host, path in requested if host == ST]

    # probes of both schemes, recorded
    assert result.https is not None and result.https.ok and result.https.status == 200
    assert result.http is not None and result.http.ok
    assert result.start_url == "https://soctrang.gov.vn/"
    # home first, every HTML page once; /cu redirects to /gioi-thieu which counts once
    urls = [p.final_url for p in result.pages]
    assert urls[0] == "https://soctrang.gov.vn/"
    assert len(urls) == len(set(urls))
    assert set(urls) == {
        "https://soctrang.gov.vn/",
        "https://soctrang.gov.vn/gioi-thieu",
        "http://www.soctrang.gov.vn/tin-tuc",  # www alias and another scheme: in scope
        "https://soctrang.gov.vn/gioi-thieu/lich-su",
        "https://soctrang.gov.vn/gioi-thieu/lich-su/chi-tiet",
        "https://soctrang.gov.vn/sitemap-only",
    }
    assert all(p.is_html for p in result.pages)
    # other hosts never fetched, not even the sitemap's
    assert hosts == {ST, f"www.{ST}"}
    # robots.txt honoured and kept as evidence
    assert "/noi-bo/bao-cao" not in paths
    assert result.robots is not None and result.robots.status == 200
    assert result.robots.url == "https://soctrang.gov.vn/robots.txt"
    assert "Disallow: /noi-bo/" in result.robots.text
    assert result.robots.sitemaps == ("https://soctrang.gov.vn/sitemap.xml",)
    # once per origin (RFC 9309: robots.txt is per scheme, host and port)
    robots = sorted((s, h) for s, h, path in requested if path == "/robots.txt")
    assert robots == [("http", ST), ("http", f"www.{ST}"), ("https", ST)]
    # sitemap recorded, its in-scope URLs used as seeds after the home page's links
    assert result.sitemap_urls == (
        "https://soctrang.gov.vn/",
        "https://soctrang.gov.vn/sitemap-only",
        "https://kesach.soctrang.gov.vn/x",
    )
    assert paths.index("/sitemap-only") > paths.index("/hong")
    assert paths.index("/sitemap-only") < paths.index("/gioi-thieu/lich-su")
    # non-HTML by extension and non-http links skipped; depth 4 beyond the default cap of 3
    assert not any(p.endswith((".pdf", ".PNG")) for p in paths)
    assert "/sau" not in paths
    # the 404 is a failure; the redirect chain of /cu is recorded where it was fetched
    assert [(f.url, f.status) for f in result.failed] == [("https://soctrang.gov.vn/hong", 404)]
    assert paths.count("/gioi-thieu") == 2  # once linked, once as the target of /cu
    assert result.duration_s > 0


def test_redirected_page_counts_once_with_its_chain(sites: Sites) -> None:
    result, _requested = crawl(sites, max_depth=1)
    gioi = [p for p in result.pages if p.final_url.endswith("/gioi-thieu")]
    assert len(gioi) == 1 and gioi[0].url == "https://soctrang.gov.vn/gioi-thieu"
    assert gioi[0].redirects == ()


def test_depth_cap(sites: Sites) -> None:
    result, requested = crawl(sites, max_depth=1)
    depths = {p.final_url: p.depth for p in result.pages}
    assert max(depths.values()) == 1
    assert "https://soctrang.gov.vn/gioi-thieu/lich-su" not in depths
    assert depths["https://soctrang.gov.vn/"] == 0
    assert depths["https://soctrang.gov.vn/sitemap-only"] == 1

    home_only, requested = crawl(sites, max_depth=0)
    assert [p.final_url for p in home_only.pages] == ["https://soctrang.gov.vn/"]
    assert not any(path == "/gioi-thieu" for _, _, path in requested)


def test_page_cap(sites: Sites) -> None:
    result, requested = crawl(sites, max_pages=3)
    page_fetches = [
        path for _, host, path in requested if path not in ("/", "/robots.txt", "/sitemap.xml")
    ]
    assert page_fetches == ["/gioi-thieu", "/tin-tuc"]
    assert len(result.pages) == 3


def test_robots_can_be_ignored(sites: Sites) -> None:
    result, _requested = crawl(sites, respect_robots=False, max_depth=1)
    assert "https://soctrang.gov.vn/noi-bo/bao-cao" in {p.final_url for p in result.pages}
    assert result.robots is not None and "Disallow" in result.robots.text  # still evidence


def test_http_only_portal_is_audited_on_http(sites: Sites) -> None:
    result, _requested = crawl(sites, domain="httponly.gov.vn")
    assert result.https is not None and not result.https.ok
    assert result.https.error_kind == "tls"
    assert result.http is not None and result.http.ok and result.http.status == 200
    assert result.start_url == "http://httponly.gov.vn/"
    assert [p.final_url for p in result.pages] == [
        "http://httponly.gov.vn/",
        "http://httponly.gov.vn/lien-he",
    ]
    # the https:// link to the same host is in scope (and fails over TLS: a failure)
    assert [(f.url, f.status) for f in result.failed] == [("https://httponly.gov.vn/https-link", 0)]
    assert result.robots is not None and result.robots.url == "http://httponly.gov.vn/robots.txt"
    assert result.robots.status == 404


def test_start_url_given_is_the_home_page(sites: Sites) -> None:
    result, _requested = crawl(sites, start_url="https://soctrang.gov.vn/gioi-thieu", max_depth=1)
    assert result.start_url == "https://soctrang.gov.vn/gioi-thieu"
    assert result.pages[0].final_url == "https://soctrang.gov.vn/gioi-thieu"
    assert {p.final_url for p in result.pages} >= {"https://soctrang.gov.vn/"}
    assert result.https is not None and result.https.ok  # probes still recorded


def test_root_redirecting_to_a_new_host_is_reported_not_followed(sites: Sites) -> None:
    result, requested = crawl(sites, domain="old.gov.vn")
    # the redirect is recorded for what it is; the other host is never requested
    assert result.pages == ()
    assert result.off_scope == "https://new.gov.vn/"
    assert result.https is not None and result.https.status == 301
    assert result.https.off_scope == "https://new.gov.vn/"
    assert [f.status for f in result.failed] == [301]
    assert "new.gov.vn" not in {host for _, host, _ in requested}


def test_portal_down_gives_no_pages_and_a_failed_home(sites: Sites) -> None:
    result, _requested = crawl(sites, domain="down.gov.vn")
    assert result.pages == ()
    assert [(f.url, f.status) for f in result.failed] == [("https://down.gov.vn/", 503)]
    assert result.https is not None and result.https.status == 503
    assert result.robots is not None and result.robots.status == 404


def test_sitemap_index_without_robots(sites: Sites) -> None:
    result, requested = crawl(sites, domain="index.gov.vn")
    assert result.robots is not None and result.robots.status == 404 and result.robots.text == ""
    assert result.sitemap_urls == ("https://index.gov.vn/a",)
    assert [p.final_url for p in result.pages] == [
        "https://index.gov.vn/",
        "https://index.gov.vn/a",
    ]
    assert "elsewhere.gov.vn" not in {host for _, host, _ in requested}


def test_unreachable_portal_is_not_fetched_again() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        port = sock.getsockname()[1]
        settings = CrawlSettings(
            connect_to=(ConnectTo(addr="127.0.0.1", addr_port=port),), retries=0, timeout_s=1
        )

        async def go() -> SiteCrawl:
            async with Fetcher(settings) as fetcher:
                agency = Agency(name="X", level="unit", domain="dead.gov.vn")
                return await crawl_site(fetcher, agency, settings)

        result = asyncio.run(go())
    assert result.https is not None and result.https.error_kind == "refused"
    assert result.http is not None and result.http.error == "connect: connection refused"
    assert result.pages == () and result.sitemap_urls == ()
    # robots.txt could not be read: RFC 9309 says crawl nothing, and the report says why
    assert result.robots is not None and result.robots.policy == "disallow"
    assert result.robots.error == "connect: connection refused"
    assert [(f.url, f.status, f.error) for f in result.failed] == [
        ("https://dead.gov.vn/", 0, "connect: connection refused")
    ]


def test_fetcher_outside_async_with_is_a_programming_error() -> None:
    with pytest.raises(RuntimeError, match="outside 'async with'"):
        asyncio.run(Fetcher(CrawlSettings()).fetch("https://soctrang.gov.vn/"))


def test_the_crawl_spools_every_page_after_the_home_page(sites: Sites, tmp_path: Path) -> None:
    settings = sites.settings(per_host=1)
    agency = Agency(name="UBND", level="province", domain=ST)
    spool = BodySpool(tmp_path / "site.body")

    async def go() -> tuple[SiteCrawl, SiteCrawl]:
        async with Fetcher(settings) as fetcher:
            plain = await crawl_site(fetcher, agency, settings)
            return plain, await crawl_site(fetcher, agency, settings, spool=spool)

    plain, spooled = asyncio.run(go())
    assert spooled.spool == str(spool.path)
    home, *rest = spooled.pages
    assert home.spooled is None and home.body  # read next, for the section links
    assert rest and all(p.spooled is not None and p.body == b"" for p in rest)
    assert [p.final_url for p in spooled.pages] == [p.final_url for p in plain.pages]
    bodies = {p.final_url: p.body for p in plain.pages}
    with open(spool.path, "rb") as file:
        for page in rest:
            assert page.spooled is not None
            offset, length = page.spooled
            file.seek(offset)
            assert file.read(length) == bodies[page.final_url]
    spool.remove()


@pytest.mark.parametrize(
    "path", sorted(fixtures_dir().rglob("*.html"))[::7], ids=lambda p: p.parent.name + "/" + p.name
)
def test_the_crawl_follows_the_urls_of_every_link_a_page_has(path: Path) -> None:
    # the crawler reads link URLs without their texts; the checks read whole links
    url = f"https://{ST}/{path.parent.name}/{path.name}"
    html = path.read_text(encoding="utf-8", errors="replace")
    assert html_page(url, html).link_urls() == [link.url for link in html_page(url, html).links]


def test_link_urls_are_made_absolute_against_base_without_fragments() -> None:
    html = (
        "<html><head><base href='https://soctrang.gov.vn/tin/'></head><body>"
        + "".join(f"<a href='{h}'>x</a>" for h in HOME_LINKS)
        + "<a href=' #top '>lên đầu</a><a>no href</a><a href='van-ban#moi'>VB</a></body></html>"
    )
    links = html_page(f"https://{ST}/a/b", html)
    assert links.link_urls()[:3] == [
        "https://soctrang.gov.vn/gioi-thieu",
        "https://soctrang.gov.vn/gioi-thieu",
        "http://www.soctrang.gov.vn/tin-tuc",
    ]
    assert links.link_urls()[-1] == "https://soctrang.gov.vn/tin/van-ban"  # against <base>
    assert not any(u.startswith(("mailto:", "tel:", "javascript:")) for u in links.link_urls())
    assert len(links.link_urls()) == len(HOME_LINKS) - 4 + 1  # no mailto:, tel:, javascript:, #top
