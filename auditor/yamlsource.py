"""YAML input files with positions: parse once, then find the line of any value by its path.

Used by the registry and rule-pack loaders to report every problem as ``file:line: message``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Loc = tuple[int | str, ...]


@dataclass(frozen=True)
class YamlSyntaxError(Exception):
    """The text is not valid YAML; ``line`` is 1-based when known."""

    line: int | None
    message: str


def display_name(path: Path) -> str:
    """``path`` relative to the working directory when it lies inside it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (OSError, ValueError):
        return os.fspath(path)


def parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for positions) and the plain data of one YAML document, parsed once.

    Raise :class:`YamlSyntaxError` on invalid YAML.
    """
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise YamlSyntaxError(line, " ".join(str(exc).split())) from exc
    finally:
        loader.dispose()
    return node, data


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
