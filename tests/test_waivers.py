"""Waivers ("comply or explain"): file validation, application, scoring, gates and renderers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.fixtureserver import FixtureServer
from auditor.gate import GatePolicy, evaluate
from auditor.models import AuditReport, Waiver
from auditor.paths import fixtures_dir
from auditor.report.html_report import render_agency_html
from auditor.report.junit_report import render_junit
from auditor.report.sarif_report import sarif_log
from auditor.rules.schema import ScoringConfig
from auditor.scoring import percent, score
from auditor.waivers import WaiverError, apply_waivers, find_waiver, load_waivers
from tests.test_report_html import make_report

runner = CliRunner()
RULES = {"st.d6k2.https", "st.d6k2.hsts", "st.d8.title"}
GOOD = """\
# comply or explain
- rule: st.d6k2.https
  domain: www.SocTrang.gov.vn
  reason: "Chuyển sang HTTPS khi nâng cấp hạ tầng <script>alert(1)</script>"
  approved_by: Sở Khoa học và Công nghệ, CV 123/SKHCN
  expires: 2027-03-31
- rule: st.d8.title
  domain: "*"
  reason: Giao diện đang làm lại
  approved_by: Giám đốc Sở
  expires: 2026-11-19
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _config() -> ScoringConfig:
    return ScoringConfig.model_validate({"warn_credit": 0.5})


def _waived(tmp_path: Path) -> AuditReport:
    return apply_waivers(make_report(), load_waivers(_file(tmp_path, GOOD), RULES), _config())


def test_load_a_list_or_a_mapping(tmp_path: Path) -> None:
    waivers = load_waivers(_file(tmp_path, GOOD), RULES)
    assert [w.rule for w in waivers] == ["st.d6k2.https", "st.d8.title"]
    assert waivers[0].domain == "soctrang.gov.vn" and waivers[1].domain == "*"
    assert waivers[0].expires == date(2027, 3, 31) and not waivers[0].expired
    indented = "waivers:\n" + "".join(f"  {line}\n" for line in GOOD.splitlines())
    assert load_waivers(_file(tmp_path, indented), RULES) == waivers
    assert load_waivers(_file(tmp_path, "# nothing yet\n")) == ()


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = GOOD + (
        "- rule: st.d6k2.https\n"  # line 12: waived twice
        "  domain: soctrang.gov.vn\n"
        "  reason: again\n"
        "  approved_by: x\n"
        "  expires: 2027-01-01\n"
        "- rule: st.nope\n"  # line 17
        "  domain: http://x.gov.vn/\n"
        "  reason: ''\n"
        "  approved_by: x\n"
        "  expires: soon\n"
        "  approved: yes\n"
    )
    with pytest.raises(WaiverError) as info:
        load_waivers(_file(tmp_path, text), RULES)
    lines = [str(p).split(": ", 1)[0].rsplit(":", 1)[1] for p in info.value.problems]
    messages = "\n".join(str(p) for p in info.value.problems)
    assert lines == ["12", "17", "18", "19", "21", "22"]
    assert "waivers[2]: rule st.d6k2.https on soctrang.gov.vn is waived twice" in messages
    assert "waivers[3].rule: unknown rule 'st.nope'" in messages
    assert "waivers[3].domain: 'http://x.gov.vn/' is neither a domain name nor '*'" in messages
    assert "waivers[3].reason: String should have at least 1 character" in messages
    assert "waivers[3].expires" in messages and "waivers[3].approved: Extra inputs" in messages
    with pytest.raises(WaiverError, match=r"waivers.yaml:2: YAML syntax"):
        load_waivers(_file(tmp_path, "- rule: [\n"))
    with pytest.raises(WaiverError, match="a list of waivers"):
        load_waivers(_file(tmp_path, "just text\n"))
    with pytest.raises(WaiverError, match="cannot read waivers"):
        load_waivers(tmp_path / "missing.yaml")


def test_exact_domain_wins_over_star() -> None:
    star = Waiver(rule="r", domain="*", reason="a", approved_by="b", expires=date(2030, 1, 1))
    own = star.model_copy(update={"domain": "x.gov.vn", "reason": "own"})
    assert find_waiver([star, own], "r", "www.X.gov.vn") == own
    assert find_waiver([star, own], "r", "y.gov.vn") == star
    assert find_waiver([star], "other", "y.gov.vn") is None


def test_waived_finding_keeps_its_status_and_leaves_the_score(tmp_path: Path) -> None:
    report = _waived(tmp_path)
    https = next(f for f in report.findings if f.rule_id == "st.d6k2.https")
    assert https.status == "fail" and https.waived and https.waiver is not None
    assert https.waiver.reason.startswith("Chuyển sang HTTPS")
    # st.d8.title's waiver expired the day before the audit: noted, ignored
    title = next(f for f in report.findings if f.rule_id == "st.d8.title")
    assert title.waiver is not None and title.waiver.expired and not title.waived
    # pass 2 (weight 2 each), warn 1, fail 2 of which 1 waived → (2+2+1)/(2+2+2+2) = 62.5
    assert report.score.total == 62.5
    assert report.score.counts["fail"] == 2 and report.score.counts["waived"] == 1
    unwaived = score(make_report().findings, _config())
    assert unwaived.total == 50.0 and "waived" not in unwaived.counts
    # a passing rule is never marked, whatever the waivers say
    assert all(f.waiver is None for f in report.findings if f.status == "pass")


