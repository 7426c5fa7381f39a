"""--shard slices and --resume on the loopback demo province (requests counted at the server)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from auditor.config import CrawlSettings
from auditor.errors import UsageError
from auditor.fixtureserver import FixtureServer
from auditor.history.store import open_store
from auditor.interrupts import StopRequest
from auditor.paths import fixtures_dir
from auditor.registry import load_registry
from auditor.report.json_report import load_summary
from auditor.runs.session import RunOptions, prepare
from auditor.runs.shard import parse_shard, shard_of
from auditor.scan import ScanEvent, ScanPlan, build_plan, run_scan

AS_OF = date(2026, 11, 20)


def test_shard_spec_is_checked() -> None:
    assert parse_shard(" 2/3 ") == (2, 3)
    for bad in ("0/2", "3/2", "1/0", "a/b", "1", ""):
        with pytest.raises(UsageError, match="--shard"):
            parse_shard(bad)


def test_shards_are_disjoint_balanced_and_stable() -> None:
    items = [f"agency{i}.tinh.gov.vn" for i in range(103)]
    for n in (1, 2, 3, 7):
        slices = [shard_of(items, k, n, key=str) for k in range(1, n + 1)]
        assert sorted(x for s in slices for x in s) == sorted(items)
        sizes = [len(s) for s in slices]
        assert max(sizes) - min(sizes) <= 1
        # the registry's order does not decide the slice, and the slice keeps that order
        again = [shard_of(list(reversed(items)), k, n, key=str) for k in range(1, n + 1)]
        assert [sorted(s) for s in again] == [sorted(s) for s in slices]
        assert all(s == [x for x in items if x in s] for s in slices)
    # a known answer, so a change of the dealing (which would move agencies between
    # machines between two runs) is noticed
    assert shard_of(["a.gov.vn", "b.gov.vn", "c.gov.vn", "d.gov.vn"], 1, 2, key=str) == [
        "a.gov.vn",
        "d.gov.vn",
    ]


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer(fixtures_dir() / "sites") as srv:
        yield srv


def _plan(server: FixtureServer, out: Path, targets: list[str] | None = None) -> ScanPlan:
    registry = load_registry(fixtures_dir() / "demo" / "registry.yaml")
    settings = CrawlSettings(
        connect_to=server.connect_to(),
        ca_bundle=server.ca_pem_path,
        timeout_s=10.0,
        dns_server=server.dns_server,
    )
    return build_plan(
        targets or [], registry, None, out, frozenset({"json", "html"}), "vi", AS_OF, settings
    )


def _requests(server: FixtureServer, plan: ScanPlan) -> dict[str, int]:
    """Requests per host the scan of ``plan`` sent to the server."""
    before = len(server.requests)
    asyncio.run(run_scan(plan))
    return dict(Counter(r.host for r in server.requests[before:]))


def test_resume_fetches_only_the_missing_portals(server: FixtureServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    full = _plan(server, out)
    # an interrupted run: only half of the province was finished
    first, _ = prepare(full, RunOptions(shard="1/2", record=False))
    done = {t.agency.domain for t in first.targets}
    _requests(server, first)
    missing = [t.agency.domain for t in full.targets if t.agency.domain not in done]
    assert done and missing

    resumed, _ = prepare(full, RunOptions(resume=True, record=False))
    assert sorted(resumed.resume) == sorted(done)
    fetched = _requests(server, resumed)
    # exactly what a scan of only the missing portals asks for (their cross-portal link
    # probes included), nothing for the finished ones
    alone = _requests(server, _plan(server, tmp_path / "alone", missing))
    assert fetched == alone
    assert all(fetched.get(d, 0) > 10 for d in missing)  # each missing portal was crawled
    summary = load_summary(out / "summary.json")
    assert [r.agency.domain for r in summary.agencies] == [t.agency.domain for t in full.targets]
    assert all(r.score is not None for r in summary.agencies)

    # a second --resume into the finished folder fetches nothing
    again, _ = prepare(full, RunOptions(resume=True, record=False))
    assert len(again.resume) == len(full.targets)
    assert _requests(server, again) == {}
    assert load_summary(out / "summary.json").agencies == summary.agencies


def test_resume_audits_again_what_another_plan_wrote(server: FixtureServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    one = _plan(server, out, ["sokhdt.soctrang.gov.vn"])
    asyncio.run(run_scan(prepare(one, RunOptions(record=False))[0]))
    later = _plan(server, out, ["sokhdt.soctrang.gov.vn"])
    later = later.__class__(**{**later.__dict__, "as_of": date(2026, 11, 21)})
    assert prepare(later, RunOptions(resume=True, record=False))[0].resume == {}
    same, _ = prepare(one, RunOptions(resume=True, record=False))
    assert list(same.resume) == ["sokhdt.soctrang.gov.vn"]
    (out / "sokhdt.soctrang.gov.vn.json").write_text('{"half": ', encoding="utf-8")
    assert prepare(one, RunOptions(resume=True, record=False))[0].resume == {}


def test_an_interrupted_run_resumed_fetches_only_what_was_left(
    server: FixtureServer, tmp_path: Path
) -> None:
    out, db = tmp_path / "out", str(tmp_path / "history.sqlite")
    full = _plan(server, out)
    stop = StopRequest()
    first, recorder = prepare(full, RunOptions(history=db))
    assert recorder is not None
    done: list[str] = []

    def on_event(event: ScanEvent) -> None:
        recorder.on_event(event)
        if event.kind == "done":
            done.append(event.agency.domain)
            if len(done) == 3:
                stop.request("SIGTERM")  # as Kubernetes stops a pod

    result = asyncio.run(run_scan(first, on_event, stop))
    recorder.finish(result)
    assert result.summary is not None and result.summary.interrupted is not None
    assert 3 <= len(done) < len(full.targets)

    resumed, recorder = prepare(full, RunOptions(history=db, resume=True))
    assert recorder is not None
    assert sorted(resumed.resume) == sorted(done)
    before = len(server.requests)
    result = asyncio.run(run_scan(resumed, recorder.on_event))
    recorder.finish(result)
    fetched = Counter(r.host for r in server.requests[before:])
    # a crawl asks a portal for 20 resources or more; a finished portal gets at most the
    # few link probes of the portals audited now
    missing = [t.agency.domain for t in full.targets if t.agency.domain not in done]
    assert all(fetched[d] > 15 for d in missing)
    assert all(fetched[d] < 10 for d in done)
    assert len(load_summary(out / "summary.json").agencies) == len(full.targets)
    with open_store(db) as store:
        runs = store.runs()
    assert [(r.status, r.agencies) for r in runs] == [
        ("interrupted", len(done)),
        ("complete", len(full.targets)),
    ]
