"""Province-scale speed: the auditor (crawl + every rule + JSON) against Scrapy's crawl alone.

Serves a simulated province (bench/farm.py, in a process of its own) and runs, alternately,

- ``auditor scan`` of every portal through ``--connect-to`` with the farm's CA, the province's
  rule pack (every rule), JSON reports;
- a Scrapy spider (bench/scrapy_farm.py) crawling the same pages with the same politeness,

then prints for each run: wall time, requests and pages the farm served, pages/s, CPU % (of
one core; 200 % is both cores), CPU seconds, peak RSS (the process tree, sampled), and the
auditor's ratio to Scrapy and to the politeness-bound ideal
(``max(N·M·latency / min(C, N·per_host), M·latency / per_host)``).

    python -m bench.province                       # 120 × 50, latency 0, 2 per host, 64 in all
    python -m bench.province --latency 0.1
    python -m bench.province --scale 30,120,480    # auditor only: peak RSS per portal count
    python -m bench.province --demo                # seconds per page of `auditor demo`
    python -m bench.province --portals 3 --pages 5 --keep /tmp/a   # keep the JSON reports

Needs the ``bench`` extra (scrapy, psutil). Figures, not assertions: nothing here fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bench.farm import Farm

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Run:
    """One measured run."""

    tool: str
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    requests: int
    pages: int
    over_limit: int
    exit_code: int

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall_s if self.wall_s else 0.0

    @property
    def cpu_percent(self) -> float:
        return 100 * self.cpu_s / self.wall_s if self.wall_s else 0.0


class FarmProcess:
    """The farm server in a child process."""

    def __init__(self, farm: Farm, workdir: Path) -> None:
        self.farm = farm
        self.ready = workdir / "farm.json"
        args = [sys.executable, "-m", "bench.farm", "--ready", str(self.ready)]
        args += ["--portals", str(farm.portals), "--pages", str(farm.pages)]
        args += ["--size", str(farm.size), "--latency", str(farm.latency)]
        args += ["--per-host", str(farm.per_host)]
        args += ["--faulty", str(farm.faulty), "--seed", str(farm.seed)]
        self.proc = subprocess.Popen(args, cwd=ROOT, env=_env())
        deadline = time.monotonic() + 60
        while not self.ready.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the farm server did not start")
            time.sleep(0.05)
        self.info: dict[str, Any] = json.loads(self.ready.read_text(encoding="utf-8"))
        self.registry = workdir / "registry.yaml"
        self.registry.write_text(farm.registry_yaml(), encoding="utf-8")

    def _get(self, path: str) -> dict[str, Any]:
        url = f"http://127.0.0.1:{self.info['http']}{path}"
        with urllib.request.urlopen(url, timeout=30) as response:
            data: dict[str, Any] = json.loads(response.read())
            return data

    def reset(self) -> None:
        self._get("/__reset__")

    def stats(self) -> dict[str, Any]:
        return self._get("/__stats__")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


def _env() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH", "")
    return dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{path}" if path else str(ROOT))


def measure(tool: str, args: list[str], farm: FarmProcess | None) -> Run:
    """Run ``args``; wall time, CPU time of the process tree, peak RSS of the tree."""
    if farm is not None:
        farm.reset()
    started = time.monotonic()
    proc = subprocess.Popen(
        args, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            parent = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while not stop.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                rss = 0
                for p in tree:
                    try:
                        rss += p.memory_info().rss
                    except psutil.NoSuchProcess:
                        continue
                peak = max(peak, rss)
            except psutil.NoSuchProcess:
                return
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    stop.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.stderr.write(stderr.decode("utf-8", "replace")[-3000:])
    stats = farm.stats() if farm is not None else {}
    return Run(
        tool=tool,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=max(peak, usage.ru_maxrss * 1024) / 2**20,
        requests=int(stats.get("requests", 0)),
        pages=int(stats.get("pages", 0)),
        over_limit=int(stats.get("over_limit", 0)),
        exit_code=proc.returncode,
    )


def auditor_args(farm: FarmProcess, out: Path, concurrency: int, per_host: int) -> list[str]:
    """``auditor scan`` of the whole farm: every rule of the province's pack, JSON reports."""
    info = farm.info
    args = [sys.executable, "-m", "auditor", "scan", "--registry", str(farm.registry)]
    args += ["--connect-to", f":443:127.0.0.1:{info['https']}"]
    args += ["--connect-to", f":80:127.0.0.1:{info['http']}"]
    args += ["--ca-bundle", info["ca"], "--as-of", "2026-11-20", "--timeout", "60"]
    args += ["--max-pages", str(farm.farm.pages), "--max-depth", "3"]
    args += ["--concurrency", str(concurrency), "--per-host", str(per_host)]
    args += ["--format", "json", "--out", str(out), "-q"]
    return args


def scrapy_args(farm: FarmProcess, concurrency: int, per_host: int) -> list[str]:
    """The Scrapy baseline over the same farm with the same politeness."""
    args = [sys.executable, "-m", "bench.scrapy_farm", "--ready", str(farm.ready)]
    args += ["--pages", str(farm.farm.pages)]
    args += ["--concurrency", str(concurrency), "--per-host", str(per_host)]
    return args


