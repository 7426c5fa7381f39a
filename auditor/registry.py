"""Load and validate a province's registry of agencies, reporting every problem with its line."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from auditor.errors import Problem, RegistryError, TextValueError, cat, message_of
from auditor.hostnames import path_prefix, report_stem, split_address
from auditor.models import Agency, Registry, address_key, t
from auditor.validation_text import pydantic_message
from auditor.yamlsource import (
    YamlSyntaxError,
    display_name,
    duplicate_keys,
    line_of,
    parse_yaml,
    read_yaml_text,
)


def load_registry(path: Path, profile_exists: Callable[[str], bool] | None = None) -> Registry:
    """Read ``path`` into a :class:`Registry`; raise :class:`RegistryError` listing all problems.

    An agency's ``domain`` may be a host, ``host/path`` or a URL: a path makes it a path-based
    agency (``Agency.path``). Host names are checked (length, labels, IDNA); ``profile_exists``,
    when given, tells whether the registry's ``profile`` names a known rule pack.
    """
    name = display_name(path)
    try:
        text = read_yaml_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(
            [
                Problem(
                    name,
                    None,
                    t(f"không đọc được danh sách: {exc}", f"cannot read registry: {exc}"),
                )
            ]
        ) from exc
    try:
        root, data = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise RegistryError([Problem(name, exc.line, exc.message)]) from exc
    if root is None or not isinstance(data, dict):
        raise RegistryError(
            [
                Problem(
                    name,
                    1,
                    t(
                        "danh sách đơn vị là một ánh xạ có 'province' và 'agencies'",
                        "a registry is a mapping with 'province' and 'agencies'",
                    ),
                )
            ]
        )
    problems = [
        Problem(name, line, t(f"khóa {key!r} bị lặp", f"key {key!r} is repeated"))
        for line, key in duplicate_keys(root)
    ]
    if "source" in data:  # set by the loader: a file cannot claim to be another
        problems.append(
            Problem(
                name,
                line_of(root, ("source",)),
                t("source: không phải khóa của danh sách", "source: not a registry key"),
            )
        )
    agencies = data.get("agencies")
    if isinstance(agencies, list):
        data = {**data, "agencies": _addresses(name, root, agencies, problems)}
    try:
        Registry.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            where = ".".join(str(part) for part in loc)
            problems.append(
                Problem(name, line_of(root, loc), cat(f"{where}: ", pydantic_message(error)))
            )
    agencies = data.get("agencies")
    if isinstance(agencies, list):
        problems += _cross_problems(name, root, agencies)
    profile = data.get("profile")
    if isinstance(profile, str) and profile_exists is not None and not profile_exists(profile):
        problems.append(
            Problem(
                name,
                line_of(root, ("profile",)),
                t(
                    f"profile: không có bộ tiêu chí {profile!r}",
                    f"profile: unknown rule pack {profile!r}",
                ),
            )
        )
    if problems:
        raise RegistryError(sorted(problems, key=lambda p: p.line or 0))
    return Registry.model_validate({**data, "source": name})


def _addresses(
    name: str, root: yaml.Node, agencies: list[Any], problems: list[Problem]
) -> list[Any]:
    """The entries with each ``domain`` split into host and ``path`` and every host name
    checked; a problem (with its line) for each address that is not one."""
    out: list[Any] = []
    for index, item in enumerate(agencies):
        if not isinstance(item, dict):
            out.append(item)
            continue
        item = dict(item)
        for field in ("domain", "parent"):
            value = item.get(field)
            if not isinstance(value, str):
                continue
            where = f"agencies[{index}].{field}"
            try:
                host, path = split_address(value)
                if field == "domain" and item.get("path") is not None:
                    given = path_prefix(str(item["path"]))
                    if path is not None and given != path:
                        raise TextValueError(
                            t(
                                f"đường dẫn {item['path']!r} khác đường dẫn của {value!r}",
                                f"the path {item['path']!r} differs from {value!r}'s",
                            )
                        )
                    path = given
            except ValueError as exc:
                line = line_of(root, ("agencies", index, field))
                problems.append(Problem(name, line, cat(f"{where}: ", message_of(exc))))
                continue
            if field == "domain":
                item["domain"], item["path"] = host, path
            else:
                item["parent"] = host + (path or "")
        out.append(item)
    return out


def _cross_problems(name: str, root: yaml.Node, agencies: list[Any]) -> list[Problem]:
    """Addresses listed twice, report file names that would collide and parents missing from
    the registry, read from the entries so that they are reported alongside field errors."""
    entries = [
        (index, item)
        for index, item in enumerate(agencies)
        if isinstance(item, dict) and isinstance(item.get("domain"), str)
    ]
    problems: list[Problem] = []
    seen: set[str] = set()
    stems: dict[str, str] = {}
    for index, item in entries:
        path = item.get("path") if isinstance(item.get("path"), str) else None
        address = item["domain"] + (path or "")
        key = address_key(address)
        stem = report_stem(item["domain"], path)
        if key in seen:
            problems.append(
                Problem(
                    name,
                    line_of(root, ("agencies", index)),
                    t(
                        f"cơ quan {item.get('name')!r}: {address} có hai lần",
                        f"agency {item.get('name')!r}: {address} is listed twice",
                    ),
                )
            )
        elif stem in stems:
            problems.append(
                Problem(
                    name,
                    line_of(root, ("agencies", index)),
                    t(
                        f"cơ quan {item.get('name')!r}: {address} và {stems[stem]} sẽ cùng ghi "
                        f"báo cáo tên {stem}.*",
                        f"agency {item.get('name')!r}: {address} and {stems[stem]} would both "
                        f"write reports named {stem}.*",
                    ),
                )
            )
        seen.add(key)
        stems.setdefault(stem, address)
    for index, item in entries:
        parent = item.get("parent")
        if isinstance(parent, str) and address_key(parent) not in seen:
            problems.append(
                Problem(
                    name,
                    line_of(root, ("agencies", index, "parent")),
                    t(
                        f"cơ quan {item.get('name')!r}: đơn vị cấp trên {parent} không có trong "
                        "danh sách",
                        f"agency {item.get('name')!r}: parent {parent} is not in the registry",
                    ),
                )
            )
    return problems


@cache
def bundled_registries(folder: Path) -> tuple[Registry, ...]:
    """The registries shipped in ``folder`` (``rules/registries/``), read once."""
    if not folder.is_dir():
        return ()
    return tuple(
        load_registry(path).model_copy(update={"source": f"bundled:{path.name}"})
        for path in sorted(folder.glob("*.yaml"))
    )


def find_agency(
    host: str, registries: tuple[Registry, ...], path: str | None = None
) -> tuple[Agency, Registry] | None:
    """The first registry entry for ``host`` (and, given a URL ``path``, the path-based agency
    whose prefix holds it, see :meth:`Registry.find`) and the registry that lists it."""
    for registry in registries:
        agency = registry.find(host, path)
        if agency is not None:
            return agency, registry
    return None
