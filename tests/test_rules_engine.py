"""Rule engine: check trees (all / any / not), errors, applicability by level and date, manual."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from auditor.artifacts import Artifacts
from auditor.checks.registry import CheckSpec, Params
from auditor.errors import CheckError
from auditor.models import Agency, Evidence, Finding, Outcome, Status, t
from auditor.rules.engine import documents_applied, evaluate
from auditor.rules.loader import Pack, load_pack_file
from tests.factories import art, page


class StatusParams(Params):
    status: Status
    note: str = ""


class RaiseParams(Params):
    bug: bool = False


SEEN_PARAMS: list[int] = []


def _status(a: Artifacts, p: StatusParams) -> Outcome:
    SEEN_PARAMS.append(id(p))
    note = p.note or p.status
    return Outcome(status=p.status, evidence=(Evidence(detail=t(note, note), found=note),))


def _raise(a: Artifacts, p: RaiseParams) -> Outcome:
    if p.bug:
        raise ZeroDivisionError("division by zero in test_raise")
    raise CheckError("trang chủ không tải được / home page unavailable")


CHECKS = {
    "test_status": CheckSpec("test_status", StatusParams, _status, ""),
    "test_raise": CheckSpec("test_raise", RaiseParams, _raise, ""),
}

HEADER = """\
pack:
  id: engine-test
  title: {vi: "Thử", en: "Test"}
  documents:
    - id: "QĐ 1"
      title: {vi: "QĐ 1", en: "Decision 1"}
      effective_from: 2020-01-01
    - id: "QĐ 2"
      title: {vi: "QĐ 2", en: "Decision 2"}
      effective_from: 2020-01-01
      effective_to: 2024-12-31
    - id: "QĐ 3"
      title: {vi: "QĐ 3", en: "Decision 3"}
  categories:
    c: {vi: "Nhóm", en: "Group"}
