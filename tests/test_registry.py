"""Registry loading: valid files, and every problem reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import RegistryError
from auditor.registry import load_registry


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "reg.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_registry_loads_agencies_and_children(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """province: Sóc Trăng
profile: soctrang-2019
agencies:
  - {name: "UBND tỉnh Sóc Trăng", level: province, domain: soctrang.gov.vn}
  - {name: "Sở Thông tin và Truyền thông", level: department, domain: sotttt.soctrang.gov.vn, parent: soctrang.gov.vn}
""",
    )
    reg = load_registry(path)
    assert reg.profile == "soctrang-2019"
    assert [a.domain for a in reg.children_of("www.soctrang.gov.vn")] == ["sotttt.soctrang.gov.vn"]
    assert reg.by_domain("SOTTTT.soctrang.gov.vn") is not None


def test_every_problem_has_file_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """province: Sóc Trăng
agencies:
  - name: A
    level: county
    domain: a.soctrang.gov.vn
  - name: B
    level: district
    domain: b.soctrang.gov.vn
    colour: red
""",
    )
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    lines = [str(p) for p in info.value.problems]
    assert any(line.startswith(f"{path}:4:") and "level" in line for line in lines), lines
    assert any(line.startswith(f"{path}:9:") and "colour" in line for line in lines), lines


def test_duplicate_domain_and_unknown_parent(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """province: X
agencies:
  - {name: A, level: province, domain: x.gov.vn}
  - {name: B, level: department, domain: www.x.gov.vn}
  - {name: C, level: unit, domain: c.x.gov.vn, parent: nowhere.x.gov.vn}
""",
    )
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    text = [str(p) for p in info.value.problems]
    assert any(":4:" in t and "listed twice" in t for t in text), text
    assert any(":5:" in t and "not in the registry" in t for t in text), text


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "province: X\nagencies: [\n  {name: A\n")
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    assert info.value.problems[0].line is not None
