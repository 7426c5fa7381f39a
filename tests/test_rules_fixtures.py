"""Rule fixture cases: a shared portal (``portal:``) is laid under the case's own files."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import RuleError
from auditor.rule_fixtures import RewriteSpec, _site_files, load_case


def _case(root: Path, portal: str) -> Path:
    folder = root / "x.rule" / "pass"
    (folder / "site").mkdir(parents=True)
    (folder / "fixture.yaml").write_text(
        f"agency: {{name: Sở X, level: department, domain: x.soctrang.gov.vn}}\nportal: {portal}\n",
        encoding="utf-8",
    )
    (folder / "site" / "index.html").write_text("own home", encoding="utf-8")
    return folder


def test_shared_portal_files_come_first_and_own_files_win(tmp_path: Path) -> None:
    shared = tmp_path / "_portals" / "rich"
    (shared / "tin-tuc").mkdir(parents=True)
    (shared / "index.html").write_text("shared home", encoding="utf-8")
    (shared / "tin-tuc" / "index.html").write_text("news", encoding="utf-8")
    case = load_case("x.rule", "pass", _case(tmp_path, "rich"))
    files = _site_files(case, tmp_path / "sites")
    assert sorted(files) == ["index.html", "tin-tuc/index.html"]
    assert files["index.html"].read_text(encoding="utf-8") == "own home"
    assert files["tin-tuc/index.html"].parent.parent == shared


def test_missing_shared_portal_is_a_located_problem(tmp_path: Path) -> None:
    case = load_case("x.rule", "pass", _case(tmp_path, "nope"))
    with pytest.raises(RuleError, match="portal: no shared portal"):
        _site_files(case, tmp_path / "sites")


def test_rewrite_edits_only_the_matching_files() -> None:
    spec = RewriteSpec(files="tin-tuc/*.html", pattern=r"<button[^>]*>In bài</button>")
    page = '<p>Ngày đăng · <button class="print">In bài</button></p>'.encode()
    assert spec.apply("tin-tuc/a.html", page) == "<p>Ngày đăng · </p>".encode()
    assert spec.apply("index.html", page) is None
    legacy = b"\xe0 <button>In b\xe0i</button>"  # not UTF-8: bytes outside survive unchanged
    assert spec.apply("tin-tuc/b.html", legacy) == legacy
    with pytest.raises(ValueError, match="regular expression"):
        RewriteSpec(files="*", pattern="(")