rules:
"""

RULE = """\
  - id: {id}
    title: {{vi: "Tiêu đề {id}", en: "Title {id}"}}
    failure: {{vi: "Lỗi", en: "Failure"}}
    fix: {{vi: "Sửa", en: "Fix"}}
    citation: {{document: "{doc}", article: "5"}}
    applies_to: {levels}
    category: c
    severity: medium
    weight: 2
{extra}"""


def _rule(
    rule_id: str,
    check: str | None = None,
    levels: str = "[all]",
    doc: str = "QĐ 1",
    extra: str = "",
) -> str:
    lines = extra + (f"    check: {check}\n" if check is not None else "")
    return RULE.format(id=rule_id, levels=levels, doc=doc, extra=lines)


def _pack(tmp_path: Path, *rules: str) -> Pack:
    path = tmp_path / "engine-test.yaml"
    path.write_text(HEADER + "".join(rules), encoding="utf-8")
    return load_pack_file(path, CHECKS)


def _one(tmp_path: Path, check: str, agency_art: Artifacts | None = None) -> Finding:
    pack = _pack(tmp_path, _rule("r", check))
    (finding,) = evaluate(pack, agency_art or art(page("https://soctrang.gov.vn/", "<p>x</p>")))
    return finding


def S(status: str, note: str = "") -> str:
    """A ``test_status`` leaf in YAML flow style."""
    extra = f", note: {note}" if note else ""
    return "{test_status: {status: " + status + extra + "}}"


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        (S("pass"), "pass"),
        (f"{{all: [{S('pass')}, {S('warn')}]}}", "warn"),
        (f"{{all: [{S('pass')}, {S('error')}, {S('fail')}]}}", "fail"),
        (f"{{all: [{S('pass')}, {S('warn')}, {S('error')}]}}", "error"),
        (f"{{all: [{S('not_applicable')}, {S('not_applicable')}]}}", "not_applicable"),
        (f"{{all: [{S('not_applicable')}, {S('pass')}]}}", "pass"),
        (f"{{any: [{S('fail')}, {S('pass')}]}}", "pass"),
        (f"{{any: [{S('fail')}, {S('warn')}, {S('error')}]}}", "warn"),
        (f"{{any: [{S('fail')}, {S('error')}]}}", "error"),
        (f"{{any: [{S('fail')}, {S('fail')}, {S('not_applicable')}]}}", "fail"),
        (f"{{any: [{S('not_applicable')}, {S('not_applicable')}]}}", "not_applicable"),
        (f"{{not: {S('pass')}}}", "fail"),
        (f"{{not: {S('fail')}}}", "pass"),
        (f"{{not: {S('warn')}}}", "warn"),
        (f"{{not: {S('error')}}}", "error"),
        (f"{{all: [{S('pass')}, {{not: {{any: [{S('fail')}, {S('pass')}]}}}}]}}", "fail"),
        (f"{{any: [{{all: [{S('pass')}, {S('fail')}]}}, {{not: {S('fail')}}}]}}", "pass"),
    ],
)
def test_check_tree_combines_statuses(tmp_path: Path, check: str, expected: Status) -> None:
    finding = _one(tmp_path, check)
    assert finding.status == expected


def test_evidence_is_concatenated_in_order_without_repeats(tmp_path: Path) -> None:
    check = f"{{all: [{S('pass', 'a')}, {S('warn', 'b')}, {S('pass', 'a')}, {S('fail', 'c')}]}}"
    finding = _one(tmp_path, check)
    assert finding.status == "fail"
    assert [e.found for e in finding.evidence] == ["a", "b", "c"]


def test_finding_carries_the_rule(tmp_path: Path) -> None:
    finding = _one(tmp_path, S("fail", "seen"))
    assert finding.rule_id == "r" and finding.title.en == "Title r" and finding.category == "c"
    assert finding.weight == 2 and finding.severity == "medium"
    assert finding.citation.document == "QĐ 1" and finding.citation.article == "5"
    assert finding.fix is not None and finding.fix.vi == "Sửa"
    assert finding.evidence[0].detail.vi == "seen"


def test_exception_becomes_error_and_the_other_rules_still_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pack = _pack(
        tmp_path,
        _rule("a", "{test_raise: {}}"),
        _rule("b", "{test_raise: {bug: true}}"),
        _rule("c", f"{{all: [{S('pass')}, {{test_raise: {{bug: true}}}}]}}"),
        _rule("d", S("pass")),
    )
    with caplog.at_level(logging.WARNING, logger="auditor.rules.engine"):
        findings = evaluate(pack, art(page("https://soctrang.gov.vn/", "<p>x</p>")))
    assert [f.status for f in findings] == ["error", "error", "error", "pass"]
    assert "home page unavailable" in findings[0].evidence[0].detail.en
    assert findings[0].evidence[0].url == "https://soctrang.gov.vn/"
    bug = findings[1].evidence[0]
    assert bug.found == "ZeroDivisionError: division by zero in test_raise"
    assert "Không kiểm tra được (test_raise)" in bug.detail.vi
    assert [e.found for e in findings[2].evidence] == ["pass", bug.found]
    assert "b: check test_raise raised" in caplog.text and "ZeroDivisionError" in caplog.text
    assert "a: check test_raise could not tell" in caplog.text


def test_not_applicable_by_level_names_the_level(tmp_path: Path) -> None:
    pack = _pack(
        tmp_path,
        _rule("p", S("fail"), levels="[province]"),
        _rule("d", S("fail"), levels="[department, district]"),
    )
    commune = Agency(name="Xã Nhơn Mỹ", level="commune", domain="nhonmy.kesach.soctrang.gov.vn")
    findings = evaluate(pack, art(agency=commune))
    assert [f.status for f in findings] == ["not_applicable", "not_applicable"]
    evidence = findings[1].evidence[0]
    assert evidence.found == "commune" and evidence.expected == "department, district"
    assert "commune" in evidence.detail.en and "cấp commune" in evidence.detail.vi
    province = evaluate(pack, art())  # the default agency is the province
    assert [f.status for f in province] == ["fail", "not_applicable"]


def test_guessed_level_is_never_judged(tmp_path: Path) -> None:
    pack = _pack(tmp_path, _rule("p", S("fail"), levels="[province]"), _rule("all", S("fail")))
    guessed = Agency(
        name="x.soctrang.gov.vn",
        level="department",
        domain="x.soctrang.gov.vn",
        guessed=("name", "level"),
    )
    findings = evaluate(pack, art(agency=guessed))
    assert [f.status for f in findings] == ["manual", "fail"]
    assert "guessed" in findings[0].evidence[0].detail.en


def test_not_applicable_by_date_of_the_rule_or_its_document(tmp_path: Path) -> None:
    pack = _pack(
        tmp_path,
        _rule("future", S("fail"), extra="    effective_from: 2026-01-01\n"),
        _rule("ended", S("fail"), extra="    effective_to: 2023-06-30\n"),
        _rule("old-doc", S("fail"), doc="QĐ 2"),
        _rule("now", S("pass"), doc="QĐ 3", extra="    effective_to: 2025-06-30\n"),
    )
    findings = evaluate(pack, art(as_of=date(2025, 6, 30)))
    assert [f.status for f in findings] == ["not_applicable"] * 3 + ["pass"]
    future, ended, old = (f.evidence[0] for f in findings[:3])
    assert "not yet in force (from 2026-01-01)" in future.detail.en and future.found == "2025-06-30"
    assert "no longer in force (until 2023-06-30)" in ended.detail.en
    assert "until 2024-12-31" in old.detail.en and "hết hiệu lực" in old.detail.vi
    assert [d.id for d in documents_applied(pack, date(2025, 6, 30))] == ["QĐ 3"]
    assert [d.id for d in documents_applied(pack, date(2023, 1, 1))] == ["QĐ 1", "QĐ 2", "QĐ 3"]
    # QĐ 1 is in force but none of its rules is; QĐ 2 and its rule are
    assert [d.id for d in documents_applied(pack, date(2024, 12, 31))] == ["QĐ 2", "QĐ 3"]


def test_manual_rule(tmp_path: Path) -> None:
    pack = _pack(
        tmp_path,
        _rule("m", extra="    manual: true\n"),
        _rule("m-elsewhere", levels="[district]", extra="    manual: true\n"),
    )
    manual, elsewhere = evaluate(pack, art())
    assert manual.status == "manual" and "inspector" in manual.evidence[0].detail.en
    assert elsewhere.status == "not_applicable"


def test_params_are_parsed_once_at_load_time(tmp_path: Path) -> None:
    pack = _pack(tmp_path, _rule("r", S("pass")))
    SEEN_PARAMS.clear()
    evaluate(pack, art())
    evaluate(pack, art(agency=Agency(name="B", level="department", domain="b.soctrang.gov.vn")))
    assert len(SEEN_PARAMS) == 2 and SEEN_PARAMS[0] == SEEN_PARAMS[1]
