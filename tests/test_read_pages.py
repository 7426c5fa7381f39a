"""Judging reads every page once, page by page, and drops its trees before the rules run."""

from __future__ import annotations

import functools
import weakref
from typing import Any

import pytest

from auditor import judge as judge_module
from auditor import page as page_module
from auditor import pool
from auditor.a11y import viewport
from auditor.a11y.site import SiteRule
from auditor.artifacts import Artifacts
from auditor.capture.spool import unspooled
from auditor.checks.registry import until_found
from auditor.crawl.scope import Scope
from auditor.judge import JudgeTask, judge
from auditor.models import PageSnapshot
from auditor.page import Page, read_once
from auditor.paths import rules_dir
from auditor.rules.loader import load_pack
from tests.test_gather import AS_OF, _registry, demo_captures

PACKS = ("soctrang-2019", "national", "lamdong-2025", "quangninh-2023", "tuyenquang-2026")


def _snapshot(html: str) -> PageSnapshot:
    body = html.encode()
    return PageSnapshot(
        url="https://a.gov.vn/",
        final_url="https://a.gov.vn/",
        status=200,
        headers=(("Content-Type", "text/html; charset=utf-8"),),
        body=body,
        detected_encoding="utf-8",
    )


class TreesAlive:
    """Counts the page trees parsed (``page.parse_html``) and the most alive at once."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._real = page_module.parse_html
        self._trees: list[weakref.ref[Any]] = []
        self.most = 0
        monkeypatch.setattr(page_module, "parse_html", self._parse)

    def _parse(self, html: str) -> Any:
        tree = self._real(html)
        self._trees.append(weakref.ref(tree))
        self.most = max(self.most, sum(1 for t in self._trees if t() is not None))
        return tree

    @property
    def parsed(self) -> int:
        return len(self._trees)


@pytest.mark.parametrize("pack_id", PACKS)
def test_a_worker_never_holds_all_a_sites_trees(
    pack_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # planned and judged as in a worker (judging a capture from scratch reads every page's
    # completeness first, with all its trees: a portal judged alone, in the scan process)
    capture = max(demo_captures().values(), key=lambda c: len(c.pages))
    pack = load_pack(pack_id, rules_dir())
    registry = _registry()
    trees = TreesAlive(monkeypatch)
    task = JudgeTask(capture, pack, AS_OF, registry)
    pool.plan_and_keep(4242, task, Scope.of(capture.agency), None)
    report = pool.judge_kept(4242, task)
    pages = len(unspooled(capture).pages)
    assert pages > 20
    # the home page, the page being read, and the odd page a rule looks at again by name (the
    # documents listing it chose, a site-map page)
    assert trees.most <= 4, f"{trees.most} of {pages} trees alive at once"
    # planning read what judging reads of each page alone: judging parses again only the
    # home page and the odd page a rule reads with the rest of the site (a listing chosen…)
    assert trees.parsed <= pages + 5, f"{trees.parsed} parses of {pages} pages"
    assert report.findings == judge(JudgeTask(capture, pack, AS_OF, registry)).findings


def test_read_once_keeps_what_it_read_when_the_trees_are_shed() -> None:
    calls: list[str] = []

    @read_once
    def heading(page: Page) -> str:
        calls.append(page.url)
        node = page.tree.css_first("h1")
        return node.text() if node is not None else ""

    page = Page(_snapshot("<h1>Tin tức</h1>"))
    assert heading(page) == "Tin tức"
    page.shed()
    assert "tree" not in page.__dict__
    assert heading(page) == "Tin tức" and calls == ["https://a.gov.vn/"]  # not read again
    assert "tree" not in page.__dict__  # nor parsed again


def test_read_once_keeps_no_error() -> None:
    calls = 0

    @read_once
    def fails(page: Page) -> None:
        nonlocal calls
        calls += 1
        raise ValueError("no")

    page = Page(_snapshot("<p>x</p>"))
    for _ in range(2):
        with pytest.raises(ValueError):
            fails(page)
    assert calls == 2


def test_an_element_rules_result_is_kept_by_its_function_and_arguments() -> None:
    page = Page(_snapshot('<meta name="viewport" content="width=device-width, maximum-scale=1">'))
    first = SiteRule(functools.partial(viewport.viewport_zoom, min_max_scale=2.0))
    again = SiteRule(functools.partial(viewport.viewport_zoom, min_max_scale=2.0), every_page=True)
    other = SiteRule(functools.partial(viewport.viewport_zoom, min_max_scale=1.0))
    result = first.result(page)
    page.shed()
    assert again.result(page) is result  # same rule by value: read once, kept
    assert "tree" not in page.__dict__
    assert other.result(page) is not result  # another argument: read again
    assert first.issues_on(page) == first.issues(page.views["a11y"])  # type: ignore[arg-type]


def test_until_found_reads_the_pages_up_to_the_first_find() -> None:
    capture = max(demo_captures().values(), key=lambda c: len(c.pages))
    art = Artifacts.from_capture(capture, AS_OF)
    seen: list[str] = []
    fallback: list[str] = []
    third = art.pages[2].url

    def widget(page: Page) -> str | None:
        seen.append(page.url)
        return "found" if page.url == third else None

    def placeholder(page: Page) -> str | None:
        fallback.append(page.url)
        return None

    reads = (until_found(widget, lambda r: r is not None), until_found(placeholder, unless=widget))
    for page in art.pages:
        for read in reads:
            read(art, page, None)
    assert seen == [p.url for p in art.pages[:3]]  # as a primitive walking them stops there
    assert fallback == [p.url for p in art.pages[:2]]  # looked for only while nothing was found


@pytest.mark.parametrize("pack_id", PACKS)
def test_the_page_reads_change_no_finding(pack_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = load_pack(pack_id, rules_dir())
    registry = _registry()
    captures = sorted(demo_captures().values(), key=lambda c: -len(c.pages))[:4]

    def findings() -> list[str]:
        out = []
        for ticket, capture in enumerate(captures, start=5000):
            task = JudgeTask(capture, pack, AS_OF, registry)
            pool.plan_and_keep(ticket, task, Scope.of(capture.agency), None)
            report = pool.judge_kept(ticket, task)
            out.append(report.model_dump_json(include={"findings", "score"}))
        return out

    read = findings()
    monkeypatch.setattr(pool, "read_page_by_page", lambda pages, also=None: None)
    monkeypatch.setattr(judge_module, "read_pages", lambda pack, art: None)
    assert read == findings()  # every page parsed and kept while the rules go over them


def test_a_capture_not_planned_in_the_worker_is_read_one_page_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    capture = max(demo_captures().values(), key=lambda c: len(c.pages))
    task = JudgeTask(capture, load_pack("soctrang-2019", rules_dir()), AS_OF, _registry())
    trees = TreesAlive(monkeypatch)
    report = pool.judge_kept(None, task)  # no lane: the worker did not plan it
    assert trees.parsed > 20 and trees.most <= 4
    assert report.findings == judge(task).findings
