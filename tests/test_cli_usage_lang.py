"""click's own usage errors follow --lang, exit 2, no traceback (run as the console script is)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("args", "vi", "en"),
    [
        (("scan", "--max-page", "3", "x.gov.vn"), "không có tuỳ chọn --max-page", "No such option"),
        (("rules", "show"), "thiếu RULE_ID", "Missing argument"),
        (
            ("scan", "--max-pages", "abc", "x.gov.vn"),
            "giá trị không hợp lệ cho --max-pages",
            "Invalid value",
        ),
    ],
)
def test_usage_errors_in_the_runs_language(args: tuple[str, ...], vi: str, en: str) -> None:
    said = _run(*args)
    text = " ".join(said.stderr.split())
    assert said.returncode == 2 and "Traceback" not in said.stderr
    assert text.startswith("lỗi cách dùng:") and vi in text and en not in text
    said = _run(*args, "--lang", "en")
    text = " ".join(said.stderr.split())
    assert said.returncode == 2 and text.startswith("usage error:") and en in text


def test_help_and_version_still_exit_0() -> None:
    assert _run("--version").returncode == 0
    shown = _run("scan", "--help")
    assert shown.returncode == 0 and "--max-pages" in shown.stdout
