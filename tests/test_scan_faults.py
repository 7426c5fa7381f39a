"""Portals that time out, reset, answer garbage or fail TLS are reported as ``error`` (never
``fail``) for what could not be seen, get no score, and the rest of the scan goes on."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from auditor.config import CrawlSettings
from auditor.fixtureserver import FixtureServer
from auditor.models import AuditReport, Registry
from auditor.registry import load_registry
from auditor.scan import ScanEvent, ScanResult, build_plan, run_scan

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{name}</title></head>
<body><header><h1>{name}</h1></header><main><p>Trang thông tin điện tử.</p></main></body></html>
"""
FAULTS = {
    "reset": "fault: reset\n",
    "garbage": "fault: garbage\n",
    "hang": "fault: hang\n",
    "notls": "tls: false\nfault: reset\n",  # no TLS, and plain HTTP resets too
}


def _sites(root: Path) -> Registry:
    agencies = ["  - {name: Sở Tốt, level: department, domain: sotot.soctrang.gov.vn}"]
    for label, switches in {"sotot": "", **FAULTS}.items():
        host = f"{label}.soctrang.gov.vn"
        folder = root / "sites" / host
        folder.mkdir(parents=True)
        (folder / "_site.yaml").write_text(switches, encoding="utf-8")
        (folder / "index.html").write_text(PAGE.format(name=f"Sở {label}"), encoding="utf-8")
        if label != "sotot":
            agencies.append(f"  - {{name: Sở {label}, level: department, domain: {host}}}")
    (root / "registry.yaml").write_text(
        "province: Sóc Trăng\nprofile: soctrang-2019\nagencies:\n" + "\n".join(agencies) + "\n",
        encoding="utf-8",
    )
    return load_registry(root / "registry.yaml")


EVENTS: list[ScanEvent] = []


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScanResult, Path]:
    root = tmp_path_factory.mktemp("faults")
    registry = _sites(root)
    out = root / "out"
    with FixtureServer(root / "sites") as server:
        settings = CrawlSettings(
            connect_to=server.connect_to(), ca_bundle=server.ca_pem_path, timeout_s=1.0, retries=0
        )
        plan = build_plan(
            [], registry, None, out, frozenset({"json"}), "vi", date(2026, 11, 20), settings
        )
        return asyncio.run(run_scan(plan, EVENTS.append)), out


@pytest.mark.parametrize("label", sorted(FAULTS))
def test_faulty_portal_is_error_not_fail(scanned: tuple[ScanResult, Path], label: str) -> None:
    _, out = scanned
    report = AuditReport.model_validate_json(
        (out / f"{label}.soctrang.gov.vn.json").read_text(encoding="utf-8")
    )
    # the domain name is judged from the registry; a refused TLS handshake is a fact
    judged = {f.rule_id for f in report.findings if f.citation.article == "5"}
    if label == "notls":
        judged.add("st.d6k2.https")
    wrongly_failed = [
        f.rule_id for f in report.findings if f.status == "fail" and f.rule_id not in judged
    ]
    assert wrongly_failed == []
    assert report.score.errors > 30
    assert report.score.total is None and report.score.grade is None
    assert report.crawl.pages_fetched == 0
    https = next(f for f in report.findings if f.rule_id == "st.d6k2.https")
    assert https.status == ("fail" if label == "notls" else "error")
    assert https.evidence[0].found


def test_the_rest_of_the_scan_goes_on(scanned: tuple[ScanResult, Path]) -> None:
    result, out = scanned
    assert len(result.rows) == 1 + len(FAULTS)
    good = AuditReport.model_validate_json(
        (out / "sotot.soctrang.gov.vn.json").read_text(encoding="utf-8")
    )
    assert good.crawl.pages_fetched >= 1 and good.score.total is not None
    https = next(f for f in good.findings if f.rule_id == "st.d6k2.https")
    assert https.status == "pass"


def test_each_request_is_reported_for_its_agency(scanned: tuple[ScanResult, Path]) -> None:
    requests = [e for e in EVENTS if e.kind == "request"]
    good = [e.status for e in requests if e.agency.domain == "sotot.soctrang.gov.vn"]
    reset = [e.status for e in requests if e.agency.domain == "reset.soctrang.gov.vn"]
    assert 200 in good and reset and set(reset) == {0}
    assert all(e.url and e.agency.domain in e.url for e in requests)
