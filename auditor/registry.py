"""Load and validate a province's registry of agencies, reporting every problem with its line."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from auditor.errors import Problem, RegistryError
from auditor.models import Agency, Registry, normalise_host
from auditor.yamlsource import (
    YamlSyntaxError,
    display_name,
    duplicate_keys,
    line_of,
    parse_yaml,
)


def load_registry(path: Path) -> Registry:
    """Read ``path`` into a :class:`Registry`; raise :class:`RegistryError` listing all problems."""
    name = display_name(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError([Problem(name, None, f"cannot read registry: {exc}")]) from exc
    try:
        root, data = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise RegistryError([Problem(name, exc.line, f"YAML syntax: {exc}")]) from exc
    if root is None or not isinstance(data, dict):
        raise RegistryError(
            [Problem(name, 1, "a registry is a mapping with 'province' and 'agencies'")]
        )
    problems = [
        Problem(name, line, f"key {key!r} is repeated") for line, key in duplicate_keys(root)
    ]
    try:
        Registry.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            where = ".".join(str(part) for part in loc)
            problems.append(Problem(name, line_of(root, loc), f"{where}: {error['msg']}"))
    agencies = data.get("agencies")
    if isinstance(agencies, list):
        problems += _cross_problems(name, root, agencies)
    if problems:
        raise RegistryError(sorted(problems, key=lambda p: p.line or 0))
    return Registry.model_validate(data)


def _cross_problems(name: str, root: yaml.Node, agencies: list[Any]) -> list[Problem]:
    """Domains listed twice and parents missing from the registry, read from the raw entries so
    that they are reported alongside any field errors."""
    entries = [
        (index, item)
        for index, item in enumerate(agencies)
        if isinstance(item, dict) and isinstance(item.get("domain"), str)
    ]
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, item in entries:
        key = normalise_host(item["domain"])
        if key in seen:
            problems.append(
                Problem(
                    name,
                    line_of(root, ("agencies", index)),
                    f"agency {item.get('name')!r}: domain {item['domain']} is listed twice",
                )
            )
        seen.add(key)
    for index, item in entries:
        parent = item.get("parent")
        if isinstance(parent, str) and normalise_host(parent) not in seen:
            problems.append(
                Problem(
                    name,
                    line_of(root, ("agencies", index, "parent")),
                    f"agency {item.get('name')!r}: parent {parent} is not in the registry",
                )
            )
    return problems


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
