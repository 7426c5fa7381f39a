"""Where the bundled data lives: rule packs, registries, fixture sites."""

from __future__ import annotations

import os
from pathlib import Path

_PROJECT = Path(__file__).resolve().parent.parent


def project_dir() -> Path:
    """The project folder holding ``rules/`` and ``fixtures/`` (``AUDITOR_HOME`` overrides)."""
    env = os.environ.get("AUDITOR_HOME")
    return Path(env) if env else _PROJECT


def rules_dir() -> Path:
    """The folder of rule packs (``rules/``)."""
    return project_dir() / "rules"


def fixtures_dir() -> Path:
    """The folder of fixture portals and the demo registry (``fixtures/``)."""
    return project_dir() / "fixtures"
