"""``auditor diff OLD NEW``: what changed between two runs, agency by agency, article by article.

A side is a report folder, a ``summary.json``, an agency's JSON report, or a run id of the
history database. Each report is reduced to its comparable part as it is read, so a province
of reports is never held in memory. Rules whose text came into or went out of force between the
two audit dates are taken from the rule packs (bundled, or ``--rules``) the runs used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Literal

from auditor.errors import AuditorError, Problem, UsageError, cat, message_of
from auditor.history.views import AgencySnapshot, FindingRecord, RunSnapshot, snapshot_of
from auditor.models import Citation, Frozen, LocalText, ScanSummary, Severity, Status, t
from auditor.report.json_report import ReportFileError, load_any
from auditor.rules.engine import rule_in_force
from auditor.rules.loader import Pack


class FindingChange(Frozen):
    """A rule that started or stopped failing for an agency."""

    rule_id: str
    citation: Citation
    severity: Severity
    old_status: Status | None  # None: the rule was not evaluated in that run
    new_status: Status | None
    # the rule's text came into or went out of force between the two audit dates
    in_force_change: Literal["came_into_force", "went_out_of_force"] | None = None


class RuleChange(Frozen):
    """A rule of a pack whose text is in force on one audit date and not on the other."""

    rule_id: str
    citation: Citation
    title: LocalText
    change: Literal["came_into_force", "went_out_of_force"]


class AgencyDiff(Frozen):
    """One agency's changes between the two runs."""

    key: str
    domain: str
    name: str
    pack_id: str
    old_score: float | None
    new_score: float | None
    delta: float | None
    old_grade: str | None
    new_grade: str | None
    only_in: Literal["old", "new"] | None = None  # audited in one run only
    new_failures: tuple[FindingChange, ...] = ()
    fixed_failures: tuple[FindingChange, ...] = ()
    rules_in_force: tuple[RuleChange, ...] = ()  # of its pack, between the two dates


class RunRef(Frozen):
    """One side of a comparison."""

    source: str
    run_id: str | None
    as_of: date


class RunDiff(Frozen):
    """The comparison of two runs (``auditor diff --format json``)."""

    old: RunRef
    new: RunRef
    agencies: tuple[AgencyDiff, ...]
    packs: dict[str, tuple[RuleChange, ...]]  # pack id -> rules that came into/out of force
    notes: tuple[LocalText, ...] = ()


# --- reading a side ---------------------------------------------------------------------------


def _reports_of(path: Path) -> Iterator[Path]:
    """The agency JSON reports a folder or ``summary.json`` stands for."""
    if path.is_dir():
        summary = path / "summary.json"
        if not summary.is_file():
            yield from sorted(
                p for p in path.glob("*.json") if p.name not in ("summary.json", "findings.json")
            )
            return
        path = summary
    item = load_any(path)
    if not isinstance(item, ScanSummary):
        yield path
        return
    for row in item.agencies:
        name = row.report_json
        if not name or Path(name).name != name:
            raise ReportFileError(
                [
                    Problem(
                        str(path),
                        None,
                        t(
                            f"{row.agency.domain}: không có tên báo cáo JSON",
                            f"{row.agency.domain}: no JSON report named",
                        ),
                    )
                ]
            )
        yield path.parent / name


def snapshot_of_files(path: Path) -> RunSnapshot:
    """A side given as a report folder, a ``summary.json`` or an agency report."""
    agencies: list[AgencySnapshot] = []
    packs: dict[str, str] = {}
    run_ids: set[str] = set()
    as_of: date | None = None
    for file in _reports_of(path):
        report = load_any(file)
        if isinstance(report, ScanSummary):
            continue  # a summary-shaped file in a folder of reports
        agencies.append(snapshot_of(report))
        as_of = report.as_of if as_of is None else max(as_of, report.as_of)
        digest = report.run.packs.get(report.profile.id, "") if report.run else ""
        packs.setdefault(report.profile.id, digest)
        if report.run:
            run_ids.add(report.run.run_id)
    if as_of is None:
        raise ReportFileError(
            [
                Problem(
                    str(path),
                    None,
                    t("không tìm thấy báo cáo cơ quan nào", "no agency reports found"),
                )
            ]
        )
    return RunSnapshot(
        source=str(path),
        run_id=next(iter(run_ids)) if len(run_ids) == 1 else None,
        as_of=as_of,
        packs=packs,
        agencies=tuple(agencies),
    )