def ideal_s(farm: Farm, concurrency: int, per_host: int) -> float:
    """The politeness-bound wall time of fetching every page once."""
    fetches = farm.portals * farm.pages * farm.latency
    return max(
        fetches / min(concurrency, farm.portals * per_host), farm.pages * farm.latency / per_host
    )


def _row(run: Run) -> str:
    return (
        f"{run.tool:<8} {run.wall_s:8.1f} {run.requests:8d} {run.pages:6d} {run.pages_per_s:8.1f} "
        f"{run.cpu_percent:5.0f} {run.cpu_s:7.1f} {run.peak_rss_mb:7.0f} {run.over_limit:5d}"
        + ("" if run.exit_code in (0, 1) else f"  exit {run.exit_code}")
    )


HEADER = "tool       wall s requests  pages  pages/s  CPU%   CPU s  RSS MB  >lim"


def compare(args: argparse.Namespace) -> None:
    """Alternate auditor and Scrapy runs over one farm; print each run and the ratios."""
    farm = Farm(args.portals, args.pages, args.size, args.latency, args.per_host)
    print(
        f"farm: {farm.portals} portals × {farm.pages} pages × {farm.size // 1000} kB, "
        f"latency {farm.latency:g} s; politeness {args.per_host} per host, "
        f"{args.concurrency} in all; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    runs: dict[str, list[Run]] = {"auditor": [], "scrapy": []}
    with tempfile.TemporaryDirectory(prefix="auditor-bench-") as tmp:
        served = FarmProcess(farm, Path(tmp))
        try:
            print(HEADER)
            for i in range(args.repeat):
                out = Path(args.keep) if args.keep else Path(tmp) / f"out{i}"
                audit = measure("auditor", auditor_args(served, out, *_polite(args)), served)
                runs["auditor"].append(audit)
                print(_row(audit), flush=True)
                if not args.no_scrapy:
                    crawl = measure("scrapy", scrapy_args(served, *_polite(args)), served)
                    runs["scrapy"].append(crawl)
                    print(_row(crawl), flush=True)
        finally:
            served.close()
    auditor_wall = statistics.median(r.wall_s for r in runs["auditor"])
    ideal = ideal_s(farm, *_polite(args))
    line = f"auditor median wall {auditor_wall:.1f} s"
    if runs["scrapy"]:
        scrapy_wall = statistics.median(r.wall_s for r in runs["scrapy"])
        auditor_cpu = statistics.median(r.cpu_s for r in runs["auditor"])
        scrapy_cpu = statistics.median(r.cpu_s for r in runs["scrapy"])
        line += (
            f"; Scrapy {scrapy_wall:.1f} s: auditor/Scrapy {auditor_wall / scrapy_wall:.2f}× wall, "
            f"{auditor_cpu / scrapy_cpu:.2f}× CPU"
        )
    if ideal > 0:
        line += f"; politeness-bound ideal {ideal:.1f} s: auditor/ideal {auditor_wall / ideal:.2f}×"
    print(line)


def _polite(args: argparse.Namespace) -> tuple[int, int]:
    return args.concurrency, args.per_host


def scale(args: argparse.Namespace) -> None:
    """The auditor alone over farms of growing size: peak RSS per portal count."""
    print(f"scale: latency 0, {args.pages} pages × {args.size // 1000} kB per portal")
    print("portals " + HEADER)
    for count in (int(c) for c in args.scale.split(",")):
        farm = Farm(count, args.pages, args.size, 0.0, args.per_host)
        with tempfile.TemporaryDirectory(prefix="auditor-bench-") as tmp:
            served = FarmProcess(farm, Path(tmp))
            try:
                run = measure(
                    "auditor", auditor_args(served, Path(tmp) / "out", *_polite(args)), served
                )
            finally:
                served.close()
        print(f"{count:7d} " + _row(run), flush=True)


def demo(args: argparse.Namespace) -> None:
    """Seconds per page of ``auditor demo`` (the bundled province on loopback)."""
    with tempfile.TemporaryDirectory(prefix="auditor-bench-") as tmp:
        out = Path(tmp) / "demo"
        cmd = [sys.executable, "-m", "auditor", "demo", "--out", str(out), "-q", "-f", "json"]
        run = measure("demo", cmd, None)
        pages = 0
        for path in out.glob("*.json"):
            if path.name != "summary.json":
                pages += json.loads(path.read_text(encoding="utf-8"))["crawl"]["pages_fetched"]
    print(
        f"auditor demo: {run.wall_s:.1f} s wall, {run.cpu_s:.1f} s CPU, {pages} pages: "
        f"{run.wall_s / max(pages, 1):.3f} s/page (Lighthouse ≈ 11 s/page, pa11y ≈ 2 s/page)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--portals", type=int, default=120)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--size", type=int, default=40_000, help="bytes of text per page")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per response")
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=1, help="alternating runs of each tool")
    parser.add_argument("--no-scrapy", action="store_true", help="the auditor only")
    parser.add_argument("--keep", help="write the auditor's reports to this folder")
    parser.add_argument("--scale", help="portal counts, e.g. 30,120,480 (auditor only)")
    parser.add_argument("--demo", action="store_true", help="seconds per page of auditor demo")
    args = parser.parse_args()
    if args.demo:
        demo(args)
    elif args.scale:
        scale(args)
    else:
        compare(args)


if __name__ == "__main__":
    main()
