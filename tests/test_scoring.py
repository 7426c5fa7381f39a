"""Scoring: weights, warn credit, what leaves the denominator, categories and grade bands."""

from __future__ import annotations

import pytest

from auditor.models import Citation, Finding, Status, t
from auditor.rules.schema import ScoringConfig
from auditor.scoring import grade, round_1, score

CONFIG = ScoringConfig(
    grades={"A": 90, "B": 80, "C": 65, "D": 50},
    warn_credit=0.5,
    categories={"security": t("Bảo mật", "Security"), "content": t("Nội dung", "Content")},
)


def f(status: Status, weight: float = 1.0, category: str = "security", rid: str = "r") -> Finding:
    return Finding(
        rule_id=rid,
        title=t("Tiêu đề", "Title"),
        failure=t("Lỗi", "Failure"),
        category=category,
        severity="medium",
        weight=weight,
        status=status,
        citation=Citation(document="QĐ 1", article="5"),
    )


def test_compliant_portal_scores_100_and_a() -> None:
    result = score([f("pass", 3), f("pass", 1, "content"), f("manual", 0)], CONFIG)
    assert result.total == 100.0 and result.grade == "A" and result.errors == 0


def test_weights_and_warn_credit() -> None:
    # earned 4*1 + 2*0.5 + 4*0 = 5 of 10
    result = score([f("pass", 4), f("warn", 2), f("fail", 4, "content")], CONFIG)
    assert result.total == 50.0 and result.grade == "D"
    quarter = CONFIG.model_copy(update={"warn_credit": 0.25})
    assert score([f("pass", 2), f("warn", 2)], quarter).total == 62.5


def test_not_applicable_manual_and_error_leave_the_denominator() -> None:
    findings = [
        f("pass", 2),
        f("fail", 2),
        f("not_applicable", 50),
        f("manual", 50),
        f("error", 0.5),  # small enough to keep coverage above MIN_COVERAGE
        f("error", 0.25),
    ]
    result = score(findings, CONFIG)
    assert result.total == 50.0 and result.errors == 2
    assert result.counts == {
        "pass": 1,
        "fail": 1,
        "warn": 0,
        "not_applicable": 1,
        "manual": 1,
        "error": 2,
    }


def test_weight_zero_rules_never_change_the_score() -> None:
    base = [f("pass", 3), f("fail", 1)]
    assert score([*base, f("fail", 0), f("warn", 0)], CONFIG).total == score(base, CONFIG).total
    assert score([f("fail", 0)], CONFIG).total is None


def test_nothing_scorable_has_no_total_and_no_grade() -> None:
    result = score([f("not_applicable"), f("manual"), f("error")], CONFIG)
    assert result.total is None and result.grade is None and result.errors == 1
    assert result.by_category["security"].score is None
    assert result.by_category["security"].weight == 0
    empty = score([], CONFIG)
    assert empty.total is None and empty.by_category == {} and sum(empty.counts.values()) == 0


def test_by_category_in_pack_order_with_labels_weights_and_counts() -> None:
    findings = [
        f("fail", 1, "content"),
        f("pass", 3, "security"),
        f("warn", 1, "security"),
        f("pass", 2, "other"),
        f("not_applicable", 5, "content"),
    ]
    result = score(findings, CONFIG)
    assert list(result.by_category) == ["security", "content", "other"]
    security = result.by_category["security"]
    assert security.label.en == "Security" and security.weight == 4
    assert security.score == 87.5 and security.counts["pass"] == 1 and security.counts["warn"] == 1
    content = result.by_category["content"]
    assert content.score == 0.0 and content.weight == 1 and content.counts["not_applicable"] == 1
    assert result.by_category["other"].label.vi == "other"  # not declared: its id
    assert result.total == round_1(100 * (3 + 0.5 + 2) / 7)


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (100.0, "A"),
        (90.0, "A"),
        (89.9, "B"),
        (80.0, "B"),
        (79.9, "C"),
        (65.0, "C"),
        (64.9, "D"),
        (50.0, "D"),
        (49.9, "E"),
        (0.0, "E"),
        (None, None),
    ],
)
def test_grade_bands_at_their_edges(total: float | None, expected: str | None) -> None:
    assert grade(total, CONFIG) == expected


def test_grades_come_from_the_pack() -> None:
    strict = ScoringConfig(grades={"Tốt": 95, "Khá": 70}, fallback_grade="Yếu")
    assert [grade(x, strict) for x in (95.0, 94.9, 70.0, 69.9)] == ["Tốt", "Khá", "Khá", "Yếu"]


def test_total_is_rounded_half_up_and_never_up_to_100_when_imperfect() -> None:
    # 2 of 3 → 66.666… → 66.7; 1799 of 2000 → 89.95 → 90.0 (grade A, as displayed)
    assert score([f("pass", 2), f("fail", 1)], CONFIG).total == 66.7
    edge = score([f("pass", 1799), f("fail", 201)], CONFIG)
    assert edge.total == 90.0 and edge.grade == "A"
    almost = score([f("pass", 9999), f("fail", 1)], CONFIG)
    assert almost.total == 99.9 and almost.grade == "A"


def test_total_is_withheld_when_too_little_could_be_judged() -> None:
    # an unreachable portal: only the domain rule could be judged, everything else is an error
    findings = [f("pass", 5.0, "domain", "d")] + [f("error", 3.0, rid=f"r{i}") for i in range(10)]
    result = score(findings, ScoringConfig())
    assert result.total is None and result.grade is None
    assert result.coverage == round(100 * 5 / 35, 1)
    assert result.errors == 10


def test_a_few_errors_do_not_withhold_the_total() -> None:
    findings = [f("pass", 10.0, rid=f"p{i}") for i in range(9)] + [f("error", 10.0, rid="e")]
    result = score(findings, ScoringConfig())
    assert result.total == 100.0 and result.grade == "A" and result.coverage == 90.0


def test_a_grade_cap_holds_when_its_rule_fails() -> None:
    from auditor.rules.schema import GradeCap

    cap = GradeCap(grade="C", rules=("https",), reason=t("Không có HTTPS", "No working HTTPS"))
    config = CONFIG.model_copy(update={"caps": (cap,)})
    findings = [f("fail", 1.0, rid="https"), *(f("pass", 1.0, rid=f"r{i}") for i in range(19))]
    s = score(findings, config)
    assert s.total == 95.0 and s.grade == "C"  # an A by the total, held at C by the cap
    assert [c.grade for c in s.caps] == ["C"] and s.caps[0].rules == ("https",)
    assert s.caps[0].reason.en == "No working HTTPS"
    low = score([f("fail", 9.0, rid="https"), f("pass", 1.0)], config)
    assert low.grade == "E" and low.caps  # a cap never raises a grade
    fine = score([f("pass", rid="https")], config)
    assert fine.grade == "A" and fine.caps == ()


def test_the_soc_trang_pack_caps_no_https_and_legacy_encoding_at_c() -> None:
    from auditor.paths import rules_dir
    from auditor.rules.loader import load_pack

    caps = load_pack("soctrang-2019", rules_dir()).scoring.caps
    assert {(c.grade, c.rules) for c in caps} == {
        ("C", ("st.d6k2.https",)),
        ("C", ("st.d6k1.utf8-decodes",)),
    }
    assert all("Art. 6" in c.reason.en and "Điều 6" in c.reason.vi for c in caps)
