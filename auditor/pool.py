"""Judging off the event loop: worker processes that parse pages, plan a capture's probes
(:func:`auditor.gather.plan.plan_probes`) and evaluate rules (:func:`auditor.judge.judge`)
while the event loop only does I/O.

A portal keeps to one worker (its *lane*): the worker that planned its probes parses each page
once, reads it there for the planning and for every rule that will judge it, and keeps what it
read (article shapes, links, texts, element results; not the trees, which are large) until it
judges the completed capture. A worker keeps at most
:data:`KEPT_PER_WORKER` portals' pages; one evicted, or judged elsewhere, is read again, with
the same result.

Workers are started with ``spawn`` (forking a process that runs an event loop and threads is
unsafe), ignore SIGINT (the scan decides how to stop), and leaving the ``async with`` block —
normally, on an error or on cancellation — shuts every worker down.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import multiprocessing
import os
import signal
from collections import OrderedDict
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

from auditor.capture.model import SiteCapture
from auditor.capture.spool import unspooled
from auditor.checks.registry import load_all
from auditor.crawl.scope import Scope
from auditor.gather.plan import ProbePlan, plan_probes, read_page_by_page
from auditor.judge import JudgeTask, judge, task_artifacts
from auditor.memory import give_back_memory
from auditor.models import AuditReport, PageSnapshot
from auditor.page import Page
from auditor.rules.engine import page_reader

T = TypeVar("T")

KEPT_PER_WORKER = 3  # portals whose parsed pages a worker keeps between planning and judging

# In each worker (or in the scan process when judging in place), by ticket: the capture's
# pages as sent (bodies spooled) and as parsed (bodies read back).
_KEPT: OrderedDict[int, tuple[tuple[PageSnapshot, ...], tuple[Page, ...]]] = OrderedDict()


def default_workers() -> int:
    """One worker per core."""
    return os.cpu_count() or 1


def _ignore_interrupts() -> None:
    # the scan process decides how to stop (auditor/interrupts.py): a Ctrl-C or a SIGTERM
    # sent to the whole process group must not kill the judges under it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


# In each worker: the rule packs and registries sent to it, by the key the pool gave them.
_SHARED: dict[int, Any] = {}


class SharedMissing(Exception):
    """A worker was sent a task whose pack or registry it does not hold (the parcel that
    carried it was cancelled before it ran); the pool sends them again."""


@dataclass(frozen=True)
class Parcel:
    """A :class:`JudgeTask` as sent to a worker: its pack and registry by key, each sent to a
    worker once (``new``), not with every portal — a registry of 1,000 agencies takes 15 ms
    to pickle and as long to read back, for every portal of the scan."""

    fields: dict[str, Any]  # the task's other fields
    pack: int
    registry: int | None
    new: dict[int, Any]  # the shared objects this worker has not been sent yet, by key

    def task(self) -> JudgeTask:
        """The task, with the worker's copies of its pack and registry."""
        _SHARED.update(self.new)
        if self.pack not in _SHARED or (self.registry is not None and self.registry not in _SHARED):
            raise SharedMissing(self.pack, self.registry)
        registry = _SHARED[self.registry] if self.registry is not None else None
        return JudgeTask(**self.fields, pack=_SHARED[self.pack], registry=registry)


def warm_up() -> None:
    """Import what judging needs (the rule primitives; this module brought the rest), so that
    a worker started with the pool is ready when the first capture arrives."""
    load_all()


def _read_pages(task: JudgeTask, whole: SiteCapture) -> tuple[Page, ...]:
    """``whole``'s pages (its bodies read back), each parsed once and read, one at a time, for
    the planning and for every rule judging ``task`` will run (:func:`page_reader`; complete
    pages only, known by then, under a complete home page), then shed but for the home page."""
    pages = tuple(Page(s) for s in whole.pages)
    read = page_reader(task.pack, task_artifacts(task, whole, pages, unread=True))

    def read_for_judging(page: Page) -> None:
        with contextlib.suppress(Exception):  # raised again where it is read
            if pages[0].complete and page.complete:
                read(page)

    read_page_by_page(pages, read_for_judging)
    return pages


def plan_and_keep(
    ticket: int, task: JudgeTask, scope: Scope, needs: frozenset[str] | None
) -> ProbePlan:
    """:func:`plan_probes` of ``task``'s capture (before its probes), keeping the pages it
    parsed for :func:`judge_kept`, read for judging in the same pass: a page is parsed once."""
    whole = unspooled(task.capture)
    pages = _read_pages(task, whole)
    plan = plan_probes(whole, scope, needs, pages)
    for page in pages:  # what was read of them stays; the home page's tree goes too
        page.shed()
    _KEPT[ticket] = (task.capture.pages, pages)
    while len(_KEPT) > KEPT_PER_WORKER:
        _KEPT.popitem(last=False)
    give_back_memory()
    return plan


