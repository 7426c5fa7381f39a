"""Run an audit: agencies × rule pack → crawl → artifacts → findings → score → reports.

Sites are audited concurrently over one HTTP client; each site's pages are released once its
report is written, so memory does not grow with the number of portals.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import logging
import tempfile
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from auditor import __version__
from auditor.artifacts import host_of
from auditor.capture.model import SiteCapture, settings_digest
from auditor.capture.spool import BodySpool, unspooled
from auditor.capture.warc import SUFFIX as CAPTURE_SUFFIX
from auditor.capture.warc import file_sha256, read_capture, write_capture
from auditor.config import CrawlSettings
from auditor.crawl.crawler import crawl_site
from auditor.crawl.fetcher import Fetcher
from auditor.crawl.scope import Scope
from auditor.errors import LogText, TextValueError, UsageError, cat, message_of
from auditor.gather.build import gather_pages, run_probes
from auditor.gather.plan import plan_probes
from auditor.hostnames import ascii_host, path_prefix, split_address, url_in_prefix
from auditor.interrupts import StopRequest
from auditor.judge import JudgeTask
from auditor.memory import give_back_memory
from auditor.models import (
    Agency,
    AuditReport,
    CaptureRef,
    Interruption,
    Lang,
    Level,
    LocalText,
    Registry,
    RunStamp,
    ScanSummary,
    SummaryRow,
    ToolInfo,
    TrendPoint,
    Waiver,
    normalise_host,
)
from auditor.models import t as bilingual
from auditor.paths import rules_dir
from auditor.planid import make_stamp
from auditor.pool import JudgePool, Lane, default_workers
from auditor.registry import bundled_registries, find_agency
from auditor.report.combined import COMBINED_FORMATS, CombinedSpool
from auditor.report.findings_export import FindingSpool, finding_rows
from auditor.report.folder import fold_in, report_files
from auditor.report.json_report import load_report
from auditor.report.writer import (
    TABLE_FORMATS,
    build_summary_row,
    report_stem,
    write_agency_report,
    write_summary,
    write_tables,
)
from auditor.rules.engine import required_inputs
from auditor.rules.loader import Pack, load_pack, load_pack_file, pack_for_domain

logger = logging.getLogger(__name__)

TRIM_EVERY = 25  # portals written between two returns of freed heap to the system


@dataclass(frozen=True)
class Target:
    """One portal to audit."""

    agency: Agency
    start_url: str | None = None  # when the user gave a URL rather than a domain
    registry: Registry | None = None  # the registry that lists the agency, for cross-portal rules


@dataclass(frozen=True)
class ScanPlan:
    """Everything a scan needs, resolved and validated before any request."""

    targets: tuple[Target, ...]
    packs: dict[str, Pack]  # target's Agency.key (host and path prefix) -> pack
    as_of: date
    out_dir: Path
    formats: frozenset[str]
    lang: Lang
    settings: CrawlSettings
    registry: Registry | None = None
    waivers: tuple[Waiver, ...] = ()  # "comply or explain": applied before scoring
    workers: int | None = None  # judging processes; None: one per core, 0: in this process
    save_capture: bool = False  # write each site's capture (WARC) beside its report
    needs: frozenset[str] | None = None  # inputs the packs' rules declare; None: gather all
    capture_files: dict[str, Path] | None = None  # Agency.key -> saved capture (``audit``)
    run: RunStamp | None = None  # run id and digests stamped on every report (made if None)
    # --resume: Agency.key -> its finished report of the same plan (not fetched again)
    resume: Mapping[str, Path] = field(default_factory=dict)
    # from the history database: Agency.key -> earlier runs, and the province's
    trends: Mapping[str, tuple[TrendPoint, ...]] = field(default_factory=dict)
    province_trend: tuple[TrendPoint, ...] = ()


@dataclass(frozen=True)
class ScanEvent:
    """Progress of a scan, for the console."""

    kind: Literal["start", "request", "done"]
    agency: Agency
    report: AuditReport | None = None  # with "done"
    url: str | None = None  # with "request"
    status: int | None = None  # with "request": the HTTP status, 0 when no response came
    resumed: bool = False  # with "done": the report was reused from --out (--resume)


@dataclass
class ScanResult:
    """What a scan produced."""

    rows: list[SummaryRow] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    summary: ScanSummary | None = None


def guess_level(host: str, zone_depth: int = 3) -> Level:
    """A level for an unregistered host from its depth: 3 labels → province, 4 → department."""
    depth = len(normalise_host(host).split("."))
    if depth <= zone_depth:
        return "province"
    return "department" if depth == zone_depth + 1 else "unit"


def parse_target(
    text: str,
    registry: Registry | None,
    name: str | None = None,
    level: Level | None = None,
    bundled: tuple[Registry, ...] = (),
) -> Target:
    """A target from a domain, ``domain/path`` or URL. Agency data comes from ``registry`` when
    it lists the address, else from a ``bundled`` registry, else from ``name``/``level`` or a
    guess from the domain (recorded in ``Agency.guessed``).

    A path that names a folder (``lamdong.gov.vn/sites/stp``, ``https://lamdong.gov.vn/sites/stp/``)
    makes a path-based agency, audited within that prefix; a URL to a file
    (``…/portal/home.aspx``) is the start page of the agency that holds it.
    """
    raw = text.strip()
    start_url: str | None = None
    try:
        if "://" in raw:
            parts = urlsplit(raw)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise TextValueError(
                    bilingual("chỉ đánh giá được URL http(s)", "only http(s) URLs can be audited")
                )
            host = parts.hostname
            ascii_host(host)
            start_url = raw
            folder = _folder(parts.path)
        else:
            if not raw or " " in raw:
                raise TextValueError(bilingual("trống hoặc có dấu cách", "empty or has spaces"))
            host, folder = split_address(raw)
    except ValueError as exc:
        why = message_of(exc)
        raise UsageError(
            cat(
                bilingual(
                    f"không phải tên miền hay URL: {text!r} (",
                    f"not a domain name or URL: {text!r} (",
                ),
                why,
                ")",
            )
        ) from None
    registries = ((registry,) if registry else ()) + bundled
    lookup = urlsplit(start_url).path if start_url else folder
    found = find_agency(host, registries, lookup or "/")
    if found is not None and (folder is None or found[0].path is not None):
        agency, source = found
        if name or level:
            agency = agency.model_copy(
                update={k: v for k, v in (("name", name), ("level", level)) if v}
            )
        return Target(agency=agency, start_url=start_url, registry=source)
    guessed: list[Literal["name", "level"]] = []
    if name is None:
        guessed.append("name")
    if level is None:
        guessed.append("level")
    root = found[0] if found is not None else None
    agency = Agency(
        name=name or (host + (folder or "")),
        level=level or ("department" if folder else guess_level(host)),
        domain=host,
        path=folder,
        parent=root.address if root is not None else None,
        guessed=tuple(guessed),
    )
    return Target(agency=agency, start_url=start_url, registry=found[1] if found else None)


def _folder(path: str) -> str | None:
    """The path prefix a URL path names: itself when it is a folder (``/sites/stp``,
    ``/sites/stp/``), ``None`` for the root or a file (``/portal/home.aspx``)."""
    if path.endswith("/") or "." not in path.rsplit("/", 1)[-1]:
        return path_prefix(path)
    return None


def choose_packs(
    targets: tuple[Target, ...], rules_dir: Path, profile: str | None, custom: Path | None = None
) -> dict[str, Pack]:
    """The rule pack for each target: the ``custom`` pack file (which may extend a bundled
    pack) if given, else ``profile``, else the one its domain selects."""
    if custom is not None:
        if profile is not None:
            raise UsageError(
                bilingual(
                    "chỉ dùng một trong --rules FILE và --profile ID, không dùng cả hai",
                    "give either --rules FILE or --profile ID, not both",
                )
            )
        pack = load_pack_file(custom, base_dir=rules_dir)
        return {target.agency.key: pack for target in targets}
    cache: dict[str, Pack] = {}
    out: dict[str, Pack] = {}
    for target in targets:
        pack_id = profile or pack_for_domain(target.agency.domain, rules_dir)
        if pack_id not in cache:
            cache[pack_id] = load_pack(pack_id, rules_dir)
        out[target.agency.key] = cache[pack_id]
    return out


def build_plan(
    targets: list[str],
    registry: Registry | None,
    profile: str | None,
    out_dir: Path,
    formats: frozenset[str],
    lang: Lang,
    as_of: date,
    settings: CrawlSettings,
    name: str | None = None,
    level: Level | None = None,
    custom_pack: Path | None = None,
) -> ScanPlan:
    """Resolve targets and rule packs before any request; raise on any invalid input.

    Without ``targets`` every agency of ``registry`` is audited. The pack is the
    ``custom_pack`` file when given, else ``profile``, else the registry's profile, else the
    one the target's domain selects.
    """
    if not targets:
        if registry is None:
            raise UsageError(
                bilingual(
                    "cần ít nhất một TARGET (tên miền hoặc URL) hoặc --registry FILE",
                    "give at least one TARGET (domain or URL) or --registry FILE",
                )
            )
        targets = [a.address for a in registry.agencies]
    bundled = bundled_registries(rules_dir() / "registries")
    parsed = tuple(parse_target(t, registry, name, level, bundled) for t in targets)
    _refuse_collisions(parsed)
    chosen = profile or (registry.profile if registry else None)
    packs = choose_packs(parsed, rules_dir(), chosen, custom_pack)
    return ScanPlan(
        targets=parsed,
        packs=packs,
        needs=required_inputs(packs.values()),
        as_of=as_of,
        out_dir=out_dir,
        formats=formats,
        lang=lang,
        settings=settings,
        registry=registry,
    )


def _refuse_collisions(targets: tuple[Target, ...]) -> None:
    """Raise :class:`UsageError` when two targets would write report files of the same name
    (the same agency twice, or addresses that differ only where a file name cannot)."""
    stems: dict[str, Agency] = {}
    clashes: list[LocalText] = []
    for target in targets:
        agency = target.agency
        stem = report_stem(agency.domain, agency.path)
        other = stems.get(stem)
        stems.setdefault(stem, agency)
        if other is not None:
            same = other.key == agency.key
            pair = f"{other.address}, {agency.address}"
            clashes.append(
                bilingual(
                    f"{pair}: cùng một cơ quan",
                    f"{other.address} and {agency.address} are the same agency",
                )
                if same
                else bilingual(
                    f"{pair}: cả hai sẽ ghi báo cáo tên {stem}.*",
                    f"{other.address} and {agency.address} would both write reports named {stem}.*",
                )
            )
    if clashes:
        raise UsageError(
            bilingual(
                "; ".join(c.vi for c in clashes) + "; chưa tải trang nào",
                "; ".join(c.en for c in clashes) + "; nothing was fetched",
            )
        )


def sites_at_once(settings: CrawlSettings) -> int:
    """Portals crawled at once: as many as the politeness limits can keep busy (the global
    request limit over the per-host limit), so that those limits alone decide what is in
    flight."""
    return max(1, -(-settings.concurrency // settings.per_host))


START_STEP_S = 0.05  # how far apart the first portals' crawls start (start_delay)…
START_RAMP_S = 1.6  # …all of them within this


def start_delay(index: int, settings: CrawlSettings) -> float:
    """How long the ``index``-th portal to take a crawl slot waits before its first request:
    the first :func:`sites_at_once` portals start :data:`START_STEP_S` apart (closer when so
    many are in flight that they would take more than :data:`START_RAMP_S`), so that their
    crawls do not all end together and the judging workers get a first capture early instead
    of idling until every portal in flight is nearly crawled (about 5 s on a loopback farm of
    50-page portals). Later portals take the slot a finished one frees, already apart."""
    at_once = sites_at_once(settings)
    return index * min(START_STEP_S, START_RAMP_S / at_once) if index < at_once else 0.0


def site_scope(target: Target, plan: ScanPlan) -> Scope:
    """What may be requested for ``target``: the agency's host (a path-based agency: under its
    prefix, where the probes start) and the hosts its pack names as link targets."""
    pack = plan.packs[target.agency.key]
    systems = (host for hosts in pack.systems.values() for host in hosts)
    return Scope.of(target.agency, (*pack.link_hosts, *systems))


def _failed_capture(target: Target, plan: ScanPlan, exc: Exception) -> SiteCapture:
    """An empty capture whose checks say ``error``: the auditor could not tell."""
    agency = target.agency
    logger.error(
        LogText("thu thập %s thất bại", "crawl of %s failed"), agency.address, exc_info=exc
    )
    return SiteCapture(
        agency=agency,
        start_url=target.start_url or f"https://{agency.domain}{agency.path or '/'}",
        captured_at=datetime.now(UTC),
        tool_version=__version__,
        settings_digest=settings_digest(plan.settings),
        home_error=f"{type(exc).__name__}: {exc}",
    )


async def capture_pages(
    fetcher: Fetcher,
    target: Target,
    plan: ScanPlan,
    deadline: float,
    spool: BodySpool | None = None,
) -> SiteCapture:
    """The portal's capture without its probes: the crawl and the missing pages, within the
    loop time ``deadline`` (the bodies of its pages in ``spool`` when given). An unexpected
    failure leaves an empty capture, so the rest of the scan goes on."""
    agency = target.agency
    scope = site_scope(target, plan)
    try:
        crawl = await crawl_site(
            fetcher, agency, plan.settings, target.start_url, scope, deadline, spool
        )
        return await gather_pages(fetcher, crawl, agency, plan.needs, deadline)
    except Exception as exc:  # a bug or an unforeseen network state must not end the scan
        return _failed_capture(target, plan, exc)


async def complete_capture(
    fetcher: Fetcher,
    target: Target,
    plan: ScanPlan,
    capture: SiteCapture,
    deadline: float,
    pool: JudgePool | None = None,
) -> tuple[SiteCapture, Lane | None]:
    """``capture`` with the probes its pages call for, planned in a ``pool`` worker when given
    (where the pages are parsed, and kept for judging in the returned lane) and sent from here;
    an unexpected failure leaves an empty capture."""
    if not capture.pages:
        return capture, None
    scope = site_scope(target, plan)
    lane: Lane | None = None
    try:
        if pool is not None:
            probes, lane = await pool.plan(judge_task(target, plan, capture), scope, plan.needs)
        else:
            probes = plan_probes(unspooled(capture), scope, plan.needs)
        return await run_probes(fetcher, capture, probes, scope, deadline), lane
    except Exception as exc:  # a bug or an unforeseen network state must not end the scan
        return _failed_capture(target, plan, exc), lane


async def capture_site(fetcher: Fetcher, target: Target, plan: ScanPlan) -> SiteCapture:
    """The portal's whole capture, in this process: :func:`capture_pages` then
    :func:`complete_capture`, within the portal's time budget."""
    deadline = asyncio.get_running_loop().time() + plan.settings.portal_timeout_s
    capture = await capture_pages(fetcher, target, plan, deadline)
    complete, _ = await complete_capture(fetcher, target, plan, capture, deadline)
    return complete


