"""Pack ``overrides`` and ``retire`` over a base pack, ``advisory`` rules, custom packs."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import RuleError
from auditor.paths import rules_dir
from auditor.rules.checktree import CheckCall
from auditor.rules.engine import evaluate
from auditor.rules.loader import load_pack, load_pack_file
from tests.factories import art, page

BASE = """\
pack:
  id: base
  title: {vi: "Cơ sở", en: "Base"}
  documents:
    - id: "NĐ 1"
      title: {vi: "NĐ 1", en: "Decree 1"}
  categories:
    content: {vi: "Nội dung", en: "Content"}
rules:
  - id: b.fresh
    title: {vi: "Tin mới", en: "Fresh news"}
    failure: {vi: "Tin cũ", en: "Old news"}
    citation: {document: "NĐ 1", article: "1"}
    applies_to: [all]
    category: content
    severity: medium
    weight: 3
    check: {all: [{news_fresh: {max_working_days: 10}}, {sections_present: {sections: [news]}}]}
  - id: b.english
    title: {vi: "Tiếng Anh", en: "English"}
    failure: {vi: "Không có", en: "None"}
    citation: {document: "NĐ 1", article: "2"}
    applies_to: [province]
    category: content
    severity: low
    weight: 1
    check: {foreign_version: {lang: en}}
"""

CHILD = """\
pack:
  id: child
  title: {vi: "Tỉnh", en: "Province"}
  documents:
    - id: "QĐ 9"
      title: {vi: "QĐ 9", en: "Decision 9"}
  extends: base
  overrides:
    b.fresh: {weight: 7, severity: high, params: {max_working_days: 5}}
  retire:
    b.english: "Điều 3 QĐ 9 kiểm tra / checked by Art. 3"
rules:
  - id: c.sections
    title: {vi: "Mục", en: "Sections"}
    failure: {vi: "Thiếu", en: "Missing"}
    citation: {document: "QĐ 9", article: "3"}
    applies_to: [all]
    category: content
    severity: low
    weight: 1
    advisory: true
    check: {sections_present: {sections: [science]}}
"""


def _write(folder: Path, base: str = BASE, child: str = CHILD) -> None:
    (folder / "base.yaml").write_text(base, encoding="utf-8")
    (folder / "child.yaml").write_text(child, encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(RuleError) as info:
        load_pack("child", folder)
    return [str(p) for p in info.value.problems]


def test_override_changes_weight_severity_and_params_of_every_call(tmp_path: Path) -> None:
    _write(tmp_path)
    pack = load_pack("child", tmp_path)
    rules = {r.id: r for r in pack.rules}
    fresh = rules["b.fresh"]
    assert fresh.weight == 7 and fresh.severity == "high"
    calls = [c for c in fresh.check.items if isinstance(c, CheckCall)]  # type: ignore[union-attr]
    assert calls[0].params.max_working_days == 5  # type: ignore[attr-defined]
    assert calls[1].name == "sections_present"  # the other call keeps its own parameters
    base = {r.id: r for r in load_pack("base", tmp_path).rules}["b.fresh"]
    assert base.weight == 3  # the base pack itself is unchanged


def test_retire_leaves_the_rule_out_and_keeps_the_reason(tmp_path: Path) -> None:
    _write(tmp_path)
    pack = load_pack("child", tmp_path)
    assert "b.english" not in {r.id for r in pack.rules}
    assert [(r.id, why) for r, why in pack.retired] == [
        ("b.english", "Điều 3 QĐ 9 kiểm tra / checked by Art. 3")
    ]


def test_unknown_rule_ids_and_parameters_are_problems_with_lines(tmp_path: Path) -> None:
    child = CHILD.replace("    b.fresh: {weight: 7", "    b.frsh: {weight: 7").replace(
        "    b.english: ", "    b.englsh: "
    )
    child = child.replace("  overrides:\n", "  overrides:\n    b.english: {params: {langg: x}}\n")
    _write(tmp_path, child=child)
    problems = _problems(tmp_path)
    text = "\n".join(problems)
    assert "child.yaml:10: pack: overrides: 'b.frsh' is not a rule of 'base'" in text
    assert "did you mean" in text and "'b.fresh'" in text
    assert "'b.englsh' is not a rule of 'base'" in text
    assert "child.yaml:9: pack: overrides 'b.english': no check of the rule takes langg" in text


def test_empty_reason_and_overrides_without_extends_are_problems(tmp_path: Path) -> None:
    child = CHILD.replace('b.english: "Điều 3 QĐ 9 kiểm tra / checked by Art. 3"', 'b.english: ""')
    _write(tmp_path, child=child)
    assert any("needs a reason" in p for p in _problems(tmp_path))
    _write(tmp_path, child=CHILD.replace("  extends: base\n", ""))
    assert any("overrides and retire need 'extends'" in p for p in _problems(tmp_path))


def test_advisory_rule_warns_instead_of_failing(tmp_path: Path) -> None:
    _write(tmp_path)
    pack = load_pack("child", tmp_path)
    home = page("https://x.gov.vn/", "<html lang='vi'><body><a href='/tin-tuc/'>Tin tức</a></body>")
    findings = {f.rule_id: f for f in evaluate(pack, art(home))}
    assert findings["c.sections"].status == "warn"
    assert findings["c.sections"].evidence  # the failing check's evidence is kept


def test_example_custom_pack_extends_a_bundled_pack() -> None:
    path = rules_dir() / "examples" / "inspectorate.yaml"
    pack = load_pack_file(path, base_dir=rules_dir())
    rules = {r.id: r for r in pack.rules}
    fresh = rules["st.d17k1a.news-fresh"].check
    assert isinstance(fresh, CheckCall) and fresh.params.max_working_days == 5  # type: ignore[attr-defined]
    assert rules["st.d6k2.https"].weight == 15 and "st.d6k2.hsts" not in rules
    assert "ttr.2026.tls" in rules and pack.extends == "soctrang-2019"
