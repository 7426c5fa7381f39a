"""Whether two report folders say the same: per portal, every rule's status, score and
evidence (URLs, found, expected, snippet; in any order) — what the speed work must never
change.

    python -m bench.compare_findings BEFORE_DIR AFTER_DIR

Prints the differences (timing and dates left aside) and exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def _verdicts(path: Path) -> dict[str, Any]:
    report = json.loads(path.read_text(encoding="utf-8"))
    return {
        "score": report["score"],
        "findings": {
            f["rule_id"]: {
                "status": f["status"],
                # as a sorted list: pages are listed in the order the crawl got them, which
                # varies from run to run with more than one request per host
                "evidence": sorted(
                    json.dumps(
                        {k: e.get(k) for k in ("url", "found", "expected", "snippet", "detail")},
                        sort_keys=True,
                        ensure_ascii=False,
                    )
                    for e in f["evidence"]
                ),
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
