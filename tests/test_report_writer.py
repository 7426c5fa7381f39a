"""Writing agency reports and scan summaries; summary rows built from reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import UsageError
from auditor.models import Citation
from auditor.report.json_report import load_report, load_summary
from auditor.report.ordering import article_key, rank_rows, worst_status
from auditor.report.writer import (
    build_summary_row,
    report_stem,
    write_agency_report,
    write_summary,
)
from tests.test_report_html import make_report, make_summary


def test_agency_files_named_after_domain(tmp_path: Path) -> None:
    report = make_report("www.SocTrang.gov.vn")
    files = write_agency_report(report, tmp_path / "out", {"json", "html", "csv"}, "vi")
    assert [p.name for p in files] == ["soctrang.gov.vn.json", "soctrang.gov.vn.html"]
    assert load_report(files[0]) == report
    assert "72,5" in files[1].read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "soctrang.gov.vn.html",
        "soctrang.gov.vn.json",
    ]  # no temporary files left behind
    only_html = write_agency_report(report, tmp_path / "h", frozenset({"html"}), "en")
    assert [p.name for p in only_html] == ["soctrang.gov.vn.html"]


def test_report_stem_is_a_safe_file_name() -> None:
    assert report_stem("WWW.Hue.gov.vn.") == "hue.gov.vn"
    assert report_stem("localhost:8443") == "localhost_8443"
    assert report_stem("../../etc/passwd") == "etc_passwd"


def test_summary_files(tmp_path: Path) -> None:
    summary = make_summary()
    files = write_summary(summary, tmp_path, {"json", "html", "csv"}, "vi")
    assert [p.name for p in files] == ["summary.json", "index.html", "summary.csv", "findings.csv"]
    assert load_summary(files[0]) == summary
    assert "Bảng xếp hạng" in files[1].read_text(encoding="utf-8")
    assert files[2].read_bytes().startswith(b"\xef\xbb\xbf")
    assert write_summary(summary, tmp_path / "j", {"json"}, "vi")[0].name == "summary.json"


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="pdf"):
        write_agency_report(make_report(), tmp_path, {"json", "pdf"}, "vi")


def test_summary_row_worst_status_per_article() -> None:
    row = build_summary_row(make_report(), "a.json", "a.html")
    assert row.score == 72.5 and row.grade == "Khá"
    assert row.counts["fail"] == 2 and row.counts["error"] == 1
    assert row.report_json == "a.json" and row.report_html == "a.html"
    assert row.statuses == {
        "Điều 6 k2": "fail",  # fail + warn
        "Điều 8": "fail",  # fail + pass
        "Điều 10": "error",
        "Điều 9": "manual",
        "Điều 13": "not_applicable",
        "nd-42-2022 Điều 4 k1": "pass",
    }


def test_worst_status_order() -> None:
    assert worst_status(["pass", "error", "warn"]) == "error"
    assert worst_status(["error", "fail"]) == "fail"
    assert worst_status(["manual", "warn"]) == "warn"
    assert worst_status(["not_applicable", "manual", "pass"]) == "manual"
    assert worst_status(["not_applicable", "pass"]) == "pass"
    assert worst_status([]) is None


def test_article_key() -> None:
    c = Citation(document="qd-07-2019", article="6", clause="2", point="a")
    assert article_key(c) == "Điều 6 k2"
    assert article_key(c, "qd-07-2019") == "Điều 6 k2"
    assert article_key(c, "nd-42-2022") == "qd-07-2019 Điều 6 k2"


def test_rank_rows_ties_and_unscored() -> None:
    ranked = rank_rows(make_summary().agencies)
    assert [(r, row.agency.name) for r, row in ranked][-1] == (None, "Xã C")
    assert [r for r, _ in ranked] == [1, 2, 2, 4, None]
