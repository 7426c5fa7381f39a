"""A portal's lane: the worker that planned its probes judges it with what it read of the pages."""

from __future__ import annotations

import asyncio
import dataclasses
import json

import pytest

from auditor import pool
from auditor.capture.spool import unspooled
from auditor.crawl.scope import Scope
from auditor.gather.plan import plan_probes, read_page_by_page
from auditor.judge import JudgeTask, judge
from auditor.models import AuditReport
from auditor.page import Page
from auditor.paths import rules_dir
from auditor.rules.loader import load_pack
from tests.test_gather import AS_OF, _registry, demo_captures
from tests.test_read_pages import TreesAlive


def _verdicts(report: AuditReport) -> list[tuple[str, str, str]]:
    return [
        (f.rule_id, f.status, json.dumps(f.model_dump(mode="json")["evidence"]))
        for f in report.findings
    ]


def test_judging_with_the_planned_pages_gives_the_same_report() -> None:
    pack = load_pack("soctrang-2019", rules_dir())
    registry = _registry()
    for ticket, capture in enumerate(demo_captures().values(), start=1):
        scope = Scope.of(capture.agency)
        task = JudgeTask(capture, pack, AS_OF, registry)
        planned = pool.plan_and_keep(ticket, task, scope, None)
        assert planned == plan_probes(capture, scope, None)
        assert all("tree" not in page.__dict__ for page in pool._KEPT[ticket][1])  # trees shed
        kept = pool.judge_kept(ticket, task)
        assert ticket not in pool._KEPT  # judged: nothing kept
        assert _verdicts(kept) == _verdicts(judge(task))


def test_pages_are_read_one_at_a_time_before_planning(monkeypatch: pytest.MonkeyPatch) -> None:
    capture = max(demo_captures().values(), key=lambda c: len(c.pages))
    trees = TreesAlive(monkeypatch)
    pages = tuple(Page(s) for s in unspooled(capture).pages)
    read_page_by_page(pages)
    assert trees.parsed == len(pages) > 20  # each page parsed once…
    assert trees.most == 2  # …and dropped before the next (the home page's, read again, is kept)
    articles = [p for p in pages if p.__dict__.get("is_article")]
    assert articles and all("news_dates" in p.__dict__ for p in articles)  # kept
    assert all("problem" in p.__dict__ for p in pages)
    assert all("tree" not in p.__dict__ for p in pages[1:])


def test_kept_pages_of_another_capture_are_not_used() -> None:
    captures = [c for c in demo_captures().values() if c.pages]
    first, second = captures[0], captures[1]
    pack = load_pack("soctrang-2019", rules_dir())
    pool.plan_and_keep(900, JudgeTask(first, pack, AS_OF), Scope.of(first.agency), None)
    task = JudgeTask(second, pack, AS_OF, _registry())
    assert _verdicts(pool.judge_kept(900, task)) == _verdicts(judge(task))
    assert 900 not in pool._KEPT


def test_a_worker_keeps_a_bounded_number_of_portals() -> None:
    capture = next(c for c in demo_captures().values() if c.pages)
    scope = Scope.of(capture.agency)
    task = JudgeTask(capture, load_pack("soctrang-2019", rules_dir()), AS_OF)
    for ticket in range(1000, 1000 + pool.KEPT_PER_WORKER + 3):
        pool.plan_and_keep(ticket, task, scope, None)
    assert len(pool._KEPT) <= pool.KEPT_PER_WORKER
    assert 1000 not in pool._KEPT  # the oldest went first
    pool._KEPT.clear()


def _task(index: int = 0) -> JudgeTask:
    capture = [c for c in demo_captures().values() if c.pages][index]
    return JudgeTask(capture, load_pack("soctrang-2019", rules_dir()), AS_OF, _registry())


def test_a_parcel_carries_the_pack_and_registry_once_per_worker() -> None:
    judges = pool.JudgePool(workers=2)
    judges._sent = [set(), set()]
    task = _task()
    first, again, other = (judges._parcel(w, task) for w in (0, 0, 1))
    assert list(first.new.values()) == [task.pack, task.registry]
    assert again.new == {}  # worker 0 holds them now
    assert list(other.new.values()) == [task.pack, task.registry]  # worker 1 did not
    pool._SHARED.clear()
    assert first.task() == task  # rebuilt whole
    assert again.task() == task  # from what the worker holds
    pool._SHARED.clear()
    with pytest.raises(pool.SharedMissing):
        again.task()


def test_workers_judge_parcels_and_a_pack_they_lack_is_sent_again() -> None:
    first = _task(0)
    # a pack the pool believes worker 0 holds, as if the parcel that carried it had been
    # cancelled before it ran
    second = dataclasses.replace(_task(1), pack=dataclasses.replace(first.pack))

    async def run() -> list[AuditReport]:
        async with pool.JudgePool(workers=1) as judges:
            reports = [await judges.judge(first)]
            judges._sent[0].add(judges._key(second.pack))
            reports.append(await judges.judge(second))
            assert judges._sent[0] == {judges._key(second.pack), judges._key(second.registry)}
            return reports

    reports = asyncio.run(run())
    assert [_verdicts(r) for r in reports] == [_verdicts(judge(t)) for t in (first, second)]