def judge_kept(ticket: int | None, task: JudgeTask) -> AuditReport:
    """:func:`judge` with the pages :func:`plan_and_keep` parsed for ``ticket`` when this
    process still has them and they are the capture's."""
    kept = _KEPT.pop(ticket, None) if ticket is not None else None
    if kept is not None and kept[0] == task.capture.pages:
        pages = kept[1]
        capture = task.capture.model_copy(
            update={"pages": tuple(p.snapshot for p in pages), "spool": None}
        )
    else:  # not planned here: its pages are read one at a time too, each parsed once
        capture = unspooled(task.capture)
        pages = _read_pages(task, capture)
    report = judge(dataclasses.replace(task, capture=capture), pages)
    give_back_memory()
    return report


def judge_parcel(ticket: int | None, parcel: Parcel) -> AuditReport:
    """:func:`judge_kept` of the task ``parcel`` carries."""
    return judge_kept(ticket, parcel.task())


def plan_parcel(
    ticket: int, parcel: Parcel, scope: Scope, needs: frozenset[str] | None
) -> ProbePlan:
    """:func:`plan_and_keep` of the task ``parcel`` carries."""
    return plan_and_keep(ticket, parcel.task(), scope, needs)


@dataclass(frozen=True)
class Lane:
    """One portal's place in the pool: its worker and its ticket there."""

    worker: int
    ticket: int


class JudgePool:
    """``workers`` processes judging captures; ``workers=0`` judges in this process (on the
    event loop: for debugging and small runs)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = default_workers() if workers is None else workers
        self._executors: list[Executor] = []
        self._busy: list[int] = []  # portals assigned to each worker and not yet judged
        self._tickets = itertools.count(1)
        # packs and registries by id, with their keys (holding them keeps their ids unique)
        self._shared: dict[int, tuple[int, Any]] = {}
        self._sent: list[set[int]] = []  # keys each worker holds

    async def __aenter__(self) -> JudgePool:
        context = multiprocessing.get_context("spawn")
        self._executors = [
            ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_ignore_interrupts)
            for _ in range(self.workers)
        ]
        for executor in self._executors:  # start them now: they import while the crawl begins
            executor.submit(warm_up)
        self._busy = [0] * max(self.workers, 1)
        self._sent = [set() for _ in self._executors]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(cancel=exc_type is not None)

    def close(self, cancel: bool = False) -> None:
        """Stop the workers (dropping queued work when ``cancel``) and wait for them."""
        executors, self._executors = self._executors, []
        for executor in executors:
            executor.shutdown(wait=False, cancel_futures=cancel)
        for executor in executors:
            executor.shutdown(wait=True)

    async def _call(self, worker: int, fn: Any, *args: Any) -> Any:
        if not self._executors:
            return fn(*args)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executors[worker], fn, *args)

    async def plan(
        self, task: JudgeTask, scope: Scope, needs: frozenset[str] | None
    ) -> tuple[ProbePlan, Lane]:
        """The probes ``task``'s capture calls for, planned in the least busy worker (which
        reads, in the same pass, what judging ``task`` will read of each page), and the lane
        to judge the completed capture in (:meth:`judge`)."""
        worker = min(range(len(self._busy)), key=self._busy.__getitem__)
        lane = Lane(worker, next(self._tickets))
        self._busy[worker] += 1
        try:
            if not self._executors:
                return plan_and_keep(lane.ticket, task, scope, needs), lane
            plan: ProbePlan = await self._shared_call(
                worker, plan_parcel, lane.ticket, task, scope, needs
            )
        except BaseException:
            self._busy[worker] -= 1
            raise
        return plan, lane

    async def _shared_call(
        self, worker: int, fn: Any, ticket: int | None, task: JudgeTask, *args: Any
    ) -> Any:
        """``fn(ticket, parcel, *args)`` in ``worker``, the parcel of ``task`` sent again
        with its pack and registry if the worker lost them."""
        try:
            return await self._call(worker, fn, ticket, self._parcel(worker, task), *args)
        except SharedMissing:
            self._sent[worker].clear()
            return await self._call(worker, fn, ticket, self._parcel(worker, task), *args)

    def _key(self, shared: object) -> int:
        known = self._shared.get(id(shared))
        if known is None:
            known = self._shared[id(shared)] = (len(self._shared), shared)
        return known[0]

    def _parcel(self, worker: int, task: JudgeTask) -> Parcel:
        """``task`` for ``worker``: its pack and registry by key, sent when new to it."""
        sent = self._sent[worker]
        pack = self._key(task.pack)
        registry = self._key(task.registry) if task.registry is not None else None
        new: dict[int, Any] = {}
        for key, value in ((pack, task.pack), (registry, task.registry)):
            if key is not None and key not in sent:
                new[key] = value
                sent.add(key)
        fields = {
            f.name: getattr(task, f.name)
            for f in dataclasses.fields(task)
            if f.name not in ("pack", "registry")
        }
        return Parcel(fields, pack, registry, new)

    async def judge(self, task: JudgeTask, lane: Lane | None = None) -> AuditReport:
        """The report of ``task``'s capture, judged in a worker (``lane``'s, when planned)."""
        if lane is None:
            worker = min(range(len(self._busy)), key=self._busy.__getitem__)
            self._busy[worker] += 1
        else:
            worker = lane.worker
        ticket = lane.ticket if lane else None
        try:
            if not self._executors:
                return judge_kept(ticket, task)
            report: AuditReport = await self._shared_call(worker, judge_parcel, ticket, task)
            return report
        finally:
            self._busy[worker] -= 1
