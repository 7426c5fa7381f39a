"""Printed reports: passes collapsed and out of print, the agencies × articles grid on a
landscape page that keeps every column, a monospace stack that covers Vietnamese.

The print-to-PDF test needs Debian's ``chromium`` package and skips cleanly without it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from auditor.report.html_report import render_agency_html, render_index_html
from tests.test_report_html import make_report, make_summary

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_passes_are_collapsed_and_left_out_of_print() -> None:
    html = render_agency_html(make_report(), "vi")
    section = re.search(r'<section class="([^"]*)" id="section-passed">\s*<details>', html)
    assert section is not None and "no-print" in section.group(1)
    assert ".no-print{display:none}" in html


def test_grid_prints_landscape_and_code_font_covers_vietnamese() -> None:
    html = render_index_html(make_summary(), "vi")
    assert '<section class="grid-section">' in html
    assert "@page grid{size:A4 landscape" in html and ".grid-section{page:grid}" in html
    stack = re.search(r"code\{font-family:([^;]+);", html)
    assert stack is not None
    assert "Noto Sans Mono" in stack.group(1) and "Liberation Mono" in stack.group(1)


@pytest.mark.skipif(
    CHROMIUM is None, reason="print-to-PDF needs Debian's chromium package, not installed here"
)
def test_index_prints_every_grid_column(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    summary = make_summary()
    wide = {f"Điều {n} k{n % 4 + 1}": "fail" if n % 3 else "pass" for n in range(1, 36)}
    rows = tuple(r.model_copy(update={"statuses": wide}) for r in summary.agencies)
    summary = summary.model_copy(update={"agencies": rows})  # 35 articles, as in a province
    page = tmp_path / "index.html"
    page.write_text(render_index_html(summary, "en"), encoding="utf-8")
    pdf = tmp_path / "index.pdf"
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    reader = pypdf.PdfReader(str(pdf))
    assert 1 <= len(reader.pages) <= 4
    landscape = [p for p in reader.pages if p.mediabox.width > p.mediabox.height]
    assert landscape, "the grid is printed on a landscape page"
    text = "".join(p.extract_text() for p in landscape).replace(" ", "").replace("\n", "")
    for column in wide:
        assert column.replace(" ", "") in text, column
