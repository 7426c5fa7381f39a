"""The scan-wide SARIF and JUnit files are written one report at a time (memory flat in the
number of portals) and say exactly what the in-memory renderers say."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from auditor.gate import GatePolicy, GateTally
from auditor.gate import evaluate as gate_evaluate
from auditor.models import AuditReport
from auditor.report.combined import CombinedSpool
from auditor.report.junit_report import render_junit, write_junit_stream
from auditor.report.sarif_report import render_sarif, write_sarif_stream
from tests.test_report_html import make_report

DOMAINS = ("www.soctrang.gov.vn", "stnmt.soctrang.gov.vn", "sotttt.soctrang.gov.vn")


def _reports() -> list[AuditReport]:
    return [make_report(domain) for domain in DOMAINS]


def test_streamed_files_equal_the_in_memory_renderings(tmp_path: Path) -> None:
    reports = _reports()
    for lang in ("vi", "en"):
        sarif = write_sarif_stream(iter(reports), tmp_path / f"{lang}.sarif", lang)
        assert sarif.read_text(encoding="utf-8") == render_sarif(reports, lang)
        junit = write_junit_stream(iter(reports), tmp_path / f"{lang}.xml", lang)
        assert junit.read_text(encoding="utf-8") == render_junit(reports, lang)
    for one in ([reports[0]], []):
        sarif = write_sarif_stream(iter(one), tmp_path / "one.sarif", "vi")
        assert sarif.read_text(encoding="utf-8") == render_sarif(one, "vi")
        junit = write_junit_stream(iter(one), tmp_path / "one.xml", "vi")
        assert junit.read_text(encoding="utf-8") == render_junit(one, "vi")


def test_spool_writes_in_scan_order_whatever_the_finishing_order(tmp_path: Path) -> None:
    reports = _reports()
    with CombinedSpool(tmp_path, {"sarif", "junit", "json"}, "en") as spool:
        for position in (2, 0, 1):
            spool.add(position, reports[position])
        files = spool.write()
    assert [p.name for p in files] == ["summary.sarif", "summary.junit.xml"]
    assert files[0].read_text(encoding="utf-8") == render_sarif(reports, "en")
    assert files[1].read_text(encoding="utf-8") == render_junit(reports, "en")
    assert not list(tmp_path.glob(".*.tmp"))


def test_spool_memory_does_not_grow_with_the_reports(tmp_path: Path) -> None:
    """The spool keeps a path per report, not the report: 200 reports cost what 20 cost."""
    report = make_report(DOMAINS[0])

    def peak(count: int) -> int:
        tracemalloc.start()
        with CombinedSpool(tmp_path, {"sarif"}, "vi") as spool:
            for position in range(count):
                spool.add(position, report)
            spool.write()
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    # tracemalloc counts every thread of the process: a thread left by another test of the
    # same xdist worker can only add to a peak, so the least of three is the spool's own
    small = min(peak(20) for _ in range(3))
    large = min(peak(200) for _ in range(3))
    assert large < small * 2, (small, large)


def test_gate_tally_keeps_reasons_not_reports() -> None:
    reports = _reports()
    policy = GatePolicy(fail_under=99.0, fail_on="low")
    tally = GateTally(policy)
    for report in reports:
        tally.add(report)
    assert tally.result() == gate_evaluate(reports, policy)
    assert not tally.result().passed
    assert not hasattr(tally, "reports")
