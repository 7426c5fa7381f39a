"""One source of truth for an agency: the registry given wins over a bundled one that also
lists it, for its children as for its facts, and the report names that registry."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from auditor.config import CrawlSettings
from auditor.fixtureserver import FixtureServer
from auditor.models import AuditReport
from auditor.paths import fixtures_dir, rules_dir
from auditor.registry import bundled_registries, load_registry
from auditor.scan import build_plan, parse_target, run_scan

GIVEN = """\
province: Sóc Trăng
profile: soctrang-2019
agencies:
  - {name: "UBND tỉnh Sóc Trăng (danh sách của thanh tra)", level: province, domain: soctrang.gov.vn}
  - {name: "Sở Thông tin và Truyền thông", level: department, domain: sotttt.soctrang.gov.vn, parent: soctrang.gov.vn}
  - {name: "Ban Quản lý dự án ma", level: department, domain: bqlda.soctrang.gov.vn, parent: soctrang.gov.vn}
"""


def _given(tmp_path: Path) -> Path:
    path = tmp_path / "given.yaml"
    path.write_text(GIVEN, encoding="utf-8")
    return path


def test_the_given_registry_wins_over_the_bundled_one(tmp_path: Path) -> None:
    given = load_registry(_given(tmp_path))
    bundled = bundled_registries(rules_dir() / "registries")
    assert any(r.by_domain("soctrang.gov.vn") for r in bundled)  # both know the agency
    target = parse_target("soctrang.gov.vn", given, bundled=bundled)
    assert target.registry is given
    assert target.agency.name == "UBND tỉnh Sóc Trăng (danh sách của thanh tra)"
    alone = parse_target("soctrang.gov.vn", None, bundled=bundled)
    assert alone.registry is not None and alone.registry.source == "bundled:soctrang.yaml"


def test_children_rule_judges_the_given_registrys_children(tmp_path: Path) -> None:
    out = tmp_path / "out"
    registry = load_registry(_given(tmp_path))
    with FixtureServer(fixtures_dir() / "sites") as server:
        settings = CrawlSettings(
            connect_to=server.connect_to(),
            ca_bundle=server.ca_pem_path,
            timeout_s=10.0,
            dns_server=server.dns_server,
        )
        plan = build_plan(
            ["soctrang.gov.vn"],
            registry,
            None,
            out,
            frozenset({"json", "html"}),
            "en",
            date(2026, 11, 20),
            settings,
        )
        asyncio.run(run_scan(plan))
    report = AuditReport.model_validate_json((out / "soctrang.gov.vn.json").read_text("utf-8"))
    assert report.crawl.registry == registry.source
    assert registry.source is not None and registry.source.endswith("given.yaml")
    html = (out / "soctrang.gov.vn.html").read_text("utf-8")
    assert "Agency list" in html and "given.yaml" in html
    (finding,) = [f for f in report.findings if f.rule_id == "st.d16k1.links-children"]
    # the home page links to sotttt but not to the given registry's phantom board; the bundled
    # registry's other children (sokhdt, kesach, ...) are not judged at all
    assert finding.status == "fail"
    assert [e.expected for e in finding.evidence] == ["bqlda.soctrang.gov.vn"]
