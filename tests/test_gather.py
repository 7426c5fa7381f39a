"""The gatherer over the demo portals (real loopback HTTP/HTTPS): section pages, the search
probe and the documents file probes."""

from __future__ import annotations

import asyncio
from datetime import date
from functools import lru_cache

from auditor.artifacts import Artifacts, FileProbe, SearchProbe, SiteCapture
from auditor.config import CrawlSettings
from auditor.crawl.crawler import crawl_site
from auditor.crawl.fetcher import Fetcher
from auditor.fixtureserver import FixtureServer
from auditor.gather.build import gather
from auditor.gather.plan import with_query as _with_query
from auditor.models import Registry
from auditor.paths import fixtures_dir
from auditor.registry import load_registry
from auditor.text.fold import fold_words

AS_OF = date(2026, 11, 20)


def _registry() -> Registry:
    return load_registry(fixtures_dir() / "demo" / "registry.yaml")


async def _gather_all(settings: CrawlSettings) -> dict[str, SiteCapture]:
    registry = _registry()
    async with Fetcher(settings) as fetcher:

        async def one(domain: str) -> SiteCapture:
            agency = registry.by_domain(domain)
            assert agency is not None
            crawl = await crawl_site(fetcher, agency, settings)
            return await gather(fetcher, crawl, agency)

        domains = [a.domain for a in registry.agencies]
        captures = await asyncio.gather(*(one(d) for d in domains))
    return dict(zip(domains, captures, strict=True))


@lru_cache(maxsize=1)
def demo_captures() -> dict[str, SiteCapture]:
    """Captures of every demo portal, crawled once per test session."""
    with FixtureServer(fixtures_dir() / "sites") as server:
        settings = CrawlSettings(
            connect_to=server.connect_to(), ca_bundle=server.ca_pem_path, timeout_s=10.0
        )
        return asyncio.run(_gather_all(settings))


@lru_cache(maxsize=1)
def demo_artifacts() -> dict[str, Artifacts]:
    """Artifacts of every demo portal (views over :func:`demo_captures`)."""
    registry = _registry()
    return {
        domain: Artifacts.from_capture(capture, AS_OF, registry)
        for domain, capture in demo_captures().items()
    }


def test_with_query_appends_to_an_existing_query() -> None:
    assert _with_query("https://x.gov.vn/tim-kiem", [("q", "Sóc Trăng")]) == (
        "https://x.gov.vn/tim-kiem?q=S%C3%B3c+Tr%C4%83ng"
    )
    assert _with_query("https://x.gov.vn/?p=search#top", [("k", "a")]) == (
        "https://x.gov.vn/?p=search&k=a"
    )
    # a windows-1258 page submits decomposed tone marks in its own encoding
    assert _with_query("https://x.gov.vn/s", [("q", "niệm")], "cp1258") == (
        "https://x.gov.vn/s?q=ni%EA%F2m"
    )


def test_search_probe_on_every_demo_portal() -> None:
    for domain, art in demo_artifacts().items():
        probe = art.search
        assert probe is not None, domain
        assert probe.response is not None and probe.response.status == 200, domain
        assert "/tim-kiem?q=" in probe.action, domain
        assert probe.query and fold_words(probe.query) in fold_words(probe.headline), domain
        assert art.in_scope(probe.headline_url), domain


def test_search_probe_uses_the_newest_headline() -> None:
    probe = demo_artifacts()["soctrang.gov.vn"].search
    assert probe is not None
    assert "/tin-tuc/2026-11-19-" in probe.headline_url


def test_document_files_probed_except_where_there_is_no_listing() -> None:
    arts = demo_artifacts()
    assert arts["longphu.soctrang.gov.vn"].doc_files == ()
    for domain, art in arts.items():
        if domain == "longphu.soctrang.gov.vn":
            continue
        probes = art.doc_files
        assert 1 <= len(probes) <= 2, domain
        for probe in probes:
            assert probe.status == 200 and probe.content_type == "application/pdf", domain
            assert probe.magic.startswith(b"%PDF"), domain
            assert "/van-ban/files/" in probe.url and probe.listing_url.endswith("/van-ban/")


