"""What the history shows: runs, one agency's runs, and a run reduced to what ``diff`` compares.

Frozen models, so ``auditor history --format json`` and ``auditor diff --format json`` dump
them as they are.
"""

from __future__ import annotations

from datetime import date, datetime

from auditor.models import AuditReport, Citation, Frozen, Severity, Status
from auditor.planid import agency_key


class RunInfo(Frozen):
    """One recorded run, with its agencies' mean score and failure count."""

    run_id: str
    command: str
    tool_version: str
    started_at: datetime
    finished_at: datetime | None
    status: str  # running (or stopped without a word), complete, interrupted
    profile: str
    packs: dict[str, str]
    as_of: date
    settings_digest: str
    province: str | None
    shard: str | None
    planned: int
    agencies: int  # recorded
    mean_score: float | None
    failures: int


class AgencyRun(Frozen):
    """One agency's result in one run."""

    run_id: str
    as_of: date
    started_at: datetime
    domain: str
    name: str
    score: float | None
    grade: str | None
    coverage: float | None
    failures: int


class FindingRecord(Frozen):
    """A finding as the history keeps it."""

    rule_id: str
    citation: Citation
    status: Status
    severity: Severity
    waived: bool = False

    @property
    def failing(self) -> bool:
        """A ``fail`` no waiver in force covers."""
        return self.status == "fail" and not self.waived


class AgencySnapshot(Frozen):
    """One agency's result, reduced to what two runs are compared on."""

    key: str
    domain: str
    name: str
    pack_id: str
    score: float | None
    grade: str | None
    findings: dict[str, FindingRecord]  # rule id -> finding


class RunSnapshot(Frozen):
    """A whole run reduced for comparison: from report files or the history database."""

    source: str  # the folder, file or run id it came from
    run_id: str | None
    as_of: date
    packs: dict[str, str]  # pack id -> digest ("" when unknown)
    agencies: tuple[AgencySnapshot, ...]


def snapshot_of(report: AuditReport) -> AgencySnapshot:
    """The comparable part of an agency report."""
    return AgencySnapshot(
        key=agency_key(report.agency.domain, report.agency.path),
        domain=report.agency.domain,
        name=report.agency.name,
        pack_id=report.profile.id,
        score=report.score.total,
        grade=report.score.grade,
        findings={
            f.rule_id: FindingRecord(
                rule_id=f.rule_id,
                citation=f.citation,
                status=f.status,
                severity=f.severity,
                waived=f.waived,
            )
            for f in report.findings
        },
    )