def judge_task(
    target: Target, plan: ScanPlan, capture: SiteCapture, started: datetime | None = None
) -> JudgeTask:
    """What a worker needs to judge ``target``'s capture under the plan."""
    return JudgeTask(
        capture=capture,
        pack=plan.packs[target.agency.key],
        as_of=plan.as_of,
        registry=target.registry,
        waivers=plan.waivers,
        started_at=started,
        agency=target.agency,
    )


def save_capture(capture: SiteCapture, out_dir: Path, stem: str) -> CaptureRef:
    """Write ``capture`` beside the reports as ``<stem>.capture.warc.gz``."""
    path = out_dir / f"{stem}{CAPTURE_SUFFIX}"
    digest = write_capture(capture, path)
    return CaptureRef(file=path.name, sha256=digest, captured_at=capture.captured_at)


async def run_scan(
    plan: ScanPlan,
    on_event: Callable[[ScanEvent], None] | None = None,
    stop: StopRequest | None = None,
) -> ScanResult:
    """Audit every target, write each report as it completes, then the summary. Portals are
    crawled concurrently within the politeness limits and judged in worker processes.

    When ``stop`` is requested no new fetch starts, the portals not yet written are dropped
    and the summary covers the finished ones (``ScanSummary.interrupted``).
    """
    started = datetime.now(UTC)
    if plan.run is None:
        plan = dataclasses.replace(plan, run=make_stamp(plan.packs, plan.settings, plan.waivers))
    result = ScanResult()
    crawling = asyncio.Semaphore(sites_at_once(plan.settings))
    starts = itertools.count()  # portals in the order they take a crawl slot
    workers = plan.workers if plan.workers is not None else default_workers()
    if len(plan.targets) < 2:  # nothing else to keep flowing: judge in this process
        workers = 0
    workers = min(workers, len(plan.targets))
    judging = asyncio.Semaphore(2 * workers + 1)  # captures waiting for or in a worker
    plan.out_dir.mkdir(parents=True, exist_ok=True)
    order = {t.agency.key: i for i, t in enumerate(plan.targets)}
    earlier = report_files(plan.out_dir)  # agency reports already there join the summary
    combined = len(plan.targets) + len(earlier) > 1 and bool(plan.formats & COMBINED_FORMATS)
    spool = CombinedSpool(plan.out_dir, plan.formats if combined else frozenset(), plan.lang)
    findings = FindingSpool()  # the to-do list's rows, on disk until the tables are written

    async def judged(
        fetcher: Fetcher | None, pool: JudgePool, target: Target
    ) -> AuditReport | None:
        """The portal captured (or its saved capture read) and judged; ``None`` if stopped."""
        agency = target.agency
        saved = plan.capture_files.get(agency.key) if plan.capture_files else None
        spool = None if saved else BodySpool(bodies / f"{order.get(agency.key, 0)}.body")
        try:
            async with crawling:
                delay = start_delay(next(starts), plan.settings) if saved is None else 0.0
                if delay:
                    await asyncio.sleep(delay)
                if stop is not None and stop.requested:
                    return None
                if on_event:
                    on_event(ScanEvent("start", agency))
                begun = datetime.now(UTC)
                deadline = asyncio.get_running_loop().time() + plan.settings.portal_timeout_s
                if saved is not None:
                    capture = await asyncio.to_thread(read_capture, saved)
                else:
                    assert fetcher is not None
                    capture = await capture_pages(fetcher, target, plan, deadline, spool)
                await judging.acquire()  # hold the crawl slot until a worker can take the capture
            try:
                lane = None
                if saved is None:  # the probes, planned by the worker that will judge the portal
                    assert fetcher is not None
                    capture, lane = await complete_capture(
                        fetcher, target, plan, capture, deadline, pool
                    )
                report = await pool.judge(judge_task(target, plan, capture, begun), lane)
            finally:
                judging.release()
            if saved is not None:
                ref = CaptureRef(
                    file=str(saved), sha256=file_sha256(saved), captured_at=capture.captured_at
                )
                report = report.model_copy(update={"capture": ref})
            elif plan.save_capture:
                stem = report_stem(agency.domain, agency.path)
                ref = await asyncio.to_thread(save_capture, capture, plan.out_dir, stem)
                report = report.model_copy(update={"capture": ref})
            del capture
        finally:
            if spool is not None:
                spool.remove()
        return report.model_copy(update={"run": plan.run, "trend": plan.trends.get(agency.key, ())})

    async def one(fetcher: Fetcher | None, pool: JudgePool, target: Target) -> None:
        agency = target.agency
        reused = plan.resume.get(agency.key)
        if reused is None:
            report = await judged(fetcher, pool, target)
            if report is None:
                return
        else:  # --resume: finished under the same plan, not fetched again
            if stop is not None and stop.requested:
                return
            if on_event:
                on_event(ScanEvent("start", agency))
            report = load_report(reused)
        # from here to the end nothing awaits: a stop never cuts a portal's files in half
        files = write_agency_report(report, plan.out_dir, plan.formats, plan.lang)
        result.files.extend(files)
        names = {p.suffix: p.name for p in files}
        result.rows.append(build_summary_row(report, names.get(".json"), names.get(".html")))
        if len(result.rows) % TRIM_EVERY == 0:
            give_back_memory()  # the heap the finished portals' captures and reports freed
        spool.add(order.get(agency.key, 0), report)
        if plan.formats & TABLE_FORMATS:
            findings.add(finding_rows(report, plan.lang))
        if on_event:
            on_event(ScanEvent("done", agency, report, resumed=reused is not None))

    by_host: dict[str, list[Agency]] = {}
    for t in sorted(plan.targets, key=lambda t: -len(t.agency.path or "")):
        by_host.setdefault(normalise_host(t.agency.domain), []).append(t.agency)

    def on_request(url: str, status: int) -> None:
        path = urlsplit(url).path or "/"
        agencies = by_host.get(normalise_host(host_of(url)), [])
        agency = next((a for a in agencies if url_in_prefix(path, a.path)), None)
        if on_event is not None and agency is not None:
            on_event(ScanEvent("request", agency, url=url, status=status))

    # the bodies of the pages of the portals in flight (auditor/capture/spool.py)
    spooled = tempfile.TemporaryDirectory(prefix="auditor-bodies-", ignore_cleanup_errors=True)
    bodies = Path(spooled.name)
    with spool, findings, spooled:
        async with JudgePool(workers) as pool:
            if plan.capture_files is not None:  # judging saved captures: no network at all
                await _until_done_or_stopped([one(None, pool, t) for t in plan.targets], stop)
            else:
                async with Fetcher(plan.settings, on_request=on_request) as fetcher:
                    jobs = [one(fetcher, pool, t) for t in plan.targets]
                    await _until_done_or_stopped(jobs, stop)
        result.rows.sort(key=lambda r: order.get(r.agency.key, 0))
        interrupted = None
        if stop is not None and stop.signal is not None:
            interrupted = Interruption(
                signal=stop.signal, finished=len(result.rows), planned=len(plan.targets)
            )
        scanned = {r.agency.key for r in result.rows}  # the reports just written win
        tables = findings if plan.formats & TABLE_FORMATS else None
        rewritten = {f.name for f in result.files}  # older reports this scan replaced: not read
        earlier = [f for f in earlier if f.name not in rewritten]
        older = fold_in(earlier, scanned, plan.lang, spool, tables, len(plan.targets))
        profiles = sorted({p.id for p in plan.packs.values()} | older.profiles)
        result.summary = ScanSummary(
            tool=ToolInfo(version=__version__),
            province=plan.registry.province if plan.registry else None,
            profile=", ".join(profiles),
            as_of=plan.as_of,
            started_at=started,
            finished_at=datetime.now(UTC),
            agencies=(*result.rows, *older.rows),
            interrupted=interrupted,
            run=plan.run,
            trend=plan.province_trend,
        )
        if len(plan.targets) > 1 or older.rows:
            formats = plan.formats - COMBINED_FORMATS
            result.files.extend(
                write_summary(result.summary, plan.out_dir, formats, plan.lang, findings=findings)
            )
            if interrupted is None:
                result.files.extend(spool.write())
            elif combined:  # a partial SARIF upload would close the missing portals' alerts
                logger.warning(
                    LogText(
                        "không ghi summary.sarif/summary.junit.xml: quét bị dừng",
                        "summary.sarif/summary.junit.xml not written: scan interrupted",
                    )
                )
        else:  # one agency: its spreadsheet files (summary and to-do list) all the same
            result.files.extend(
                write_tables(result.summary, plan.out_dir, plan.formats, plan.lang, findings)
            )
    return result


async def _until_done_or_stopped(
    jobs: list[Coroutine[Any, Any, None]], stop: StopRequest | None
) -> None:
    """Run ``jobs`` together until all are done or ``stop`` is requested (then cancel the
    rest and wait for them to unwind). The first job's exception is raised."""
    tasks = [asyncio.ensure_future(job) for job in jobs]
    if not tasks:
        return
    everything: asyncio.Future[Any] = asyncio.gather(*tasks)
    if stop is None:
        await everything
        return
    stopped: asyncio.Future[Any] = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({everything, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
    if stop.requested:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if everything.done() and not everything.cancelled():
            everything.exception()  # retrieved: a stop is not an error
        return
    await everything
