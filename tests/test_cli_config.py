"""The configuration file: auditor.toml, [tool.auditor] of pyproject.toml, --config FILE.

Every scan option can live there; flags override it; bad keys and types are file:line, exit 2,
before any request."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.fixtureserver import FixtureServer
from auditor.paths import fixtures_dir

runner = CliRunner()


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer(fixtures_dir() / "sites") as srv:
        yield srv


def _staging(srv: FixtureServer) -> str:
    return (
        f'connect-to = [":443:127.0.0.1:{srv.https_port}", ":80:127.0.0.1:{srv.http_port}"]\n'
        f'ca-bundle = "{srv.ca_pem_path}"\n'
    )


def test_auditor_toml_in_the_working_folder_holds_every_option(
    server: FixtureServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "auditor.toml").write_text(
        "# CI settings of the provincial portal\n"
        'targets = ["soctrang.gov.vn"]\n'
        + _staging(server)
        + 'as-of = "2026-11-20"\nout = "reports"\nformat = ["json", "sarif"]\n'
        'max-pages = 40\nfail-under = 90\nfail-on = "critical"\nquiet = true\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["scan"])
    assert result.exit_code == 0, result.output
    assert "auditor: OK soctrang.gov.vn=100.0" in result.output
    report = json.loads((tmp_path / "reports" / "soctrang.gov.vn.json").read_text("utf-8"))
    assert report["as_of"] == "2026-11-20"
    assert (tmp_path / "reports" / "soctrang.gov.vn.sarif").is_file()
    assert not (tmp_path / "reports" / "soctrang.gov.vn.html").exists()

    # a flag overrides the file
    result = runner.invoke(app, ["scan", "--out", "other", "--fail-under", "100.0"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "other" / "soctrang.gov.vn.json").is_file()


def test_pyproject_tool_auditor_and_explicit_config(
    server: FixtureServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ci = tmp_path / "ci"
    ci.mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "portal"\n\n[tool.auditor]\n'
        'targets = ["soctrang.gov.vn"]\n' + _staging(server) + 'as-of = "2026-11-20"\n'
        'format = "json"\nout = "from-pyproject"\nquiet = true\n',
        encoding="utf-8",
    )
    (ci / "audit.toml").write_text(
        'targets = ["soctrang.gov.vn"]\n' + _staging(server) + 'as-of = "2026-11-20"\n'
        'format = "json"\nout = "../from-config"\nquiet = true\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["scan"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "from-pyproject" / "soctrang.gov.vn.json").is_file()
    result = runner.invoke(app, ["scan", "--config", "ci/audit.toml"])
    assert result.exit_code == 0, result.output
    # relative paths are relative to the configuration file
    assert (tmp_path / "from-config" / "soctrang.gov.vn.json").is_file()


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        # said in Vietnamese (the default; the file sets no lang)
        ("out = 'r'\nmax-pages = 'ten'\n", ":2:", "max-pages: cần một số nguyên, không phải str"),
        ("\n\nbogus = 1\n", ":3:", "không có khóa 'bogus'"),
        ("quiet = 'yes'\n", ":1:", "quiet: cần true hoặc false"),
        ("connect-to = [{a = 1}]\n", ":1:", "connect-to: cần một danh sách chuỗi"),
        ("fail-under = true\n", ":1:", "fail-under: cần một giá trị, không phải true/false"),
        ("out = 'r'\nout = 's'\n", ":2:", "không phải TOML hợp lệ"),
        # in English when the file asks for it
        ("lang = 'en'\nmax-pages = 'ten'\n", ":2:", "max-pages: expected an integer, got str"),
    ],
)
def test_bad_configuration_is_file_line_exit_2(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = tmp_path / "audit.toml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["scan", "soctrang.gov.vn", "--config", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}{where}" in result.output and message in result.output, result.output
    assert "Traceback" not in result.output


def test_a_missing_config_file_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--config", str(tmp_path / "none.toml")])
    assert result.exit_code == 2
    assert "không có tệp cấu hình này" in result.output


def test_the_readme_configuration_is_valid(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "auditor.toml"
    path.write_text(block, encoding="utf-8")
    pem = tmp_path / "ca.pem"
    pem.write_text("", encoding="utf-8")
    result = runner.invoke(
        app, ["scan", "--config", str(path), "--ca-bundle", str(pem), "--lang", "xx"]
    )
    assert result.exit_code == 2
    assert "--lang must be vi or en" in result.output, result.output
