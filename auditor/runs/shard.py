"""``--shard K/N``: a deterministic, balanced slice of the targets for one of N machines.

The targets are ordered by the SHA-256 of their agency key (host, plus the path of a
path-based agency) and dealt round-robin: shard K gets positions K-1, K-1+N, … The slice depends
only on the registry, never on the machine, the clock or the order of the registry file, and
the N slices differ in size by one agency at most.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from auditor.errors import UsageError
from auditor.models import t

T = TypeVar("T")
_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` → (K, N) with 1 ≤ K ≤ N; :class:`UsageError` otherwise."""
    match = _SPEC.match(text)
    if not match:
        raise UsageError(
            t(
                f"--shard: cần dạng K/N như 1/4, không phải {text!r}",
                f"--shard: expected K/N such as 1/4, got {text!r}",
            )
        )
    k, n = int(match.group(1)), int(match.group(2))
    if n < 1 or not 1 <= k <= n:
        raise UsageError(
            t(
                f"--shard {text}: K phải từ 1 đến N (N ≥ 1)",
                f"--shard {text}: K must be between 1 and N (N ≥ 1)",
            )
        )
    return k, n


def _rank(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def shard_of(items: Sequence[T], k: int, n: int, key: Callable[[T], str]) -> list[T]:
    """The items of shard ``k`` of ``n``, in their original order."""
    dealt = sorted(range(len(items)), key=lambda i: (_rank(key(items[i])), i))
    chosen = {index for position, index in enumerate(dealt) if position % n == k - 1}
    return [item for i, item in enumerate(items) if i in chosen]