def _unit_site(form: str) -> Artifacts:
    from tests.factories import art, page

    home = page(
        "https://soctrang.gov.vn/",
        f"<html><body><header>{form}</header><nav><a href='/tin-tuc/'>Tin tức</a>"
        "<a href='/van-ban/'>Văn bản</a></nav><main><a href='/tin-tuc/a.html'>"
        "Tỉnh tổ chức hội nghị xúc tiến đầu tư</a></main></body></html>",
    )
    article = page(
        "https://soctrang.gov.vn/tin-tuc/a.html",
        "<html><body><main><article><h1>Tỉnh tổ chức hội nghị xúc tiến đầu tư</h1>"
        "<p>19/11/2026</p></article></main></body></html>",
    )
    listing = page(
        "https://soctrang.gov.vn/van-ban/",
        "<html><body><main><table><tr><td>1/QĐ-UBND</td><td>x</td>"
        "<td><a href='/f/1.pdf'>Tải về</a></td></tr></table><a href='/f/2.docx'>Tải</a>"
        "<a href='/f/3.pdf'>Tải</a></main></body></html>",
    )
    return art(home, article, listing)


def _mock_fetcher(seen: list[str], robots: str | None = None) -> Fetcher:
    import httpx

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/robots.txt":
            if robots is None:
                return httpx.Response(404)
            return httpx.Response(200, content=robots.encode())
        if request.url.path == "/f/1.pdf":
            return httpx.Response(404, headers={"content-type": "text/html"}, content=b"<html>")
        if request.url.path.startswith("/f/"):
            return httpx.Response(
                200, headers={"content-type": "application/pdf"}, content=b"%PDF-1"
            )
        results = "<html><body><main><a href='/tin-tuc/a.html'>Hội nghị</a></main></body></html>"
        return httpx.Response(200, headers={"content-type": "text/html"}, content=results.encode())

    return Fetcher(CrawlSettings(retries=0), transport=httpx.MockTransport(handler))


def test_probes_with_a_mock_transport() -> None:
    from auditor.gather.build import probe_document_files, probe_search

    form = "<form role='search' action='/tim-kiem'><input type='search' name='q'></form>"
    site = _unit_site(form)
    seen: list[str] = []

    async def run() -> tuple[SearchProbe | None, tuple[FileProbe, ...]]:
        async with _mock_fetcher(seen) as fetcher:
            return await probe_search(fetcher, site), await probe_document_files(fetcher, site)

    search, files = asyncio.run(run())
    assert search is not None and search.response is not None
    assert search.headline == "Tỉnh tổ chức hội nghị xúc tiến đầu tư"
    assert [(f.url.rsplit("/", 1)[1], f.status) for f in files] == [
        ("1.pdf", 404),
        ("2.docx", 200),
    ]
    assert len(seen) == 4 and seen[0] == "https://soctrang.gov.vn/robots.txt"


def test_search_probe_notes_what_it_did_not_try() -> None:
    from auditor.gather.build import probe_search

    seen: list[str] = []
    post = (
        "<form role='search' action='/tim-kiem' method='post'><input type='search' name='q'></form>"
    )
    external = "<form role='search' action='https://cse.google.com/'><input name='q'></form>"

    async def run(form: str) -> SearchProbe | None:
        async with _mock_fetcher(seen) as fetcher:
            return await probe_search(fetcher, _unit_site(form))

    probe = asyncio.run(run(post))
    assert probe is not None and probe.response is None and probe.note == "POST form"
    probe = asyncio.run(run(external))
    assert probe is not None and "another host" in (probe.note or "")
    assert asyncio.run(run("")) is None
    assert seen == []


def test_search_probe_respects_robots() -> None:
    from auditor.gather.build import probe_search

    form = "<form role='search' action='/tim-kiem'><input type='search' name='q'></form>"
    site = _unit_site(form)
    seen: list[str] = []

    async def run() -> SearchProbe | None:
        async with _mock_fetcher(seen, "User-agent: *\nDisallow: /tim-kiem") as fetcher:
            return await probe_search(fetcher, site)

    probe = asyncio.run(run())
    assert probe is not None and probe.note == "robots.txt disallows the search page"
    assert seen == ["https://soctrang.gov.vn/robots.txt"]
