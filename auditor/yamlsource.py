"""YAML input files with positions: parse once, then find the line of any value by its path.

Used by the registry and rule-pack loaders to report every problem as ``file:line: message``.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from auditor.errors import Message
from auditor.models import LocalText, t

Loc = tuple[int | str, ...]

# Limits on every YAML input (registry, packs, waivers): far above any real file, low enough that
# a hostile or broken one is refused with its line instead of exhausting the stack or memory.
MAX_YAML_CHARS = 16_000_000
MAX_YAML_DEPTH = 64
MAX_YAML_ALIASES = 10_000
# C0 controls except tab, LF, CR; DEL; C1 controls; lone surrogates; BOM other than at the start
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class YamlSyntaxError(Exception):
    """The text is not valid YAML; ``line`` is 1-based when known."""

    line: int | None
    message: Message


def display_name(path: Path) -> str:
    """``path`` relative to the working directory when it lies inside it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (OSError, ValueError):
        return os.fspath(path)


def read_yaml_text(path: Path) -> str:
    """The UTF-8 text of a YAML input; ``OSError`` when it is larger than a YAML input may be
    (checked before reading it whole)."""
    size = path.stat().st_size
    if size > 4 * MAX_YAML_CHARS:
        raise OSError(errno.EFBIG, f"file too large ({size:,} bytes)")
    return path.read_text(encoding="utf-8")


def parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for positions) and the plain data of one YAML document, parsed once.

    Raise :class:`YamlSyntaxError` on invalid YAML, on control characters, on a document larger
    or nested deeper than the limits, and on a value that cannot exist (``2026-02-30``).
    """
    _check_limits(text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise YamlSyntaxError(_line(exc), _plain(exc)) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, _syntax(" ".join(str(exc).split()))) from exc
    except _BadValue as exc:  # e.g. a timestamp that is not a real date
        raise YamlSyntaxError(
            exc.line,
            t(
                f"giá trị không hợp lệ {exc.text!r}: {exc.reason}",
                f"invalid value {exc.text!r}: {exc.reason}",
            ),
        ) from exc
    finally:
        loader.dispose()
    return node, data


def _check_limits(text: str) -> None:
    """Refuse control characters, oversized text and deep nesting before composing any node
    (PyYAML's composer recurses once per level)."""
    if len(text) > MAX_YAML_CHARS:
        raise YamlSyntaxError(
            None,
            t(
                f"tệp quá lớn (hơn {MAX_YAML_CHARS:,} ký tự)",
                f"file too large (over {MAX_YAML_CHARS:,} characters)",
            ),
        )
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        code = f"U+{ord(bad.group()):04X}"
        raise YamlSyntaxError(
            line,
            t(
                f"ký tự điều khiển {code} không được có trong tệp YAML",
                f"control character {code} is not allowed in a YAML file",
            ),
        )
    depth = aliases = 0
    too_deep = t(
        f"lồng sâu quá {MAX_YAML_DEPTH} mức", f"nested deeper than {MAX_YAML_DEPTH} levels"
    )
    try:
        for event in yaml.parse(text, Loader=_SAFE):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise YamlSyntaxError(_event_line(event), too_deep)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_YAML_ALIASES:
                    why = t(
                        f"nhiều hơn {MAX_YAML_ALIASES} bí danh (alias)",
                        f"more than {MAX_YAML_ALIASES} aliases",
                    )
                    raise YamlSyntaxError(_event_line(event), why)
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own cap (1,000) came first
            raise YamlSyntaxError(_line(exc), too_deep) from exc
        raise YamlSyntaxError(_line(exc), _plain(exc)) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, _syntax(" ".join(str(exc).split()))) from exc


def _syntax(detail: str) -> LocalText:
    """A YAML syntax error; PyYAML's own words (English) are quoted as they are."""
    return t(f"lỗi cú pháp YAML: {detail}", f"YAML syntax: {detail}")


def _event_line(event: yaml.Event) -> int | None:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else None


def _line(exc: yaml.MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark is not None else None


def _plain(exc: yaml.MarkedYAMLError) -> LocalText:
    """PyYAML's message without its position lines (the caller prints ``file:line``)."""
    parts = [exc.context, exc.problem, exc.note]
    text = "; ".join(str(p) for p in parts if p)
    return _syntax(text or " ".join(str(exc).split()))


class _BadValue(Exception):
    """A scalar PyYAML recognised (a date, a number) but could not build."""

    def __init__(self, line: int, text: str, reason: str) -> None:
        super().__init__(reason)
        self.line, self.text, self.reason = line, text, reason


# libyaml's parser when PyYAML was built with it (it is, in the wheels on PyPI): the same
# events, nodes and marks as the pure-Python one, ten times faster on the rule packs
_SAFE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SAFE):  # type: ignore[valid-type,misc]
    """The safe loader, naming the scalar whose value cannot exist (``2026-02-30``)."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            text = node.value if isinstance(node, yaml.ScalarNode) else node.tag
            raise _BadValue(node.start_mark.line + 1, str(text), str(exc)) from exc


def line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """1-based line of the YAML value reached by ``loc`` (a pydantic error location).

    When a key is missing, the line of the nearest enclosing value; when the path goes through an
    alias (``*anchor``), the line of the key that holds the alias rather than the anchor's.
    """
    if node is None:
        return None
    line = node.start_mark.line + 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if _key(k) == key), None)
            if pair is None:
                return line
            key_node, value = pair
            if value.start_mark.index < key_node.start_mark.index:  # an alias of earlier text
                return int(key_node.start_mark.line) + 1
            node = value
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if not 0 <= key < len(node.value):
                return line
            item = node.value[key]
            if item.start_mark.index < node.start_mark.index:  # an alias of earlier text
                return line
            node = item
        else:
            break
        line = node.start_mark.line + 1
    return line


def duplicate_keys(node: yaml.Node | None) -> list[tuple[int, str]]:
    """``(line, key)`` of every key repeated within one mapping (YAML keeps only the last)."""
    out: list[tuple[int, str]] = []
    seen_nodes: set[int] = set()
    stack: list[yaml.Node] = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen_nodes:
            continue
        seen_nodes.add(id(current))
        if isinstance(current, yaml.MappingNode):
            keys: set[object] = set()
            for key_node, value in current.value:
                key = _key(key_node)
                if key in keys and key != "<<":
                    out.append((key_node.start_mark.line + 1, str(key)))
                keys.add(key)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(out)


def _key(node: yaml.Node) -> object:
    """A mapping key as pydantic reports it (scalars only; others never match)."""
    return node.value if isinstance(node, yaml.ScalarNode) else id(node)
