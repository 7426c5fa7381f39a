"""``auditor merge DIR… --out DIR``: join shard outputs into one summary, index and history.

Each input folder holds the reports of one ``--shard K/N`` run (its ``summary.json`` when it had
two agencies or more, else just the agency reports). The shards must be one plan: the same
audit date, settings digest and rule pack digests; an agency found in two folders, or a report
of another plan, is refused before anything is written. Reports are copied (never re-scored) and
read one at a time; the history gets the shard runs (copied from each folder's
``history.sqlite``) and one merged run holding every agency, behind which the shard runs are
hidden.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence, Set
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from auditor import __version__
from auditor.capture.warc import SUFFIX as CAPTURE_SUFFIX
from auditor.errors import AuditorError, Problem
from auditor.history.store import DEFAULT_NAME, HistoryStore, open_store
from auditor.models import (
    AuditReport,
    Lang,
    LocalText,
    RunStamp,
    ScanSummary,
    SummaryRow,
    ToolInfo,
    TrendPoint,
    t,
)
from auditor.planid import agency_key, comparable, new_run_id
from auditor.report.json_report import ReportFileError, load_any, load_report
from auditor.report.writer import build_summary_row, report_stem, write_summary

REPORT_SUFFIXES = (".json", ".html", ".sarif", ".junit.xml", CAPTURE_SUFFIX)


class MergeError(AuditorError):
    """The folders cannot be merged: different plans, the same agency twice, no reports."""

    def __init__(self, reasons: Sequence[LocalText]) -> None:
        self.reasons = tuple(reasons)
        super().__init__(t("; ".join(r.vi for r in reasons), "; ".join(r.en for r in reasons)))


@dataclass
class Shard:
    """One input folder: its summary (if any) and its agency reports."""

    folder: Path
    summary: ScanSummary | None
    reports: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class Merged:
    """What a merge wrote."""

    summary: ScanSummary
    files: tuple[Path, ...]
    history: str | None


def _shard(folder: Path) -> Shard:
    if not folder.is_dir():
        raise ReportFileError([Problem(str(folder), None, t("không phải thư mục", "not a folder"))])
    summary_path = folder / "summary.json"
    if summary_path.is_file():
        item = load_any(summary_path)
        if isinstance(item, ScanSummary):
            names = [row.report_json for row in item.agencies]
            problems = [
                Problem(
                    str(summary_path),
                    None,
                    t(
                        f"{row.agency.domain}: không có tên báo cáo JSON",
                        f"{row.agency.domain}: no JSON report named",
                    ),
                )
                for row, name in zip(item.agencies, names, strict=True)
                if not name or Path(name).name != name
            ]
            if problems:
                raise ReportFileError(problems)
            return Shard(folder, item, [folder / str(name) for name in names])
    reports = []
    for path in sorted(folder.glob("*.json")):
        if path.name == "summary.json":
            continue
        try:
            if isinstance(load_any(path), AuditReport):
                reports.append(path)
        except AuditorError:
            continue  # not an agency report (another tool's JSON)
    return Shard(folder, None, reports)


def _stamps(shards: Sequence[Shard]) -> Iterator[tuple[str, RunStamp | None, date]]:
    """(where, stamp, as_of) of every summary and report, read one report at a time."""
    for shard in shards:
        if shard.summary is not None:
            yield str(shard.folder / "summary.json"), shard.summary.run, shard.summary.as_of
        for path in shard.reports:
            report = load_report(path)
            yield str(path), report.run, report.as_of


def check_mergeable(shards: Sequence[Shard]) -> list[LocalText]:
    """Why the shards are not one plan (empty when they are)."""
    reasons: list[LocalText] = []
    first: tuple[str, RunStamp, date] | None = None
    for where, stamp, as_of in _stamps(shards):
        if stamp is None:
            reasons.append(
                t(
                    f"{where}: không có dấu lần chạy (do phiên bản auditor cũ ghi)",
                    f"{where}: no run stamp (written by an older auditor)",
                )
            )
            continue
        if first is None:
            first = (where, stamp, as_of)
            continue
        if as_of != first[2]:
            reasons.append(
                t(
                    f"{where}: ngày đánh giá {as_of} khác {first[2]} ({first[0]})",
                    f"{where}: audit date {as_of} differs from {first[2]} ({first[0]})",
                )
            )
        for why in comparable(first[1], stamp):
            reasons.append(
                t(f"{where}: {why.vi} so với {first[0]}", f"{where}: {why.en} from {first[0]}")
            )
    if first is None and not reasons:
        reasons.append(
            t("các thư mục không có báo cáo cơ quan nào", "no agency reports in the folders")
        )
    return reasons


def _copy(report: AuditReport, src: Path, out_dir: Path) -> dict[str, str]:
    """Copy the agency's report files from ``src`` to ``out_dir``; suffix → file name."""
    stem = report_stem(report.agency.domain, report.agency.path)
    names: dict[str, str] = {}
    for suffix in REPORT_SUFFIXES:
        source = src / f"{stem}{suffix}"
        if not source.is_file():
            continue
        target = out_dir / source.name
        if not (target.exists() and target.samefile(source)):
            shutil.copy2(source, target)
        names[suffix] = source.name
    return names


