"""Politeness: a global cap on requests in flight, per-host slots and a pause between requests
to one host."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _Host:
    slots: asyncio.Semaphore
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0  # loop time before which no new request may start
    users: int = 0  # requests holding or waiting for a slot


class Politeness:
    """Grants request slots: at most ``concurrency`` in flight overall, ``per_host`` per host,
    and request starts to one host at least ``delay_s`` apart.

    A request waits for its host's slot and turn before taking a global slot, so a busy or slow
    host never holds global slots other hosts could use. A host's state is dropped once it is
    idle and its pause is over, so memory does not grow with the number of hosts of a scan.
    """

    def __init__(self, concurrency: int, per_host: int, delay_s: float = 0.0) -> None:
        self.concurrency = concurrency
        self.per_host = per_host
        self.delay_s = delay_s
        self._global = asyncio.Semaphore(concurrency)
        self._hosts: dict[str, _Host] = {}
        self._delays: dict[str, float] = {}  # a host's own pause (robots.txt Crawl-delay)

    def _host(self, host: str) -> _Host:
        key = host.lower()
        state = self._hosts.get(key)
        if state is None:
            state = self._hosts[key] = _Host(asyncio.Semaphore(self.per_host))
        return state

    def set_delay(self, host: str, seconds: float) -> None:
        """Pause at least ``seconds`` between requests to ``host`` (a robots.txt Crawl-delay)."""
        if seconds > 0:
            self._delays[host.lower()] = seconds

    async def _wait_turn(self, key: str, state: _Host) -> None:
        delay = max(self.delay_s, self._delays.get(key, 0.0))
        if delay <= 0:
            return
        loop = asyncio.get_running_loop()
        async with state.turn:
            wait = state.next_start - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            state.next_start = loop.time() + delay

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold a request slot for ``host`` for the duration of the ``async with`` block."""
        key = host.lower()
        state = self._host(key)
        state.users += 1
        try:
            async with state.slots:
                await self._wait_turn(key, state)
                async with self._global:
                    yield
        finally:
            state.users -= 1
            if state.users == 0:
                self._forget_when_idle(key, state)

    def _forget_when_idle(self, key: str, state: _Host) -> None:
        """Drop ``state`` now, or when its pause ends if it is still idle then."""
        loop = asyncio.get_running_loop()
        if state.next_start <= loop.time():
            if self._hosts.get(key) is state:
                del self._hosts[key]
            return

        def forget() -> None:
            if state.users == 0 and self._hosts.get(key) is state:
                del self._hosts[key]

        loop.call_at(state.next_start, forget)

    @property
    def hosts_tracked(self) -> int:
        """How many hosts have politeness state (busy, or idle within their pause)."""
        return len(self._hosts)
