"""What both fake platforms share: recording calls and waiting for them without sleeping."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


class Recorder:
    def __init__(self) -> None:
        self.calls: list[Any] = []
        self.server: TestServer | None = None
        self._changed = asyncio.Condition()
        self._hold_after: int | None = None
        self._released = asyncio.Event()
        # Seconds before each answer, as a real platform's round trip (benchmarks only).
        self.latency = 0.0

    def hold_after(self, count: int) -> None:
        """Record but do not answer the calls after the first `count` accepted ones until `release()`:
        the caller's request has arrived and its answer is still under way (to kill it in between)."""
        self._hold_after = count
        self._released.clear()

    def release(self) -> None:
        self._hold_after = None
        self._released.set()

    async def held(self, accepted: Callable[[], int]) -> None:
        """Wait here before answering when holding applies to the call that makes `accepted()` calls,
        and for the simulated round trip."""
        if self._hold_after is not None and accepted() > self._hold_after:
            await self._released.wait()
        if self.latency:
            await asyncio.sleep(self.latency)

    async def listen(self, app: web.Application) -> None:
        """Serve the fake on 127.0.0.1 on a free port."""
        self.server = TestServer(app, host="127.0.0.1", port=None)
        await self.server.start_server()

    async def close(self) -> None:
        if self.server:
            await self.server.close()

    async def record(self, call: Any) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def wait_until(self, matching: Callable[[], list[Any]], count: int, timeout: float) -> list[Any]:
        """Wait until `matching()` returns at least `count` calls; return them."""

        async def enough() -> list[Any]:
            async with self._changed:
                await self._changed.wait_for(lambda: len(matching()) >= count)
                return matching()

        return await asyncio.wait_for(enough(), timeout)
