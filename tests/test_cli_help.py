"""``--help`` says what to type: readable metavars, ``-h``, ``-V``, shell completion."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from auditor import __version__
from auditor.cli import app

runner = CliRunner()
TYPES = re.compile(r"<(bool|str|int|float|path|list\[[a-z]+\])>")


@pytest.mark.parametrize(
    "args",
    [[], ["scan"], ["demo"], ["report"], ["schema"], ["rules"], ["rules", "test"]],
)
def test_help_shows_no_python_types(args: list[str]) -> None:
    result = runner.invoke(app, [*args, "-h"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert not TYPES.search(result.output), result.output


def test_scan_help_names_what_to_type() -> None:
    text = runner.invoke(app, ["scan", "--help"], env={"COLUMNS": "160"}).output
    for metavar in ("DOMAIN…", "FILE", "DIR", "YYYY-MM-DD", "HOST:PORT:ADDR:PORT", "vi|en", "N"):
        assert metavar in text, metavar


def test_version_short_and_long_and_completion() -> None:
    for flag in ("-V", "--version"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0 and __version__ in result.output
    text = runner.invoke(app, ["--help"], env={"COLUMNS": "160"}).output
    assert "--install-completion" in text and "--show-completion" in text
