"""Readable messages for validation errors of rule packs, located by their path in the file.

A validator that finds several problems at precise places below its field raises
:func:`located` ; :func:`expand` turns a pydantic error list into ``(loc, message)`` pairs,
unfolding those.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterable, Sequence
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from auditor.errors import Message, cat, say
from auditor.models import t
from auditor.validation_text import pydantic_message
from auditor.yamlsource import Loc

LOCATED = "located_problems"


def located(problems: Sequence[tuple[Loc, Message]]) -> PydanticCustomError:
    """An error carrying several ``(loc below the field, message)`` problems."""
    summary = "; ".join(say(message, "en") for _, message in problems)
    return PydanticCustomError(LOCATED, "{summary}", {"summary": summary, "problems": problems})


def closest(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'a', 'b'?)`` for the known names closest to ``word``, or ''."""
    names = difflib.get_close_matches(word, sorted(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(n) for n in names)}?)" if names else ""


def closest_vi(word: str, known: Iterable[str]) -> str:
    """:func:`closest` in Vietnamese: `` (có phải 'a', 'b'?)``."""
    names = difflib.get_close_matches(word, sorted(known), n=3, cutoff=0.6)
    return f" (có phải {', '.join(repr(n) for n in names)}?)" if names else ""


def expand(exc: ValidationError, model: type[BaseModel] | None = None) -> list[tuple[Loc, Message]]:
    """Every problem of ``exc`` as ``(loc, message)``; ``model`` helps suggest key names."""
    out: list[tuple[Loc, Message]] = []
    for error in exc.errors():
        loc: Loc = tuple(error["loc"])
        if error["type"] == LOCATED:
            problems: Sequence[tuple[Loc, Message]] = (error.get("ctx") or {}).get("problems", ())
            out.extend((loc + tuple(sub), message) for sub, message in problems)
        else:
            out.append((loc, describe(error, model)))
    return out


def describe(error: ErrorDetails, model: type[BaseModel] | None = None) -> Message:
    """One pydantic error as a message that names its place and, for a typo, the right key."""
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden" and loc:
        key = str(loc[-1])
        known = _fields_at(model, loc[:-1])
        return _at(
            loc[:-1],
            t(
                f"không có khóa {key!r}{closest_vi(key, known)}",
                f"unknown key {key!r}{closest(key, known)}",
            ),
        )
    if kind == "missing" and loc:
        key = str(loc[-1])
        return _at(loc[:-1], t(f"thiếu khóa {key!r}", f"missing key {key!r}"))
    return _at(loc, pydantic_message(error))


def _at(loc: Loc, message: Message) -> Message:
    where = ".".join(str(part) for part in loc)
    return cat(f"{where}: ", message) if where else message


def _fields_at(model: type[BaseModel] | None, loc: Loc) -> tuple[str, ...]:
    """Field names of the model found at ``loc`` below ``model`` (empty when unknown)."""
    annotation: Any = model
    for part in loc:
        target = _model_in(annotation)
        if isinstance(part, int):
            args = [a for a in get_args(annotation) if a is not Ellipsis]
            annotation = args[0] if args and target is None else None
        elif target is not None and part in target.model_fields:
            annotation = target.model_fields[part].annotation
        elif get_origin(annotation) is dict:
            annotation = get_args(annotation)[1]
        else:
            return ()
    target = _model_in(annotation)
    return tuple(target.model_fields) if target is not None else ()


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class in ``annotation`` (itself, or inside an optional)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, types.UnionType):
        models = [m for m in map(_model_in, get_args(annotation)) if m is not None]
        return models[0] if len(models) == 1 else None
    return None