def merge(
    folders: Sequence[Path],
    out_dir: Path,
    formats: Set[str],
    lang: Lang,
    history: str | None = None,
    record: bool = True,
) -> Merged:
    """Merge the shard ``folders`` into ``out_dir``; :class:`MergeError` when they differ."""
    shards = [_shard(folder) for folder in folders]
    reasons = check_mergeable(shards)
    seen: dict[str, Path] = {}
    for shard in shards:
        for path in shard.reports:
            report = load_report(path)
            key = agency_key(report.agency.domain, report.agency.path)
            if key in seen:
                reasons.append(
                    t(
                        f"{key}: có ở cả {seen[key].parent} và {path.parent}",
                        f"{key}: in both {seen[key].parent} and {path.parent}",
                    )
                )
            seen[key] = path
    if reasons:
        raise MergeError(reasons)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamps = [s.summary.run for s in shards if s.summary and s.summary.run]
    base = stamps[0] if stamps else load_report(next(iter(seen.values()))).run
    assert base is not None  # check_mergeable refused reports without a stamp
    packs: dict[str, str] = {}
    for stamp in stamps:
        packs.update(stamp.packs)
    merged_stamp = RunStamp(
        run_id=new_run_id(), settings_digest=base.settings_digest, packs=packs or base.packs
    )
    provinces = {s.summary.province for s in shards if s.summary and s.summary.province}
    store = _open_history(shards, out_dir, history) if record else None
    try:
        rows: list[tuple[str, SummaryRow]] = []
        shard_runs: set[str] = set()
        started: list[datetime] = []
        finished: list[datetime] = []
        as_of: date | None = None
        for shard in shards:
            if shard.summary and shard.summary.run:
                shard_runs.add(shard.summary.run.run_id)
            for path in shard.reports:
                report = load_report(path)
                if report.run and not shard.summary:
                    shard_runs.add(report.run.run_id)
                names = _copy(report, path.parent, out_dir)
                key = agency_key(report.agency.domain, report.agency.path)
                rows.append(
                    (key, build_summary_row(report, names.get(".json"), names.get(".html")))
                )
                started.append(report.started_at)
                finished.append(report.finished_at)
                as_of = report.as_of
                if store is not None:
                    if not rows[1:]:
                        store.start_run(
                            merged_stamp,
                            command="merge",
                            as_of=report.as_of,
                            profile=", ".join(sorted(packs or base.packs)),
                            province=next(iter(provinces)) if len(provinces) == 1 else None,
                            planned=len(seen),
                        )
                    store.record(merged_stamp.run_id, report, names.get(".json"))
        assert as_of is not None
        trend: tuple[TrendPoint, ...] = ()
        if store is not None:
            store.finish_run(merged_stamp.run_id)
            store.mark_merged(shard_runs - {merged_stamp.run_id}, merged_stamp.run_id)
            trend = tuple(p for p in store.province_trend() if p.run_id != merged_stamp.run_id)
        summary = ScanSummary(
            tool=ToolInfo(version=__version__),
            province=next(iter(provinces)) if len(provinces) == 1 else None,
            profile=", ".join(sorted(packs or base.packs)),
            as_of=as_of,
            started_at=min(started),
            finished_at=max(finished),
            agencies=tuple(row for _, row in sorted(rows, key=lambda kr: kr[0])),
            run=merged_stamp,
            trend=trend,
        )
        files = write_summary(summary, out_dir, formats, lang)
        return Merged(summary, tuple(files), store.where if store else None)
    finally:
        if store is not None:
            store.close()


def _open_history(shards: Sequence[Shard], out_dir: Path, history: str | None) -> HistoryStore:
    """The target history, with every run of the shards' own ``history.sqlite`` copied in."""
    target = open_store(history or out_dir / DEFAULT_NAME)
    try:
        for shard in shards:
            path = shard.folder / DEFAULT_NAME
            if not path.is_file():
                continue
            if history is None and (out_dir / DEFAULT_NAME).resolve() == path.resolve():
                continue
            with open_store(path) as source:
                for run_id in source.run_ids():
                    target.copy_run(source, run_id)
    except BaseException:
        target.close()
        raise
    return target
