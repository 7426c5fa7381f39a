"""URL normalisation, scope, non-HTML filtering and politeness slots."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from auditor.crawl.frontier import dedupe_key, in_scope, looks_like_html, normalise_url
from auditor.crawl.politeness import Politeness


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://SocTrang.gov.vn", "https://soctrang.gov.vn/"),
        ("https://soctrang.gov.vn:443/a?b=1#frag", "https://soctrang.gov.vn/a?b=1"),
        ("http://soctrang.gov.vn:80/", "http://soctrang.gov.vn/"),
        ("http://soctrang.gov.vn:8080/x", "http://soctrang.gov.vn:8080/x"),
        ("https://soctrang.gov.vn./", "https://soctrang.gov.vn/"),
        ("http://[::1]:8080/", "http://[::1]:8080/"),
        ("mailto:a@soctrang.gov.vn", None),
        ("tel:+842993822222", None),
        ("javascript:void(0)", None),
        ("ftp://soctrang.gov.vn/a", None),
        ("/relative", None),
        ("http://soctrang.gov.vn:99999/", None),
        ("http://[bad/", None),
    ],
)
def test_normalise_url(url: str, expected: str | None) -> None:
    assert normalise_url(url) == expected


def test_dedupe_key_ignores_scheme_and_www() -> None:
    keys = {
        dedupe_key("https://soctrang.gov.vn/tin-tuc?p=1"),
        dedupe_key("http://www.soctrang.gov.vn/tin-tuc?p=1"),
        dedupe_key("http://SOCTRANG.gov.vn:80/tin-tuc?p=1"),
    }
    assert keys == {"soctrang.gov.vn/tin-tuc?p=1"}
    assert dedupe_key("https://soctrang.gov.vn/tin-tuc?p=2") not in keys
    assert dedupe_key("https://soctrang.gov.vn:8443/tin-tuc?p=1") not in keys


def test_scope_counts_www_alias_not_subdomains() -> None:
    hosts = frozenset({"soctrang.gov.vn"})
    assert in_scope("https://www.soctrang.gov.vn/a", hosts)
    assert in_scope("http://SOCTRANG.gov.vn/a", hosts)
    assert not in_scope("https://kesach.soctrang.gov.vn/", hosts)
    assert not in_scope("https://soctrang.gov.vn.evil.example/", hosts)
    assert not in_scope("http://[bad/", hosts)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://soctrang.gov.vn/van-ban/qd-07.pdf", False),
        ("https://soctrang.gov.vn/files/BaoCao.DOCX", False),
        ("https://soctrang.gov.vn/a/anh.jpg?w=200", False),
        ("https://soctrang.gov.vn/tai-lieu.zip", False),
        ("https://soctrang.gov.vn/tin-tuc/bai-1.html", True),
        ("https://soctrang.gov.vn/Default.aspx?tabid=1", True),
        ("https://soctrang.gov.vn/trang.php", True),
        ("https://soctrang.gov.vn/tin-tuc/", True),
        ("https://soctrang.gov.vn/v1.2/bai-viet", True),
    ],
)
def test_looks_like_html(url: str, expected: bool) -> None:
    assert looks_like_html(url) is expected


def test_politeness_limits_per_host_and_globally() -> None:
    async def run() -> tuple[dict[str, int], int]:
        polite = Politeness(concurrency=5, per_host=2)
        now: dict[str, int] = {}
        peak: dict[str, int] = {}
        total = {"now": 0, "peak": 0}

        async def one(host: str) -> None:
            async with polite.slot(host):
                now[host] = now.get(host, 0) + 1
                total["now"] += 1
                peak[host] = max(peak.get(host, 0), now[host])
                total["peak"] = max(total["peak"], total["now"])
                await asyncio.sleep(0.01)
                now[host] -= 1
                total["now"] -= 1

        await asyncio.gather(*(one(h) for h in ["a", "b", "c"] * 4))
        return peak, total["peak"]

    peak, overall = asyncio.run(run())
    assert max(peak.values()) == 2 and peak["a"] == 2  # never more than 2 on one host
    assert overall == 5


def test_politeness_spaces_requests_to_one_host() -> None:
    async def run() -> tuple[list[float], list[float]]:
        polite = Politeness(concurrency=8, per_host=4, delay_s=0.05)
        starts: dict[str, list[float]] = {"a": [], "b": []}

        async def one(host: str) -> None:
            async with polite.slot(host):
                starts[host].append(time.monotonic())

        await asyncio.gather(*(one(h) for h in ["a", "b"] * 3))
        return starts["a"], starts["b"]

    a, b = asyncio.run(run())
    assert all(later - earlier >= 0.045 for earlier, later in itertools.pairwise(a))
    assert abs(a[0] - b[0]) < 0.03  # another host does not wait for this one


def test_politeness_forgets_idle_hosts_after_their_pause() -> None:
    """Memory flat in the number of hosts: an idle host's state goes once its pause is over,
    and a request after that still waits the pause (the state is dropped only when moot)."""

    async def run() -> tuple[int, int, int, list[float]]:
        polite = Politeness(concurrency=8, per_host=2, delay_s=0.05)
        no_pause = Politeness(concurrency=8, per_host=2)
        starts: list[float] = []

        async def one(p: Politeness, host: str) -> None:
            async with p.slot(host):
                if host == "a":
                    starts.append(time.monotonic())

        await asyncio.gather(*(one(no_pause, f"h{i}.gov.vn") for i in range(500)))
        after_burst = no_pause.hosts_tracked
        await asyncio.gather(*(one(polite, h) for h in ["a", "b", "a"]))
        during_pause = polite.hosts_tracked
        await asyncio.sleep(0.2)
        await one(polite, "a")
        await asyncio.sleep(0.2)
        return after_burst, during_pause, polite.hosts_tracked, starts

    after_burst, during_pause, idle, starts = asyncio.run(run())
    assert after_burst == 0 and idle == 0
    assert during_pause == 1  # "a" is kept while its pause binds the next request ("b" is gone)
    assert starts[1] - starts[0] >= 0.045
