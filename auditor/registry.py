"""Load and validate a province's registry of agencies, reporting every problem with its line."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from auditor.errors import Problem, RegistryError
from auditor.models import Agency, Registry, normalise_host
from auditor.yamlsource import line_of


def load_registry(path: Path) -> Registry:
    """Read ``path`` into a :class:`Registry`; raise :class:`RegistryError` listing all problems."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RegistryError([Problem(name, None, f"cannot read registry: {exc.strerror}")]) from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise RegistryError([Problem(name, line, f"YAML syntax: {exc}")]) from exc
    if root is None or not isinstance(data, dict):
        raise RegistryError(
            [Problem(name, 1, "a registry is a mapping with 'province' and 'agencies'")]
        )
    problems: list[Problem] = []
    try:
        registry = Registry.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            where = ".".join(str(part) for part in loc)
            problems.append(Problem(name, line_of(root, loc), f"{where}: {error['msg']}"))
        raise RegistryError(problems) from exc
    seen: dict[str, int] = {}
    for index, agency in enumerate(registry.agencies):
        key = normalise_host(agency.domain)
        line = line_of(root, ("agencies", index))
        if key in seen:
            problems.append(
                Problem(
                    name, line, f"agency {agency.name!r}: domain {agency.domain} is listed twice"
                )
            )
        seen.setdefault(key, index)
    domains = set(seen)
    for index, agency in enumerate(registry.agencies):
        if agency.parent is not None and normalise_host(agency.parent) not in domains:
            problems.append(
                Problem(
                    name,
                    line_of(root, ("agencies", index, "parent")),
                    f"agency {agency.name!r}: parent {agency.parent} is not in the registry",
                )
            )
    if problems:
        raise RegistryError(problems)
    return registry


@cache
def bundled_registries(folder: Path) -> tuple[Registry, ...]:
    """The registries shipped in ``folder`` (``rules/registries/``), read once."""
    if not folder.is_dir():
        return ()
    return tuple(load_registry(path) for path in sorted(folder.glob("*.yaml")))


def find_agency(host: str, registries: tuple[Registry, ...]) -> tuple[Agency, Registry] | None:
    """The first registry entry for ``host`` and the registry that lists it."""
    for registry in registries:
        agency = registry.by_domain(host)
        if agency is not None:
            return agency, registry
    return None
