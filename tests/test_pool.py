"""A portal's lane: the worker that planned its probes judges it with what it read of the pages."""

from __future__ import annotations

import json

from auditor import pool
from auditor.crawl.scope import Scope
from auditor.gather.plan import plan_probes
from auditor.judge import JudgeTask, judge
from auditor.models import AuditReport
from auditor.paths import rules_dir
from auditor.rules.loader import load_pack
from tests.test_gather import AS_OF, _registry, demo_captures


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
        planned = pool.plan_and_keep(ticket, capture, scope, None)
        assert planned == plan_probes(capture, scope, None)
        assert all("tree" not in page.__dict__ for page in pool._KEPT[ticket][1])  # trees shed
        task = JudgeTask(capture, pack, AS_OF, registry)
        kept = pool.judge_kept(ticket, task)
        assert ticket not in pool._KEPT  # judged: nothing kept
        assert _verdicts(kept) == _verdicts(judge(task))


def test_kept_pages_of_another_capture_are_not_used() -> None:
    captures = [c for c in demo_captures().values() if c.pages]
    first, second = captures[0], captures[1]
    pack = load_pack("soctrang-2019", rules_dir())
    pool.plan_and_keep(900, first, Scope.of(first.agency), None)
    task = JudgeTask(second, pack, AS_OF, _registry())
    assert _verdicts(pool.judge_kept(900, task)) == _verdicts(judge(task))
    assert 900 not in pool._KEPT


def test_a_worker_keeps_a_bounded_number_of_portals() -> None:
    capture = next(c for c in demo_captures().values() if c.pages)
    scope = Scope.of(capture.agency)
    for ticket in range(1000, 1000 + pool.KEPT_PER_WORKER + 3):
        pool.plan_and_keep(ticket, capture, scope, None)
    assert len(pool._KEPT) <= pool.KEPT_PER_WORKER
    assert 1000 not in pool._KEPT  # the oldest went first
    pool._KEPT.clear()
