"""Moved to :mod:`auditor.artifacts` (kept so older imports keep working)."""

from auditor.artifacts import Artifacts, FileProbe, SearchProbe, host_of

__all__ = ["Artifacts", "FileProbe", "SearchProbe", "host_of"]
