"""Stopping a scan cleanly on SIGINT (Ctrl-C) or SIGTERM (what CI sends on cancel).

The first signal asks the scan to stop: no new fetches, the portal being written is finished,
the summary is written for the finished portals. A second signal ends the process at once.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Literal

SignalName = Literal["SIGINT", "SIGTERM"]
EXIT_CODES: dict[SignalName, int] = {"SIGINT": 130, "SIGTERM": 143}  # 128 + signal number


class StopRequest:
    """A request to stop, made from a signal handler and awaited on the event loop."""

    def __init__(self) -> None:
        self.signal: SignalName | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None

    @property
    def requested(self) -> bool:
        """Whether a stop was asked for."""
        return self.signal is not None

    def request(self, name: SignalName) -> None:
        """Ask to stop (safe from a signal handler and from another thread)."""
        if self.signal is not None:
            return
        self.signal = name
        loop, event = self._loop, self._event
        if loop is not None and event is not None and not loop.is_closed():
            loop.call_soon_threadsafe(event.set)

    async def wait(self) -> SignalName:
        """Return once a stop is requested."""
        if self._event is None or self._loop is not asyncio.get_running_loop():
            self._loop = asyncio.get_running_loop()
            self._event = asyncio.Event()
        if self.signal is None:
            await self._event.wait()
        assert self.signal is not None
        return self.signal


@contextmanager
def stop_on_signals(
    stop: StopRequest, on_first: Callable[[SignalName], None] | None = None
) -> Iterator[StopRequest]:
    """Route SIGINT and SIGTERM to ``stop`` while the block runs (main thread only).

    ``on_first`` is told of the first signal (to say that the scan is stopping); a second
    signal exits at once with the signal's exit code.
    """
    names: dict[int, SignalName] = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}

    def handler(signum: int, frame: FrameType | None) -> None:
        name = names[signum]
        if stop.requested:
            raise SystemExit(EXIT_CODES[name])
        stop.request(name)
        if on_first is not None:
            on_first(name)

    previous = {signum: signal.signal(signum, handler) for signum in names}
    try:
        yield stop
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
        sys.stderr.flush()
