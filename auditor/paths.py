"""Where the bundled data lives: rule packs, registries, the section catalogue, demo portals.

The data ships inside the package (``auditor/data/``) and is found with
:mod:`importlib.resources`, so a wheel installed anywhere can audit. ``AUDITOR_HOME`` names
another folder with the same layout (``rules/`` and ``fixtures/``) and overrides it.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def project_dir() -> Path:
    """The folder holding ``rules/`` and ``fixtures/`` (``AUDITOR_HOME`` overrides)."""
    env = os.environ.get("AUDITOR_HOME")
    if env:
        return Path(env)
    return Path(str(files("auditor") / "data"))


def rules_dir() -> Path:
    """The folder of rule packs, registries and the section catalogue (``rules/``)."""
    return project_dir() / "rules"


def fixtures_dir() -> Path:
    """The folder of demo portals, the demo registry and rule fixtures (``fixtures/``)."""
    return project_dir() / "fixtures"
