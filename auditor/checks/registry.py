"""The registry of check primitives: pure functions ``f(artifacts, params) -> Outcome``."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ConfigDict

from auditor.artifacts import INPUTS, Artifacts
from auditor.checks.common import absence_guard
from auditor.models import Outcome
from auditor.page import Page


class Params(BaseModel):
    """Base of every primitive's parameters: frozen, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class NoParams(Params):
    """For primitives that take no parameters."""


CheckFn = Callable[[Artifacts, Any], Outcome]
PageRead = Callable[[Artifacts, Page, Any], object]  # what a primitive reads of one page


def of_page(fn: Callable[[Page], object]) -> PageRead:
    """A ``reads`` entry for a function of the page alone."""

    def read(_art: Artifacts, page: Page, _params: object) -> object:
        return fn(page)

    return read


def until_found(
    fn: Callable[[Page], object],
    found: Callable[[object], bool] = bool,
    unless: Callable[[Page], object] | None = None,
) -> PageRead:
    """A ``reads`` entry for a primitive that looks at the pages in order and stops at the
    first where ``fn`` finds something (``found`` of its result): reads ``fn`` of the pages up
    to that one, none after (pages are read in the order the primitive walks them). With
    ``unless``, another such entry's function: only while that one has found nothing (a
    fallback looked for when the first thing is nowhere)."""

    def read(art: Artifacts, page: Page, _params: object) -> object:
        if art.memo.get(("found", fn)) or (unless is not None and art.memo.get(("found", unless))):
            return None
        if found(fn(page)):
            art.memo[("found", fn)] = True  # by ``fn``: what ``unless`` names
        return None

    return read


F = TypeVar("F", bound=Callable[..., Outcome])


@dataclass(frozen=True)
class CheckSpec:
    """A registered primitive and the inputs it needs (:data:`auditor.artifacts.INPUTS`)."""

    name: str
    params: type[Params]
    fn: CheckFn
    doc: str
    requires: tuple[str, ...] = ()
    reads: tuple[PageRead, ...] = ()  # what it reads of each page (read_once)


_REGISTRY: dict[str, CheckSpec] = {}


def check(
    name: str,
    params: type[Params] = NoParams,
    *,
    absence: bool = False,
    requires: tuple[str, ...] = (),
    reads: tuple[PageRead, ...] = (),
) -> Callable[[F], F]:
    """Register a primitive ``fn(artifacts, params) -> Outcome`` under ``name``.

    ``absence``: the primitive fails when something is not found on the pages; its ``fail``
    becomes ``error`` while some pages could not be seen (:func:`absence_guard`).

    ``requires`` names the inputs it judges (``home``, ``pages``, ``dns``, ``search``…): when
    one is missing the engine gives the standard "could not be judged" ``error`` without
    calling it, and the gatherer collects only the inputs some rule in use requires.

    ``reads``: what it reads of each page it judges, as functions ``f(artifacts, page,
    params)`` whose results are kept on the page (:func:`~auditor.page.read_once`;
    :func:`of_page` adapts a function of the page alone). The engine calls them page by page
    before it evaluates the rules, then drops each page's trees
    (:func:`auditor.rules.engine.read_pages`), so that a site's trees are not all alive
    together.
    """

    def register(fn: F) -> F:
        if name in _REGISTRY:
            raise ValueError(f"check {name!r} registered twice")
        unknown = set(requires) - set(INPUTS)
        if unknown:
            raise ValueError(f"check {name!r} requires unknown inputs {sorted(unknown)}")
        doc = (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else ""
        if absence:
            inner = fn

            @functools.wraps(inner)
            def guarded(art: Artifacts, p: Any) -> Outcome:
                return absence_guard(art, inner(art, p))

            fn = cast(F, guarded)
        _REGISTRY[name] = CheckSpec(name, params, fn, doc, tuple(requires), tuple(reads))
        return fn

    return register


def get_check(name: str) -> CheckSpec | None:
    """The primitive registered as ``name``, or ``None``."""
    load_all()
    return _REGISTRY.get(name)


def all_checks() -> dict[str, CheckSpec]:
    """Every registered primitive by name."""
    load_all()
    return dict(_REGISTRY)


def load_all() -> None:
    """Import every module of primitives so that they register."""
    from auditor.checks import PRIMITIVE_MODULES

    for module in PRIMITIVE_MODULES:
        importlib.import_module(f"auditor.checks.{module}")
