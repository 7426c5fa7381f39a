"""Giving freed heap back to the system (glibc's ``malloc_trim``; nothing elsewhere)."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import cast


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return cast(Callable[[int], int], ctypes.CDLL(None).malloc_trim)  # glibc only
    except (AttributeError, OSError):
        return None


_TRIM = _malloc_trim()


def give_back_memory() -> None:
    """Return freed heap to the system: glibc keeps memory freed by large, short-lived
    structures (parse trees, a portal's pages) for reuse, so a long-running process's RSS would
    stay at its largest moment plus fragmentation. Takes some milliseconds: call it between
    units of work, not inside them."""
    if _TRIM is not None:
        _TRIM(0)
