"""CI gating: decide from finished reports whether a run passes.

Three gates, each optional: ``fail_under`` (a portal scores below it), ``fail_on`` (a failed
finding of that severity or worse) and a baseline (only failures that are new since an older
run count: a (domain, rule id) failing now that was not failing then). With a baseline and no
``fail_on``, any new failure fails the gate. Waived findings never count. The evaluation is a
pure function; :func:`load_baseline` reads the older run's files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import AuditorError, Problem, TextValueError, message_of
from auditor.models import AuditReport, Finding, LocalText, ScanSummary, Severity, address_key, t
from auditor.report.i18n import severity_label
from auditor.report.json_report import ReportFileError, load_any, load_report

# Least to most severe.
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "critical")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}

FailureKey = tuple[str, str]  # (normalised domain, rule id)


@dataclass(frozen=True)
class Failure:
    """A failed finding, as the gate sees it."""

    domain: str
    rule_id: str
    severity: Severity

    @property
    def key(self) -> FailureKey:
        """(normalised domain, rule id): what a baseline is compared on."""
        return (address_key(self.domain), self.rule_id)


@dataclass(frozen=True)
class GatePolicy:
    """What makes a run fail. ``baseline`` is ``None`` when no baseline was given."""

    fail_under: float | None = None
    fail_on: Severity | None = None
    baseline: frozenset[FailureKey] | None = None

    @property
    def active(self) -> bool:
        """Whether any gate is set."""
        return self.fail_under is not None or self.fail_on is not None or self.baseline is not None


@dataclass(frozen=True)
class GateResult:
    """The verdict and the reasons for it (one line each, in vi and en)."""

    passed: bool
    reasons: tuple[LocalText, ...] = ()
    gating_failures: tuple[Failure, ...] = field(default=())


def at_least(severity: Severity, threshold: Severity) -> bool:
    """Whether ``severity`` is ``threshold`` or worse."""
    return _RANK[severity] >= _RANK[threshold]


def parse_severity(value: str) -> Severity:
    """A severity name (case-insensitive); ``ValueError`` listing the choices otherwise."""
    low = value.strip().lower()
    for severity in SEVERITIES:
        if low == severity:
            return severity
    raise TextValueError(
        t(
            f"không có mức độ {value!r}; chọn trong {', '.join(SEVERITIES)}",
            f"unknown severity {value!r}; choose from {', '.join(SEVERITIES)}",
        )
    )


def counts_as_failure(finding: Finding) -> bool:
    """A ``fail`` that no waiver in force covers."""
    return finding.status == "fail" and not finding.waived


def failures(reports: Iterable[AuditReport]) -> list[Failure]:
    """The failed, unwaived findings of ``reports``."""
    return [
        Failure(r.agency.address, f.rule_id, f.severity)
        for r in reports
        for f in r.findings
        if counts_as_failure(f)
    ]


class GateTally:
    """What the gates need, gathered report by report as a scan finishes them: only the
    reasons, never the reports, so memory does not grow with the number of portals."""

    def __init__(self, policy: GatePolicy) -> None:
        self.policy = policy
        self._low_scores: list[LocalText] = []
        self._gating: list[Failure] = []

    def add(self, report: AuditReport) -> None:
        """Take in one finished report."""
        policy = self.policy
        if policy.fail_under is not None:
            total = report.score.total
            if total is None or total < policy.fail_under:
                where, limit = report.agency.address, f"{policy.fail_under:g}"
                vi = "không có điểm" if total is None else f"{total:.1f}".replace(".", ",")
                en = "no score" if total is None else f"{total:.1f}"
                self._low_scores.append(
                    t(
                        f"{where}: điểm {vi} < --fail-under {limit}",
                        f"{where}: score {en} < --fail-under {limit}",
                    )
                )
        if policy.fail_on is None and policy.baseline is None:
            return
        for failure in failures([report]):
            if policy.baseline is not None and failure.key in policy.baseline:
                continue
            if policy.fail_on is not None and not at_least(failure.severity, policy.fail_on):
                continue
            self._gating.append(failure)

    def result(self) -> GateResult:
        """The verdict on the reports taken in so far."""
        policy = self.policy
        reasons = list(self._low_scores)
        for failure in self._gating:
            vi = [f"mức độ {severity_label(failure.severity, 'vi').lower()}"]
            en = [f"severity {failure.severity}"]
            if policy.fail_on is not None:
                vi.append(f">= --fail-on {policy.fail_on}")
                en.append(f">= --fail-on {policy.fail_on}")
            if policy.baseline is not None:
                vi.append("mới so với --baseline")
                en.append("new since --baseline")
            where = f"{failure.domain}: {failure.rule_id}"
            reasons.append(
                t(
                    f"{where} không đạt ({', '.join(vi)})",
                    f"{where} failed ({', '.join(en)})",
                )
            )
        return GateResult(
            passed=not reasons, reasons=tuple(reasons), gating_failures=tuple(self._gating)
        )


def evaluate(reports: Iterable[AuditReport], policy: GatePolicy) -> GateResult:
    """Apply ``policy`` to the finished ``reports``."""
    tally = GateTally(policy)
    for report in reports:
        tally.add(report)
    return tally.result()


def baseline_keys(reports: Iterable[AuditReport]) -> frozenset[FailureKey]:
    """(domain, rule id) of every finding failing in the baseline reports (waived or not)."""
    return frozenset(
        (r.agency.key, f.rule_id) for r in reports for f in r.findings if f.status == "fail"
    )


def load_baseline(path: Path) -> frozenset[FailureKey]:
    """The failures of an older run: an agency JSON report, a ``summary.json`` (with the
    reports it names, from its folder) or a folder of JSON reports.

    Raise :class:`ReportFileError` when nothing usable is found or a file is invalid.
    """
    if path.is_dir():
        files = sorted(p for p in path.glob("*.json") if p.name != "summary.json")
        if not files:
            none = t("thư mục không có báo cáo JSON nào", "no JSON reports in this folder")
            raise ReportFileError([Problem(str(path), None, none)])
        reports = (_agency_report(p) for p in files)  # one at a time
        return baseline_keys(r for r in reports if r is not None)
    item = load_any(path)
    if isinstance(item, AuditReport):
        return baseline_keys([item])
    return baseline_keys(_summary_reports(item, path))


def _agency_report(path: Path) -> AuditReport | None:
    item = load_any(path)
    return item if isinstance(item, AuditReport) else None


def _summary_reports(summary: ScanSummary, path: Path) -> list[AuditReport]:
    problems: list[Problem] = []
    reports: list[AuditReport] = []
    for row in summary.agencies:
        name = row.report_json
        if not name or Path(name).name != name:
            problems.append(
                Problem(
                    str(path),
                    None,
                    t(
                        f"{row.agency.domain}: không có tên báo cáo JSON",
                        f"{row.agency.domain}: no JSON report named",
                    ),
                )
            )
            continue
        try:
            reports.append(load_report(path.parent / name))
        except ReportFileError as exc:
            problems.extend(exc.problems)
        except AuditorError as exc:  # pragma: no cover - load_report raises ReportFileError
            problems.append(Problem(str(path.parent / name), None, message_of(exc)))
    if problems:
        raise ReportFileError(problems)
    return reports
