"""A stand-in for the Bot Framework connector (Teams' serviceUrl) on 127.0.0.1: records every request.

Inbound test activities carry `service_url` as their serviceUrl, so the bot's replies arrive here.
Every body is validated with Microsoft's own protocol models (microsoft-agents-activity): a body the
models refuse, or with a field they do not know (such as `tenantID` for `tenantId`), is answered 400 as
the real connector would, and kept in `invalid`; the `bf_connector` fixture fails the test on any.
`POST /v3/conversations` creates a conversation (recorded, answered with a new id), as Teams does for a
bot's first personal message to someone.
`fail_next(count, retry_after)` answers the next calls with 429 and Retry-After, as the connector does
when throttling. `accept_then_fail_next(count)` takes the activity and still answers 502.
`refuse_conversations(status)` answers every conversation create with that status (the bot is not
installed for the member, or the tenant forbids it).
`hold_after(count)` keeps the answers to later activities back until `release()`.
`wait_for(path_fragment, count, timeout)` waits for requests without sleeping.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from microsoft_agents.activity import Activity, ConversationParameters
from pydantic import BaseModel, ValidationError

from tests.fakes.recorder import Recorder

CONVERSATIONS = "/v3/conversations"


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    status: int = 200


def unknown_fields(sent: Any, kept: Any, path: str = "") -> list[str]:
    """Where `sent` has a key that the model dropped while reading it (`kept` is the model's own dump)."""
    if isinstance(sent, dict) and isinstance(kept, dict):
        found = [f"{path}.{key}".lstrip(".") for key in sent if key not in kept]
        return found + [p for key in sent if key in kept for p in unknown_fields(sent[key], kept[key], f"{path}.{key}")]
    if isinstance(sent, list) and isinstance(kept, list):
        return [p for n, (a, b) in enumerate(zip(sent, kept, strict=False)) for p in unknown_fields(a, b, f"{path}[{n}]")]
    return []


def validation_errors(model: type[BaseModel], body: Any) -> list[str]:
    """What Microsoft's model for this body refuses or does not know; empty when the body is valid."""
    try:
        parsed = model.model_validate(body)
    except ValidationError as error:
        return [f"{model.__name__}: {issue['loc']}: {issue['msg']}" for issue in error.errors()]
    kept = parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return [f"{model.__name__}: unknown field {path}" for path in unknown_fields(body, kept)]


class FakeConnector(Recorder):
    def __init__(self) -> None:
        super().__init__()
        self.failures: list[int] = []
        self.accept_then_fail = 0
        self.conversation_refusal: int | None = None
        self.invalid: list[str] = []

    @property
    def service_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/"))

    def fail_next(self, count: int, retry_after: int = 1) -> None:
        """Answer the next `count` calls with 429 Too Many Requests and this Retry-After."""
        self.failures = [retry_after] * count

    def accept_then_fail_next(self, count: int) -> None:
        self.accept_then_fail = count

    def refuse_conversations(self, status: int) -> None:
        self.conversation_refusal = status

    def matching(self, path_fragment: str) -> list[Call]:
        return [call for call in self.calls if path_fragment in call.path and call.status == 200]

    @property
    def activities(self) -> list[dict[str, Any]]:
        """The bodies of every activity the bot sent (answered with 200)."""
        return [call.body for call in self.matching("/activities")]

    @property
    def created(self) -> list[dict[str, Any]]:
        """The bodies of every conversation the bot created (answered with 200)."""
        return [call.body for call in self.calls if call.path == CONVERSATIONS and call.status == 200]

    async def wait_for(self, path_fragment: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait until `count` successful calls have a path containing `path_fragment`; return them all."""

        return await self.wait_until(lambda: self.matching(path_fragment), count, timeout)

    async def _read(self, request: web.Request, model: type[BaseModel]) -> tuple[dict[str, Any], list[str]]:
        text = await request.text() if request.can_read_body else ""
        try:
            body = json.loads(text) if text else {}
        except ValueError:
            return {}, [f"{model.__name__}: not JSON"]
        errors = validation_errors(model, body)
        self.invalid += [f"{request.method} {request.path}: {error}" for error in errors]
        return body, errors

    async def _refused(self, request: web.Request, body: dict[str, Any], errors: list[str]) -> web.Response | None:
        """The answer for an invalid body or a throttled call, recorded; None when the call goes through."""
        if errors:
            await self.record(Call(request.method, request.path, body, dict(request.headers), 400))
            return web.json_response({"error": {"code": "BadArgument", "message": "; ".join(errors)}}, status=400)
        retry_after = self.failures.pop(0) if self.failures else None
        if retry_after is None:
            return None
        await self.record(Call(request.method, request.path, body, dict(request.headers), 429))
        return web.json_response(
            {"error": {"code": "Throttled", "message": "Too many requests"}},
            status=429,
            headers={"Retry-After": str(retry_after)},
        )

    async def _activity(self, request: web.Request) -> web.Response:
        body, errors = await self._read(request, Activity)
        refused = await self._refused(request, body, errors)
        if refused is not None:
            return refused
        await self.record(Call(request.method, request.path, body, dict(request.headers)))
        await self.held(lambda: len(self.activities))
        if self.accept_then_fail:
            self.accept_then_fail -= 1
            return web.json_response({"error": {"code": "ServiceError", "message": "Bad gateway"}}, status=502)
        return web.json_response({"id": f"activity-{len(self.calls)}"})

    async def _conversation(self, request: web.Request) -> web.Response:
        body, errors = await self._read(request, ConversationParameters)
        refused = await self._refused(request, body, errors)
        if refused is not None:
            return refused
        status = self.conversation_refusal or 200
        await self.record(Call(request.method, request.path, body, dict(request.headers), status))
        if self.conversation_refusal:
            return web.json_response({"error": {"code": "Forbidden", "message": "The bot is not installed for this user"}}, status=status)
        return web.json_response({"id": f"a:created-{len(self.created)}"})

    async def start(self) -> FakeConnector:
        app = web.Application()
        app.router.add_post(CONVERSATIONS, self._conversation)
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._activity)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", self._activity)
        await self.listen(app)
        return self
