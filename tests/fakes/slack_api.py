"""A stand-in for the Slack Web API on 127.0.0.1: answers what ketenbot calls and records every request.

`fail_next(method, count, retry_after)` makes the next calls of a method answer 429 with Retry-After,
as Slack does when rate limiting. `accept_then_fail_next(method, count)` takes the message and still
answers 500, as a platform may when it fails after storing. `refuse_next(method, count, status, error)` answers
the next calls with an error of Slack's (`missing_scope`) or, with a status other than 200, a proxy's plain page. `hold_after(count)` keeps the answers
to later chat.postMessage calls back until `release()`. `wait_for(method, count)` waits without sleeping.

Socket Mode: `apps.connections.open` hands out a ws:// URL on the same server. `send_envelope(...)`
pushes an envelope over the open socket, as Slack does; every acknowledgement the bot sends back is
recorded as a call of method "ack".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from tests.fakes.recorder import Recorder

BOT_USER = "UKETENBOT"


@dataclass
class Call:
    method: str
    body: dict[str, Any]
    headers: dict[str, str]


class FakeSlack(Recorder):
    def __init__(self) -> None:
        super().__init__()
        self.failures: dict[str, list[int]] = {}
        self.accept_then_fail: dict[str, int] = {}
        self.refusals: dict[str, list[tuple[int, str]]] = {}
        self.sockets: list[web.WebSocketResponse] = []

    @property
    def api_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/api/"))

    def url(self, path: str) -> str:
        assert self.server is not None
        return str(self.server.make_url(path))

    def fail_next(self, method: str, count: int, retry_after: int = 1) -> None:
        self.failures[method] = [retry_after] * count

    def accept_then_fail_next(self, method: str, count: int) -> None:
        self.accept_then_fail[method] = count

    def refuse_next(self, method: str, count: int, status: int = 200, error: str = "missing_scope") -> None:
        self.refusals[method] = [(status, error)] * count

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def delivered_to(self) -> list[str]:
        """The channel of every accepted chat.postMessage, in order."""
        return [c.body.get("channel") for c in self.of("chat.postMessage")]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        return await self.wait_until(lambda: self.of(method), count, timeout)

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.text()
        if request.content_type == "application/json":
            body = json.loads(raw or "{}")
        else:
            body = dict(parse_qsl(raw))
        body = {**dict(request.query), **body}
        for key in ("blocks", "view", "metadata"):
            if isinstance(body.get(key), str):
                body[key] = json.loads(body[key])
        pending = self.failures.get(method)
        if pending:
            retry_after = pending.pop(0)
            await self.record(Call(f"{method}:429", body, dict(request.headers)))
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(retry_after)})
        refusals = self.refusals.get(method)
        if refusals:
            status, error = refusals.pop(0)
            await self.record(Call(f"{method}:{error}", body, dict(request.headers)))
            if status != 200:
                return web.Response(status=status, text=f"<html><body>{status} {error}</body></html>", content_type="text/html")
            return web.json_response({"ok": False, "error": error})
        await self.record(Call(method, body, dict(request.headers)))
        if method == "chat.postMessage":
            await self.held(lambda: len(self.of(method)))
        if self.accept_then_fail.get(method):
            self.accept_then_fail[method] -= 1
            return web.json_response({"ok": False, "error": "internal_error"}, status=500)
        return web.json_response(self._answer(method, body))

    def _answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "url": "https://keten.slack.com/", "team": "Keten", "user": "ketenbot",
                    "team_id": "T0KETEN", "user_id": BOT_USER, "bot_id": "B0KETEN"}
        if method == "chat.postMessage":
            return {"ok": True, "channel": body.get("channel"), "ts": f"{len(self.calls)}.000100", "message": {}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D0" + str(body.get("users", "X"))}}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.url("/link").replace("http://", "ws://", 1)}
        if method == "conversations.history":
            posted = [c.body for c in self.of("chat.postMessage") if c.body.get("channel") == body.get("channel")]
            return {"ok": True, "messages": [{"text": b.get("text"), "metadata": b.get("metadata")} for b in reversed(posted)]}
        return {"ok": True}

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        await self.record(Call("response_url", body, dict(request.headers)))
        return web.Response(text="ok")

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0KETEN"}})
        await self.record(Call("socket", {}, dict(request.headers)))
        self.sockets.append(socket)
        async for frame in socket:
            if frame.type == web.WSMsgType.TEXT:
                await self.record(Call("ack", json.loads(frame.data), {}))
        return socket

    async def send_envelope(self, kind: str, payload: dict[str, Any], envelope_id: str, *, retry_attempt: int = 0) -> None:
        """Push an envelope (events_api, interactive or slash_commands) over the newest open socket."""
        await self.wait_for("socket")
        await self.sockets[-1].send_json({"envelope_id": envelope_id, "type": kind, "payload": payload,
                                          "accepts_response_payload": kind != "events_api",
                                          "retry_attempt": retry_attempt, "retry_reason": "timeout" if retry_attempt else ""})

    async def ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """Wait for the bot's acknowledgement of an envelope and return it."""
        [call] = await self.wait_until(lambda: [c for c in self.of("ack") if c.body.get("envelope_id") == envelope_id], 1, timeout)
        return call.body

    async def close(self) -> None:
        for socket in self.sockets:
            await socket.close()
        await super().close()

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._handle)
        app.router.add_get("/api/{method}", self._handle)
        app.router.add_post("/respond/{token}", self._respond)
        app.router.add_get("/link", self._link)
        await self.listen(app)
        return self
