"""Soak: one ``auditor scan`` of a large farm with a seeded random share of faulty portals.

Serves bench/farm.py with ``--faulty`` (one fault per faulty portal: 503 always, 429 with
Retry-After, reset mid-body, body stalled past the timeout, binary body, root redirecting off
scope) and scans every portal in one run, sampling the RSS of the scan process and its children
every second with psutil. Prints reports written, crashes (portals with no report, tracebacks
in stderr), the exit code, peak RSS and RSS over time, of the whole tree and of the scan process
alone (the workers are the difference).

    python -m bench.soak                                  # 1,000 portals × 5 pages, 10 % faulty
    python -m bench.soak --portals 100 --faulty 0.1 --seed 7

Not in CI; figures, not assertions.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psutil

from bench.farm import Farm
from bench.province import ROOT, FarmProcess, _env, auditor_args


def _tree_rss(parent: psutil.Process) -> tuple[int, int]:
    """The RSS of ``parent`` and its children together, and of ``parent`` alone."""
    rss = own = 0
    for proc in [parent, *parent.children(recursive=True)]:
        try:
            used = proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
        rss += used
        if proc.pid == parent.pid:
            own = used
    return rss, own


def soak(args: argparse.Namespace) -> None:
    """Run the scan once; print what came out of it."""
    farm = Farm(args.portals, args.pages, args.size, 0.0, args.per_host, args.faulty, args.seed)
    faults = farm.faults
    print(
        f"soak: {farm.portals} portals × {farm.pages} pages × {farm.size // 1000} kB, "
        f"{len(faults)} faulty (seed {farm.seed}): "
        + ", ".join(f"{k} {n}" for k, n in sorted(Counter(faults.values()).items()))
    )
    with tempfile.TemporaryDirectory(prefix="auditor-soak-") as tmp:
        served = FarmProcess(farm, Path(tmp))
        out = Path(tmp) / "out"
        cmd = auditor_args(served, out, args.concurrency, args.per_host)
        cmd[cmd.index("--timeout") + 1] = str(args.timeout)
        samples: list[tuple[float, int, int]] = []
        started = time.monotonic()
        try:
            with open(Path(tmp) / "stderr", "w+b") as err:
                proc = subprocess.Popen(
                    cmd, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=err
                )
                parent = psutil.Process(proc.pid)
                while proc.poll() is None:
                    try:
                        samples.append((time.monotonic() - started, *_tree_rss(parent)))
                    except psutil.NoSuchProcess:
                        break
                    threading.Event().wait(1.0)
                code = proc.wait()
                err.seek(0)
                stderr = err.read().decode("utf-8", "replace")
        finally:
            served.close()
        wall = time.monotonic() - started
        written = {p.stem for p in out.glob("p*.json")}
    missing = [h for h in farm.hosts if h not in written]
    tracebacks = stderr.count("Traceback (most recent call last)")
    peak = max((rss for _, rss, _ in samples), default=0) / 2**20
    own_peak = max((own for _, _, own in samples), default=0) / 2**20
    print(f"wall {wall:.0f} s, exit code {code}")
    print(f"reports written: {len(written)} of {farm.portals}")
    print(f"crashes: {len(missing)} portals without a report, {tracebacks} tracebacks in stderr")
    for host in missing[:10]:
        print(f"  no report: {host} ({faults.get(host, 'healthy')})")
    print(f"peak RSS: {peak:.0f} MB (scan process and children, sampled every 1 s)")
    print(f"peak RSS of the scan process alone: {own_peak:.0f} MB")
    step = max(1, len(samples) // args.points)
    series = " ".join(f"{t:.0f}s:{rss / 2**20:.0f}" for t, rss, _ in samples[::step])
    print(f"RSS over time (s:MB): {series}")
    series = " ".join(f"{t:.0f}s:{own / 2**20:.0f}" for t, _, own in samples[::step])
    print(f"scan process alone (s:MB): {series}")
    if tracebacks:
        sys.stdout.write(stderr[-3000:])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--portals", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--size", type=int, default=10_000, help="bytes of text per page")
    parser.add_argument("--faulty", type=float, default=0.1, help="share of faulty portals")
    parser.add_argument("--seed", type=int, default=7, help="which portals are faulty")
    parser.add_argument("--timeout", type=float, default=5.0, help="the scan's --timeout")
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--points", type=int, default=20, help="RSS samples to print")
    args = parser.parse_args()
    if os.cpu_count() == 1:
        print("note: one core; the scan and the farm share it")
    soak(args)


if __name__ == "__main__":
    main()
