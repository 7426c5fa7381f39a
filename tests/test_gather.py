"""The gatherer over the demo portals (real loopback HTTP/HTTPS): section pages, the search
probe and the documents file probes."""

from __future__ import annotations

import asyncio
from datetime import date
from functools import lru_cache

from auditor.config import CrawlSettings
from auditor.crawl.crawler import crawl_site
from auditor.crawl.fetcher import Fetcher
from auditor.fixtureserver import FixtureServer
from auditor.gather.artifacts import Artifacts
from auditor.gather.build import _with_query, gather
from auditor.paths import fixtures_dir
from auditor.registry import load_registry
from auditor.text.fold import fold_words

AS_OF = date(2026, 11, 20)


async def _gather_all(settings: CrawlSettings) -> dict[str, Artifacts]:
    registry = load_registry(fixtures_dir() / "demo" / "registry.yaml")
    async with Fetcher(settings) as fetcher:

        async def one(domain: str) -> Artifacts:
            agency = registry.by_domain(domain)
            assert agency is not None
            crawl = await crawl_site(fetcher, agency, settings)
            return await gather(fetcher, crawl, agency, AS_OF, registry)

        domains = [a.domain for a in registry.agencies]
        arts = await asyncio.gather(*(one(d) for d in domains))
    return dict(zip(domains, arts, strict=True))


@lru_cache(maxsize=1)
def demo_artifacts() -> dict[str, Artifacts]:
    """Artifacts of every demo portal, gathered once per test session."""
    with FixtureServer(fixtures_dir() / "sites") as server:
        settings = CrawlSettings(
            connect_to=server.connect_to(), ca_bundle=server.ca_pem_path, timeout_s=10.0
        )
        return asyncio.run(_gather_all(settings))


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
