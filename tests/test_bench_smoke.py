"""The province bench runs end to end on a tiny farm (figures are not checked: speed belongs
in bench/, not in the test suite)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_bench_prints_both_tools_on_a_tiny_farm(tmp_path: Path) -> None:
    pytest.importorskip("scrapy")
    pytest.importorskip("psutil")
    keep = tmp_path / "reports"
    args = [sys.executable, "-m", "bench.province", "--portals", "2", "--pages", "4"]
    args += ["--size", "4000", "--keep", str(keep)]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    rows = {
        line.split()[0]: line.split()
        for line in done.stdout.splitlines()
        if line.startswith(("auditor ", "scrapy ")) and "median" not in line
    }
    assert "Traceback" not in done.stderr
    for tool in ("auditor", "scrapy"):
        pages = int(rows[tool][3])
        assert pages >= 8, done.stdout  # every page of both portals was served to each tool
        assert int(rows[tool][8]) == 0  # no request beyond the per-host limit
    assert "auditor/Scrapy" in done.stdout and "Traceback" not in done.stdout
    reports = sorted(p.name for p in keep.glob("p*.json"))
    assert reports == ["p001.soctrang.gov.vn.json", "p002.soctrang.gov.vn.json"]
