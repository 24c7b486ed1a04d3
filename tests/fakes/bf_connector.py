"""A stand-in for the Bot Framework connector (Teams' serviceUrl) on 127.0.0.1: records every request.

Inbound test activities carry `service_url` as their serviceUrl, so the bot's replies arrive here.
`fail_next(count, retry_after)` answers the next calls with 429 and Retry-After, as the connector does
when throttling. `accept_then_fail_next(count)` takes the activity and still answers 502.
`hold_after(count)` keeps the answers to later activities back until `release()`.
`wait_for(path_fragment, count, timeout)` waits for requests without sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.recorder import Recorder


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    status: int = 200


class FakeConnector(Recorder):
    def __init__(self) -> None:
        super().__init__()
        self.failures: list[int] = []
        self.accept_then_fail = 0

    @property
    def service_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/"))

    def fail_next(self, count: int, retry_after: int = 1) -> None:
        """Answer the next `count` calls with 429 Too Many Requests and this Retry-After."""
        self.failures = [retry_after] * count

    def accept_then_fail_next(self, count: int) -> None:
        self.accept_then_fail = count

    def matching(self, path_fragment: str) -> list[Call]:
        return [call for call in self.calls if path_fragment in call.path and call.status == 200]

    @property
    def activities(self) -> list[dict[str, Any]]:
        """The bodies of every activity the bot sent (answered with 200)."""
        return [call.body for call in self.matching("/activities")]

    async def wait_for(self, path_fragment: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait until `count` successful calls have a path containing `path_fragment`; return them all."""

        return await self.wait_until(lambda: self.matching(path_fragment), count, timeout)

    async def _record(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else {}
        retry_after = self.failures.pop(0) if self.failures else None
        status = 429 if retry_after is not None else 200
        await self.record(Call(request.method, request.path, body, dict(request.headers), status))
        if retry_after is not None:
            return web.json_response(
                {"error": {"code": "Throttled", "message": "Too many requests"}},
                status=429,
                headers={"Retry-After": str(retry_after)},
            )
        await self.held(lambda: len(self.activities))
        if self.accept_then_fail:
            self.accept_then_fail -= 1
            return web.json_response({"error": {"code": "ServiceError", "message": "Bad gateway"}}, status=502)
        return web.json_response({"id": f"activity-{len(self.calls)}"})

    async def start(self) -> FakeConnector:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._record)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", self._record)
        await self.listen(app)
        return self
