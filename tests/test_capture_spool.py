"""Page bodies of captures in flight wait on disk (auditor/capture/spool.py), and come back
whole where pages are read: the crawl, the judging worker and a whole scan."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import pool
from auditor.capture.spool import BodySpool, unspooled
from auditor.crawl.scope import Scope
from auditor.judge import JudgeTask, judge
from auditor.models import PageSnapshot
from auditor.page import Page
from auditor.paths import rules_dir
from auditor.rules.loader import load_pack
from tests.test_gather import AS_OF, _registry, demo_captures
from tests.test_pool import _verdicts


def _snap(url: str, body: bytes) -> PageSnapshot:
    return PageSnapshot(url=url, final_url=url, status=200, body=body)


def test_shelved_bodies_come_back_byte_for_byte(tmp_path: Path) -> None:
    capture = next(c for c in demo_captures().values() if len(c.pages) > 2)
    spool = BodySpool(tmp_path / "1.body")
    shelved = (capture.pages[0], *(spool.shelve(p) for p in capture.pages[1:]))
    assert all(p.body == b"" and p.spooled is not None for p in shelved[1:])
    in_flight = capture.model_copy(update={"pages": shelved, "spool": str(spool.path)})
    assert unspooled(in_flight) == capture  # bodies, offsets and the spool name all restored
    spool.remove()
    assert not spool.path.exists()


def test_an_empty_body_is_not_spooled(tmp_path: Path) -> None:
    spool = BodySpool(tmp_path / "2.body")
    snap = _snap("https://a.gov.vn/", b"")
    assert spool.shelve(snap) is snap
    assert not spool.path.exists()  # no file until there is a body to keep
    spool.remove()


def test_a_page_refuses_a_body_still_in_the_spool(tmp_path: Path) -> None:
    spool = BodySpool(tmp_path / "3.body")
    shelved = spool.shelve(_snap("https://a.gov.vn/x", b"<html><body>xin chao</body></html>"))
    with pytest.raises(ValueError, match="spooled"):
        Page(shelved)  # judging an empty body would report absences that are not there
    spool.remove()


def test_the_worker_judges_a_spooled_capture_as_the_whole_one(tmp_path: Path) -> None:
    pack = load_pack("soctrang-2019", rules_dir())
    capture = next(c for c in demo_captures().values() if len(c.pages) > 2)
    spool = BodySpool(tmp_path / "4.body")
    shelved = (capture.pages[0], *(spool.shelve(p) for p in capture.pages[1:]))
    in_flight = capture.model_copy(update={"pages": shelved, "spool": str(spool.path)})
    expected = _verdicts(judge(JudgeTask(capture, pack, AS_OF, _registry())))
    task = JudgeTask(in_flight, pack, AS_OF, _registry())
    # planned then judged in the same lane (pages kept), and judged with nothing kept
    pool.plan_and_keep(77, task, Scope.of(capture.agency), None)
    assert _verdicts(pool.judge_kept(77, task)) == expected
    assert _verdicts(pool.judge_kept(None, task)) == expected
