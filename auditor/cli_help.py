"""Readable ``--help``: metavars that say what to type (``FILE``, ``N``, ``DOMAIN…``), not types.

Typer prints a parameter's Python type (``<bool>``, ``<list[str]>``) where a metavar is not
given; :func:`install` replaces that column with a word a user understands, for every command,
including the options colleagues add later without a ``metavar=``. Flags show nothing.
"""

from __future__ import annotations

from typing import Any

import typer.core

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
_BY_TYPE = {"int": "N", "float": "NUMBER", "str": "TEXT", "path": "FILE", "Path": "FILE"}


def _metavar(param: Any, ctx: Any) -> str | None:
    """The metavar shown in the help table for ``param``."""
    if param.metavar is not None:
        many = isinstance(param, typer.core.TyperArgument) and param.nargs != 1
        return f"{param.metavar}…" if many else str(param.metavar)
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    label = str(param.display_type(ctx)).strip("<>")
    many = label.startswith("list[")
    word = _BY_TYPE.get(label.removeprefix("list[").removesuffix("]"), label.upper())
    if word == "FILE" and param.name and ("dir" in param.name or param.name in ("out",)):
        word = "DIR"
    return f"{word}…" if many or param.nargs != 1 else word


def install() -> None:
    """Make every typer parameter show a readable metavar (idempotent)."""
    for cls in (typer.core.TyperOption, typer.core.TyperArgument):
        cls.display_type_rich = _metavar  # type: ignore[method-assign,assignment]
