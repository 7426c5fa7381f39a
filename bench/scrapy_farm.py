"""The crawl-only baseline: Scrapy crawling the simulated province with the auditor's politeness.

Same hosts, same start URLs (``https://<host>/``), same page budget per portal, robots.txt
obeyed, ``--concurrency`` requests in flight overall and ``--per-host`` per host, no delay, no
cache, no retries beyond the auditor's one. Every host name resolves to 127.0.0.1 and the
farm's ports stand in for 443 and 80. Run by bench/province.py:

    python -m bench.scrapy_farm --ready /tmp/farm.json --pages 50
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Request, Response
from scrapy.linkextractors import LinkExtractor
from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer


class LoopbackResolver(CachingThreadedResolver):  # type: ignore[misc]
    """Every name is 127.0.0.1: the farm answers every host by its Host header."""

    def getHostByName(self, name: str, timeout: Any = None) -> Any:
        return defer.succeed("127.0.0.1")


class FarmSpider(scrapy.Spider):  # type: ignore[misc]
    """Breadth-first over every portal of the farm, at most ``pages`` pages each."""

    name = "farm"

    def __init__(self, hosts: list[str], https_port: int, pages: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hosts = hosts
        self.port = https_port
        self.budget = pages
        self.taken: Counter[str] = Counter()
        self.seen: set[str] = set()
        self.links = LinkExtractor()
        self.allowed_domains = hosts

    def _url(self, url: str) -> str:
        parts = urlsplit(url)
        return urlunsplit(parts._replace(netloc=f"{parts.hostname}:{self.port}"))

    async def start(self) -> AsyncIterator[Request]:
        for host in self.hosts:
            self.taken[host] += 1
            self.seen.add(self._url(f"https://{host}/"))
            yield Request(self._url(f"https://{host}/"), meta={"download_slot": host})

    def parse(self, response: Response) -> Iterator[Request]:
        host = urlsplit(response.url).hostname or ""
        for link in self.links.extract_links(response):
            target = urlsplit(link.url).hostname
            url = link.url.split("#", 1)[0]
            if target != host or url in self.seen or self.taken[host] >= self.budget:
                continue
            self.seen.add(url)
            self.taken[host] += 1
            yield Request(self._url(link.url), meta={"download_slot": host})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ready", type=Path, required=True)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--per-host", type=int, default=2)
    args = parser.parse_args()
    info = json.loads(args.ready.read_text(encoding="utf-8"))
    process = CrawlerProcess(
        settings={
            "LOG_LEVEL": os.environ.get("SCRAPY_LOG", "WARNING"),
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": args.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": args.per_host,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "HTTPCACHE_ENABLED": False,
            "COOKIES_ENABLED": False,
            "RETRY_TIMES": 1,
            "DEPTH_LIMIT": 3,
            "TWISTED_DNS_RESOLVER": "bench.scrapy_farm.LoopbackResolver",
            "TELNETCONSOLE_ENABLED": False,
            "USER_AGENT": "scrapy-baseline (+auditor bench)",
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        }
    )
    process.crawl(FarmSpider, hosts=info["hosts"], https_port=info["https"], pages=args.pages)
    process.start()


if __name__ == "__main__":
    main()
