"""``auditor rules …`` through typer's CliRunner on the sub-app: list, show, validate, schema,
coverage (and the committed docs/coverage tables), and the fixture runner over every pack."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from auditor.cli_rules import rules_app, schema_text
from auditor.paths import fixtures_dir, rules_dir
from auditor.rules.coverage import coverage, load_digest, render_markdown
from auditor.rules.loader import list_packs, load_pack

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()
PACKS = [ref.id for ref in list_packs(rules_dir())]


def test_all_five_packs_are_bundled() -> None:
    assert {
        "national",
        "soctrang-2019",
        "lamdong-2025",
        "tuyenquang-2026",
        "quangninh-2023",
    } <= set(PACKS)


def test_list_shows_rules_with_citation_and_counts() -> None:
    result = runner.invoke(rules_app, ["list", "--profile", "tuyenquang-2026", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "tuyenquang-2026 [DRAFT]" in result.output
    assert "tq.d2k2.domain-province" in result.output and "manual" in result.output


def test_show_prints_citation_quote_params_and_fixtures() -> None:
    result = runner.invoke(rules_app, ["show", "st.d6k2.https", "--profile", "soctrang-2019"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "QĐ 07/2019/QĐ-UBND, Điều 6 khoản 2" in out
    assert "“Thống nhất sử dụng giao thức truyền tải siêu văn bản an toàn (https).”" in out
    assert '"name": "https_available"' in out
    assert "fixtures/rules/st.d6k2.https/pass" in out and "fixtures/rules/st.d6k2.https/fail" in out
    news = runner.invoke(rules_app, ["show", "st.d17k1a.news-fresh", "-p", "soctrang-2019"])
    assert '"max_working_days": 10' in news.output


def test_show_unknown_rule_exits_2() -> None:
    result = runner.invoke(rules_app, ["show", "st.nope", "--profile", "national", "--lang", "en"])
    assert result.exit_code == 2 and "no rule 'st.nope' in pack 'national'" in result.output


def test_validate_every_bundled_pack() -> None:
    result = runner.invoke(rules_app, ["validate", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"{len(PACKS)} pack(s) valid" in result.output


def test_validate_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    text = (rules_dir() / "lamdong-2025.yaml").read_text(encoding="utf-8")
    text = text.replace('check: {"nfc_text": {}}', 'check: {"nfc_txt": {}}', 1)
    text = text.replace("severity: high", "severity: huge", 1)
    bad = tmp_path / "lamdong-2025.yaml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(rules_app, ["validate", str(bad), "--lang", "en"])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.startswith(str(bad) + ":")]
    assert len(lines) == 2, result.output
    nfc_line = text.splitlines().index('    check: {"nfc_txt": {}}') + 1
    assert any(f"{bad}:{nfc_line}:" in ln and "nfc_txt" in ln for ln in lines)
    assert any("severity: Input should be 'critical'" in ln for ln in lines)


def test_schema_is_committed_and_not_stale() -> None:
    committed = (REPO / "docs" / "rule-schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run: auditor rules schema -o docs/rule-schema.json"
    result = runner.invoke(rules_app, ["schema"])
    assert result.exit_code == 0 and json.loads(result.output)["title"] == "auditor rule pack"


def _pack_files() -> list[Path]:
    """Every rule pack file (the section catalogue and the citation list are not packs)."""
    candidates = [
        *sorted(rules_dir().glob("*.yaml")),
        rules_dir() / "examples" / "inspectorate.yaml",
    ]
    return [
        p for p in candidates if "pack" in (yaml.safe_load(p.read_text(encoding="utf-8")) or {})
    ]


@pytest.mark.parametrize("path", _pack_files(), ids=lambda p: p.name)
def test_every_pack_file_matches_the_json_schema(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(data, default=str)), json.loads(schema_text()))


def test_schema_rejects_an_unknown_primitive() -> None:
    pack = {
        "pack": {"id": "x", "title": {"vi": "x", "en": "x"}, "documents": []},
        "rules": [{"id": "r", "check": {"no_such_check": {}}}],
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(pack, json.loads(schema_text()))


@pytest.mark.parametrize("pack_id", PACKS)
def test_coverage_is_complete_and_the_committed_table_is_current(pack_id: str) -> None:
    result = runner.invoke(rules_app, ["coverage", "--profile", pack_id])
    assert result.exit_code == 0, result.output
    pack = load_pack(pack_id, rules_dir())
    expected = render_markdown(pack, coverage(pack, load_digest(rules_dir())))
    committed = REPO / "docs" / "coverage" / f"{pack_id}.md"
    assert committed.read_text(encoding="utf-8") == expected, (
        f"stale: run auditor rules coverage --profile {pack_id} -o {committed}"
    )
    csv_out = runner.invoke(rules_app, ["coverage", "--profile", pack_id, "--format", "csv"])
    assert csv_out.output.startswith("source,row,document,citation,rules,manual,covered")


def test_coverage_fails_when_a_digest_row_has_no_rule(tmp_path: Path) -> None:
    shutil.copy(rules_dir() / "citations.yaml", tmp_path / "citations.yaml")
    shutil.copy(rules_dir() / "national.yaml", tmp_path / "national.yaml")
    text = (rules_dir() / "soctrang-2019.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: st.d11.science")
    end = text.index("  - id: st.d12k1.statistics-province")
    (tmp_path / "soctrang-2019.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    result = runner.invoke(
        rules_app,
        ["coverage", "--profile", "soctrang-2019", "--rules-dir", str(tmp_path), "--lang", "en"],
    )
    assert result.exit_code == 1
    assert "| Đ11 |" in result.output and "Đ11: **none** | **NO** |" in result.output
    assert "not covered: Đ11" in result.output


def test_rule_without_fixtures_fails_the_test_command(tmp_path: Path) -> None:
    result = runner.invoke(
        rules_app, ["test", "--profile", "national", "--fixtures", str(tmp_path), "--lang", "en"]
    )
    assert result.exit_code == 1
    assert "MISSING nat.tt32.d20.https: no pass and no fail fixture" in result.output


def test_a_case_with_the_wrong_status_is_reported(tmp_path: Path) -> None:
    rule = "nat.tt32.d20.https"
    src = fixtures_dir() / "rules" / rule
    shutil.copytree(src / "pass", tmp_path / rule / "pass")
    shutil.copytree(src / "pass", tmp_path / rule / "fail")  # a compliant portal as "fail"
    result = runner.invoke(
        rules_app, ["test", "--profile", "national", "--fixtures", str(tmp_path), "--lang", "en"]
    )
    assert result.exit_code == 1
    assert f"FAIL {rule}/fail: expected fail, got pass" in result.output
    assert "national: 1/2 cases as expected" in result.output


def test_validate_and_test_refuse_to_check_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(rules_app, ["validate", "--rules-dir", str(empty), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "no rule pack found" in result.output and "nothing was validated" in result.output
    result = runner.invoke(rules_app, ["test", "--rules-dir", str(empty), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "nothing was tested" in result.output
    monkeypatch.setenv("AUDITOR_HOME", str(tmp_path / "nowhere"))
    result = runner.invoke(rules_app, ["validate", "--lang", "en"])
    assert result.exit_code == 2 and "no rule pack found" in result.output, result.output
    result = runner.invoke(
        rules_app, ["test", "--fixtures", str(tmp_path / "none"), "--lang", "en"]
    )
    assert result.exit_code == 2 and "nothing was tested" in result.output, result.output
