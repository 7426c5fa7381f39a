"""Measure a scan of the bundled demo province over loopback: time, pages per second, memory.

Run: ``python bench/scan_demo.py [--repeat N] [--copies K]``. ``--copies`` audits the demo
registry K times over (each copy under its own output folder) to see how time and peak memory
grow with the number of portals. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from auditor.config import CrawlSettings
from auditor.fixtureserver import FixtureServer
from auditor.models import Registry
from auditor.paths import fixtures_dir
from auditor.registry import load_registry
from auditor.scan import ScanEvent, build_plan, run_scan


def _registry(copies: int) -> tuple[Registry, list[str]]:
    registry = load_registry(fixtures_dir() / "demo" / "registry.yaml")
    targets = [a.domain for a in registry.agencies] * copies
    return registry, targets


def _count(event: ScanEvent, pages: list[int]) -> None:
    if event.report is not None:
        pages.append(event.report.crawl.pages_fetched)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    registry, targets = _registry(args.copies)
    with FixtureServer(fixtures_dir() / "sites") as server, tempfile.TemporaryDirectory() as tmp:
        settings = CrawlSettings(connect_to=server.connect_to(), ca_bundle=server.ca_pem_path)
        for run in range(args.repeat):
            plan = build_plan(
                targets,
                registry,
                None,
                Path(tmp) / str(run),
                frozenset({"json", "html"}),
                "vi",
                date(2026, 11, 20),
                settings,
            )
            pages: list[int] = []
            started = time.perf_counter()
            asyncio.run(run_scan(plan, lambda event, pages=pages: _count(event, pages)))
            elapsed = time.perf_counter() - started
            peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"run {run + 1}: {len(targets)} portals, {sum(pages)} pages in {elapsed:.2f} s "
                f"({sum(pages) / elapsed:.0f} pages/s, {elapsed / len(targets):.3f} s/portal), "
                f"peak RSS {peak_mib:.0f} MiB"
            )


if __name__ == "__main__":
    main()