def test_percent_leaves_waived_findings_out() -> None:
    findings = make_report().findings
    w = Waiver(rule="x", domain="*", reason="r", approved_by="a", expires=date(2030, 1, 1))
    waived = [f.model_copy(update={"waiver": w}) if f.status == "fail" else f for f in findings]
    assert percent(waived, 0.5) == round(100 * 5 / 6, 1)  # two passes and a warn
    expired = [
        f.model_copy(update={"waiver": w.model_copy(update={"expired": True})}) for f in findings
    ]
    assert percent(expired, 0.5) == percent(findings, 0.5)


def test_gates_ignore_waived_failures(tmp_path: Path) -> None:
    report = _waived(tmp_path)
    result = evaluate([report], GatePolicy(fail_on="high"))
    assert [f.rule_id for f in result.gating_failures] == ["st.d8.title"]  # expired: counts


def test_renderers_show_the_waiver(tmp_path: Path) -> None:
    report = _waived(tmp_path)
    html = render_agency_html(report, "vi")
    section = html.split('id="section-waived"', 1)[1].split('class="findings-section"', 1)[0]
    assert "Cổng sử dụng HTTPS" in section and "Miễn trừ:" in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section and "<script>alert(1)" not in html
    assert "§ Miễn trừ: 1" in html  # the waived count beside the status counts
    assert "§ Miễn trừ" not in render_agency_html(make_report(), "vi")
    failures = html.split('id="section-failures"', 1)[1].split('class="findings-section"', 1)[0]
    assert "Cổng sử dụng HTTPS" not in failures
    assert "Miễn trừ đã hết hạn nên không được áp dụng" in failures  # st.d8.title
    run = sarif_log([report], "vi")["runs"][0]
    results = {r["ruleId"]: r for r in run["results"]}
    (suppression,) = results["st.d6k2.https"]["suppressions"]
    assert suppression["kind"] == "external" and suppression["status"] == "accepted"
    assert "Sở Khoa học và Công nghệ" in suppression["justification"]
    assert "suppressions" not in results["st.d8.title"]
    assert results["st.d8.title"]["properties"]["expiredWaiver"]["expires"] == "2026-11-19"
    from tests.test_report_sarif import _validate

    _validate(sarif_log([report], "en"))
    suite = ET.fromstring(render_junit([report], "en")).find("testsuite")
    assert suite is not None
    cases = {c.attrib["name"].split(" — ")[0]: c for c in suite.iter("testcase")}
    skipped = cases["st.d6k2.https"].find("skipped")
    assert skipped is not None and skipped.attrib["message"].startswith("Waived: Chuyển sang")
    assert cases["st.d8.title"].find("failure") is not None
    assert suite.attrib["failures"] == "1"


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer(fixtures_dir() / "sites") as srv:
        yield srv


def test_scan_with_waivers(server: FixtureServer, tmp_path: Path) -> None:
    waivers = _file(
        tmp_path,
        "- rule: st.d6k2.https\n"
        "  domain: sokhdt.soctrang.gov.vn\n"
        "  reason: Chờ chứng thư số mới\n"
        "  approved_by: Sở KH&CN\n"
        "  expires: 2027-01-31\n",
    )
    flags = [
        "scan",
        "sokhdt.soctrang.gov.vn",
        "--connect-to",
        f":443:127.0.0.1:{server.https_port}",
        "--connect-to",
        f":80:127.0.0.1:{server.http_port}",
        "--ca-bundle",
        str(server.ca_pem_path),
        "--as-of",
        "2026-11-20",
        "-q",
        "--fail-on",
        "critical",
    ]
    result = runner.invoke(app, [*flags, "--out", str(tmp_path / "w"), "--waivers", str(waivers)])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "w" / "sokhdt.soctrang.gov.vn.json").read_text(encoding="utf-8"))
    https = next(f for f in data["findings"] if f["rule_id"] == "st.d6k2.https")
    assert https["status"] == "fail" and https["waiver"]["reason"] == "Chờ chứng thư số mới"
    assert https["severity"] == "critical"  # without the waiver, --fail-on critical exits 1
    assert data["score"]["counts"]["waived"] == 1


def test_bad_waivers_stop_the_scan_before_any_request(tmp_path: Path) -> None:
    bad = _file(
        tmp_path,
        "- rule: st.nope\n  domain: '*'\n  reason: r\n  approved_by: a\n  expires: 2027-01-01\n",
    )
    result = runner.invoke(
        app,
        [
            "scan",
            "sokhdt.soctrang.gov.vn",
            "--waivers",
            str(bad),
            "--out",
            str(tmp_path / "o"),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 2
    assert "waivers.yaml:1: waivers[0].rule: unknown rule 'st.nope'" in result.output
    assert "nothing was fetched" in result.output and not (tmp_path / "o").exists()
