"""The top of a py-spy profile: inclusive and self share of samples per function.

py-spy record -r 200 -f raw -o /tmp/scan.txt -- python -m auditor scan ...
python -m bench.profile_top /tmp/scan.txt --top 25 [--only auditor]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def _name(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if match is None:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", "/auditor/", "python3.11/"):
        if marker in path:
            path = ("auditor/" if marker == "/auditor/" else "") + path.split(marker, 1)[1]
            break
    return f"{match['func']} ({path})"


def top(raw: Path, count: int, only: str | None) -> str:
    """A table of the functions with the largest inclusive share of samples."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, samples = line.rpartition(" ")
        if not stack or not samples.isdigit():
            continue
        n = int(samples)
        total += n
        frames = [_name(f) for f in stack.split(";")]
        for name in set(frames):
            inclusive[name] += n
        own[frames[-1]] += n
    lines = [f"{'incl %':>7} {'self %':>7}  function ({total} samples)"]
    shown = 0
    for name, n in inclusive.most_common():
        if only and only not in name:
            continue
        lines.append(f"{100 * n / total:7.1f} {100 * own[name] / total:7.1f}  {name}")
        shown += 1
        if shown >= count:
            break
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("raw", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--only", help="only functions whose name or file contains this")
    args = parser.parse_args()
    print(top(args.raw, args.top, args.only))


if __name__ == "__main__":
    main()
