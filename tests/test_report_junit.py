"""JUnit XML: well-formed, one suite per agency, one case per rule, counts as in the report."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from auditor.models import Evidence, t
from auditor.report.junit_report import render_junit, xml_text
from auditor.report.writer import write_agency_report, write_summary
from tests.test_report_html import HOSTILE_SNIPPET, HOSTILE_TITLE, make_report, make_summary


def _cases(suite: ET.Element) -> dict[str, ET.Element]:
    return {c.attrib["name"].split(" — ")[0]: c for c in suite.iter("testcase")}


def test_one_suite_per_agency_and_one_case_per_rule() -> None:
    reports = [make_report("soctrang.gov.vn"), make_report("stnmt.soctrang.gov.vn", "Sở B")]
    root = ET.fromstring(render_junit(reports, "vi"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.attrib["hostname"] for s in suites] == ["soctrang.gov.vn", "stnmt.soctrang.gov.vn"]
    assert suites[1].attrib["name"] == "Sở B (stnmt.soctrang.gov.vn)"
    for suite, report in zip(suites, reports, strict=True):
        cases = suite.findall("testcase")
        assert len(cases) == len(report.findings) == int(suite.attrib["tests"])
        counts = report.score.counts
        assert int(suite.attrib["failures"]) == counts["fail"] == len(suite.findall("*/failure"))
        assert int(suite.attrib["errors"]) == counts["error"] == len(suite.findall("*/error"))
        skipped = counts["manual"] + counts["not_applicable"]
        assert int(suite.attrib["skipped"]) == skipped == len(suite.findall("*/skipped"))
        props = {p.attrib["name"]: p.attrib["value"] for p in suite.iter("property")}
        assert props["score"] == "72.5" and props["grade"] == "Khá"
    assert root.attrib["tests"] == str(2 * len(reports[0].findings))
    assert root.attrib["failures"] == "4" and root.attrib["errors"] == "2"


def test_case_names_outcomes_and_evidence() -> None:
    suite = ET.fromstring(render_junit([make_report()], "vi")).find("testsuite")
    assert suite is not None
    cases = _cases(suite)
    https = cases["st.d6k2.https"]
    assert https.attrib["classname"] == "qd-07-2019.Điều 6 khoản 2"
    assert https.attrib["name"] == "st.d6k2.https — Cổng sử dụng HTTPS"
    failure = https.find("failure")
    assert failure is not None and failure.attrib["message"] == "Vi phạm st.d6k2.https"
    assert failure.text and "http://soctrang.gov.vn/" in failure.text
    assert "Yêu cầu: https://" in failure.text
    warn = cases["st.d6k2.hsts"]
    assert warn.find("failure") is None and warn.find("skipped") is None
    out = warn.find("system-out")
    assert out is not None and out.text and out.text.startswith("Cảnh báo (Cao)")
    error = cases["st.d10.news"].find("error")
    assert error is not None and error.attrib["message"] == "Hết thời gian chờ"
    manual = cases["st.d9.privacy"].find("skipped")
    assert manual is not None and manual.attrib["message"] == "Cần kiểm tra thủ công"
    assert list(cases["st.d8.lang"]) == []  # a pass is an empty test case


def test_hostile_and_control_characters_stay_well_formed() -> None:
    report = make_report()
    nasty = report.findings[2].model_copy(
        update={
            "evidence": (
                *report.findings[2].evidence,
                Evidence(detail=t("x", "x"), found="a\x00b\x1bc\ufffe]]>&"),
            )
        }
    )
    findings = (*report.findings[:2], nasty, *report.findings[3:])
    text = render_junit([report.model_copy(update={"findings": findings})], "en")
    assert "<script>" not in text and "\x00" not in text
    suite = ET.fromstring(text).find("testsuite")
    assert suite is not None
    failure = _cases(suite)["st.d8.title"].find("failure")
    assert failure is not None and failure.text is not None
    assert HOSTILE_TITLE in failure.text and HOSTILE_SNIPPET in failure.text
    assert "a\ufffdb\ufffdc\ufffd]]>&" in failure.text
    assert xml_text("ok\tline\n") == "ok\tline\n"


def test_agency_and_combined_files(tmp_path: Path) -> None:
    files = write_agency_report(make_report(), tmp_path, {"json", "junit"}, "en")
    assert [p.name for p in files] == ["soctrang.gov.vn.json", "soctrang.gov.vn.junit.xml"]
    ET.parse(files[1])
    summary = make_summary()
    one = summary.model_copy(update={"agencies": summary.agencies[:1]})
    (combined,) = write_summary(one, tmp_path, {"junit"}, "en")
    assert combined.name == "summary.junit.xml"
    assert len(ET.parse(combined).getroot().findall("testsuite")) == 1
