"""Whether two report folders say the same: per portal, every rule's status, score and
evidence (URLs, found, expected, snippet, detail; in order) — what the speed work must never
change. The same site must give the same report: a capture keeps its pages in a canonical
order (:mod:`auditor.capture.order`), so the examples an evidence cites, and their order, do
not depend on which response came first.

Ports of loopback addresses (``127.0.0.1:PORT``, ``[::1]:PORT``, ``localhost:PORT``) are
masked: the demo's and the bench farm's servers (web, DNS) listen on ports picked afresh each
run, and the DNS checks name the resolver they asked.

    python -m bench.compare_findings BEFORE_DIR AFTER_DIR

Prints the differences (timing and dates left aside) and exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

_LOOPBACK_PORT = re.compile(r"(127\.0\.0\.1|\[::1\]|localhost):\d+")


def _masked(text: str) -> str:
    return _LOOPBACK_PORT.sub(r"\1:PORT", text)


def _verdicts(path: Path) -> dict[str, Any]:
    report = json.loads(_masked(path.read_text(encoding="utf-8")))
    return {
        "score": report["score"],
        "findings": {
            f["rule_id"]: {
                "status": f["status"],
                "evidence": [
                    json.dumps(
                        {k: e.get(k) for k in ("url", "found", "expected", "snippet", "detail")},
                        sort_keys=True,
                        ensure_ascii=False,
                    )
                    for e in f["evidence"]
                ],
            }
            for f in report["findings"]
        },
    }


def differences(before: Path, after: Path) -> list[str]:
    """One line per difference between the agency reports of the two folders."""
    out: list[str] = []
    names = {p.name for p in before.glob("*.json")} | {p.name for p in after.glob("*.json")}
    for name in sorted(names - {"summary.json"}):
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            out.append(f"{name}: only in {'after' if not a.exists() else 'before'}")
            continue
        va, vb = _verdicts(a), _verdicts(b)
        if va["score"] != vb["score"]:
            out.append(f"{name}: score {va['score']} → {vb['score']}")
        for rule in sorted(set(va["findings"]) | set(vb["findings"])):
            fa, fb = va["findings"].get(rule), vb["findings"].get(rule)
            if fa != fb:
                out.append(f"{name} {rule}: {json.dumps(fa)[:300]} → {json.dumps(fb)[:300]}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args()
    found = differences(args.before, args.after)
    for line in found:
        print(line)
    count = len(list(args.before.glob("*.json")))
    print(f"{len(found)} difference(s) over {count} report file(s)")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
