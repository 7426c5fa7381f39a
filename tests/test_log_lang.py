"""Log lines a user sees follow the run's language: every INFO-and-above message (and the
per-step DEBUG ones of the crawl) is a vi/en ``LogText``, never an English literal."""

from __future__ import annotations

import ast
from pathlib import Path

import auditor

ROOT = Path(auditor.__file__).resolve().parent
LEVELS = {"info", "warning", "error", "critical", "exception"}
# the fixture server is a developer's tool with its own console; "%s" passes a message on as is
SKIP = {"fixtureserver"}


def _literal_messages(levels: set[str]) -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in levels
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "logger"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value.strip("%s ") != ""
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.args[0].value!r}")
    return found


def test_user_visible_log_lines_are_bilingual() -> None:
    assert _literal_messages(LEVELS) == []


def test_the_crawls_step_lines_are_bilingual() -> None:
    crawl = [m for m in _literal_messages({"debug"}) if m.startswith(("crawl/", "gather/"))]
    # the request, DNS and connect-to lines are URLs, names and codes, nothing to translate
    tokens = ("GET %s", "DNS %s", "dns %s", "connect-to: %s")
    assert all(any(t in m for t in tokens) for m in crawl), crawl
