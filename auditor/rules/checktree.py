"""A rule's check tree: ``all`` / ``any`` / ``not`` over calls of registered primitives.

In a pack a check is a mapping with exactly one key: ``{all: [..]}``, ``{any: [..]}``,
``{not: {..}}`` or ``{<primitive>: {<params>}}``. :func:`compile_check` turns that into nodes
whose parameters are validated (once, at load time) by the primitive's own ``params`` model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, ValidationError

from auditor.checks.registry import CheckFn, CheckSpec, Params
from auditor.errors import Message, cat
from auditor.models import t
from auditor.rules.messages import closest, closest_vi, expand
from auditor.yamlsource import Loc

OPERATORS = ("all", "any", "not")


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class CheckCall(_Node):
    """A call of one primitive with its validated parameters."""

    name: str
    params: SerializeAsAny[Params]
    fn: CheckFn = Field(exclude=True, repr=False)


class AllOf(_Node):
    """Passes when every item passes."""

    items: tuple[CheckNode, ...] = Field(min_length=1)


class AnyOf(_Node):
    """Passes when one item passes."""

    items: tuple[CheckNode, ...] = Field(min_length=1)


class NotOf(_Node):
    """Passes when its item fails, and fails when it passes."""

    item: CheckNode


CheckNode = CheckCall | AllOf | AnyOf | NotOf

for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()


def primitives(node: CheckNode) -> tuple[str, ...]:
    """Names of the primitives a tree calls, in order, without repeats."""
    if isinstance(node, CheckCall):
        return (node.name,)
    children = (node.item,) if isinstance(node, NotOf) else node.items
    return tuple(dict.fromkeys(name for child in children for name in primitives(child)))


def compile_check(
    raw: object, checks: Mapping[str, CheckSpec]
) -> tuple[CheckNode | None, list[tuple[Loc, Message]]]:
    """The tree written as ``raw``, or ``None`` and every problem as ``(loc below raw, msg)``."""
    problems: list[tuple[Loc, Message]] = []
    node = _compile(raw, checks, (), problems)
    return (node if not problems else None), problems


def _compile(
    raw: object, checks: Mapping[str, CheckSpec], loc: Loc, problems: list[tuple[Loc, Message]]
) -> CheckNode | None:
    if not isinstance(raw, dict) or len(raw) != 1:
        keys = ", ".join(map(repr, raw)) if isinstance(raw, dict) else ""
        problems.append(
            (
                loc,
                t(
                    "một phép kiểm tra là ánh xạ có đúng một khóa: all, any, not hoặc tên phép "
                    "kiểm tra" + (f" (đang có các khóa {keys})" if keys else ""),
                    "a check is a mapping with exactly one key: all, any, not or a check name"
                    + (f" (found keys {keys})" if keys else ""),
                ),
            )
        )
        return None
    ((key, value),) = raw.items()
    name = str(key)
    if name in ("all", "any"):
        if not isinstance(value, list) or not value:
            problems.append(
                (
                    (*loc, name),
                    t(
                        f"'{name}' cần một danh sách phép kiểm tra không rỗng",
                        f"'{name}' takes a non-empty list of checks",
                    ),
                )
            )
            return None
        items = [_compile(v, checks, (*loc, name, i), problems) for i, v in enumerate(value)]
        done = tuple(i for i in items if i is not None)
        if len(done) != len(items):
            return None
        return AllOf(items=done) if name == "all" else AnyOf(items=done)
    if name == "not":
        item = _compile(value, checks, (*loc, name), problems)
        return NotOf(item=item) if item is not None else None
    return _call(name, value, checks, loc, problems)


def _call(
    name: str,
    value: object,
    checks: Mapping[str, CheckSpec],
    loc: Loc,
    problems: list[tuple[Loc, Message]],
) -> CheckCall | None:
    spec = checks.get(name)
    if spec is None:
        names = [*checks, *OPERATORS]
        problems.append(
            (
                loc,
                t(
                    f"không có phép kiểm tra {name!r}{closest_vi(name, names)}",
                    f"unknown check {name!r}{closest(name, names)}",
                ),
            )
        )
        return None
    raw_params: Any = {} if value is None else value
    if not isinstance(raw_params, dict):
        problems.append(
            (
                (*loc, name),
                t(
                    f"phép kiểm tra {name!r}: tham số phải là một ánh xạ",
                    f"check {name!r}: its parameters must be a mapping",
                ),
            )
        )
        return None
    try:
        params = spec.params.model_validate(raw_params)
    except ValidationError as exc:
        problems.extend(
            ((*loc, name, *sub), cat(t(f"phép kiểm tra {name!r}: ", f"check {name!r}: "), message))
            for sub, message in expand(exc, spec.params)
        )
        return None
    return CheckCall(name=name, params=params, fn=spec.fn)
