"""Site folders of the fixture server: ``<sites_dir>/<host>/`` with ``_site.yaml`` switches."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import Field, ValidationError, field_validator

from auditor.errors import InputError, Problem
from auditor.models import Frozen

CertMode = Literal["valid", "expired", "wrong-host", "untrusted", "self-signed"]
FaultMode = Literal["none", "reset", "garbage", "hang", "http500"]

DEFAULT_HSTS = "max-age=31536000; includeSubDomains"
M = TypeVar("M", bound=Frozen)


class SiteConfigError(InputError):
    """A ``_site.yaml`` or ``_search.yaml`` of a fixture site is invalid, or host names clash."""


class SiteConfig(Frozen):
    """Switches of one fixture site (``_site.yaml``); the defaults describe a compliant portal."""

    tls: bool = True
    cert: CertMode = "valid"
    http_redirect: bool = True
    hsts: str | None = DEFAULT_HSTS
    charset: str = "utf-8"
    latency_ms: int = Field(default=0, ge=0, le=60_000)
    aliases: tuple[str, ...] = ()
    fault: FaultMode = "none"
    ipv6: bool = True  # the fixture DNS answers an AAAA record
    dnssec: bool = False  # the fixture DNS answers a DS record and RRSIGs

    @field_validator("charset")
    @classmethod
    def _known_charset(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError as exc:
            raise ValueError(f"unknown charset {value!r}") from exc
        return value

    @field_validator("aliases")
    @classmethod
    def _lower_aliases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(a.strip().lower().rstrip(".") for a in value)


class SearchConfig(Frozen):
    """The search endpoint of a site (``_search.yaml``)."""

    path: str = Field(pattern=r"^/")
    param: str = Field(default="q", min_length=1)


@dataclass(frozen=True)
class Site:
    """One served site: its canonical host name, folder and switches."""

    name: str
    folder: Path
    config: SiteConfig
    search: SearchConfig | None

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical host name followed by its aliases."""
        return (self.name, *self.config.aliases)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SiteConfigError([Problem(str(path), _yaml_line(exc), f"unreadable: {exc}")]) from exc


def _yaml_line(exc: Exception) -> int | None:
    mark = getattr(exc, "problem_mark", None)
    return int(mark.line) + 1 if mark is not None else None


def _validate(model: type[M], path: Path, data: Any) -> M:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SiteConfigError([Problem(str(path), None, "expected a mapping of settings")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(str(path), None, f"{'.'.join(str(p) for p in err['loc']) or '-'}: {err['msg']}")
            for err in exc.errors()
        ]
        raise SiteConfigError(problems) from exc


def load_site(folder: Path) -> Site:
    """Read one site folder; raises :class:`SiteConfigError` naming the bad file."""
    site_yaml = folder / "_site.yaml"
    search_yaml = folder / "_search.yaml"
    config = (
        _validate(SiteConfig, site_yaml, _read_yaml(site_yaml))
        if site_yaml.is_file()
        else SiteConfig()
    )
    search = (
        _validate(SearchConfig, search_yaml, _read_yaml(search_yaml))
        if search_yaml.is_file()
        else None
    )
    return Site(name=folder.name.lower(), folder=folder.resolve(), config=config, search=search)


def load_sites(sites_dir: Path) -> dict[str, Site]:
    """Every host name served (aliases included) → its site; folders named ``_*`` are skipped."""
    if not sites_dir.is_dir():
        raise SiteConfigError([Problem(str(sites_dir), None, "not a folder of sites")])
    out: dict[str, Site] = {}
    problems: list[Problem] = []
    for folder in sorted(p for p in sites_dir.iterdir() if p.is_dir()):
        if folder.name.startswith(("_", ".")):
            continue
        site = load_site(folder)
        for name in site.names:
            if name in out:
                where = str(folder / "_site.yaml")
                problems.append(
                    Problem(where, None, f"host {name!r} already served by {out[name].folder}")
                )
                continue
            out[name] = site
    if problems:
        raise SiteConfigError(problems)
    return out
