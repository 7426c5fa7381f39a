"""A judging worker's cost per page, measured on saved site captures in one process: CPU
seconds of planning (``pool.plan_and_keep``) and judging (``pool.judge_kept``) per page,
HTML parses per page, and the peak RSS of each phase above the process's RSS before it.

Captures come from ``auditor scan --save-capture`` (the bench farm's, or the demo's:
``auditor demo --save-capture -f json --out DIR``). Every capture is judged once before the
measured passes (imports, caches), then ``--passes`` times; CPU is ``time.process_time``.

    python -m bench.judge_captures DIR [--passes 2] [--as-of 2026-11-20] [--memory]

``--memory`` samples RSS every 3 ms in a thread (slower; use it apart from the CPU figures).
Figures, not assertions: nothing here fails.
"""

from __future__ import annotations

import argparse
import gc
import threading
import time
from datetime import date
from pathlib import Path

from auditor import pool
from auditor.audit import plan_audit
from auditor.capture.warc import read_capture
from auditor.htmlcaps import PARSES
from auditor.memory import give_back_memory
from auditor.scan import judge_task, site_scope


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


class _PeakSampler:
    """The highest RSS seen since the last :meth:`reset`, sampled in a thread."""

    def __init__(self) -> None:
        self.peak = 0.0
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            self.peak = max(self.peak, _rss_mb())
            time.sleep(0.003)

    def reset(self) -> float:
        gc.collect()
        give_back_memory()
        time.sleep(0.02)
        base = self.peak = _rss_mb()
        return base

    def since(self) -> float:
        time.sleep(0.02)
        return self.peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder of *.capture.warc.gz files")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 20))
    parser.add_argument("--memory", action="store_true", help="peak RSS of each phase")
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.capture.warc.gz"))
    if not files:
        parser.error(f"no *.capture.warc.gz in {args.folder}")
    plan = plan_audit(
        files, None, None, args.folder / "_unused", frozenset({"json"}), "vi", args.as_of
    )
    captures = [read_capture(f) for f in files]
    pool.warm_up()
    sampler = _PeakSampler() if args.memory else None
    plan_s = judge_s = 0.0
    pages = parses = 0
    ticket = 0
    for measured in [False] + [True] * args.passes:
        for target, capture in zip(plan.targets, captures, strict=True):
            ticket += 1
            base = sampler.reset() if sampler else 0.0
            before = next(PARSES)
            start = time.process_time()
            task = judge_task(target, plan, capture)
            pool.plan_and_keep(ticket, task, site_scope(target, plan), plan.needs)
            planned = time.process_time()
            plan_peak = sampler.since() if sampler else 0.0
            if sampler:
                sampler.peak = _rss_mb()
            pool.judge_kept(ticket, task)
            judged = time.process_time()
            if not measured:
                continue
            plan_s += planned - start
            judge_s += judged - planned
            pages += len(capture.pages)
            parses += next(PARSES) - before - 1
            if sampler:
                print(
                    f"{target.agency.domain}: RSS {base:.0f} MB, planning peak "
                    f"+{plan_peak - base:.1f} MB, judging peak +{sampler.since() - base:.1f} MB"
                )
    print(
        f"{pages} pages ({len(files)} captures × {args.passes}): planning {plan_s:.2f} CPU-s, "
        f"judging {judge_s:.2f} CPU-s, {1000 * (plan_s + judge_s) / pages:.2f} ms a page, "
        f"{parses / pages:.2f} HTML parses a page"
    )


if __name__ == "__main__":
    main()
