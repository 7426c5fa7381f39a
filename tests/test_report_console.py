"""Console: the summary table at 80 columns and the live progress counts."""

from __future__ import annotations

import io

from rich.console import Console

from auditor.models import Agency, SummaryRow
from auditor.report.console import ScanProgress, summary_table
from auditor.report.writer import build_summary_row
from tests.test_report_html import make_report

LONG = "phuong2.thanhpho.soctrang.gov.vn"


def _rows() -> list[SummaryRow]:
    reports = [
        make_report(LONG, "Ủy ban nhân dân Phường 2 thành phố Sóc Trăng", 97.0, "A"),
        make_report("sonnptnt.soctrang.gov.vn", "Sở Nông nghiệp và Phát triển nông thôn", 92.1),
        make_report("xa.soctrang.gov.vn", "Xã C", None, None, level="commune"),
    ]
    return [build_summary_row(r, None, None) for r in reports]


def _render(width: int, lang: str = "vi") -> str:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(summary_table(_rows(), "en" if lang == "en" else "vi", width))
    return console.export_text()


def test_summary_fits_80_columns_and_domains_never_wrap() -> None:
    text = _render(80)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(LONG in line for line in lines)  # whole, on one line
    assert any("sonnptnt.soctrang.gov.vn" in line for line in lines)
    first = next(line for line in lines if LONG in line)
    assert first.split()[-5:] == ["97,0", "A", "2", "1", "1"]  # numbers on the domain's line
    assert "Sở, ban, ngành" not in text  # no level column at 80
    assert "KĐ: không đạt" in text
    assert not any(line.rstrip().endswith(("Nôn", "nghi", "Phá")) for line in lines)


def test_wide_console_shows_the_level_and_narrow_one_uses_an_ellipsis() -> None:
    assert "Sở, ban, ngành" in _render(120)
    assert "Department" in _render(120, "en")
    narrow = _render(50)
    assert max(len(line) for line in narrow.splitlines()) <= 50
    assert "…" in narrow and LONG not in narrow


def test_progress_counts_requests_and_errors_per_agency() -> None:
    agencies = [make_report(LONG).agency, Agency(name="B", level="department", domain="b.gov.vn")]
    other = Agency(name="C", level="department", domain="other.gov.vn")
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=100, color_system=None)
    with ScanProgress(console, agencies, "en") as progress:
        progress.on_event("start", agencies[0])
        progress.on_event("request", agencies[0], status=200)
        progress.on_event("request", agencies[0], status=503)
        progress.on_event("request", agencies[0], status=0)  # no response
        progress.on_event("request", other, status=200)  # not audited in this scan
        progress.on_event("done", agencies[0], "97.0 A (3 pages)")
    site = progress.sites[LONG]
    assert (site.requests, site.errors, site.state) == (3, 2, "done")
    assert progress.sites["b.gov.vn"].requests == 0
    out = buf.getvalue()
    assert "Done 1/2" in out and "97.0 A (3 pages)" in out and "waiting" in out


def test_progress_draws_nothing_off_a_terminal() -> None:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=False)
    with ScanProgress(console, [make_report().agency], "vi") as progress:
        assert not progress.enabled
        progress.on_event("start", make_report().agency)
    assert buf.getvalue() == ""
