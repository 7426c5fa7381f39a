"""``--help`` in the run's language: every command's, option's and argument's text has a
Vietnamese and an English version, shown by ``--lang`` (or the configuration file's ``lang``),
typer's own words included; paragraphs reflow instead of keeping the source's line breaks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.core
import typer.main
from typer.testing import CliRunner

from auditor.cli import app
from auditor.cli_help import h, help_pair
from auditor.models import LocalText

runner = CliRunner()
WIDE = {"COLUMNS": "1000"}  # no cell wraps: a text reads as one run of words


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def _shown(*args: str) -> str:
    """The help as printed, box drawing out and whitespace collapsed."""
    result = runner.invoke(app, list(args), env=WIDE)
    assert result.exit_code == 0, result.output
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())


def _texts(command: Any) -> Iterator[tuple[str, str | None]]:
    """Every help text ``--help`` of ``command`` shows: its own, its parameters' (the help
    option too)."""
    ctx = typer.core._click.Context(command)
    yield "(command)", command.help
    for param in command.get_params(ctx):
        if not getattr(param, "hidden", False):
            yield param.name or "?", param.help


ROOT = typer.main.get_command(app)
EVERY = [
    (" ".join(path) or "auditor", name, text)
    for path, command in _commands(ROOT)
    for name, text in _texts(command)
]


@pytest.mark.parametrize(("command", "param", "text"), EVERY)
def test_every_help_text_has_both_languages(command: str, param: str, text: str | None) -> None:
    pair = help_pair(text)
    assert pair is not None, f"{command} {param}: help text without h(vi, en): {text!r}"
    assert pair.vi.strip() and pair.en.strip() and pair.vi != pair.en, (command, param)
    for said in (pair.vi, pair.en):  # one paragraph per line: the console reflows it
        assert "\n" not in said.replace("\n\n", ""), (command, param, said)


def test_the_tree_has_every_command() -> None:
    names = {" ".join(path) for path, _ in _commands(ROOT)}
    assert {"scan", "demo", "report", "schema", "history", "diff", "merge", "audit"} <= names
    assert {"rules list", "rules show", "rules validate", "rules test", "rules coverage"} <= names


def _scan_pairs() -> list[LocalText]:
    command = ROOT.commands["scan"]  # type: ignore[attr-defined]
    pairs = [help_pair(text) for _, text in _texts(command)]
    return [p for p in pairs if p is not None]


ENGLISH_WORDS = ("Usage:", "Options", "Arguments", "[default:", "Show this message and exit")
VIETNAMESE_WORDS = ("Cách dùng:", "Tuỳ chọn", "Tham số", "[mặc định:", "Hiện phần trợ giúp")


WORDS = {"vi": VIETNAMESE_WORDS, "en": ENGLISH_WORDS}
EXIT_CODES = {"vi": "Mã thoát", "en": "Exit codes"}


def _assert_scan_help_in(text: str, lang: str) -> None:
    """Every scan help text, typer's own words and the exit codes in ``lang``, none in the other."""
    other = "en" if lang == "vi" else "vi"
    for pair in _scan_pairs():
        assert getattr(pair, lang).replace("\n\n", " ") in text, getattr(pair, lang)
        assert getattr(pair, other).split("\n\n")[0] not in text, getattr(pair, other)
    assert f"{EXIT_CODES[lang]}: 0" in text and EXIT_CODES[other] not in text
    assert all(w in text for w in WORDS[lang])
    assert not any(w in text for w in WORDS[other])


def test_scan_help_is_vietnamese_by_default() -> None:
    _assert_scan_help_in(_shown("scan", "--help"), "vi")


@pytest.mark.parametrize(
    "args",
    [
        ("scan", "--help", "--lang", "en"),
        ("scan", "--lang=en", "-h"),
        ("--lang", "en", "scan", "-h"),
    ],
)
def test_scan_help_is_english_with_lang_en(args: tuple[str, ...]) -> None:
    _assert_scan_help_in(_shown(*args), "en")


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("demo",),
        ("report",),
        ("schema",),
        ("history",),
        ("diff",),
        ("merge",),
        ("audit",),
        ("rules",),
        ("rules", "list"),
        ("rules", "show"),
        ("rules", "validate"),
        ("rules", "test"),
        ("rules", "coverage"),
        ("rules", "schema"),
    ],
)
def test_every_commands_help_follows_lang(args: tuple[str, ...]) -> None:
    vi = _shown(*args, "--help")
    en = _shown("--lang", "en", *args, "--help")
    assert vi.startswith("Cách dùng:") and "Tuỳ chọn" in vi and "Options" not in vi
    assert en.startswith("Usage:") and "Options" in en and "Tuỳ chọn" not in en
    command = ROOT
    for name in args:
        command = command.commands[name]  # type: ignore[attr-defined]
    pair = help_pair(command.help)
    assert pair is not None
    assert pair.vi.split("\n\n")[0] in vi and pair.vi.split("\n\n")[0] not in en
    assert pair.en.split("\n\n")[0] in en and pair.en.split("\n\n")[0] not in vi


def test_the_configuration_files_lang_sets_the_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "auditor.toml").write_text('lang = "en"\n', encoding="utf-8")
    assert _shown("demo", "--help").startswith("Usage:")
    assert _shown("demo", "--help", "--lang", "vi").startswith("Cách dùng:")  # flag wins
    (tmp_path / "auditor.toml").unlink()
    other = tmp_path / "ci.toml"
    other.write_text('lang = "en"\n', encoding="utf-8")
    assert _shown("demo", "--config", str(other), "--help").startswith("Usage:")


def test_lang_before_the_command_is_the_commands(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.json")
    said = runner.invoke(app, ["--lang", "en", "report", missing, "-o", str(tmp_path)])
    assert said.exit_code == 2
    assert "file not found" in said.output and "không" not in said.output
    said = runner.invoke(app, ["report", missing, "-o", str(tmp_path)])
    assert said.exit_code == 2 and "không tìm thấy tệp" in said.output


def test_a_text_declared_with_two_translations_is_refused() -> None:
    h("Một văn bản thử nghiệm riêng.", "A test text of its own.")
    h("Một văn bản thử nghiệm riêng.", "A test text of its own.")  # the same pair again: fine
    with pytest.raises(ValueError, match="two translations"):
        h("Một văn bản thử nghiệm riêng.", "Another English text.")


def test_exit_code_paragraph_reflows() -> None:
    """The source's line breaks do not reach the console (no "(--fail-under,\\n --fail-on")."""
    result = runner.invoke(app, ["scan", "--help", "--lang", "en"], env={"COLUMNS": "100"})
    lines = [line.strip() for line in result.output.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("Exit codes:"))
    paragraph = lines[start : lines.index("", start)]
    assert all(len(line) > 60 for line in paragraph[:-1]), paragraph
