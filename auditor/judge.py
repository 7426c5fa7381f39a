"""Judge one site capture: evaluation context + rule pack → findings → score → report.

Pure and synchronous, so that it runs in a worker process (:mod:`auditor.pool`) off the event
loop, and offline from a saved capture (``auditor audit``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from auditor import __version__
from auditor.artifacts import Artifacts
from auditor.capture.model import SiteCapture
from auditor.models import (
    Agency,
    AuditReport,
    CrawlInfo,
    ProfileInfo,
    Registry,
    ToolInfo,
    Waiver,
)
from auditor.page import Page
from auditor.rules.engine import documents_applied, evaluate, read_pages
from auditor.rules.loader import Pack
from auditor.scoring import score
from auditor.waivers import waive_all


@dataclass(frozen=True)
class JudgeTask:
    """What a worker needs to judge one capture (picklable)."""

    capture: SiteCapture
    pack: Pack
    as_of: date
    registry: Registry | None = None
    waivers: tuple[Waiver, ...] = ()
    started_at: datetime | None = None  # when the crawl began (the report's started_at)
    agency: Agency | None = None  # the agency as the evaluation knows it (default: as captured)


def task_artifacts(
    task: JudgeTask,
    capture: SiteCapture,
    pages: tuple[Page, ...] | None = None,
    unread: bool = False,
) -> Artifacts:
    """The artifacts ``task`` judges, of ``capture`` (``task``'s, or the same before its
    probes) whose pages are ``pages`` (``unread``: see :class:`Artifacts`)."""
    agency = task.agency or capture.agency
    return Artifacts.from_capture(capture, task.as_of, task.registry, agency, pages, unread)


def judge(task: JudgeTask, pages: tuple[Page, ...] | None = None) -> AuditReport:
    """The report of one portal from its capture, judged under ``task.pack`` at ``as_of``
    (``pages``: the capture's pages as an earlier look at them left them, parsed)."""
    started = task.started_at or datetime.now(UTC)
    capture, pack = task.capture, task.pack
    art = task_artifacts(task, capture, pages)
    agency = art.agency
    read_pages(pack, art)
    findings = evaluate(pack, art)
    if task.waivers:
        findings = waive_all(findings, task.waivers, agency.address, task.as_of)
    home = art.home
    return AuditReport(
        tool=ToolInfo(version=__version__),
        agency=agency,
        profile=ProfileInfo(
            id=pack.id,
            document=pack.document,
            title=pack.title,
            draft=pack.draft,
            documents=documents_applied(pack, task.as_of),
        ),
        as_of=task.as_of,
        started_at=started,
        finished_at=datetime.now(UTC),
        crawl=CrawlInfo(
            start_url=art.start_url,
            final_url=home.url if home else None,
            pages_fetched=len(art.pages),
            pages_failed=len(art.failed),
            duration_s=round(capture.duration_s, 3),
            robots_txt=art.robots.url if art.robots and art.robots.status == 200 else None,
            https=art.https,
            http=art.http,
            robots_policy=art.robots.policy if art.robots else None,
            robots_error=art.robots.error if art.robots else None,
            retries=capture.retries,
            off_scope=capture.off_scope,
            timed_out=capture.timed_out,
            registry=task.registry.source if task.registry else None,
        ),
        score=score(findings, pack.scoring),
        findings=findings,
    )
