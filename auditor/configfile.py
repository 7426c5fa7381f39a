"""The configuration file: ``auditor.toml``, ``[tool.auditor]`` of ``pyproject.toml``, or a file
named with ``--config``.

Keys are the long flags of a command without their dashes (``connect-to = [...]``,
``fail-under = 80``, ``format = ["json", "sarif"]``); ``targets`` lists the domains to scan.
This module finds and reads the file and locates every key by line; which keys exist and what
type each takes is the command line's business (:mod:`auditor.cli_config`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import InputError, Message, Problem
from auditor.models import t

CONFIG_NAME = "auditor.toml"
PYPROJECT = "pyproject.toml"
_TOML_LINE = re.compile(r"at line (\d+)")
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


@dataclass(frozen=True)
class ConfigEntry:
    """One key of the configuration file, with its value and the line it is on."""

    key: str
    value: Any
    line: int | None


@dataclass(frozen=True)
class ConfigFile:
    """The keys of a configuration file, in file order."""

    path: Path
    entries: tuple[ConfigEntry, ...] = field(default=())

    def problem(self, entry: ConfigEntry | None, message: Message) -> Problem:
        """A problem located at ``entry`` (or at the file)."""
        return Problem(str(self.path), entry.line if entry else None, message)


MAX_CONFIG_CHARS = 1_000_000  # a configuration file is a few lines


def discover(folder: Path) -> Path | None:
    """``auditor.toml`` in ``folder``, else its ``pyproject.toml`` if it has ``[tool.auditor]``."""
    own = folder / CONFIG_NAME
    if own.is_file():
        return own
    pyproject = folder / PYPROJECT
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
            return None  # a broken pyproject.toml is not ours to judge unless it names us
        tool = data.get("tool")
        if isinstance(tool, dict) and "auditor" in tool:
            return pyproject
    return None


def load(path: Path) -> ConfigFile:
    """Read ``path``; its keys are top-level (``auditor.toml``, any other name) or under
    ``[tool.auditor]`` (``pyproject.toml``). Raise :class:`InputError` with file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        missing = t("không có tệp cấu hình này", "no such configuration file")
        raise InputError([Problem(str(path), None, missing)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        cannot = t(f"không đọc được: {exc}", f"cannot read: {exc}")
        raise InputError([Problem(str(path), None, cannot)]) from None
    if len(text) > MAX_CONFIG_CHARS:
        big = t("tệp quá lớn đối với tệp cấu hình", "file too large for a configuration file")
        raise InputError([Problem(str(path), None, big)])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        line = int(found.group(1)) if found else None
        bad = t(f"không phải TOML hợp lệ: {exc}", f"not valid TOML: {exc}")
        raise InputError([Problem(str(path), line, bad)]) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        deep = t("lồng quá sâu", "nested too deeply")
        raise InputError([Problem(str(path), None, deep)]) from None
    table: Any = data
    section: str | None = None
    if path.name == PYPROJECT:
        table = data.get("tool", {}).get("auditor", {})
        section = "tool.auditor"
        if not isinstance(table, dict):
            table_only = t("[tool.auditor] phải là một bảng", "[tool.auditor] must be a table")
            raise InputError([Problem(str(path), None, table_only)])
    lines = _key_lines(text, section)
    entries = tuple(ConfigEntry(key, value, lines.get(key)) for key, value in table.items())
    return ConfigFile(path, entries)


def _key_lines(text: str, section: str | None) -> dict[str, int]:
    """The line of each key assigned in ``section`` (``None``: before any table header)."""
    found: dict[str, int] = {}
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            current = header.group(1).replace('"', "").replace(" ", "")
            continue
        if current != section:
            continue
        key = re.match(r'^\s*("?)([A-Za-z0-9_.-]+)\1\s*=', line)
        if key:
            found.setdefault(key.group(2), number)
    return found
