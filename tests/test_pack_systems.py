"""Pack ``systems``: the systems a regulation names (the province's own public-service portal)
count for a section under every rule of the pack, national rules included."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import RuleError
from auditor.models import Agency
from auditor.paths import rules_dir
from auditor.rules.engine import evaluate
from auditor.rules.loader import load_pack
from tests.factories import art, page

QN = Agency(name="Ủy ban nhân dân tỉnh Quảng Ninh", level="province", domain="quangninh.gov.vn")


def _home(menu: str) -> str:
    return (
        "<html lang='vi'><body><header><h1>Cổng thông tin điện tử tỉnh Quảng Ninh</h1></header>"
        f"<nav><ul>{menu}</ul></nav><main><p>Tin tức</p></main></body></html>"
    )


def test_the_province_service_portal_is_judged_alike_by_every_rule() -> None:
    pack = load_pack("quangninh-2023", rules_dir())
    assert pack.systems["online_services"] == ("dichvucong.quangninh.gov.vn",)
    menu = (
        '<li><a href="https://dichvucong.quangninh.gov.vn/">Dịch vụ công trực tuyến</a></li>'
        '<li><a href="https://dichvucong.quangninh.gov.vn/thu-tuc">Thủ tục hành chính</a></li>'
    )
    findings = {
        f.rule_id: f
        for f in evaluate(pack, art(page("https://www.quangninh.gov.vn/", _home(menu)), agency=QN))
    }
    wanted = ["qn.d14k3.online-services", "nat.nd224.d9k1a.online-services"]
    statuses = {rid: findings[rid].status for rid in wanted if rid in findings}
    assert len(statuses) == len(wanted), sorted(findings)
    assert set(statuses.values()) == {"pass"}, statuses
    seen = " ".join(e.detail.en for rid in wanted for e in findings[rid].evidence)
    assert "not examined" not in seen
    assert "Links to dichvucong.quangninh.gov.vn" in seen
    national = findings["nat.nd224.d9k1a.online-services"]
    assert any(
        "recognised system dichvucong.quangninh.gov.vn" in e.detail.en for e in national.evidence
    )


def test_another_state_host_is_still_not_examined_not_failed() -> None:
    pack = load_pack("quangninh-2023", rules_dir())
    menu = '<li><a href="https://dvc.other.gov.vn/">Dịch vụ công trực tuyến</a></li>'
    findings = {
        f.rule_id: f
        for f in evaluate(pack, art(page("https://www.quangninh.gov.vn/", _home(menu)), agency=QN))
    }
    out = findings["nat.nd224.d9k1a.online-services"]
    assert out.status == "error"
    assert any("pack's systems" in e.detail.en for e in out.evidence)


BAD = """\
pack:
  id: child
  title: {vi: "Tỉnh", en: "Province"}
  documents:
    - id: "QĐ 9"
      title: {vi: "QĐ 9", en: "Decision 9"}
  systems:
    online_service: [dichvucong.x.gov.vn]
    procedures: ["https://dichvucong.x.gov.vn/"]
rules:
  - id: c.sections
    title: {vi: "Mục", en: "Sections"}
    failure: {vi: "Thiếu", en: "Missing"}
    citation: {document: "QĐ 9", article: "3"}
    applies_to: [all]
    category: content
    severity: low
    weight: 1
    check: {sections_present: {sections: [procedures]}}
"""


def test_systems_name_known_sections_and_host_names(tmp_path: Path) -> None:
    (tmp_path / "child.yaml").write_text(BAD, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_pack("child", tmp_path)
    problems = [str(p) for p in info.value.problems]
    assert any(
        ":8:" in p and "unknown section 'online_service'" in p and "online_services" in p
        for p in problems
    ), problems
    assert any(":9:" in p and "not a host name" in p for p in problems), problems


def test_tuyenquang_component_names_are_left_to_a_person_with_the_reason() -> None:
    pack = load_pack("tuyenquang-2026", rules_dir())
    dept = Agency(
        name="Sở Khoa học và Công nghệ",
        level="department",
        domain="sokhcn.tuyenquang.gov.vn",
        parent="tuyenquang.gov.vn",
    )
    findings = {
        f.rule_id: f
        for f in evaluate(
            pack, art(page("https://sokhcn.tuyenquang.gov.vn/", "<p>x</p>"), agency=dept)
        )
    }
    out = findings["tq.d2k1.domain-department"]
    assert out.status == "manual" and out.weight == 0
    assert "sets no naming form" in out.evidence[0].detail.en
    assert "không quy định dạng tên miền" in out.evidence[0].detail.vi