def load_side(text: str, run_lookup: Callable[[str], RunSnapshot] | None) -> RunSnapshot:
    """A side of ``diff``: a path when one exists, else a run id looked up in the history."""
    path = Path(text)
    if path.exists():
        return snapshot_of_files(path)
    if run_lookup is None:
        raise UsageError(
            t(
                f"{text}: không có thư mục hay tệp này (cho --history CSDL để so sánh mã lần chạy)",
                f"{text}: no such folder or file (give --history DB to compare run ids)",
            )
        )
    return run_lookup(text)


# --- comparing ------------------------------------------------------------------------------


def _failing(record: FindingRecord | None) -> bool:
    return record is not None and record.failing


def _change(
    rule_id: str,
    old: FindingRecord | None,
    new: FindingRecord | None,
    moved: dict[str, RuleChange],
) -> FindingChange:
    known = new or old
    assert known is not None
    return FindingChange(
        rule_id=rule_id,
        citation=known.citation,
        severity=known.severity,
        old_status=old.status if old else None,
        new_status=new.status if new else None,
        in_force_change=moved[rule_id].change if rule_id in moved else None,
    )


def rules_changed_in_force(pack: Pack, old: date, new: date) -> tuple[RuleChange, ...]:
    """The rules of ``pack`` in force on exactly one of the two dates."""
    out: list[RuleChange] = []
    for rule in pack.rules:
        before, after = rule_in_force(pack, rule, old), rule_in_force(pack, rule, new)
        if before != after:
            out.append(
                RuleChange(
                    rule_id=rule.id,
                    citation=rule.citation,
                    title=rule.title,
                    change="came_into_force" if after else "went_out_of_force",
                )
            )
    return tuple(out)


def _agency(
    key: str,
    old: AgencySnapshot | None,
    new: AgencySnapshot | None,
    changes: dict[str, tuple[RuleChange, ...]],
) -> AgencyDiff:
    either = new or old
    assert either is not None
    old_f = old.findings if old else {}
    new_f = new.findings if new else {}
    rules = sorted(set(old_f) | set(new_f))
    moved = {c.rule_id: c for c in changes.get(either.pack_id, ())}
    delta = None
    if old is not None and new is not None and old.score is not None and new.score is not None:
        delta = round(new.score - old.score, 1)
    return AgencyDiff(
        key=key,
        domain=either.domain,
        name=either.name,
        pack_id=either.pack_id,
        old_score=old.score if old else None,
        new_score=new.score if new else None,
        delta=delta,
        old_grade=old.grade if old else None,
        new_grade=new.grade if new else None,
        only_in=None if old and new else ("old" if old else "new"),
        new_failures=tuple(
            _change(r, old_f.get(r), new_f.get(r), moved)
            for r in rules
            if old is not None and _failing(new_f.get(r)) and not _failing(old_f.get(r))
        ),
        fixed_failures=tuple(
            _change(r, old_f.get(r), new_f.get(r), moved)
            for r in rules
            if new is not None and _failing(old_f.get(r)) and not _failing(new_f.get(r))
        ),
        rules_in_force=changes.get(either.pack_id, ()),
    )


def compare(old: RunSnapshot, new: RunSnapshot, load: Callable[[str], Pack | None]) -> RunDiff:
    """The diff of two runs; ``load`` gives the rule pack of an id (``None``: unknown)."""
    notes: list[LocalText] = []
    changes: dict[str, tuple[RuleChange, ...]] = {}
    for pack_id in sorted({a.pack_id for a in old.agencies + new.agencies}):
        try:
            pack = load(pack_id)
        except AuditorError as exc:
            notes.append(
                cat(t(f"bộ tiêu chí {pack_id!r}: ", f"rule pack {pack_id!r}: "), message_of(exc))
            )
            continue
        if pack is None:
            notes.append(
                t(
                    f"không tìm thấy bộ tiêu chí {pack_id!r}: "
                    "không so sánh được tiêu chí có hiệu lực",
                    f"rule pack {pack_id!r} not found: rules in force not compared",
                )
            )
            continue
        changes[pack_id] = rules_changed_in_force(pack, old.as_of, new.as_of)
    olds = {a.key: a for a in old.agencies}
    news = {a.key: a for a in new.agencies}
    order = [a.key for a in new.agencies] + [k for k in olds if k not in news]
    return RunDiff(
        old=RunRef(source=old.source, run_id=old.run_id, as_of=old.as_of),
        new=RunRef(source=new.source, run_id=new.run_id, as_of=new.as_of),
        agencies=tuple(_agency(k, olds.get(k), news.get(k), changes) for k in order),
        packs=changes,
        notes=tuple(notes),
    )
