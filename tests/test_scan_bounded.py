"""Bounded work (issue 11 item 4): a page beyond the DOM caps is not parsed and its element
checks say ``error`` naming the cap; and while a portal with a 100,000-deep page is crawled and
judged, the event loop never stalls — other portals' requests keep flowing.

The stall is measured by a loop-lag probe that wakes every 5 ms and records how much CPU time
the event-loop thread spent between two of its wake-ups: time the loop was busy with our own
code, not time the (loaded) machine gave to other processes, so the bound holds on a busy
2-core machine.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from pathlib import Path

import pytest

from auditor.artifacts import Artifacts
from auditor.checks.registry import all_checks
from auditor.htmlcaps import MAX_DEPTH, PageTooComplex, check_caps, nesting_depth
from auditor.models import AuditReport
from auditor.registry import load_registry
from auditor.rules.checktree import CheckCall
from auditor.rules.engine import run_check
from auditor.scan import ScanEvent, build_plan, run_scan
from tests.factories import page
from tests.faultserver import TWIN, Fault, FaultServer, HostState

DEEP = 100_000
DEEP_HOME = (
    '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Trang chủ</title>'
    "</head><body>".encode()
    + b"<div>" * DEEP
    + "Sở Thông tin và Truyền thông".encode()
    + b"</div>" * DEEP
    + b"</body></html>"
)


def deep_home(handler, host: HostState) -> bool:  # type: ignore[no-untyped-def]
    """The home page nests 100,000 ``<div>``; the other pages are the twin's."""
    if handler.path.split("?", 1)[0] != "/":
        return False
    handler.send(200, DEEP_HOME)
    return True


def test_nesting_is_estimated_before_parsing() -> None:
    assert nesting_depth("<html><body><div><p>a<p>b<ul><li>x<li>y</ul></div>") == 2
    assert nesting_depth("<script>" + "<div>" * 600 + "</script><div></div>") == 1
    assert nesting_depth("<!--" + "<div>" * 600 + "--><span>") == 1
    check_caps("<div>" * MAX_DEPTH + "</div>" * MAX_DEPTH, "u")  # at the cap: parsed
    with pytest.raises(PageTooComplex, match="nesting depth"):
        check_caps("<div>" * (MAX_DEPTH + 1), "u")
    with pytest.raises(PageTooComplex, match="element count"):
        check_caps("<br>" * 100_001, "u")


def test_a_page_beyond_a_cap_is_error_for_element_checks() -> None:
    deep = page("https://soctrang.gov.vn/", DEEP_HOME.decode())
    site = Artifacts(agency=_agency(), as_of=_day(), start_url=deep.url, pages=(deep,))
    spec = all_checks()["a11y_html_lang"]
    outcome = run_check(CheckCall(name="a11y_html_lang", params=spec.params(), fn=spec.fn), site)
    assert outcome.status == "error"
    found = " ".join(e.detail.en + (e.found or "") for e in outcome.evidence)
    assert "cap" in found and "100,000" in found


def _agency():  # type: ignore[no-untyped-def]
    from tests.factories import AGENCY

    return AGENCY


def _day():  # type: ignore[no-untyped-def]
    from datetime import date

    return date(2026, 11, 20)


async def _scan_with_probe(plan, events):  # type: ignore[no-untyped-def]
    """Stalls of the event loop while portals are being audited (first request to last report):
    the scan's start-up (spawning the judging workers) and its closing summary are not stalls of
    a crawl."""
    stalls: list[float] = []
    done = asyncio.Event()
    flowing = asyncio.Event()

    def on_event(event: ScanEvent) -> None:
        if event.kind == "request":
            flowing.set()
        events.append(event)
        if sum(1 for e in events if e.kind == "done") == len(plan.targets):
            done.set()

    async def probe() -> None:
        await flowing.wait()
        cpu = time.thread_time()
        while not done.is_set():
            await asyncio.sleep(0.005)
            now = time.thread_time()
            stalls.append(now - cpu)
            cpu = now

    task = asyncio.create_task(probe())
    try:
        result = await run_scan(plan, on_event)
    finally:
        done.set()
        await task
    return result, stalls


def test_a_deep_page_does_not_stall_other_portals(tmp_path: Path) -> None:
    fault = Fault("deep", deep_home)
    with FaultServer(tmp_path / "srv", [fault]) as server:
        registry = load_registry(server.registry_yaml(tmp_path / "registry.yaml"))
        plan = build_plan(
            [],
            registry,
            None,
            tmp_path / "out",
            frozenset({"json"}),
            "en",
            _day(),
            server.settings(timeout_s=10.0, max_pages=20),
        )
        plan = dataclasses.replace(plan, workers=2)
        events: list[ScanEvent] = []
        _, stalls = asyncio.run(_scan_with_probe(plan, events))
    reports: dict[str, AuditReport] = {e.agency.domain: e.report for e in events if e.report}
    assert set(reports) == {TWIN, fault.host}
    worst = max(stalls)
    print(f"event loop: {len(stalls)} probes, worst CPU stall {worst * 1000:.1f} ms")
    # The aim is 100 ms. Since the probes are planned in a worker (no page parsed on the
    # loop but for its links) the worst stall measured 49–83 ms in 13 runs, idle or beside a full
    # test run; the guard stays at 250 ms so that a loaded CI machine (a full garbage collection
    # on the loop thread) does not fail it — far from the 33–75 s stalls of judging on the loop —
    # and the figure is printed.
    assert worst < 0.25
    # the twin was crawled and judged whole beside it (the order of the two is up to the
    # machine's load; the stall bound above is what shows the loop kept serving both)
    assert sum(1 for e in events if e.kind == "request" and e.agency.domain == TWIN) > 5
    assert reports[TWIN].crawl.pages_fetched > 5
    deep, twin = reports[fault.host], reports[TWIN]
    capped = [
        f
        for f in deep.findings
        if f.status == "error" and any("cap" in (e.detail.en + (e.found or "")) for e in f.evidence)
    ]
    assert capped, "the element checks of the deep page name the cap"
    # facts of the fault host itself: its name is not the agency's initials, and it serves
    # the page over plain HTTP too instead of redirecting
    facts = {"st.d5k1b.domain-department", "st.d6k2.http-redirect"}
    twin_fails = {f.rule_id for f in twin.findings if f.status == "fail"}
    assert {f.rule_id for f in deep.findings if f.status == "fail"} <= twin_fails | facts
