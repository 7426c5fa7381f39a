"""Judging off the event loop: a pool of worker processes that parse pages, plan a capture's
probes (:func:`auditor.gather.plan.plan_probes`) and evaluate rules
(:func:`auditor.judge.judge`) while the event loop only does I/O.

The pool uses the ``spawn`` start method (forking a process that runs an event loop and
threads is unsafe), workers ignore SIGINT (the scan decides how to stop), and leaving the
``async with`` block — normally, on an error or on cancellation — shuts every worker down.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from concurrent.futures import Executor, ProcessPoolExecutor
from types import TracebackType

from auditor.capture.model import SiteCapture
from auditor.crawl.scope import Scope
from auditor.gather.plan import ProbePlan, plan_probes
from auditor.judge import JudgeTask, judge
from auditor.models import AuditReport


def default_workers() -> int:
    """One worker per core."""
    return os.cpu_count() or 1


def _ignore_interrupts() -> None:
    # the scan process decides how to stop (auditor/interrupts.py): a Ctrl-C or a SIGTERM
    # sent to the whole process group must not kill the judges under it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


class JudgePool:
    """``workers`` processes judging captures; ``workers=0`` judges in this process (on the
    event loop: for debugging and small runs)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = default_workers() if workers is None else workers
        self._executor: Executor | None = None

    async def __aenter__(self) -> JudgePool:
        if self.workers > 0:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_ignore_interrupts,
            )
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
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=cancel)

    async def plan(
        self, capture: SiteCapture, scope: Scope, needs: frozenset[str] | None
    ) -> ProbePlan:
        """The probes ``capture`` calls for, planned in a worker (where its pages are parsed)."""
        if self._executor is None:
            return plan_probes(capture, scope, needs)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, plan_probes, capture, scope, needs)

    async def judge(self, task: JudgeTask) -> AuditReport:
        """The report of ``task``'s capture, judged in a worker."""
        if self._executor is None:
            return judge(task)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, judge, task)
