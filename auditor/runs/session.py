"""A scan as a recorded run: stamp the plan, take the shard's slice, skip what ``--resume``
finds finished, read the trends from the history, and record each report as it is written.

The CLI calls :func:`prepare` after the plan is validated and before any request, feeds every
:class:`~auditor.scan.ScanEvent` to :meth:`Recorder.on_event` and calls :meth:`Recorder.finish`
at the end; nothing here holds more than one report at a time.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import LogText, UsageError
from auditor.history.store import DEFAULT_NAME, HistoryStore, open_store
from auditor.models import RunStamp, t
from auditor.planid import agency_key, make_stamp
from auditor.report.writer import report_stem
from auditor.runs.resume import finished_reports
from auditor.runs.shard import parse_shard, shard_of
from auditor.scan import ScanEvent, ScanPlan, ScanResult

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOptions:
    """The run-level flags of ``scan`` and ``demo``."""

    command: str = "scan"
    history: str | None = None  # path or URL; None: OUT/history.sqlite
    record: bool = True  # False: --no-history
    resume: bool = False
    shard: str | None = None  # "K/N"


class Recorder:
    """Writes one run into the history: started, one agency per report, finished."""

    def __init__(self, store: HistoryStore, stamp: RunStamp) -> None:
        self.store = store
        self.stamp = stamp
        self.recorded = 0

    def on_event(self, event: ScanEvent) -> None:
        """Record the report of a ``done`` event (reused reports too: the run covers all)."""
        if event.kind != "done" or event.report is None:
            return
        agency = event.report.agency
        name = f"{report_stem(agency.domain, agency.path)}.json"
        self.store.record(self.stamp.run_id, event.report, name)
        self.recorded += 1

    def finish(self, result: ScanResult | None) -> None:
        """Mark the run ``complete`` (``interrupted`` when stopped or failed: no ``result``, or
        a summary saying so) and close the database."""
        stopped = result is None or result.summary is None or result.summary.interrupted
        status = "interrupted" if stopped else "complete"
        try:
            self.store.finish_run(self.stamp.run_id, status)
        finally:
            self.store.close()


def history_location(options: RunOptions, out_dir: Path) -> str:
    """Where the run is recorded: ``--history`` or ``OUT/history.sqlite``."""
    return options.history or str(out_dir / DEFAULT_NAME)


def prepare(plan: ScanPlan, options: RunOptions) -> tuple[ScanPlan, Recorder | None]:
    """The plan to run (stamped, sliced, with reports to reuse and trends) and the recorder.

    Raises :class:`UsageError` / :class:`~auditor.history.store.HistoryError` before any
    request when a flag or the history database is unusable.
    """
    targets = plan.targets
    if options.shard is not None:
        k, n = parse_shard(options.shard)
        targets = tuple(
            shard_of(targets, k, n, key=lambda t: agency_key(t.agency.domain, t.agency.path))
        )
        if not targets:
            logger.warning(
                LogText(
                    "--shard %s: không có cơ quan nào trong phần này",
                    "--shard %s: no agency falls in this slice",
                ),
                options.shard,
            )
    stamp = make_stamp(plan.packs, plan.settings, plan.waivers, shard=options.shard)
    formats = plan.formats
    if options.resume and "json" not in formats:
        raise UsageError(
            t(
                "--resume cần các báo cáo JSON: thêm json vào --format",
                "--resume needs the JSON reports: add json to --format",
            )
        )
    resume = (
        finished_reports(plan.out_dir, (t.agency for t in targets), stamp, plan.as_of)
        if options.resume
        else {}
    )
    plan = dataclasses.replace(plan, targets=targets, run=stamp, resume=resume)
    if not options.record:
        return plan, None
    store = open_store(history_location(options, plan.out_dir))
    try:
        keys = [agency_key(t.agency.domain, t.agency.path) for t in targets]
        plan = dataclasses.replace(
            plan, trends=store.trends(keys), province_trend=store.province_trend()
        )
        profiles = sorted({p.id for p in plan.packs.values()})
        store.start_run(
            stamp,
            command=options.command,
            as_of=plan.as_of,
            profile=", ".join(profiles),
            province=plan.registry.province if plan.registry else None,
            planned=len(targets),
        )
    except BaseException:
        store.close()
        raise
    return plan, Recorder(store, stamp)
