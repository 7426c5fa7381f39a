"""The bundled demo: its registry, its portals and the date their content is written for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from auditor.paths import fixtures_dir

DEMO_AS_OF = date(2026, 11, 20)  # the date the demo portals' news is written for


def demo_registry() -> Path:
    """The demo province's registry (``fixtures/demo/registry.yaml``)."""
    return fixtures_dir() / "demo" / "registry.yaml"


def demo_sites() -> Path:
    """The demo portals, one folder per host (``fixtures/sites/``)."""
    return fixtures_dir() / "sites"
