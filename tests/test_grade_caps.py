"""Grade caps of the Lâm Đồng and Quảng Ninh packs, each resting on its own decision's words:
a demo portal that breaks the capped rule is held at C (the report says why), a compliant one is
not capped. Tuyên Quang's draft has no text a cap could rest on (docs/rule-format.md)."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from auditor.config import CrawlSettings
from auditor.fixtureserver import FixtureServer
from auditor.models import AuditReport
from auditor.paths import fixtures_dir, rules_dir
from auditor.registry import load_registry
from auditor.report.writer import report_stem
from auditor.rules.loader import load_pack
from auditor.scan import build_plan, run_scan

# (pack, capped rule, portal breaking it and its level, compliant portal, words of the citation)
CASES = [
    (
        "lamdong-2025",
        "ld.d4k2a.https",
        ("sokhdt.soctrang.gov.vn", "province"),  # answers over HTTP only
        "Điều 4 khoản 2 điểm a",
    ),
    (
        "quangninh-2023",
        "qn.d5k1.utf8-decodes",
        ("kesach.soctrang.gov.vn", "district"),  # pages in TCVN3 bytes
        "Điều 5 khoản 1",
    ),
]


def _scan(tmp_path: Path, pack_id: str, broken: tuple[str, str]) -> dict[str, AuditReport]:
    registry = tmp_path / f"{pack_id}.yaml"
    registry.write_text(
        f"province: Thử\nprofile: {pack_id}\nagencies:\n"
        "  - {name: Cổng mẫu đạt, level: province, domain: soctrang.gov.vn}\n"
        f"  - {{name: Cổng mẫu lỗi, level: {broken[1]}, domain: {broken[0]}}}\n",
        encoding="utf-8",
    )
    out = tmp_path / pack_id
    with FixtureServer(fixtures_dir() / "sites") as server:
        settings = CrawlSettings(
            connect_to=server.connect_to(),
            ca_bundle=server.ca_pem_path,
            timeout_s=10.0,
            dns_server=server.dns_server,
            max_pages=20,
        )
        plan = build_plan(
            [],
            load_registry(registry),
            None,
            out,
            frozenset({"json"}),
            "vi",
            date(2026, 11, 20),
            settings,
        )
        asyncio.run(run_scan(plan))
    reports = {}
    for domain in ("soctrang.gov.vn", broken[0]):
        text = (out / f"{report_stem(domain)}.json").read_text(encoding="utf-8")
        reports[domain] = AuditReport.model_validate_json(text)
    return reports


@pytest.mark.parametrize(("pack_id", "rule_id", "broken", "cited"), CASES)
def test_a_portal_breaking_the_capped_rule_is_held_at_c(
    tmp_path: Path, pack_id: str, rule_id: str, broken: tuple[str, str], cited: str
) -> None:
    (cap,) = load_pack(pack_id, rules_dir()).scoring.caps
    assert cap.grade == "C" and cap.rules == (rule_id,) and cited in cap.reason.vi
    reports = _scan(tmp_path, pack_id, broken)
    bad = reports[broken[0]]
    (finding,) = [f for f in bad.findings if f.rule_id == rule_id]
    assert finding.status == "fail" and finding.evidence
    assert [c.rules for c in bad.score.caps] == [(rule_id,)]
    assert bad.score.grade in ("C", "D", "E")
    good = reports["soctrang.gov.vn"]
    (finding,) = [f for f in good.findings if f.rule_id == rule_id]
    assert finding.status == "pass"
    assert good.score.caps == ()


def test_tuyen_quang_has_no_cap_and_the_docs_say_why() -> None:
    assert load_pack("tuyenquang-2026", rules_dir()).scoring.caps == ()
    docs = (Path(__file__).resolve().parents[1] / "docs" / "rule-format.md").read_text("utf-8")
    assert "tuyenquang-2026" in docs.split("## Grade caps", 1)[1]
